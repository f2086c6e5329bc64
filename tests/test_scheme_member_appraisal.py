"""民主评议党员 (member-appraisal): tallies → proposed grade → the branch decides → 公示 of 优秀,
internal list, 年报.

Hand-worked, 2026. Each tally: 发放 10; votes 优秀 / 合格 / 基本合格 / 不合格 / 弃权. Shares are over the
valid votes (the grades' sum; 弃权 is not valid). Tests in order: 不合格 > 1/2; 基本合格 + 不合格 > 1/2;
优秀 > 1/2 and within the cap; otherwise 合格. "> 1/2" is strictly more than half.

区财政局 机关第一党支部: 8 members, 周敏 不参评 → N = 7, cap ⌊7/3⌋ = 2 优秀.

====  ======  ============  =====  ==========================================================  ========  ==========
id    name    votes         valid  why                                                         proposed  decided
====  ======  ============  =====  ==========================================================  ========  ==========
CZ01  张建国  9 1 0 0 0     10     优秀 9/10 = 90 %, first of the candidates                   优秀      优秀
CZ02  李秀英  8 2 0 0 0     10     优秀 8/10 = 80 %, tied with 王志刚 across the line          合格      合格
CZ03  王志刚  4 1 0 0 5     5      优秀 4/5 = 80 % (the 5 弃权 are not valid): the tie → none  合格      合格
CZ04  赵丽    2 2 1 5 0     10     不合格 5/10 = exactly 1/2, not more; 基本合格 + 不合格 6/10   基本合格  基本合格
CZ05  刘洋    1 4 3 2 0     10     基本合格 + 不合格 5/10 = exactly 1/2, not more; 优秀 1/10    合格      基本合格 (理由)
CZ06  陈静    0 2 2 6 0     10     不合格 6/10 > 1/2                                           不合格    不合格, 需组织处置
CZ07  杨磊    5 5 0 0 0     10     优秀 5/10 = exactly 1/2, not more                           合格      优秀 (理由)
CZ08  周敏    (blank)              不参评（2026年9月调往区税务局）: not in N                     —         excluded
====  ======  ============  =====  ==========================================================  ========  ==========

Decided 优秀: 张建国 and 杨磊 = 2 ≤ 2, so the branch's upgrade stands.

区财政局 机关第二党支部: N = 3, cap 1. 孙浩 7/10 优秀; 钱梅 6/10 also > 1/2 but second: 合格 (按得票率
排序未进入名额); 吴刚 合格.
区审计局 机关党支部: N = 2, cap ⌊2/3⌋ = 0: 郑伟 10/10 优秀 still proposed 合格; no 公示 there.

年报: 第一支部 参加评议 7 = 优秀 2 + 合格 2 + 基本合格 2 + 不合格 1, 不参评 1; 第二支部 3 = 1 + 2;
审计局 2 = 0 + 2; 区财政局 10 = 3 + 4 + 2 + 1, 不参评 1; in total 12 = 3 + 6 + 2 + 1, 不参评 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from clerk import fill, issue, read_csv, results_by_id, run, settle, words
from click.testing import CliRunner
from openpyxl import load_workbook

from process import cli

SCHEME = "member-appraisal"
ROSTER = """单位,支部,编号,姓名,身份
区财政局,机关第一党支部,CZ01,张建国,正式党员
区财政局,机关第一党支部,CZ02,李秀英,正式党员
区财政局,机关第一党支部,CZ03,王志刚,正式党员
区财政局,机关第一党支部,CZ04,赵丽,正式党员
区财政局,机关第一党支部,CZ05,刘洋,预备党员
区财政局,机关第一党支部,CZ06,陈静,正式党员
区财政局,机关第一党支部,CZ07,杨磊,正式党员
区财政局,机关第一党支部,CZ08,周敏,正式党员
区财政局,机关第二党支部,CZ11,孙浩,正式党员
区财政局,机关第二党支部,CZ12,钱梅,正式党员
区财政局,机关第二党支部,CZ13,吴刚,正式党员
区审计局,机关党支部,SJ01,郑伟,正式党员
区审计局,机关党支部,SJ02,冯娟,正式党员
"""
GRADES = ["优秀", "合格", "基本合格", "不合格"]
ONE, TWO, AUDIT = ("区财政局-机关第一党支部", "区财政局-机关第二党支部", "区审计局-机关党支部")
UPGRADE = "年内获评市级优秀共产党员，支部党员大会研究评定为优秀"
DOWNGRADE = "全年三次无故不参加组织生活，支部党员大会研究评定为基本合格"

VOTES = {
    ONE: {"CZ01": [9, 1, 0, 0, 0], "CZ02": [8, 2, 0, 0, 0], "CZ03": [4, 1, 0, 0, 5], "CZ04": [2, 2, 1, 5, 0],
          "CZ05": [1, 4, 3, 2, 0], "CZ06": [0, 2, 2, 6, 0], "CZ07": [5, 5, 0, 0, 0]},
    TWO: {"CZ11": [7, 3, 0, 0, 0], "CZ12": [6, 4, 0, 0, 0], "CZ13": [0, 10, 0, 0, 0]},
    AUDIT: {"SJ01": [10, 0, 0, 0, 0], "SJ02": [2, 8, 0, 0, 0]},
}
DECISIONS = {
    ONE: {"CZ05": {"评定等次": "基本合格", "理由": DOWNGRADE}, "CZ07": {"评定等次": "优秀", "理由": UPGRADE},
          "CZ08": {"不参评": "是", "不参评原因": "2026年9月调往区税务局"}},
}


def tally(votes: list[int | None], issued: int | None = 10, grades: list[str] = GRADES) -> dict[str, Any]:
    return {"发放": issued, **dict(zip([*grades, "弃权"], votes, strict=True))}


def returned(forms: dict[str, Path], inbox: Path, votes: dict[str, dict[str, list[Any]]] = VOTES,
             decisions: dict[str, dict[str, dict[str, Any]]] = DECISIONS) -> Path:
    """Every branch's workbook typed in and saved into ``inbox``."""
    inbox.mkdir(parents=True, exist_ok=True)
    for branch, people in votes.items():
        path = forms[f"{branch}-{SCHEME}-2026"]
        fill(path, {"党员互评": {i: tally(v) for i, v in people.items()},
                    "支部评定": decisions.get(branch, {})}, inbox / path.name)
    settle(next(iter(forms.values())).parent, inbox)  # the clerk's settings: a phone for objections
    return inbox


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("appraisal-forms")
    last_year = folder / "2025年民主评议结果.csv"  # kept before the tool: imported into the module's record
    last_year.write_text("编号,姓名,等次\nCZ04,赵丽,不合格\nCZ06,陈静,不合格\nCZ01,张建国,优秀\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["history", "import", str(last_year), "--scheme", SCHEME, "--period", "2025"])
    assert result.exit_code == 0, result.output
    return issue(folder, SCHEME, ROSTER, "2026")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, forms: dict[str, Path]) -> Path:
    tmp = tmp_path_factory.mktemp("appraisal")
    result = CliRunner().invoke(cli, ["run", "--input", str(returned(forms, tmp / "input")), "--output",
                                      str(tmp / "output"), "--publicity-start", "2026-12-01"])  # the module's record
    assert result.exit_code == 0, result.output  # a tie across the cap line is a warning, not an error
    return tmp / "output" / SCHEME / "2026"


