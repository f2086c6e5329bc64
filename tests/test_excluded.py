"""不参评 (status ``excluded``): a member who left mid-period is taken out by a 调出 correction — not
rated, on no notice, in no share or quota base, the reason kept — and the branch gets its 公示."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clerk import by_sheet, fill, member_weighted, read_csv, results_by_id, words
from click.testing import CliRunner
from openpyxl import load_workbook

from process import cli

FIVES = [5] * 20
ONE = {
    "1001": member_weighted(FIVES, [95, 90, 92], 93, [90, 95, 88], "是"),
    "1002": member_weighted([4] * 20, [80, 85], 82, [80] * 5),
}


def _returned(tmp_path: Path, issued: dict[str, Path]) -> Path:
    inbox = tmp_path / "input"
    inbox.mkdir()
    fill(issued["第一党支部"], by_sheet(ONE), inbox / "第一党支部.xlsx")  # 1003–1007 left blank: not rated
    return inbox


def _correct(forms: Path, inbox: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    template = next((forms / "更正表").glob("更正-*.xlsx"))
    wb = load_workbook(template)
    ws = wb["更正"]
    for i, (eid, name, action, reason, when) in enumerate(rows, 4):
        for j, v in enumerate((eid, name, action, "", reason, date.fromisoformat(when), "党委"), 1):
            ws.cell(i, j).value = v
    wb.save(inbox / "更正.xlsx")


def _run(inbox: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--history",
                                      str(out.parent / "record.sqlite"), "--publicity-start", "2026-12-01"])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_member_taken_out_is_excluded_and_the_branch_gets_its_notice(tmp_path: Path, issued: dict[str, Path]) -> None:
    inbox = _returned(tmp_path, issued)
    code, _ = _run(inbox, tmp_path / "before")
    assert code == 3  # five people without a form: incomplete, no 公示
    assert not (tmp_path / "before" / "member-weighted" / "2026Q4" / "notices" / "质检中心-第一党支部-公示.html").exists()

    left = [(eid, name, "调出", "调往市局工作", "2026-11-20")
            for eid, name in (("1003", "李娜"), ("1004", "刘洋"), ("1005", "陈静"), ("1006", "杨磊"), ("1007", "赵敏"))]
    _correct(tmp_path / "forms", inbox, left)
    code, output = _run(inbox, tmp_path / "after")
    folder = tmp_path / "after" / "member-weighted" / "2026Q4"
    rows = results_by_id(folder)
    assert rows["1003"]["status"] == "excluded" and rows["1003"]["stars"] == "" and rows["1003"]["score"] == ""
    assert rows["1003"]["reason"] == "不参评（调出：调往市局工作；2026年11月20日，党委批准）"
    assert rows["1001"]["status"] == "rated" and rows["1001"]["stars"] == "5"
    notice = folder / "notices" / "质检中心-第一党支部-公示.html"
    assert notice.exists(), output  # published once everyone left is taken out: its first notice, not a 更正
    text = words(notice)
    assert "张伟" in text and "王芳" in text and "李娜" not in text and "（更正" not in text
    assert "2026年12月1日" in text  # dated from the publicity start, not the earlier decision
    problems = read_csv(folder / "problems.csv")
    assert not [p for p in problems if p["severity"] == "error" and "第一党支部" in (p["file"] + p["entity"])]
    stats = load_workbook(folder / "results.xlsx")["统计"]
    header = [c.value for c in stats[2]]  # (below the title row)
    assert "不参评" in header
    total = next(r for r in stats.iter_rows(values_only=True) if r[0] == "合计")
    assert total[header.index("不参评")] == 5
