"""branch-five-stars: five named stars, each earned only when every item passes.

Hand calculation (上级评定 checklist decides each star; 战斗堡垒星 also needs the survey's
satisfaction rate (满意 + 基本满意) ÷ valid ≥ 85 %, 废票 not valid, 不了解 valid):

=====  ===================================  ==========================================  =====
支部    上级评定                              测评 (发放 满意 基本 不满意 不了解 废票)        stars
=====  ===================================  ==========================================  =====
FG01   all 是                                 50: 40 5 3 2 0 → 45/50 = 90 %               5
FG02   4.2 否 → no 活动开展星                  40: 30 4 4 2 0 → 34/40 = 85 % (just)       4
FG03   all 是                                 43: 30 3 5 2 3 → 33/40 = 82.5 % → no 战斗堡垒星  4
TJ01   all 是                                 survey workbook not returned → incomplete    —
=====  ===================================  ==========================================  =====
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clerk import fill, ids_of, issue, read_csv, results_by_id, return_forms, run

ROSTER = """单位,支部,支部编号,编号,姓名,直属
发改委机关党委,第一党支部,FG01,1,甲,否
发改委机关党委,第二党支部,FG02,2,乙,否
发改委机关党委,第三党支部,FG03,3,丙,否
统计局党支部,统计局党支部,TJ01,4,丁,是
"""
CODES = [f"{a}.{i}" for a in range(1, 6) for i in range(1, 4)]
ALL_YES = {c: "是" for c in CODES}
SURVEY = {
    "FG01": {"发放": 50, "满意": 40, "基本满意": 5, "不满意": 3, "不了解": 2, "废票": 0},
    "FG02": {"发放": 40, "满意": 30, "基本满意": 4, "不满意": 4, "不了解": 2, "废票": 0},
    "FG03": {"发放": 43, "满意": 30, "基本满意": 3, "不满意": 5, "不了解": 2, "废票": 3},
    "TJ01": {"发放": 30, "满意": 30, "基本满意": 0, "不满意": 0, "不了解": 0, "废票": 0},
}
VERDICT = {"FG01": ALL_YES, "FG02": {**ALL_YES, "4.2": "否"}, "FG03": ALL_YES, "TJ01": ALL_YES}


@pytest.fixture
def forms(tmp_path: Path) -> dict[str, Path]:
    return issue(tmp_path, "branch-five-stars", ROSTER, "2026")


def _return(forms: dict[str, Path], inbox: Path, skip: tuple[str, ...] = ()) -> None:
    return_forms(forms, inbox, {
        "支部自评": lambda ids: {"自评": {i: ALL_YES for i in ids}},
        "群众测评": lambda ids: {"测评": {i: SURVEY[i] for i in ids}},
        "": lambda ids: {"上级评定": {i: VERDICT[i] for i in ids}},
    }, skip)


def _run(inbox: Path, out: Path) -> tuple[int, Path]:
    return run(inbox, out, "2027-01-04"), out / "branch-five-stars" / "2026"


def test_forms_are_one_per_branch_for_the_self_evaluation_and_one_per_unit_and_role(forms: dict[str, Path]) -> None:
    branches = [line.split(",")[:2] for line in ROSTER.splitlines()[1:]]
    assert sorted(forms) == sorted([f"{u}-{b}-branch-five-stars-2026-支部自评" for u, b in branches]
                                   + [f"{u}-各支部-branch-five-stars-2026-{role}" for u in ("发改委机关党委", "统计局党支部")
                                      for role in ("群众测评", "上级评定")])
    assert ids_of(forms["发改委机关党委-第二党支部-branch-five-stars-2026-支部自评"]) == [("FG02", "第二党支部")]
    assert ids_of(forms["发改委机关党委-各支部-branch-five-stars-2026-上级评定"]) == [
        ("FG01", "第一党支部"), ("FG02", "第二党支部"), ("FG03", "第三党支部")]


def test_stars_by_all_items_and_a_missing_part(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input", skip=("统计局党支部-各支部-branch-five-stars-2026-群众测评",))
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 3
    rows = results_by_id(folder)
    got = {i: (r["branch"], r["stars"], r["star_names"], r["status"]) for i, r in rows.items()}
    assert got == {
        "FG01": ("第一党支部", "5", "战斗堡垒星、先锋模范星、制度建设星、活动开展星、工作创新星", "rated"),
        "FG02": ("第二党支部", "4", "战斗堡垒星、先锋模范星、制度建设星、工作创新星", "rated"),
        "FG03": ("第三党支部", "4", "先锋模范星、制度建设星、活动开展星、工作创新星", "rated"),
        "TJ01": ("统计局党支部", "", "", "incomplete"),
    }
    assert rows["FG02"]["reason"] == "未获活动开展星：4.2 结合中心工作开展特色活动，党员参与率高 未达标"
    assert rows["FG03"]["reason"] == "未获战斗堡垒星：群众满意率不低于85% 未达标"
    assert rows["TJ01"]["reason"] == "未交回“统计局党支部-各支部-branch-five-stars-2026-群众测评.xlsx”"
    assert rows["FG03"]["测评"] == "82.50"  # satisfaction rate × 100, as published
    problems = read_csv(folder / "problems.csv")
    owing = [p for p in problems if p["code"] == "not-returned"]
    assert [(p["file"], p["entity"], p["severity"]) for p in owing] == [
        ("统计局党支部-各支部-branch-five-stars-2026-群众测评.xlsx", "统计局党支部", "error")]
    assert owing[0]["message"] == ("“统计局党支部-各支部-branch-five-stars-2026-群众测评.xlsx”（统计局党支部的群众测评）"
                                   "尚未交回，表中人员暂不评定；请催交")
    notices = sorted(p.name for p in (folder / "notices").iterdir())
    assert notices == ["发改委机关党委-公示.docx", "发改委机关党委-公示.html"]  # 统计局 and the 通报 wait
    html = (folder / "notices" / "发改委机关党委-公示.html").read_text(encoding="utf-8")
    assert "发改委机关党委2026年度党支部星级评定结果公示" in html
    assert "工作创新星" in html and "82.50" not in html


def test_announcement_lists_only_five_star_branches(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input")
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 0
    html = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
    assert "关于表彰2026年度五星级党支部和晋星党支部的通报" in html
    assert "第一党支部" in html and "统计局党支部" in html
    assert "第二党支部" not in html and "第三党支部" not in html


def test_tallies_must_add_up_to_ballots_issued(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input")
    survey = "统计局党支部-各支部-branch-five-stars-2026-群众测评"
    bad = {**SURVEY["TJ01"], "发放": 31}
    fill(forms[survey], {"测评": {"TJ01": bad}}, tmp_path / "input" / f"{survey}.xlsx")
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 3
    [p] = [p for p in read_csv(folder / "problems.csv") if p["severity"] == "error"]
    assert (p["code"], p["sheet"], p["cell"], p["entity"]) == ("tally-mismatch", "测评", "D4:H4", "TJ01 统计局党支部")
    assert p["message"] == "各项票数合计 30 与发放票数 31 不符，请核对"


def test_two_different_verdicts_for_a_unit_conflict(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input")
    verdict = "发改委机关党委-各支部-branch-five-stars-2026-上级评定"
    changed = {"上级评定": {"FG01": {**ALL_YES, "1.1": "否"}, "FG02": VERDICT["FG02"], "FG03": ALL_YES}}
    fill(forms[verdict], changed, tmp_path / "input" / "上级评定(更正).xlsx")
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 3
    rows = results_by_id(folder)
    assert [rows[i]["status"] for i in ("FG01", "FG02", "FG03", "TJ01")] == ["incomplete"] * 3 + ["rated"]
    assert rows["FG01"]["reason"] == "“上级评定”表有两份不同的文件"
    conflicts = [p for p in read_csv(folder / "problems.csv") if p["code"] == "conflicting-submission"]
    assert sorted(p["file"] for p in conflicts) == sorted([f"{verdict}.xlsx", "上级评定(更正).xlsx"])
