"""The 催交 list: the workbooks issued and not back, by unit and branch — what is owed, since when.

One list, three places: ``check`` prints it, ``results.xlsx`` has it as a sheet, ``report.html``
shows it. The rows come from the campaign record (:meth:`~pingxing.validate.issued.Roll.owed`), in
the order issued; a workbook's date is the day it was issued (or registered).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from pingxing.periods import date_words, in_words
from pingxing.record.campaign import Workbook


def headers(member: bool) -> tuple[str, ...]:
    """The columns of the 催交 sheet (results.xlsx; report.html shows the same rows in fewer columns)."""
    return ("单位", "支部", "表格", "人数" if member else "支部数", "下发日期", "文件名")


@dataclass(frozen=True)
class Owed:
    """One workbook not back."""

    unit: str
    branch: str  # "" for a unit's workbook (branch schemes: 各支部)
    book: str  # 支部自评, 考核评定 … or "表格" when the scheme has one workbook
    people: int  # the members or branches it lists
    issued: date | None
    file: str

    @property
    def since(self) -> str:
        """The day it was issued, in words (2026年11月20日), or empty."""
        return date_words(self.issued) if self.issued else ""

    @property
    def cells(self) -> tuple[str | int, ...]:
        """The row as the sheet and the report show it."""
        return (self.unit, self.branch or "各支部", self.book, self.people, self.since, self.file)


def owed(books: Iterable[Workbook]) -> list[Owed]:
    """The rows of the list, by unit and branch (each unit's in the order issued)."""
    rows = [Owed(w.unit, w.branch, w.book or "表格", len(w.people), _day(w.issued_at), w.file) for w in books]
    order = {u: i for i, u in enumerate(dict.fromkeys(r.unit for r in rows))}
    return sorted(rows, key=lambda r: order[r.unit])


def lines(title: str, period: str, books: Sequence[Workbook], member: bool, today: date) -> list[str]:
    """The list as ``check`` prints it: a heading, then a line per unit, each branch with what it owes."""
    rows = owed(books)
    if not rows:
        return []
    out = [f"催交：{title} {in_words(period)} 尚有 {len(rows)} 份表格未交回"]
    by_unit: dict[str, list[Owed]] = {}
    for r in rows:
        by_unit.setdefault(r.unit, []).append(r)
    for unit, owing in by_unit.items():
        parts = []
        for r in owing:
            since = f"，{date_words(r.issued)}下发，已 {(today - r.issued).days} 天" if r.issued else ""
            book = "" if r.book == "表格" else f"{r.book}，"
            parts.append(f"{r.branch or '各支部'}（{book}{r.people} {'人' if member else '个支部'}{since}）")
        out.append(f"  {unit}：" + "；".join(parts))
    return out


def _day(stamp: str) -> date | None:
    try:
        return date.fromisoformat(stamp[:10]) if stamp else None
    except ValueError:
        return None
