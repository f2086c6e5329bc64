"""The superior's re-check: a reproducible draw of ≥ 30 % per unit, and the 15 % rule.

U1 has 10 passing branches → ceil(0.3 × 10) = 3 drawn; U2 has 4 → ceil(1.2) = 2 drawn.
Re-check: in U1 one of 3 graded differently → 33.3 % > 15 % → all 10 of U1 推倒重来;
in U2 none differs → U2 stands. Then a second re-check marks 隐瞒 in U2 → U2 redone too.
"""

from __future__ import annotations

from pathlib import Path

from clerk import fill, ids_of, results_by_id
from click.testing import CliRunner
from openpyxl import load_workbook

from process import cli

SCHEME = """
name: mini-standard
title: 党支部规范化建设（测试）
description: 两项检查，评等次
level: branch
period: year
components:
  - sheet: 检查
    kind: checklist
    areas:
      - name: 基本组织
        items: [{label: 组织健全}, {label: 按期换届}]
rules:
  - kind: grades
    grades:
      - {grade: 优秀, all_items: true}
      - {grade: 合格, require: [{column: 检查.1.1}]}
    otherwise: 未达标
notices:
  publicity_days: 5
  title: "{unit}{period_words}规范化建设等次公示"
  intro: 现予公示：
  contact: 如有异议请反映。
  issuer: "{unit}"
"""


def _setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    scheme = tmp_path / "mini-standard.yaml"
    scheme.write_text(SCHEME, encoding="utf-8")
    lines = ["单位,支部,支部编号,编号,姓名"]
    lines += [f"U1,一{i}支部,A{i:02d},a{i},甲{i}" for i in range(1, 11)]
    lines += [f"U2,二{i}支部,B{i:02d},b{i},乙{i}" for i in range(1, 5)]
    lines += ["U2,二5支部,B05,b5,乙5"]  # 未达标: not in the draw
    (tmp_path / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    made = runner.invoke(cli, ["forms", "--scheme", str(scheme), "--roster", str(tmp_path / "roster.csv"),
                               "--period", "2026", "--output", str(tmp_path / "forms")])
    assert made.exit_code == 0, made.output
    inbox = tmp_path / "input"
    inbox.mkdir()
    for form in (tmp_path / "forms").glob("*.xlsx"):
        values = {i: {"1.1": "否" if i == "B05" else "是", "1.2": "是"} for i, _ in ids_of(form)}
        fill(form, {"检查": values}, inbox / form.name)
    return scheme, inbox, tmp_path / "out"


def _run(scheme: Path, inbox: Path, out: Path) -> tuple[int, dict[str, dict[str, str]]]:
    ran = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--scheme", str(scheme)])
    return ran.exit_code, results_by_id(out / "mini-standard" / "2026")


def _draw(scheme: Path, out: Path, seed: int, folder: Path) -> list[str]:
    drawn = CliRunner().invoke(cli, ["audit", "draw", "--scheme", str(scheme), "--period", "2026", "--seed", str(seed),
                                     "--output", str(folder)])  # the working folder's record
    assert drawn.exit_code == 0, drawn.output
    ws = load_workbook(folder / "复查-mini-standard-2026.xlsx")["复查"]
    return [ws.cell(r, 1).value for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value]


def test_draw_is_reproducible_and_at_least_30_percent_per_unit(tmp_path: Path) -> None:
    scheme, inbox, out = _setup(tmp_path)
    code, rows = _run(scheme, inbox, out)
    assert code == 0 and rows["B05"]["grade"] == "未达标"
    first = _draw(scheme, out, 20261201, tmp_path / "d1")
    again = _draw(scheme, out, 20261201, tmp_path / "d2")
    other = _draw(scheme, out, 7, tmp_path / "d3")
    assert first == again
    assert first != other
    assert sum(i.startswith("A") for i in first) == 3 and sum(i.startswith("B") for i in first) == 2
    assert "B05" not in first + other  # only passing branches are drawn
    meta = load_workbook(tmp_path / "d1" / "复查-mini-standard-2026.xlsx")["_meta"]
    assert {r[0]: r[1] for r in meta.iter_rows(values_only=True)}["seed"] == "20261201"


def test_error_rate_above_15_percent_redoes_the_unit(tmp_path: Path) -> None:
    scheme, inbox, out = _setup(tmp_path)
    _run(scheme, inbox, out)
    drawn = _draw(scheme, out, 20261201, tmp_path / "d")
    u1 = [i for i in drawn if i.startswith("A")]
    verdict = {i: {"复查等次": "合格" if i == u1[0] else "优秀", "隐瞒": "否"} for i in drawn}
    fill(tmp_path / "d" / "复查-mini-standard-2026.xlsx", {"复查": verdict}, inbox / "复查.xlsx")
    code, rows = _run(scheme, inbox, out)
    assert code == 3
    assert {i for i, r in rows.items() if r["actions"] == "推倒重来"} == {f"A{i:02d}" for i in range(1, 11)}
    problems = (out / "mini-standard" / "2026" / "problems.csv").read_text(encoding="utf-8-sig")
    assert "U1抽查3个支部，等次不符1个，差错率33.3%，超过15%或存在隐瞒，该单位全部支部须重新评定（推倒重来）" in problems
    internal = (out / "mini-standard" / "2026" / "internal" / "内部名单.html").read_text(encoding="utf-8")
    assert "推倒重来（抽查3个支部，等次不符1个，差错率33.3%）" in internal

    verdict.update({i: {"复查等次": "优秀", "隐瞒": "是"} for i in drawn if i.startswith("B")})
    fill(tmp_path / "d" / "复查-mini-standard-2026.xlsx", {"复查": verdict}, inbox / "复查.xlsx")
    _, rows = _run(scheme, inbox, out)
    assert rows["B01"]["actions"] == "推倒重来" and rows["B05"]["actions"] == "推倒重来"
