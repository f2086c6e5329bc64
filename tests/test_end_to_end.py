"""A clerk's quarter: forms → filled by the branches → run → results and notices.

Hand calculation (total = 0.2 自评 + 0.3 互评 + 0.2 领导点评 + 0.3 职工参评; 自评 = sum of the 20
items; 互评/职工参评 = mean of the ballots present — at least three each, the anonymity guard's minimum; where two
were enough, a third at their mean keeps the figures):

======  ======  ==============  ====  =========  ===============================  =======  =====
id      自评    互评            领导  职工       total                            shown    stars
======  ======  ==============  ====  =========  ===============================  =======  =====
1001    100     277/3           93    91.8       20+27.7+18.6+27.54 = 93.84       93.84    5 (特别突出)
1002    80      82.5            82    80         16+24.75+16.4+24 = 81.15         81.15    4
1003    90      539.9/6         90    90         18+26.995+18+27 = 89.995         90.00    5 (特别突出)
1004    60      359.9/6         60    60         12+17.995+12+18 = 59.995         60.00    2
1005    90      90              90    90         90                               90.00    4 (not 特别突出)
1006    60      72.5            65    70         12+21.75+13+21 = 67.75           67.75    2
1007    100     90              90    90         20+27+18+27 = 92                 92.00    — (vetoed)
2001    90      275/3           85.5  90         18+27.5+17.1+27 = 89.6           89.60    4
2002    80      75.5            70    75         16+22.65+14+22.5 = 75.15         75.15    3
======  ======  ==============  ====  =========  ===============================  =======  =====
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import docx
import pytest
from clerk import by_sheet, fill, list_rows, member_weighted, settle
from click.testing import CliRunner
from openpyxl import load_workbook

from process import cli

FIVES = [5] * 20
NINETY = [5] * 18 + [0, 0]
SIXTY = [5] * 12 + [0] * 8

BRANCH_ONE = {
    "1001": member_weighted(FIVES, [95, 90, None, 92], 93, [90, 95, 88, 92, 94], "是"),
    "1002": member_weighted([4] * 20, [80, 85, 82.5], 82, [80] * 5),
    "1003": member_weighted(NINETY, [90, 90, 90, 90, 90, 89.9], 90, [90] * 5, "是"),
    "1004": member_weighted(SIXTY, [60, 60, 60, 60, 60, 59.9], 60, [60] * 5),
    "1005": member_weighted(NINETY, [90, 90, 90], 90, [None, None, 90, 90, 90]),
    "1006": member_weighted([3] * 20, [70, 75, 72.5], 65, [68, 70, 72]),
    "1007": member_weighted(FIVES, [90, 90, 90], 90, [90, 90, 90], "是", veto="受到党内警告处分"),
}
BRANCH_TWO = {
    "2001": member_weighted([4.5] * 20, [88, 92, 95], 85.5, [80, 85, 90, 95, 100]),
    # typed as text, full-width digits, and "70分": accepted (the last with a warning)
    "2002": member_weighted(["４"] * 20, ["75", 76, 75.5], "70分", [65, 70, 75, 80, 85]),
}

EXPECTED = [
    # level, unit, branch, id, name, score, stars, star_names, grade, status, reason
    ["member", "质检中心", "第一党支部", "1001", "张伟", "93.84", "5", "", "", "rated", ""],
    ["member", "质检中心", "第一党支部", "1002", "王芳", "81.15", "4", "", "", "rated", ""],
    ["member", "质检中心", "第一党支部", "1003", "李娜", "90.00", "5", "", "", "rated", ""],
    ["member", "质检中心", "第一党支部", "1004", "刘洋", "60.00", "2", "", "", "rated", ""],
    ["member", "质检中心", "第一党支部", "1005", "陈静", "90.00", "4", "", "", "rated",
     "得分达到五星标准，但未评为“特别突出”，按四星评定"],
    ["member", "质检中心", "第一党支部", "1006", "杨磊", "67.75", "2", "", "", "rated", ""],
    ["member", "质检中心", "第一党支部", "1007", "赵敏", "92.00", "", "", "", "disqualified",
     "取消评星资格（否决事由：受到党内警告处分）"],
    ["member", "质检中心", "第二党支部", "2001", "黄强", "89.60", "4", "", "", "rated", ""],
    ["member", "质检中心", "第二党支部", "2002", "周丽", "75.15", "3", "", "", "rated", ""],
]


def _returned(tmp_path: Path, issued: dict[str, Path]) -> Path:
    inbox = tmp_path / "input"
    inbox.mkdir()
    fill(issued["第一党支部"], by_sheet(BRANCH_ONE), inbox / "第一党支部.xlsx")
    fill(issued["第二党支部"], by_sheet(BRANCH_TWO), inbox / "第二党支部.xlsx")
    settle(issued["第一党支部"].parent, inbox)  # the clerk's settings: a phone for objections
    return inbox


def _run(runner: CliRunner, inbox: Path, out: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(out),
                                 "--publicity-start", "2026-12-01"])
    return result.exit_code, result.output


def _csv(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def published(tmp_path: Path, issued: dict[str, Path], runner: CliRunner) -> Path:
    code, output = _run(runner, _returned(tmp_path, issued), tmp_path / "output")
    assert code == 0, output
    return tmp_path / "output" / "member-weighted" / "2026Q4"


def test_round_trip_gives_the_hand_worked_results(published: Path) -> None:
    rows = _csv(published / "results.csv")
    assert rows[0][:11] == ["level", "unit", "branch", "id", "name", "score", "stars", "star_names", "grade",
                            "status", "reason"]
    assert [r[:11] for r in rows[1:]] == EXPECTED
    # component scores beside the total, as published (2 decimals)
    # history columns (no history yet: everyone is 新), then the part scores as published
    assert rows[0][11:] == ["prev_stars", "change", "actions", "自评", "互评", "领导点评", "职工参评"]
    assert rows[1][11:] == ["", "新", "", "100.00", "92.33", "93.00", "91.80"]


def test_accepted_coercions_are_listed_and_warned(published: Path) -> None:
    problems = _csv(published / "problems.csv")
    assert problems[0][:6] == ["file", "sheet", "cell", "entity", "severity", "message"]
    assert [p[:6] for p in problems[1:]] == [
        ["第二党支部.xlsx", "领导点评", "C5", "2002 周丽", "warning", "“70分”带有“分”字，已按 70 读取，请确认"],
    ]
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    hows = sorted({(c["how"], c["sheet"]) for c in manifest["coercions"]})
    assert hows == [("full-width", "自评"), ("text-number", "互评"), ("unit-suffix", "领导点评")]
    assert [f["status"] for f in manifest["files"]] == ["read", "read", "read"]  # and the settings workbook
    assert manifest["counts"]["stars"] == {"2": 2, "3": 1, "4": 3, "5": 2}


def test_results_workbook_is_readable(published: Path) -> None:
    wb = load_workbook(published / "results.xlsx")
    assert wb.sheetnames == ["评定结果", "统计", "问题清单"]
    ws = wb["评定结果"]
    assert ws.freeze_panes == "A3"
    assert ws["A1"].value.startswith("党员授旗评星定级")  # the title row: campaign, period, date
    header = [c.value for c in ws[2]]
    assert header[:9] == ["单位", "支部", "编号", "姓名", "自评", "互评", "领导点评", "职工参评", "综合得分"]
    first = [c.value for c in ws[3]]
    assert first[3] == "张伟" and first[8] == pytest.approx(93.84) and first[9] == "★★★★★ 五星"


def test_notices_show_names_and_stars_never_scores(published: Path) -> None:
    html = (published / "notices" / "质检中心-第一党支部-公示.html").read_text(encoding="utf-8")
    assert "质检中心第一党支部2026年第四季度党员评星定级结果公示" in html
    for name in ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏"):
        assert name in html
    assert "黄强" not in html  # the other branch has its own notice
    assert "93.84" not in html and "92.33" not in html  # no scores, no ballots
    assert "2026年12月1日至12月3日（3天）" in html  # 3 days of publicity, the first and the last counted
    document = docx.Document(str(published / "notices" / "质检中心-第一党支部-公示.docx"))
    cells = [cell for row in list_rows(document) for cell in row]
    title = "".join(p.text for p in document.paragraphs if p.style.name == "Title")  # a paragraph a line
    assert title == "质检中心第一党支部2026年第四季度党员评星定级结果公示"
    assert "张伟" in cells and any("★★★★★" in c for c in cells)
    assert not any("93.84" in c for c in cells)


GOLDEN = Path(__file__).resolve().parent / "golden" / "member-weighted-第一党支部-公示.html"


def test_html_notice_matches_the_golden_file(published: Path) -> None:
    """The whole page as reviewed once by a person; ``UPDATE_GOLDEN=1`` rewrites it after a
    deliberate template change (then look at the diff before committing)."""
    html = (published / "notices" / "质检中心-第一党支部-公示.html").read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8")


def test_same_inputs_give_identical_outputs(tmp_path: Path, issued: dict[str, Path], runner: CliRunner) -> None:
    inbox = _returned(tmp_path, issued)
    assert _run(runner, inbox, tmp_path / "a")[0] == 0  # a run that fails compares nothing: it must not pass
    assert _run(runner, inbox, tmp_path / "b")[0] == 0
    a = tmp_path / "a" / "member-weighted" / "2026Q4"
    b = tmp_path / "b" / "member-weighted" / "2026Q4"
    names = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert {"results.csv", "results.xlsx", "problems.csv", "report.html", "公示汇编.docx",
            "notices/质检中心-第一党支部-公示.docx", "notices/质检中心-第一党支部-公示.html"} <= set(names)
    assert names == sorted(p.relative_to(b).as_posix() for p in b.rglob("*")
                           if p.is_file() and p.name != "manifest.json")
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_blank_item_makes_member_incomplete(tmp_path: Path, issued: dict[str, Path], runner: CliRunner) -> None:
    inbox = _returned(tmp_path, issued)
    member = dict(BRANCH_ONE)
    member["1002"] = member_weighted([4] * 19 + [None], [80, 85, 82.5], 82, [80] * 5)  # 5.4 left blank
    fill(issued["第一党支部"], by_sheet(member), inbox / "第一党支部.xlsx")
    code, _ = _run(runner, inbox, tmp_path / "out")
    assert code == 3
    folder = tmp_path / "out" / "member-weighted" / "2026Q4"
    row = next(r for r in _csv(folder / "results.csv") if r[3] == "1002")
    assert row[5:11] == ["", "", "", "", "incomplete", "“自评”表第 7 行有错误"]
    problems = [p[:6] for p in _csv(folder / "problems.csv")[1:] if p[4] == "error"]
    assert problems == [["第一党支部.xlsx", "自评", "V7", "1002 王芳", "error",
                         "“5.4”未填写，该人员暂不评定；请补填分数（留空不会按 0 分计算）"]]
    # a list with someone missing is not posted; the other branch's notice is
    assert not (folder / "notices" / "质检中心-第一党支部-公示.html").exists()
    assert (folder / "notices" / "质检中心-第二党支部-公示.html").exists()


def test_zero_is_a_score_and_blank_ballots_are_not(tmp_path: Path, issued: dict[str, Path],
                                                   runner: CliRunner) -> None:
    """2001's 互评 [0, 90] = 45 (a zero counts) and [None, 90] = 90 (a blank doesn't)."""
    inbox = tmp_path / "input"
    inbox.mkdir()
    two = dict(BRANCH_TWO)
    two["2001"] = member_weighted([4.5] * 20, [0, 90], 85.5, [None, 90])
    two["2002"] = member_weighted([4] * 20, [None, 90], 70, [90])
    fill(issued["第二党支部"], by_sheet(two), inbox / "b2.xlsx")
    _run(runner, inbox, tmp_path / "out")
    rows = {r[3]: r for r in _csv(tmp_path / "out" / "member-weighted" / "2026Q4" / "results.csv")[1:]}
    assert rows["2001"][15] == "45.00"
    assert rows["2002"][15] == "90.00"


def test_member_without_any_ballot_is_incomplete(tmp_path: Path, issued: dict[str, Path],
                                                 runner: CliRunner) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir()
    two = dict(BRANCH_TWO)
    two["2002"] = member_weighted([4] * 20, [], 70, [90])
    fill(issued["第二党支部"], by_sheet(two), inbox / "b2.xlsx")
    code, _ = _run(runner, inbox, tmp_path / "out")
    assert code == 3
    folder = tmp_path / "out" / "member-weighted" / "2026Q4"
    problems = [p[:6] for p in _csv(folder / "problems.csv")[1:] if p[4] == "error"]
    assert problems == [
        ["b2.xlsx", "互评", "C5:AF5", "2002 周丽", "error", "没有任何一张有效票，该人员暂不评定；请补录选票"],
        # the other branch's form was issued and has not come back (the campaign record knows)
        ["质检中心-第一党支部-member-weighted-2026Q4.xlsx", "", "", "质检中心第一党支部", "error",
         "“质检中心-第一党支部-member-weighted-2026Q4.xlsx”（质检中心第一党支部的表格）尚未交回，表中人员暂不评定；请催交"]]


def test_out_of_range_and_text_are_problems_at_the_cell(tmp_path: Path, issued: dict[str, Path],
                                                        runner: CliRunner) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir()
    two = dict(BRANCH_TWO)
    two["2001"] = member_weighted([4.5] * 20, [900, 90], 85.5, [90])
    two["2002"] = member_weighted([4] * 20, [90], "优秀", [90])
    fill(issued["第二党支部"], by_sheet(two), inbox / "b2.xlsx")
    code, _ = _run(runner, inbox, tmp_path / "out")
    assert code == 3
    folder = tmp_path / "out" / "member-weighted" / "2026Q4"
    problems = [p[:6] for p in _csv(folder / "problems.csv")[1:] if p[4] == "error" and p[0] == "b2.xlsx"]
    assert problems == [
        ["b2.xlsx", "互评", "C4", "2001 黄强", "error", "分数 900 超出范围，应在 0 到 100 之间，请核对"],
        ["b2.xlsx", "领导点评", "C5", "2002 周丽", "error", "“优秀”不是数字，请改为 0–100 之间的数字"],
    ]


def test_no_input_is_a_user_mistake(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["run", "--input", str(tmp_path / "nothing"), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output == f"错误：{tmp_path / 'nothing'}: 找不到输入文件夹，请把收回的表格放进该文件夹，或用 --input 指定\n"
