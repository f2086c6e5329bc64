"""What a (scheme, period)'s ratings add up to: the counts behind report.html, the manifest,
the internal document's target shares and the command's closing line.

A run rates shard by shard and lets each shard's ratings go once they are published, so
everything that looks at all of them at once reads this instead: counts per branch (or
unit), star level, grade and change from the previous period — a few numbers per branch,
never one object per member.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

DISQUALIFIED, INCOMPLETE, EXCLUDED = "取消资格", "待补全", "不参评"


def category_of(r: Any) -> str:
    """The column a rating counts in: its star level, its grade, 取消资格 or 待补全."""
    if r.status == "incomplete":
        return INCOMPLETE
    if r.status == "disqualified":
        return DISQUALIFIED
    if r.status == "excluded":
        return EXCLUDED
    if r.stars is not None:
        return str(r.stars)
    return r.grade or "未定级"


class Summary:
    def __init__(self, level: str) -> None:
        self.level = level
        self.status: Counter[str] = Counter()  # rated / incomplete / disqualified / excluded
        self.overall: Counter[str] = Counter()  # category → count
        self.seen: dict[str, None] = {}  # categories in the order first met
        self.parts: dict[str, Counter[str]] = {}  # branch (member schemes) or unit → category → count
        self.stars: Counter[int] = Counter()  # star level → count
        self.unit_stars: dict[str, Counter[int]] = {}  # unit → star level → count (those with stars)
        self.prev: Counter[int] = Counter()  # the previous period's star levels (from the history)
        self.changes: Counter[str] = Counter()  # 升 / 持平 / 降 / 新 of entities with a history
        self.units: set[str] = set()

    @classmethod
    def of(cls, level: str, ratings: Iterable[Any]) -> Summary:
        s = cls(level)
        s.add(ratings)
        return s

    def add(self, ratings: Iterable[Any]) -> None:
        for r in ratings:
            e = r.entity
            category = category_of(r)
            self.status[r.status] += 1
            self.overall[category] += 1
            self.seen.setdefault(category)
            part = f"{e.unit}{e.branch}" if self.level == "member" else e.unit
            counts = self.parts.get(part)
            if counts is None:
                counts = self.parts[part] = Counter()
            counts[category] += 1
            self.units.add(e.unit)
            if r.stars is not None:
                self.stars[r.stars] += 1
                self.unit_stars.setdefault(e.unit, Counter())[r.stars] += 1
            if getattr(e, "prev_stars", None) is not None:
                self.prev[e.prev_stars] += 1
            if getattr(e, "has_history", False):
                self.changes[r.change] += 1

    @property
    def entities(self) -> int:
        return sum(self.status.values())

    @property
    def incomplete(self) -> int:
        return self.status["incomplete"]

    @property
    def has_stars(self) -> bool:
        return bool(self.stars)


def summary_of(group: Any) -> Summary:
    """The group's :class:`Summary` once rated; otherwise counted from its ratings."""
    found = getattr(group, "summary", None)
    if found is not None:
        return found
    return Summary.of(group.scheme.level, group.ratings)