EXPECTED = {
    # id: (proposed_grade, grade, status, reason, actions)
    "CZ01": ("优秀", "优秀", "rated", "优秀得票率90.0%，超过1/2", ""),
    "CZ02": ("合格", "合格", "rated", "优秀得票率80.0%，本支部优秀名额2个（参加评议7人的1/3，向下取整），与他人并列于名额线，"
                                     "宁缺勿滥，未提出为优秀", ""),
    "CZ03": ("合格", "合格", "rated", "优秀得票率80.0%，本支部优秀名额2个（参加评议7人的1/3，向下取整），与他人并列于名额线，"
                                     "宁缺勿滥，未提出为优秀", ""),
    "CZ04": ("基本合格", "基本合格", "rated", "基本合格+不合格得票率60.0%，超过1/2", "不合格后基本合格"),  # 2025: 不合格
    "CZ05": ("合格", "基本合格", "rated", f"建议等次合格，支部评定为基本合格（理由：{DOWNGRADE}）", ""),
    "CZ06": ("不合格", "不合格", "rated", "不合格得票率60.0%，超过1/2", "需组织处置、连续不合格"),  # 2025 too
    "CZ07": ("合格", "优秀", "rated", f"建议等次合格，支部评定为优秀（理由：{UPGRADE}）", ""),
    "CZ08": ("", "", "excluded", "不参评（2026年9月调往区税务局）", ""),
    "CZ11": ("优秀", "优秀", "rated", "优秀得票率70.0%，超过1/2", ""),
    "CZ12": ("合格", "合格", "rated", "优秀得票率60.0%，本支部优秀名额1个（参加评议3人的1/3，向下取整），按得票率排序未进入名额", ""),
    "CZ13": ("合格", "合格", "rated", "", ""),
    "SJ01": ("合格", "合格", "rated", "优秀得票率100.0%，本支部优秀名额0个（参加评议2人的1/3，向下取整），按得票率排序未进入名额", ""),
    "SJ02": ("合格", "合格", "rated", "", ""),
}


