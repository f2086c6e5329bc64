"""pioneer-flag: one 先锋旗 per period to the top eligible branch; a full tie awards nobody (a warning).

Hand calculation (score = sum of the 党总支's 综合评定 items, published to 2 decimals; eligible
when (满意 + 基本满意) ÷ valid ≥ 85 %, 废票 not valid, 不了解 valid, and no 否决情形; the top
eligible published score wins, then the higher satisfaction rate):

====  ============================  ======  =============================================  ========
支部   综合评定 (off full marks)         shown   测评 发放: 满意 基本 不满意 不了解 废票 → rate      outcome
====  ============================  ======  =============================================  ========
SW01  1.1 = 2 (−2)                   98.00   100: 70 14 10 6 0 → 84/100 = 84 %              ineligible (top scorer, < 85 %)
SW02  1.1 = 0, 1.2 = 3 (−5)          95.00    52: 40 5 4 1 2 → 45/50 = 90 %                 先锋旗
SW03  1.1 = 0, 1.2 = 2.995 (−5.005)  95.00    50: 38 6 5 1 0 → 44/50 = 88 %                 second (same published score, lower rate)
SW04  1.1 = 0 (−4)                   96.00    40: 40 0 0 0 0 → 100 %                        ineligible (发生否决情形 = 是)
SW05  area 1 all 0 (−20)             80.00    42: 30 4 4 2 2 → 34/40 = 85 % (just)          eligible, lower
TJ01  2.1 = 2.2 = 0, 2.3 = 2 (−10)   90.00    30: 27 3 0 0 0 → 100 %                        eligible, lower

Tie: SW03's survey becomes 50: 40 5 4 1 0 → 45/50 = 90 %; SW02 and SW03 now agree on the published
score (95.00, though SW03's exact total is 94.995) and on the rate: nobody gets the flag.
====  ============================  ======  =============================================  ========
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clerk import issue, read_csv, results_by_id, return_forms, run

ROSTER = """单位,支部,支部编号,编号,姓名
区商务局党总支,机关第一党支部,SW01,1,甲
区商务局党总支,机关第二党支部,SW02,2,乙
区商务局党总支,百货公司党支部,SW03,3,丙
区商务局党总支,流动党员党支部,SW04,4,丁
区商务局党总支,老干部党支部,SW05,5,戊
区统计局党支部,区统计局党支部,TJ01,6,己
"""
MAXES = dict(zip([f"{a}.{i}" for a, n in enumerate((5, 5, 5, 6, 5), 1) for i in range(1, n + 1)],
                 [4] * 15 + [3, 3, 3, 4, 3, 4] + [4] * 5, strict=False))
FULL = dict(MAXES)
SCORES = {
    "SW01": {**FULL, "1.1": 2},
    "SW02": {**FULL, "1.1": 0, "1.2": 3},
    "SW03": {**FULL, "1.1": 0, "1.2": 2.995},
    "SW04": {**FULL, "1.1": 0},
    "SW05": {**FULL, **{f"1.{i}": 0 for i in range(1, 6)}},
    "TJ01": {**FULL, "2.1": 0, "2.2": 0, "2.3": 2},
}
HEADS = ("发放", "满意", "基本满意", "不满意", "不了解", "废票")
SURVEY = {
    "SW01": (100, 70, 14, 10, 6, 0),
    "SW02": (52, 40, 5, 4, 1, 2),
    "SW03": (50, 38, 6, 5, 1, 0),
    "SW04": (40, 40, 0, 0, 0, 0),
    "SW05": (42, 30, 4, 4, 2, 2),
    "TJ01": (30, 27, 3, 0, 0, 0),
}
TIE = {**SURVEY, "SW03": (50, 40, 5, 4, 1, 0)}
VETO = {"SW04": {"发生否决情形": "是", "情况说明": "发生一起较大安全事故"}}


@pytest.fixture
def forms(tmp_path: Path) -> dict[str, Path]:
    return issue(tmp_path, "pioneer-flag", ROSTER, "2026Q4")


def _return(forms: dict[str, Path], inbox: Path, survey: dict = SURVEY, skip: tuple[str, ...] = ()) -> None:
    return_forms(forms, inbox, {
        "支部自评": lambda ids: {"自评": {i: FULL for i in ids}},
        "群众测评": lambda ids: {"测评": {i: dict(zip(HEADS, survey[i], strict=False)) for i in ids}},
        "": lambda ids: {"综合评定": {i: SCORES[i] for i in ids}, "评定意见": {i: VETO[i] for i in ids if i in VETO}},
    }, skip)


def _run(inbox: Path, out: Path) -> tuple[int, Path]:
    return run(inbox, out, "2027-01-04"), out / "pioneer-flag" / "2026Q4"


def test_flag_to_the_top_eligible_branch_and_a_missing_part(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input", skip=("区统计局党支部-各支部-pioneer-flag-2026Q4-群众测评",))
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 3
    rows = results_by_id(folder)
    got = {i: (r["score"], r["stars"], r["grade"], r["status"], r["reason"]) for i, r in rows.items()}
    assert got == {
        "SW01": ("98.00", "", "", "rated", "不具备先锋旗评选条件：群众满意率达85%以上"),
        "SW02": ("95.00", "", "先锋旗", "rated", ""),
        "SW03": ("95.00", "", "", "rated", ""),
        "SW04": ("96.00", "", "", "rated", "不具备先锋旗评选条件：未发生违纪违法、重大安全事故、群体性事件等否决情形"),
        "SW05": ("80.00", "", "", "rated", ""),
        "TJ01": ("", "", "", "incomplete", "未交回“区统计局党支部-各支部-pioneer-flag-2026Q4-群众测评.xlsx”"),
    }
    assert rows["SW01"]["测评"] == "84.00" and rows["SW05"]["测评"] == "85.00"
    notices = sorted(p.name for p in (folder / "notices").iterdir())
    assert notices == ["区商务局党总支-公示.docx", "区商务局党总支-公示.html"]  # 统计局 and the 通报 wait
    html = (folder / "notices" / "区商务局党总支-公示.html").read_text(encoding="utf-8")
    assert "区商务局党总支2026年第四季度先锋旗评定结果公示" in html
    assert "机关第二党支部" in html and "先锋旗" in html
    for score in ("98.00", "95.00", "96.00", "84.00"):
        assert score not in html


def test_announcement_names_the_one_holder(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input")
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 0
    grades = {r["id"]: r["grade"] for r in read_csv(folder / "results.csv")}
    assert [i for i, g in grades.items() if g] == ["SW02"]
    html = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
    assert "关于授予2026年第四季度先锋旗的通报" in html and "先锋旗评定工作领导小组" in html
    assert "机关第二党支部" in html and "区商务局党总支" in html  # two units: the unit is noted
    for other in ("机关第一党支部", "百货公司党支部", "区统计局党支部"):
        assert other not in html


def test_a_tie_awards_nobody_and_the_committee_decides(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input", survey=TIE)
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 0  # clean forms: a full tie is for the committee to decide, not a mistake in a form (issue 13)
    rows = results_by_id(folder)
    assert [i for i, r in rows.items() if r["grade"]] == []
    assert rows["SW02"]["reason"] == "与百货公司党支部并列第一，先锋旗须由党委研究决定"
    assert rows["SW03"]["reason"] == "与机关第二党支部并列第一，先锋旗须由党委研究决定"
    problems = read_csv(folder / "problems.csv")
    tie = [p for p in problems if p["code"] == "award-tie"]
    assert [(p["entity"], p["severity"]) for p in tie] == [("机关第二党支部、百货公司党支部", "warning")]
    assert "请党委研究决定" in tie[0]["message"]
    withheld = [p["message"] for p in problems if p["code"] == "notice-withheld"]
    assert withheld == ["本期没有可列入“关于授予2026年第四季度先锋旗的通报”的对象，暂不生成通报"]
    notices = sorted(p.name for p in (folder / "notices").iterdir())
    assert "通报.html" not in notices
    html = (folder / "notices" / "区商务局党总支-公示.html").read_text(encoding="utf-8")
    assert html.count("并列第一，先锋旗待党委研究决定") == 2
    assert "95.00" not in html
