"""Scheme fidelity, as an independent check found it (issue 13, class 10).

- A ledger row dated outside the period is not counted — and now says so: a warning at its cell
  (it was dropped without a word, so a clerk who typed 2025 for 2026 never learnt why a month was
  "missing").
- town-member applies 比例控制 to 党员之星 as the seed says ("对评选的五星级党支部和党员之星要从严控制,
  宁缺勿滥"): at most 20 % of a town's members (at least one) are five-star; the rest of the ≥ 90 drop
  to four stars with the reason. Five members, three ≥ 90: ⌊0.2 × 5⌋ = 1 place.
- (the single award's tie: tests/test_scheme_pioneer_flag.py)
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from clerk import add_ledger, issue, read_csv, results_by_id, return_forms, run, words

# ---------------------------------------------------------------- the ledger

CODES = [f"{a}.{i}" for a, n in enumerate((4, 3, 3, 4, 5, 4), 1) for i in range(1, n + 1)]


def _activities(day: date, kind: str, speaker: str | None = None) -> dict[str, Any]:
    row = {"编号": "TJ01", "支部": "统计局党支部", "日期": day, "类型": kind, "应到人数": 10, "实到人数": 9, "改期": "否"}
    return {**row, "主讲人": speaker} if speaker else row


def _year() -> list[dict[str, Any]]:
    rows = [_activities(date(2026, m, 10), "主题党日") for m in range(1, 13)]
    rows += [_activities(date(2026, m, 20), "党员大会") for m in (3, 6, 9, 12)]
    rows += [_activities(date(2026, m, 5), "支委会") for m in range(1, 13)]
    rows += [_activities(date(2026, m, 12), "党小组会") for m in range(1, 13)]
    rows += [_activities(date(2026, m, 25), "党课", "书记" if m in (3, 9) else "委员") for m in (3, 6, 9, 12)]
    rows += [_activities(date(2026, m, 28), "组织生活会") for m in (6, 12)]
    return rows + [_activities(date(2026, 12, 30), "民主评议党员")]


def test_a_ledger_row_dated_outside_the_period_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    forms = issue(tmp_path, "branch-standard", "单位,支部,支部编号,编号,姓名\n统计局党支部,统计局党支部,TJ01,1,郑\n", "2026")
    inbox = tmp_path / "input"
    return_forms(forms, inbox, {
        "支部自评": lambda ids: {"自评": {i: {c: "是" for c in CODES} for i in ids}},
        "": lambda ids: {"考评": {i: {c: "是" for c in CODES} for i in ids}},
    })
    own = next(p for p in inbox.iterdir() if p.stem.endswith("支部自评"))
    rows = _year()
    rows[45:45] = [_activities(date(2025, 12, 20), "党课", "书记")]  # typed 2025 for 2026: not counted
    add_ledger(own, "台账", rows)
    assert run(inbox, tmp_path / "out", "2026-12-31") == 0  # a warning, not an error
    folder = tmp_path / "out" / "branch-standard" / "2026"
    assert results_by_id(folder)["TJ01"]["grade"] == "优秀"  # the year is complete without it
    problems = [(p["sheet"], p["cell"], p["entity"], p["severity"], p["message"]) for p in read_csv(folder / "problems.csv")]
    assert problems == [("台账", "C49", "TJ01 统计局党支部", "warning",
                         "日期 2025-12-20 不在本期（2026年度）之内，这条记录不计入本期的台账检查；如日期填错，请改正")]


# ---------------------------------------------------------------- 党员之星 quota

FULL = [8] * 10 + [10, 10]
TOWN_CODES = [f"{a}.{i}" for a in range(1, 7) for i in (1, 2)]


def _member(items: list[float], ballots: float) -> dict[str, dict[str, Any]]:
    return {"自评": dict(zip(TOWN_CODES, items, strict=True)), "党员互评": {"票1": ballots},
            "群众参评": {"票1": ballots}, "支部考评": dict(zip(TOWN_CODES, items, strict=True))}


def test_town_member_holds_the_stars_of_the_party_to_a_fifth_of_the_town(tmp_path: Path) -> None:
    roster = ("单位,支部,编号,姓名\n城关镇,东关村党支部,T1,金长林\n城关镇,东关村党支部,T2,魏桂香\n"
              "城关镇,东关村党支部,T3,陶建设\n城关镇,西关村党支部,T4,谢凤英\n城关镇,西关村党支部,T5,戚文忠\n")
    forms = issue(tmp_path, "town-member", roster, "2026")
    values = {"T1": _member(FULL, 96), "T2": _member([7.5] * 10 + [10, 10], 94), "T3": _member([7.5] * 10 + [9, 9], 92),
              "T4": _member([7] * 10 + [8, 8], 85), "T5": _member([6] * 10 + [7, 7], 70)}
    inbox = tmp_path / "input"
    return_forms(forms, inbox, {"": lambda ids: {s: {i: values[i][s] for i in ids}
                                                 for s in ("自评", "党员互评", "群众参评", "支部考评")}})
    assert run(inbox, tmp_path / "out", "2027-01-04") == 0
    folder = tmp_path / "out" / "town-member" / "2026"
    rows = results_by_id(folder)
    # 0.2 自评 + 0.2 互评 + 0.2 群众 + 0.4 考评, 自评 = 考评: T1 0.6 × 100 + 0.4 × 96 = 98.40; T2 0.6 × 95 + 0.4 × 94
    # = 94.60; T3 0.6 × 93 + 0.4 × 92 = 92.60 — three ≥ 90, one place: T1 (T2, T3 → four); T4 85.60; T5 72.40
    assert {i: (r["score"], r["stars"]) for i, r in rows.items()} == {
        "T1": ("98.40", "5"), "T2": ("94.60", "4"), "T3": ("92.60", "4"), "T4": ("85.60", "4"), "T5": ("72.40", "3")}
    assert rows["T2"]["reason"] == rows["T3"]["reason"] == "城关镇五星名额1个（20%），按得分排序未进入名额，按四星评定"
    announcement = words(folder / "notices" / "通报.html")
    assert "五星级党员（1名）" in announcement  # the 通报's list in columns: 序号 单位 支部 姓名 星级
    assert re.findall(r" \d+ 城关镇 \S+党支部 (\S+) [一二三四五]星", announcement) == ["金长林"]