def test_grades_are_proposed_by_the_votes_and_decided_by_the_branch(published: Path) -> None:
    rows = results_by_id(published)
    got = {i: (r["proposed_grade"], r["grade"], r["status"], r["reason"], r["actions"]) for i, r in rows.items()}
    assert got == EXPECTED
    header = list(next(iter(rows.values())))
    assert header[header.index("grade") - 1] == "proposed_grade"  # just before the decided grade
    assert all(r["score"] == "" and r["stars"] == "" for r in rows.values())


def test_a_tie_across_the_cap_line_is_a_warning(published: Path) -> None:
    problems = read_csv(published / "problems.csv")
    assert [(p["entity"], p["severity"], p["code"], p["message"]) for p in problems] == [
        ("区财政局机关第一党支部", "warning", "grade-cap-tie",
         "区财政局机关第一党支部优秀名额 2 个，李秀英、王志刚的得票率同为 80.0%、并列于名额线，宁缺勿滥，均未提出为优秀；"
         "如需调整，请由支部研究后在“评定等次”中写明理由")]


def test_the_notice_lists_excellent_only_and_never_votes(published: Path) -> None:
    notices = sorted(p.name for p in (published / "notices").glob("*.html"))
    assert notices == ["区财政局-机关第一党支部-公示.html", "区财政局-机关第二党支部-公示.html", "通报.html"]  # none for 审计局
    text = words(published / "notices" / "区财政局-机关第一党支部-公示.html")
    assert "区财政局机关第一党支部2026年度民主评议党员优秀等次公示" in text
    assert "1 张建国 优秀" in text and "2 杨磊 优秀" in text
    for name in ("李秀英", "王志刚", "赵丽", "刘洋", "陈静", "周敏"):
        assert name not in text
    assert "得票" not in text and "%" not in text and "理由" not in text and "基本合格" not in text
    assert "（5天）" in text
    announcement = words(published / "notices" / "通报.html")
    assert "关于2026年度民主评议党员优秀等次的通报" in announcement
    for name in ("张建国", "杨磊", "孙浩"):
        assert f"{name} 优秀" in announcement
    assert "郑伟" not in announcement and "不合格" not in announcement


def test_the_internal_document_lists_the_low_grades_and_the_overrides(published: Path) -> None:
    text = words(published / "internal" / "内部名单.html")
    assert "仅供党组织内部掌握" in text
    # grouped by list, each with its count, in columns 序号 单位 支部 姓名 等次 (说明 / 处理)
    assert "不合格后基本合格（1名） 序号 单位 支部 姓名 等次 1 区财政局 机关第一党支部 赵丽 基本合格" in text
    assert ("基本合格（1名） 序号 单位 支部 姓名 等次 说明 1 区财政局 机关第一党支部 刘洋 基本合格 "
            f"建议等次合格，支部评定为基本合格，理由：{DOWNGRADE}") in text
    assert ("评定等次与票决建议不同（1名） 序号 单位 支部 姓名 等次 说明 1 区财政局 机关第一党支部 杨磊 优秀 "
            f"建议等次合格，支部评定为优秀，理由：{UPGRADE}") in text
    assert "需组织处置（1名） 序号 单位 支部 姓名 等次 处理 1 区财政局 机关第一党支部 陈静 不合格" in text
    for name in ("张建国", "李秀英", "王志刚", "周敏", "孙浩", "郑伟"):
        assert name not in text
    public = " ".join(words(p) for p in (published / "notices").glob("*.html"))
    assert "需组织处置" not in public and DOWNGRADE not in public


