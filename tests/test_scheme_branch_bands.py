"""branch-bands: 100 points from the assessment group, bands 95/90/80/70, one-star floor, violations.

Hand calculation (score = sum of the 考核 items as published to 2 decimals; items 1.x and 2.x
are worth 4, 3.1/3.2, 4.1/4.2, 5.1/5.2 are worth 7 and 3.3, 4.3, 5.3 are worth 6, so 100 in all):

=====  ====================================================  ========  =====  ==============================
支部    考核 (what differs from full marks)                      total     shown  stars
=====  ====================================================  ========  =====  ==============================
JG01   nothing                                                100       100.00  5
JG02   3.1 = 4.5, 3.2 = 4.495        (−2.5 −2.505)            94.995    95.00   5 (published score is banded)
JG03   3.1 = 4.5, 3.2 = 4.49         (−2.5 −2.51)             94.99     94.99   4
JG04   every item at 40 %: 10×1.6 + 3×(2.8+2.8+2.4)           40        40.00   1 (one-star floor: no 无星)
JG05   5.1 = 2, 5.2 = 2              (−5 −5)                  90        90.00   4 → 降一星 → 3
JG06   1.1 = 0                       (−4)                     96        96.00   5 → 撤销星级 → 0 (摘星)
JG07   2.x = 0, 4.1 = 0, 4.3 = 2.99  (−20 −7 −3.01)           69.99     69.99   1
JG08   1.x = 0, 5.3 = 5.995          (−20 −0.005)             79.995    80.00   3
TJ01   支部自查 workbook not returned                          —         —       incomplete
=====  ====================================================  ========  =====  ==============================
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clerk import issue, read_csv, results_by_id, return_forms, run

ROSTER = """单位,支部,支部编号,编号,姓名
市直机关党委,第一党支部,JG01,1,甲
市直机关党委,第二党支部,JG02,2,乙
市直机关党委,第三党支部,JG03,3,丙
市直机关党委,第四党支部,JG04,4,丁
市直机关党委,第五党支部,JG05,5,戊
市直机关党委,第六党支部,JG06,6,己
市直机关党委,第七党支部,JG07,7,庚
市直机关党委,第八党支部,JG08,8,辛
市统计局党支部,市统计局党支部,TJ01,9,壬
"""
MAXES = dict(zip([f"{a}.{i}" for a, n in enumerate((5, 5, 3, 3, 3), 1) for i in range(1, n + 1)],
                 [4] * 10 + [7, 7, 6] * 3, strict=False))
FULL = dict(MAXES)
ASSESSED = {
    "JG01": FULL,
    "JG02": {**FULL, "3.1": 4.5, "3.2": 4.495},
    "JG03": {**FULL, "3.1": 4.5, "3.2": 4.49},
    "JG04": {c: {4: 1.6, 7: 2.8, 6: 2.4}[m] for c, m in MAXES.items()},
    "JG05": {**FULL, "5.1": 2, "5.2": 2},
    "JG06": {**FULL, "1.1": 0},
    "JG07": {**FULL, **{f"2.{i}": 0 for i in range(1, 6)}, "4.1": 0, "4.3": 2.99},
    "JG08": {**FULL, **{f"1.{i}": 0 for i in range(1, 6)}, "5.3": 5.995},
    "TJ01": FULL,
}
VIOLATION = {"JG05": {"处理意见": "降一星", "情况说明": "党费未按时足额缴纳"},
             "JG06": {"处理意见": "撤销星级", "情况说明": "支部书记受党内严重警告处分"}}


@pytest.fixture
def forms(tmp_path: Path) -> dict[str, Path]:
    return issue(tmp_path, "branch-bands", ROSTER, "2025-2026")


def _return(forms: dict[str, Path], inbox: Path, skip: tuple[str, ...] = ()) -> None:
    return_forms(forms, inbox, {
        "支部自查": lambda ids: {"自查": {i: FULL for i in ids}},
        "": lambda ids: {"考核": {i: ASSESSED[i] for i in ids},
                         "违规违纪": {i: VIOLATION[i] for i in ids if i in VIOLATION}},
    }, skip)


def _run(inbox: Path, out: Path) -> tuple[int, Path]:
    return run(inbox, out, "2027-01-04"), out / "branch-bands" / "2025-2026"


def test_forms_are_one_per_branch_for_the_self_check_and_one_per_unit_for_the_assessment(
        forms: dict[str, Path]) -> None:
    branches = [line.split(",")[:2] for line in ROSTER.splitlines()[1:]]
    assert sorted(forms) == sorted([f"{u}-{b}-branch-bands-2025-2026-支部自查" for u, b in branches]
                                   + [f"{u}-各支部-branch-bands-2025-2026-考核评定" for u in ("市直机关党委", "市统计局党支部")])


def test_bands_floor_violations_and_a_missing_part(forms: dict[str, Path], tmp_path: Path) -> None:
    owed = next(stem for stem in forms if stem.startswith("市统计局党支部-") and stem.endswith("-支部自查"))
    _return(forms, tmp_path / "input", skip=(owed,))
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 3
    rows = results_by_id(folder)
    got = {i: (r["score"], r["stars"], r["status"], r["reason"]) for i, r in rows.items()}
    assert got == {
        "JG01": ("100.00", "5", "rated", ""),
        "JG02": ("95.00", "5", "rated", ""),
        "JG03": ("94.99", "4", "rated", ""),
        "JG04": ("40.00", "1", "rated", ""),
        "JG05": ("90.00", "3", "rated", "处理意见：降一星，降1星（由4星改为3星）"),
        "JG06": ("96.00", "0", "rated", "处理意见：撤销星级，摘星（由5星改为0星）"),
        "JG07": ("69.99", "1", "rated", ""),
        "JG08": ("80.00", "3", "rated", ""),
        "TJ01": ("", "", "incomplete", f"未交回“{owed}.xlsx”"),
    }
    assert rows["JG02"]["考核"] == "95.00" and rows["JG02"]["自查"] == "100.00"
    owing = [p for p in read_csv(folder / "problems.csv") if p["code"] == "not-returned"]
    assert [(p["file"], p["severity"]) for p in owing] == [(f"{owed}.xlsx", "error")]
    notices = sorted(p.name for p in (folder / "notices").iterdir())
    assert notices == ["市直机关党委-公示.docx", "市直机关党委-公示.html"]  # 统计局 and the 通报 wait
    html = (folder / "notices" / "市直机关党委-公示.html").read_text(encoding="utf-8")
    assert "市直机关党委2025—2026年度星级党支部认定结果公示" in html
    assert "2027年1月4日至1月10日（7天）" in html
    for i in range(1, 9):
        assert ROSTER.splitlines()[i].split(",")[1] in html
    for score in ("94.99", "95.00", "40.00", "69.99", "96.00"):
        assert score not in html
    assert "★★★★★ 五星" in html and "无星" in html and "★ 一星" in html


def test_announcement_commends_three_stars_and_up(forms: dict[str, Path], tmp_path: Path) -> None:
    """通报: 五星 JG01, JG02, TJ01; 四星 JG03; 三星 JG05, JG08 — not JG04/JG07 (一星), JG06 (摘星)."""
    _return(forms, tmp_path / "input")
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 0
    html = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
    assert "关于表彰2025—2026年度星级党支部的通报" in html
    for name in ("第一党支部", "第二党支部", "第三党支部", "第五党支部", "第八党支部", "市统计局党支部"):
        assert name in html
    for name in ("第四党支部", "第六党支部", "第七党支部"):
        assert name not in html
    assert "96.00" not in html and "100.00" not in html
