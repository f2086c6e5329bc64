"""Activity-ledger rules (党支部规范化建设): each unmet check is a failed item named in ``reason``.

A check counts the ledger rows of one ``type``: ``every`` month/quarter/half/year of the
period at least ``at_least`` times; or over the whole period (``every`` omitted) at least
``at_least`` times, optionally only those given by a ``speaker`` (书记讲党课); every such
meeting with attendance ≥ ``min_attendance``; at most ``max_rescheduled`` marked 改期.
A check with ``when`` applies only to branches meeting that condition (a branch without a
committee holds no 支委会); for the others it is not applicable and counts as met.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from pingxing import periods
from pingxing.rate.rules.conditions import passes
from pingxing.scheme.rules import LedgerCheck, LedgerRule

_SPAN = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def apply(rule: LedgerRule, ctx: Any, ratings: list[Any]) -> None:
    months = periods.months(ctx.period)  # (a row dated outside them is not counted; reading the form warned)
    for r in ratings:
        if r.status != "rated":
            continue
        rows = r.entity.ledger.get(rule.sheet, [])
        for check in rule.checks:
            if check.when is not None and not passes(check.when, r):
                r.entity.checks[check.name] = True  # not applicable to this branch
                continue
            gap = shortfall(check, rows, months)
            r.entity.checks[check.name] = gap is None
            if gap is not None:
                r.reasons.append(f"{check.name}未达标（{gap}）")


def shortfall(check: LedgerCheck, rows: list[dict[str, Any]], months: list[tuple[int, int]]) -> str | None:
    """``None`` when the check is met, else what is missing, in words."""
    mine = [row for row in rows if row.get("类型") == check.type and _in(row.get("日期"), months)]
    if check.speaker:
        mine = [row for row in mine if row.get("主讲人") == check.speaker]
    if check.min_attendance is not None:
        low = [row for row in mine if row.get("应到人数") and
               Fraction(row["实到人数"]) / Fraction(row["应到人数"]) < Fraction(check.min_attendance)]
        if low:
            days = "、".join(f"{row['日期'].month}月{row['日期'].day}日" for row in low)
            return f"{days}出勤率低于{float(check.min_attendance) * 100:g}%"
        return None
    if check.max_rescheduled is not None:
        moved = sum(row.get("改期") == "是" for row in mine)
        return None if moved <= check.max_rescheduled else f"改期{moved}次，超过{check.max_rescheduled}次"
    if check.every is None:
        return None if len(mine) >= check.at_least else f"只有{len(mine)}次，应至少{check.at_least}次"
    span = _SPAN[check.every]
    several_years = months[0][0] != months[-1][0]
    missing = []
    for i in range(0, len(months), span):
        block = months[i:i + span]
        n = sum(1 for row in mine if _in(row.get("日期"), block))
        if n < check.at_least:
            missing.append(_block_words(check.every, *block[0], several_years))
    return None if not missing else "缺" + "、".join(missing)


def _in(when: Any, months: list[tuple[int, int]]) -> bool:
    return isinstance(when, date) and (when.year, when.month) in months


def _block_words(every: str, y: int, m: int, several_years: bool) -> str:
    """How a clerk names the block starting at (y, m): 3月, 第三季度, 下半年, 2026年."""
    if every == "year":
        return f"{y}年"
    word = {"month": f"{m}月", "quarter": f"第{'一二三四'[(m - 1) // 3]}季度",
            "half": "上半年" if m <= 6 else "下半年"}[every]
    return f"{y}年{word}" if several_years else word
