"""The committee's corrections are checked like forms (issue 13, class 4).

A 更正分数 outside the scheme's range (above 100, negative), a 降星 that is not a whole number of
stars or would go below 无星, an 更正项目 value a form's cell would not take, a date that is no
date: each is a problem at its row of the 更正表, and the rest of the run — the other corrections,
the results, the notices — is published. Before, a negative score stopped the whole run ("内部错误"),
150 was published as 150.00 ★5 and 降星 1.5 took one star silently.

Every member's figures (see test_added_by_branch): 自评 80, 互评 85, 领导 85, 职工 88 → 84.90 ★4.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from clerk import by_sheet, fill, issue, member_weighted, read_csv, results_by_id, settle
from click.testing import CliRunner
from openpyxl import load_workbook

from process import cli

IDS = ("1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008")
ROSTER = "单位,支部,编号,姓名\n" + "".join(f"质检中心,第一党支部,{i},党员{i[-1]}\n" for i in IDS)
WHEN = datetime(2026, 12, 3)
DECISIONS = [  # 编号, 操作, 值, 日期
    ("1001", "更正分数", 150, WHEN),  # above the scheme's highest total
    ("1002", "更正分数", -5, WHEN),  # negative: stopped the run before
    ("1003", "降星", 1.5, WHEN),  # half a star
    ("1004", "降星", 5, WHEN),  # below 无星
    ("1005", "更正分数", "90.005", WHEN),  # published as every score is: half away from zero
    ("1006", "更正项目", "支部评定.否决事由=受到党内警告处分", WHEN),  # a text column can be corrected
    ("1007", "降星", 1, "2026-13-01"),  # no such date
    ("1008", "更正项目", "自评.1.1=-1", WHEN),  # a cell a form would not take
]


def test_a_bad_correction_is_a_problem_at_its_row_and_the_rest_is_published(tmp_path: Path) -> None:
    forms = issue(tmp_path, "member-weighted", ROSTER, "2026Q4")
    inbox = tmp_path / "input"
    settle(tmp_path / "forms", inbox)  # the clerk's settings go in with the returns
    values = {i: member_weighted([4] * 20, [80, 90, 85], 85, [88, 88, 88], "是") for i in IDS}
    fill(next(iter(forms.values())), by_sheet(values), inbox / "第一党支部.xlsx")
    wb = load_workbook(next((tmp_path / "forms" / "更正表").glob("更正-*.xlsx")))
    ws = wb["更正"]
    for r, (eid, action, value, when) in enumerate(DECISIONS, 4):
        for c, v in enumerate((eid, "", action, value, "经党委研究", when, "党委"), 1):
            ws.cell(r, c).value = v
    wb.save(inbox / "更正表.xlsx")
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(tmp_path / "out"),
                                      "--publicity-start", "2026-12-01", "--jobs", "1"])
    assert result.exit_code == 3, result.output
    folder = tmp_path / "out" / "member-weighted" / "2026Q4"
    problems = [(p["cell"], p["entity"], p["message"]) for p in read_csv(folder / "problems.csv")]
    assert problems == [
        ("C4", "1001", "新分数“150”无效，应为 0 到 100 之间的数字（本方案总分的范围）"),
        ("C5", "1002", "新分数“-5”无效，应为 0 到 100 之间的数字（本方案总分的范围）"),
        ("C6", "1003", "降星数“1.5”无效：现为4星，应填 1 到 4 之间的整数（最多降到无星）"),
        ("C7", "1004", "降星数“5”无效：现为4星，应填 1 到 4 之间的整数（最多降到无星）"),
        ("F10", "", "日期“2026-13-01”无法识别，请写成 2026-12-05 这样的形式"),
        ("C11", "1008", "新值“-1”无效，应为 0 到 5 之间的数字"),
    ]
    rows = results_by_id(folder)
    assert {i: (r["score"], r["stars"], r["status"]) for i, r in rows.items()} == {
        "1001": ("84.90", "4", "rated"), "1002": ("84.90", "4", "rated"), "1003": ("84.90", "4", "rated"),
        "1004": ("84.90", "4", "rated"), "1005": ("90.01", "5", "rated"), "1006": ("84.90", "", "disqualified"),
        "1007": ("84.90", "4", "rated"), "1008": ("84.90", "4", "rated")}
    assert sorted(p.name for p in (folder / "notices").glob("*.html")) == [
        "质检中心-第一党支部-公示-更正1.html", "质检中心-第一党支部-公示.html"]
