"""Scheme files are checked for what the writers need (issue 13, class 6).

A scheme whose pieces would crash ``forms`` or ``run`` later — a name that is no plain identifier
(it names the output folder), sheet names Excel forbids, headers and choices the reader could never
find again, notice texts with fields the notices do not have, control characters a workbook cannot
hold, a 降星 that raises stars — is refused when it loads: every mistake at once, each with its key
path, exit 2. A returned form names its scheme, never a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from clerk import scheme_variant
from click.testing import CliRunner
from openpyxl import load_workbook

from pingxing import scheme as schemes
from process import cli


def _break(d: dict[str, Any]) -> None:
    d["name"] = "../x"
    d["components"][1]["sheet"] = "互评/测评"
    d["components"][2]["sheet"] = "History"
    d["components"][3]["sheet"] = " 职工参评"
    d["components"][2]["columns"][0]["header"] = "得 分"
    d["components"][4]["columns"][0]["choices"] = ["是", "否", "是,否"]
    d["notices"]["title"] = "{unitt}{period_words}评星结果公示"
    d["notices"]["intro"] = "现公示如下{"
    d["notices"]["template"] = "../../notice"
    d["title"] = "评星\x07定级"
    d["total"]["weights"] = {"自评": 0.2, "互评/测评": 0.3, "History": 0.2, " 职工参评": 0.3}


EXPECTED = [
    "错误：bad.yaml: name: “../x”不能用作名称：只能由字母、汉字、数字、“-”和“_”组成，以字母、汉字或数字开头，最多 64 个字符"
    "（不能有 / \\ . 空格等，也不能是 CON、NUL 等设备名），它也用作文件夹和文件的名称",
    "错误：bad.yaml: notices.template: “../../notice”不能用作名称：只能由字母、汉字、数字、“-”和“_”组成，以字母、汉字或数字开头，"
    "最多 64 个字符（不能有 / \\ . 空格等，也不能是 CON、NUL 等设备名），它也用作文件夹和文件的名称",
    "错误：bad.yaml: title: 文字中有控制字符（不可见字符），Excel 和 Word 文件不能保存，请删除",
    "错误：bad.yaml: components[1].sheet: 工作表名称“互评/测评”中有 Excel 不允许的字符 /，请去掉",
    "错误：bad.yaml: components[2].sheet: “History”是 Excel 保留的工作表名，请换一个名称",
    "错误：bad.yaml: components[2]: 列名“得 分”中有空格或全角字符，收回的表格会读作“得分”而对不上，请写成后者",
    "错误：bad.yaml: components[3].sheet: 工作表名称“ 职工参评”不能为空，首尾也不能有空格",
    "错误：bad.yaml: components[4].columns[0].choices[2]: 可选项“是,否”中不能有英文逗号或双引号（Excel 的下拉列表用它们分隔）",
    "错误：bad.yaml: notices.title: 文字中的 {unitt} 不是可用的字段，可用的有 {unit}、{branch}、{period_words}",
    "错误：bad.yaml: notices.intro: 文字中的 { } 不成对；要写大括号本身请写成 {{ 和 }}",
]


def test_a_scheme_the_writers_would_choke_on_is_refused_at_load_with_every_mistake(tmp_path: Path) -> None:
    bad = scheme_variant(tmp_path, "member-weighted", _break)
    roster = tmp_path / "名册.csv"
    roster.write_text("单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["forms", "--scheme", str(bad), "--roster", str(roster), "--period", "2026Q4",
                                      "--output", str(tmp_path / "forms")])
    assert result.exit_code == 2, result.output
    assert result.output.replace(str(tmp_path) + "/", "").splitlines() == EXPECTED
    assert not (tmp_path / "forms").exists() and not (tmp_path.parent / "x").exists()


def test_demote_steps_and_unit_shares_that_would_break_a_run(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["rules"][1]["steps"]["降两星"] = -2  # would raise the stars above five
        d["rules"].append({"kind": "unit_limit", "at_most_stars": 3, "share": "2/0"})
        d["components"][2]["columns"][1]["header"] = "编号"  # the header row would have two

    bad = scheme_variant(tmp_path, "branch-bands", change)
    result = CliRunner().invoke(cli, ["describe", "--scheme", str(bad)])
    assert result.exit_code == 2
    assert result.output.replace(str(tmp_path) + "/", "").splitlines() == [
        "错误：bad.yaml: components[2]: 列名“编号”是表头前两列专用的名称，请换一个名称",
        "错误：bad.yaml: rules[1].steps.降两星: 降星数 -2 无效，应为 0 到 5 的整数，或 all（摘星）",
        "错误：bad.yaml: rules[2].share: 比例“2/0”无效，应为 0 到 1 之间，如 2/3 或 0.5",
    ]


def test_a_scheme_found_by_name_must_be_named_as_its_file(tmp_path: Path, monkeypatch: Any) -> None:
    own = tmp_path / "schemes"
    own.mkdir()
    data = yaml.safe_load((schemes.SCHEMES_DIR / "member-weighted.yaml").read_text(encoding="utf-8"))
    (own / "本局评星.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")  # copied, not renamed
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["describe", "--scheme", "本局评星"])
    assert result.exit_code == 2
    assert result.output.replace(str(tmp_path) + "/", "").splitlines() == [
        "错误：schemes/本局评星.yaml: name: 方案名称“member-weighted”与文件名“本局评星.yaml”不一致：收回的表格按名称找方案，"
        "会找不到或用错方案；请把 name 改为 本局评星（或把文件改名为 member-weighted.yaml）"]


def test_a_returned_form_names_a_scheme_never_a_file(tmp_path: Path) -> None:
    evil = tmp_path / "另一个方案.yaml"
    evil.write_text((schemes.SCHEMES_DIR / "member-weighted.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    sample = next((Path(__file__).parent.parent / "examples" / "input" / "member-weighted").glob("*.xlsx"))
    inbox = tmp_path / "input"
    inbox.mkdir()
    wb = load_workbook(sample)
    for row in wb["_meta"].iter_rows():
        if row[0].value == "scheme":
            row[1].value = str(evil)
    wb.save(inbox / "表.xlsx")
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 3, result.output
    problems = (tmp_path / "out" / "problems.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(problems) == 2 and ",unknown-scheme," in problems[1]
    assert not (tmp_path / "out" / "member-weighted").exists()
