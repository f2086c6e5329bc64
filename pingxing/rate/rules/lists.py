"""Consequences across periods (动态管理) and unit limits.

``lists``: an entity goes on 通报表彰 / 诫勉谈话 / 警告 / 问责 … when any of the list's
``when`` holds, comparing with the previous period's stars or grade from the history; an entity
with no history is on no list that needs one. ``unit_limit``: a unit where at least a
share of its branches have few stars, and a 直属 branch with few stars, are marked.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingxing.scheme.rules import ListsRule, ListWhen, UnitLimitRule


def holds(w: ListWhen, r: Any) -> bool:
    """Whether ``r`` meets every condition ``w`` gives: on stars (an entity without stars meets none),
    on grades (``grade`` this period, ``prev_grade`` the previous one's, from the history)."""
    stars, e = r.stars, r.entity
    if w.grade is not None and r.grade != w.grade:
        return False
    if w.prev_grade is not None and (not e.has_history or e.prev_grade != w.prev_grade):
        return False
    by_grade = w.grade is not None or w.prev_grade is not None
    if by_grade and all(v is None for v in (w.stars, w.at_most, w.prev, w.prev_below, w.rise)):
        return True  # grades only: stars do not matter
    if stars is None:
        return False
    needs_history = w.prev is not None or w.prev_below is not None or w.rise is not None
    if needs_history and (not e.has_history or e.prev_stars is None):
        return False
    return all((
        w.stars is None or stars == w.stars,
        w.at_most is None or stars <= w.at_most,
        w.prev is None or e.prev_stars == w.prev,
        w.prev_below is None or e.prev_stars < w.prev_below,
        w.rise is None or stars - e.prev_stars >= w.rise,
    ))


def apply(rule: ListsRule, ctx: Any, ratings: list[Any]) -> None:
    for r in ratings:
        if r.status != "rated":
            continue
        for lst in rule.lists:
            if any(holds(w, r) for w in lst.when) and lst.name not in r.actions:
                r.actions.append(lst.name)


def apply_unit_limit(rule: UnitLimitRule, ctx: Any, ratings: list[Any]) -> None:
    share = Fraction(rule.share)
    units: dict[str, list[Any]] = {}
    for r in ratings:
        if r.status != "excluded":  # 不参评 are in no base
            units.setdefault(r.entity.unit, []).append(r)
    for unit, members in units.items():
        rated = [r for r in members if r.stars is not None]
        if any(r.entity.direct for r in members):
            for r in rated:
                if r.entity.direct and r.stars <= rule.at_most_stars and rule.action not in r.actions:
                    r.actions.append(rule.action)
            continue
        low = sum(r.stars <= rule.at_most_stars for r in rated)
        if members and Fraction(low, len(members)) >= share:
            ctx.units.setdefault(unit, []).append(
                f"{rule.action}（{len(members)}个支部中{low}个为{rule.at_most_stars}星及以下）")