def test_the_annual_return_counts(published: Path) -> None:
    ws = load_workbook(published / "results.xlsx")["年报"]
    rows = [tuple(c for c in r if c is not None) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ("民主评议党员　2026年度评定结果　　2026年12月1日",)  # the title row, then the tables
    assert rows[1:] == [
        ("单位", "支部", "参加评议人数", "优秀", "合格", "基本合格", "不合格", "不参评"),
        ("区审计局", "机关党支部", 2, 0, 2, 0, 0, 0),
        ("区财政局", "机关第一党支部", 7, 2, 2, 2, 1, 1),
        ("区财政局", "机关第二党支部", 3, 1, 2, 0, 0, 0),
        ("合计", 12, 3, 6, 2, 1, 1),
        (),
        ("单位", "参加评议人数", "优秀", "合格", "基本合格", "不合格", "不参评"),
        ("区审计局", 2, 0, 2, 0, 0, 0),
        ("区财政局", 10, 3, 4, 2, 1, 1),
        ("合计", 12, 3, 6, 2, 1, 1),
    ]
    assert load_workbook(published / "results.xlsx").sheetnames == ["评定结果", "统计", "年报", "问题清单"]


def test_forms_have_the_tally_the_decision_and_a_ballot_to_print(forms: dict[str, Path]) -> None:
    described = CliRunner().invoke(cli, ["describe", "--scheme", SCHEME, "--json"])
    d = json.loads(described.output)
    assert [(c["sheet"], c["kind"], [col["header"] for col in c["columns"]]) for c in d["components"]] == [
        ("党员互评", "grade_votes", ["发放", *GRADES, "弃权"]),
        ("支部评定", "flags", ["评定等次", "理由", "不参评", "不参评原因"])]
    assert d["components"][1]["columns"][0]["choices"] == GRADES
    wb = load_workbook(forms[f"{ONE}-{SCHEME}-2026"])
    assert wb.sheetnames == ["说明", "党员互评", "支部评定", "测评票", "_roster", "_meta"]
    ballot = [r for r in wb["测评票"].iter_rows(values_only=True)]
    assert ballot[0][0] == "区财政局机关第一党支部2026年度民主评议党员测评票"
    assert ballot[2] == ("序号", "姓名", *GRADES)
    assert ballot[3] == (1, "张建国", "□", "□", "□", "□") and len(ballot) == 3 + 8
    assert wb["测评票"].protection.sheet and wb["测评票"].page_setup.paperSize == 9
    guide = " ".join(str(c.value) for c in wb["说明"]["A"] if c.value)
    assert "【测评票】打印后发给参加评议的党员" in guide


def test_a_ticked_ballot_sheet_is_never_read(tmp_path: Path, forms: dict[str, Path]) -> None:
    """The 测评票 is for paper: whatever is typed into it changes nothing."""
    inbox = returned(forms, tmp_path / "input")
    path = inbox / forms[f"{ONE}-{SCHEME}-2026"].name
    wb = load_workbook(path)
    wb["测评票"]["C4"] = "√"
    wb["测评票"]["D5"] = "abc"
    wb.save(path)
    assert run(inbox, tmp_path / "out", "2026-12-01") == 0
    rows = results_by_id(tmp_path / "out" / SCHEME / "2026")
    assert {i: (r["proposed_grade"], r["grade"], r["status"], r["reason"], r["actions"]) for i, r in rows.items()} == EXPECTED


# ----------------------------------------------------------------------------- bad input: each at its cell


def _bad(tmp_path: Path, forms: dict[str, Path], votes: dict[str, list[Any]] | None = None,
         decisions: dict[str, dict[str, Any]] | None = None, issued: dict[str, Any] | None = None
         ) -> tuple[int, Path, dict[str, dict[str, str]], list[tuple[str, ...]]]:
    """The first branch returned with ``votes`` and ``decisions`` changed; the others as above."""
    people = {**VOTES[ONE], **(votes or {})}
    inbox = tmp_path / "input"
    returned(forms, inbox, {**VOTES, ONE: people}, {ONE: {**DECISIONS[ONE], **(decisions or {})}})
    if issued:
        fill(inbox / forms[f"{ONE}-{SCHEME}-2026"].name, {"党员互评": {i: {"发放": n} for i, n in issued.items()}})
    code = run(inbox, tmp_path / "out", "2026-12-01")  # the working folder's record, where the forms were issued
    folder = tmp_path / "out" / SCHEME / "2026"
    problems = [(p["file"], p["sheet"], p["cell"], p["entity"], p["severity"], p["code"], p["message"])
                for p in read_csv(folder / "problems.csv") if p["code"] != "grade-cap-tie"]
    return code, folder, results_by_id(folder), problems


FILE = f"{ONE}-{SCHEME}-2026.xlsx"
WITHHELD = ("", "", "", "区财政局机关第一党支部", "warning", "notice-withheld",
            "区财政局机关第一党支部尚有人员评定不完整，暂不生成公示；补全表格后重新运行即可")
NO_ANNOUNCEMENT = ("", "", "", "", "warning", "notice-withheld", "尚有评定不完整的对象，暂不生成通报；补全表格后重新运行即可")


def _withheld(code: int, folder: Path) -> None:
    assert code == 3
    notices = sorted(p.name for p in (folder / "notices").glob("*.html"))
    assert notices == ["区财政局-机关第二党支部-公示.html"]  # the first branch's withheld; no 通报 yet


def test_votes_that_are_not_whole_numbers(tmp_path: Path, forms: dict[str, Path]) -> None:
    code, folder, rows, problems = _bad(tmp_path, forms, votes={"CZ04": [2, 2.5, 1, 5, 0]})
    assert problems == [WITHHELD, NO_ANNOUNCEMENT,
        (FILE, "党员互评", "E7", "CZ04 赵丽", "error", "not-a-count", "“2.5”不是人数或票数，请填写 0 或正整数")]
    assert (rows["CZ04"]["status"], rows["CZ04"]["grade"], rows["CZ04"]["reason"]) == (
        "incomplete", "", "“党员互评”表第 7 行有错误")
    _withheld(code, folder)


def test_more_votes_than_ballots_issued(tmp_path: Path, forms: dict[str, Path]) -> None:
    code, folder, rows, problems = _bad(tmp_path, forms, votes={"CZ02": [8, 2, 0, 0, 1]})
    assert problems == [WITHHELD, NO_ANNOUNCEMENT,
        (FILE, "党员互评", "D5:H5", "CZ02 李秀英", "error", "votes-exceed-issued",
         "各等次票数与弃权合计 11 超过发放票数 10，该党员暂不评定；请核对（作废或未收回的票不计入任何一栏）")]
    assert rows["CZ02"]["status"] == "incomplete"
    _withheld(code, folder)


def test_no_valid_vote(tmp_path: Path, forms: dict[str, Path]) -> None:
    code, folder, rows, problems = _bad(tmp_path, forms, votes={"CZ05": [0, 0, 0, 0, 10]})  # all 弃权
    assert problems == [WITHHELD, NO_ANNOUNCEMENT,
        (FILE, "党员互评", "D8:G8", "CZ05 刘洋", "error", "no-ballots",
         "各等次票数都是 0（弃权不是有效票），无法提出建议等次，该党员暂不评定；请核对票数")]
    assert rows["CZ05"]["status"] == "incomplete"
    _withheld(code, folder)


def test_a_blank_count_is_not_zero(tmp_path: Path, forms: dict[str, Path]) -> None:
    code, folder, rows, problems = _bad(tmp_path, forms, votes={"CZ06": [0, 2, 2, None, 0]})
    assert problems == [WITHHELD, NO_ANNOUNCEMENT,
        (FILE, "党员互评", "G9", "CZ06 陈静", "error", "blank-cell",
         "“不合格”未填写，该人员暂不评定；请填写人数或票数（没有请填 0）")]
    _withheld(code, folder)


def test_a_decision_that_is_not_a_grade(tmp_path: Path, forms: dict[str, Path]) -> None:
    code, folder, rows, problems = _bad(tmp_path, forms, decisions={"CZ02": {"评定等次": "良好", "理由": "表现良好"}})
    assert problems == [WITHHELD, NO_ANNOUNCEMENT,
        (FILE, "支部评定", "C5", "CZ02 李秀英", "error", "invalid-choice",
         "“良好”不是可选项，请填写 优秀/合格/基本合格/不合格")]
    assert (rows["CZ02"]["proposed_grade"], rows["CZ02"]["status"]) == ("合格", "incomplete")  # the votes still propose
    _withheld(code, folder)


def test_a_decision_without_a_reason(tmp_path: Path, forms: dict[str, Path]) -> None:
    code, folder, rows, problems = _bad(tmp_path, forms, decisions={"CZ05": {"评定等次": "基本合格", "理由": None}})
    assert problems == [WITHHELD, NO_ANNOUNCEMENT,
        (FILE, "支部评定", "D8", "CZ05 刘洋", "error", "grade-no-reason",
         "评定等次“基本合格”与票决的建议等次“合格”不同，但“理由”未填写，该党员暂不评定；"
         "请写明理由（如支部党员大会的研究意见），或清空评定等次按建议等次评定")]
    assert (rows["CZ05"]["proposed_grade"], rows["CZ05"]["grade"], rows["CZ05"]["status"], rows["CZ05"]["reason"]) == (
        "合格", "", "incomplete", "评定等次“基本合格”与建议等次“合格”不同，未写理由")
    _withheld(code, folder)


def test_a_decision_equal_to_the_proposal_needs_no_reason(tmp_path: Path, forms: dict[str, Path]) -> None:
    code, _, rows, problems = _bad(tmp_path, forms, decisions={"CZ06": {"评定等次": "不合格"}, "CZ01": {"评定等次": "优秀"}})
    assert code == 0 and problems == []
    assert (rows["CZ06"]["grade"], rows["CZ06"]["reason"]) == ("不合格", "不合格得票率60.0%，超过1/2")


def test_excellent_above_the_cap_withholds_the_notice(tmp_path: Path, forms: dict[str, Path]) -> None:
    """张建国 (proposed), 杨磊 and 李秀英 (decided, with reasons): 3 优秀 > ⌊7/3⌋ = 2."""
    code, folder, rows, problems = _bad(tmp_path, forms, decisions={"CZ02": {"评定等次": "优秀", "理由": "群众公认"}})
    over = "区财政局机关第一党支部评定为优秀的有 3 人，超过名额 2 人（参加评议 7 人的 1/3，向下取整），该支部暂不公示；请核减优秀人数"
    assert problems == [WITHHELD, NO_ANNOUNCEMENT,
        (FILE, "支部评定", "C5", "CZ02 李秀英", "error", "grade-over-cap", over),
        (FILE, "支部评定", "C10", "CZ07 杨磊", "error", "grade-over-cap", over)]
    assert {i: (r["grade"], r["status"]) for i, r in rows.items() if i in ("CZ01", "CZ02", "CZ07")} == {
        "CZ01": ("优秀", "rated"), "CZ02": ("", "incomplete"), "CZ07": ("", "incomplete")}
    assert rows["CZ02"]["reason"].endswith("本支部评定为优秀的3人，超过名额2人")
    _withheld(code, folder)


def test_not_taking_part_needs_a_reason(tmp_path: Path, forms: dict[str, Path]) -> None:
    code, folder, rows, problems = _bad(tmp_path, forms, decisions={"CZ08": {"不参评": "是", "不参评原因": None}})
    assert (FILE, "支部评定", "F11", "CZ08 周敏", "error", "exclude-no-reason",
            "“不参评”选了“是”，但“不参评原因”未填写，该党员暂不评定；请写明不参评的原因（如调出、年老体弱、长期外出）"
            ) in problems
    assert rows["CZ08"]["status"] == "incomplete"
    _withheld(code, folder)


def test_the_cap_counts_only_those_taking_part(tmp_path: Path, forms: dict[str, Path]) -> None:
    """周敏 voted on after all (not 不参评): N = 8 → cap still ⌊8/3⌋ = 2. With 陈静 and 刘洋 also 不参评, N = 5 →
    cap ⌊5/3⌋ = 1: 张建国 proposed, and the branch's 杨磊 is one too many."""
    people = {"CZ08": [1, 9, 0, 0, 0]}
    code, _, rows, _ = _bad(tmp_path / "a", forms, votes=people, decisions={"CZ08": {"不参评": "否"}})
    assert code == 0 and rows["CZ08"]["grade"] == "合格" and "参加评议8人的1/3" in rows["CZ02"]["reason"]
    out = {"CZ05": {"不参评": "是", "不参评原因": "长期外出务工"}, "CZ06": {"不参评": "是", "不参评原因": "年老体弱"}}
    code, _, rows, problems = _bad(tmp_path / "b", forms, decisions=out)
    assert code == 3
    assert [(p[2], p[5]) for p in problems if p[4] == "error"] == [("C10", "grade-over-cap")]
    assert "参加评议5人的1/3" in rows["CZ02"]["reason"] and "优秀名额1个" in rows["CZ02"]["reason"]
    assert (rows["CZ05"]["status"], rows["CZ06"]["status"]) == ("excluded", "excluded")
