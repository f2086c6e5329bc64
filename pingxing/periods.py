"""Rating periods: ``2026Q4`` (quarter), ``2026H2`` (half), ``2026`` (year), ``2025-2026`` (biennium)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pingxing.errors import UserError

_CN_QUARTER = {"1": "一", "2": "二", "3": "三", "4": "四"}
_PATTERNS = {
    "quarter": re.compile(r"^(\d{4})Q([1-4])$"),
    "half": re.compile(r"^(\d{4})H([12])$"),
    "year": re.compile(r"^(\d{4})$"),
    "biennium": re.compile(r"^(\d{4})-(\d{4})$"),
}
_EXAMPLES = {"quarter": "2026Q4", "half": "2026H2", "year": "2026", "biennium": "2025-2026"}


def kind_of(period: str) -> str | None:
    for kind, pattern in _PATTERNS.items():
        m = pattern.match(period)
        if m and (kind != "biennium" or int(m.group(2)) == int(m.group(1)) + 1):
            return kind
    return None


#: the years a period or a publicity date may fall in: a typo (9999, 0206) is refused, not dated
FIRST_YEAR, LAST_YEAR = 2000, 2099


def check(period: str, expected: str | list[str]) -> str:
    """Return the normalised period or raise a UserError saying what form it must take."""
    kinds = [expected] if isinstance(expected, str) else expected
    p = period.strip().upper()
    if kind_of(p) not in kinds:
        raise UserError(
            f"评星周期“{period}”的格式不对：本方案按{words_of(kinds)}评定，"
            f"请写成 {' 或 '.join(_EXAMPLES[k] for k in kinds)} 这样的形式"
        )
    if not FIRST_YEAR <= int(p[:4]) <= LAST_YEAR:
        raise UserError(f"评星周期“{period}”的年份超出范围（{FIRST_YEAR}—{LAST_YEAR} 年），请检查是否写错")
    return p


def check_date(value: date, option: str = "--publicity-start") -> date:
    """A date given by the clerk (公示开始日期): within :data:`FIRST_YEAR`–:data:`LAST_YEAR`, so that
    the notices' dates can be counted from it; else a UserError naming the value."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise UserError(f"{option} {value.isoformat()}：日期超出范围，应在 {FIRST_YEAR}-01-01 至 {LAST_YEAR}-12-31 之间，"
                        "请写成 2026-12-01 这样的形式")
    return value


def words_of(kinds: str | list[str]) -> str:
    return "或".join(words_of_kind(k) for k in ([kinds] if isinstance(kinds, str) else kinds))


def words_of_kind(kind: str) -> str:
    return {"quarter": "季度", "half": "半年", "year": "年度", "biennium": "两年"}[kind]


def in_words(period: str) -> str:
    """``2026Q4`` → ``2026年第四季度``; ``2026H1`` → ``2026年上半年``; ``2026`` → ``2026年度``."""
    kind = kind_of(period)
    if kind == "quarter":
        return f"{period[:4]}年第{_CN_QUARTER[period[5]]}季度"
    if kind == "half":
        return f"{period[:4]}年{'上' if period[5] == '1' else '下'}半年"
    if kind == "year":
        return f"{period}年度"
    if kind == "biennium":
        return f"{period[:4]}—{period[5:]}年度"
    raise ValueError(period)


def date_words(d: date) -> str:
    """GB/T 9704-2012 成文日期: Arabic numerals, full year, no leading zeros."""
    return f"{d.year}年{d.month}月{d.day}日"


def publicity_window(start: date, days: int, working: bool = False, holidays: frozenset[date] = frozenset(),
                     workdays: frozenset[date] = frozenset()) -> tuple[date, date]:
    """公示期 of ``days`` days beginning on ``start``, counted inclusively (DOMAIN.md): natural days end
    on start + days − 1; working days skip Saturdays, Sundays and ``holidays`` and count the 调休
    ``workdays``."""
    if not working:
        return start, start + timedelta(days=days - 1)
    day, counted = start, 0
    while True:
        if is_workday(day, holidays, workdays):
            counted += 1
            if counted == days:
                return start, day
        day += timedelta(days=1)


def is_workday(day: date, holidays: frozenset[date] = frozenset(), workdays: frozenset[date] = frozenset()) -> bool:
    return day in workdays or (day.weekday() < 5 and day not in holidays)


def span_words(begin: date, end: date, days: int, working: bool = False) -> str:
    """``2026年12月8日至12月12日（5天）`` — the end without its year when in the same year; ``（5个工作日）``."""
    tail = f"{end.month}月{end.day}日" if end.year == begin.year else date_words(end)
    return f"{date_words(begin)}至{tail}（{days}个工作日）" if working else f"{date_words(begin)}至{tail}（{days}天）"


def months(period: str) -> list[tuple[int, int]]:
    """Every (year, month) of a period: ``2026Q4`` → Oct–Dec 2026; ``2025-2026`` → 24 months."""
    kind, y = kind_of(period), int(period[:4])
    if kind == "quarter":
        q = int(period[5])
        return [(y, m) for m in range(3 * q - 2, 3 * q + 1)]
    if kind == "half":
        h = int(period[5])
        return [(y, m) for m in range(6 * h - 5, 6 * h + 1)]
    last = int(period[5:]) if kind == "biennium" else y
    return [(year, m) for year in range(y, last + 1) for m in range(1, 13)]


def contains(period: str, day: date) -> bool:
    """Whether ``day`` falls within ``period``."""
    return (day.year, day.month) in months(period)


def previous(period: str) -> str:
    """The period before: ``2026Q1`` → ``2025Q4``, ``2026H1`` → ``2025H2``, ``2026`` → ``2025``,
    ``2025-2026`` → ``2023-2024``."""
    kind = kind_of(period)
    y = int(period[:4])
    if kind == "quarter":
        q = int(period[5])
        return f"{y}Q{q - 1}" if q > 1 else f"{y - 1}Q4"
    if kind == "half":
        return f"{y}H1" if period[5] == "2" else f"{y - 1}H2"
    if kind == "year":
        return str(y - 1)
    if kind == "biennium":
        return f"{y - 2}-{y - 1}"
    raise ValueError(period)
