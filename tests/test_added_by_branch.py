"""What a branch adds to its form is never silently dropped (issue 13, class 1).

A branch with more raters than the form has ballot columns types 票6 after 票5 (or 票31 after
票30); one types a score in the column right of the last item; one copies a sheet to go on with
more ballots. Each value the form has no place for is a problem at its cell and that person is not
rated as if it were absent; the others are rated. A column the branch added for itself (备注) is
its own business and stays accepted, and rows below the last person that carry scores are reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clerk import by_sheet, fill, header_row, issue, member_weighted, read_csv, results_by_id, settle
from click.testing import CliRunner
from openpyxl import load_workbook

from process import cli

ROSTER = "单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第一党支部,1002,王芳\n质检中心,第一党支部,1003,李娜\n"
# 自评 20×4 = 80, 互评 (80+90+85)/3 = 85, 领导 85, 职工 88: 16 + 25.5 + 17 + 26.4 = 84.90 (three ballots each:
# the anonymity guard's minimum)
VALUES = {eid: member_weighted([4] * 20, [80, 90, 85], 85, [88, 88, 88]) for eid in ("1001", "1002", "1003")}


@pytest.fixture
def form(tmp_path: Path) -> Path:
    blank = next(iter(issue(tmp_path, "member-weighted", ROSTER, "2026Q4").values()))
    settle(tmp_path / "forms", tmp_path / "input")  # the clerk's settings go in with the returns
    return fill(blank, by_sheet(VALUES), tmp_path / "input" / "第一党支部.xlsx")


def _after_last(ws: object) -> tuple[int, int]:
    """(header row, the first column right of the form's last header)."""
    h = header_row(ws)  # type: ignore[arg-type]
    return h, max(c.column for c in ws[h] if c.value is not None) + 1  # type: ignore[index]


def _run(tmp_path: Path) -> tuple[int, dict[str, dict[str, str]], list[tuple[str, str, str, str, str]]]:
    result = CliRunner().invoke(cli, ["run", "--input", str(tmp_path / "input"), "--output", str(tmp_path / "out"),
                                      "--publicity-start", "2026-12-01", "--jobs", "1"])
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    folder = tmp_path / "out" / "member-weighted" / "2026Q4"
    problems = [(p["sheet"], p["cell"], p["entity"], p["code"], p["message"]) for p in read_csv(folder / "problems.csv")
                if p["code"] != "notice-withheld"]
    return result.exit_code, results_by_id(folder), problems


def test_ballots_and_items_beyond_the_forms_last_column_are_problems_at_their_cells(form: Path,
                                                                                   tmp_path: Path) -> None:
    wb = load_workbook(form)
    staff = wb["职工参评"]
    h, j = _after_last(staff)
    staff.cell(h, j).value = "票6"  # a sixth rater, typed after 票5
    staff.cell(h + 1, j).value = 10
    peers = wb["互评"]
    h, j = _after_last(peers)
    peers.cell(h, j).value = "票31"
    peers.cell(h + 2, j).value = 95
    own = wb["自评"]
    h, j = _after_last(own)
    own.cell(h + 3, j).value = 5  # one more item, no header
    own.cell(h, j + 1).value = "备注"  # the branch's own note column: accepted
    own.cell(h + 1, j + 1).value = "新党员"
    wb.save(form)
    code, rows, problems = _run(tmp_path)
    assert code == 3
    assert {i: (r["status"], r["score"]) for i, r in rows.items()} == {
        "1001": ("incomplete", ""), "1002": ("incomplete", ""), "1003": ("incomplete", "")}
    assert rows["1002"]["reason"] == "“互评”表第 5 行有错误"
    peers_col, own_col = "AG", "W"
    assert problems == [
        ("互评", f"{peers_col}5", "1002 王芳", "added-cell",
         "“票31”不是下发表格中的列（本表要填的列为 票1—票30），这里填的“95”不会计入，该人员暂不评定；"
         "请删除这一格的内容，确有多出的选票或分数请报组织部门处理"),
        ("职工参评", "H4", "1001 张伟", "added-cell",
         "“票6”不是下发表格中的列（本表要填的列为 票1—票5），这里填的“10”不会计入，该人员暂不评定；"
         "请删除这一格的内容，确有多出的选票或分数请报组织部门处理"),
        ("自评", f"{own_col}8", "1003 李娜", "added-cell",
         "这一格在下发表格要填的列（1.1—5.4）以外，且该列没有表头，这里填的“5”不会计入，该人员暂不评定；"
         "请删除这一格的内容，或填到正确的列中"),
    ]


def test_a_branchs_own_column_and_nothing_added_rate_as_before(form: Path, tmp_path: Path) -> None:
    wb = load_workbook(form)
    own = wb["自评"]
    h, j = _after_last(own)
    own.cell(h, j).value = "备注"
    own.cell(h + 1, j).value = "新党员"
    wb.save(form)
    code, rows, problems = _run(tmp_path)
    assert (code, problems) == (0, [])
    assert {i: (r["status"], r["score"]) for i, r in rows.items()} == {
        "1001": ("rated", "84.90"), "1002": ("rated", "84.90"), "1003": ("rated", "84.90")}


def test_a_copied_sheet_with_more_ballots_is_not_passed_over(form: Path, tmp_path: Path) -> None:
    wb = load_workbook(form)
    copy = wb.copy_worksheet(wb["职工参评"])
    copy.title = "职工参评 (2)"
    h = header_row(copy)
    copy.cell(h + 2, 3).value = 60  # the sixth rater's ballot for 1002, on a copy of the sheet
    backup = wb.copy_worksheet(wb["自评"])
    backup.title = "自评备份"  # a copy with nothing new: let be
    wb.save(form)
    code, rows, problems = _run(tmp_path)
    assert code == 3
    assert {r["status"] for r in rows.values()} == {"incomplete"}
    assert problems == [("职工参评 (2)", "C5", "", "added-sheet",
                         "工作表“职工参评 (2)”是“职工参评”表的复制，其中填了原表没有的内容（如本格“60”），不会计入；“职工参评”表中的人员暂不评定。"
                         "请把内容填回“职工参评”表后删除“职工参评 (2)”，确有多出的选票请报组织部门处理")]


def test_rows_below_the_last_person_that_carry_scores_are_reported(form: Path, tmp_path: Path) -> None:
    wb = load_workbook(form)
    peers = wb["互评"]
    h = header_row(peers)
    peers.cell(h + 5, 2).value = "赵六"  # a person added below, without 编号
    peers.cell(h + 5, 3).value = 70
    peers.cell(h + 7, 3).value = 88  # a score two rows further down
    wb.save(form)
    code, rows, problems = _run(tmp_path)
    assert code == 3
    assert problems == [
        ("互评", f"A{h + 5}", "赵六", "missing-id", f"第 {h + 5} 行没有编号，未计入；请补上编号（按下发名册）"),
        ("互评", f"A{h + 7}", "", "missing-id", f"第 {h + 7} 行没有编号，未计入；请补上编号（按下发名册）"),
    ]


def test_a_copied_ledger_with_more_activities_is_not_passed_over(tmp_path: Path) -> None:
    """A branch that runs out of 台账 rows copies the sheet and goes on there: a problem, and the
    branch is not rated from the original alone (its activity rows were counted all the same before)."""
    import shutil

    inbox = tmp_path / "input"
    shutil.copytree(Path(__file__).resolve().parents[1] / "examples" / "input" / "branch-standard", inbox)
    path = next(inbox.glob("*第一党支部*支部自评.xlsx"))
    wb = load_workbook(path)
    copy = wb.copy_worksheet(wb["台账"])
    copy.title = "台账 (2)"
    last = copy.max_row + 1
    for col, value in enumerate(["FG01", "第一党支部", "2026-12-12", "党课", 7, 7, "否", "书记"], 1):
        copy.cell(last, col).value = value
    wb.save(path)
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(tmp_path / "out"),
                                      "--publicity-start", "2026-12-01", "--jobs", "1"])
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    folder = tmp_path / "out" / "branch-standard" / "2026"
    added = [p for p in read_csv(folder / "problems.csv") if p["code"] == "added-sheet"]
    assert [(p["sheet"], p["severity"]) for p in added] == [("台账 (2)", "error")]
    assert results_by_id(folder)["FG01"]["status"] == "incomplete"
