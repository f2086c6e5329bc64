"""比例控制 (宁缺勿滥): at most a share of a scope's entities may hold a star level."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from pingxing.problems import problem
from pingxing.rate.rules.conditions import tie_key
from pingxing.scheme.model import STAR_WORDS
from pingxing.scheme.rules import QuotaRule


def scope_of(rule: QuotaRule, r: Any) -> str:
    """The scope ``r`` is counted in: its unit, or "" (everyone)."""
    return r.entity.unit if rule.scope == "unit" else ""


def allowed_in(rule: QuotaRule, members: int) -> int:
    """How many of a scope's ``members`` may hold the level: the share rounded down, at least ``minimum``."""
    return max(rule.minimum, math.floor(Fraction(rule.share) * members))


def apply(rule: QuotaRule, ctx: Any, ratings: list[Any]) -> None:
    scopes: dict[str, list[Any]] = {}
    for r in ratings:
        if r.status != "excluded":  # 不参评 are in no base
            scopes.setdefault(scope_of(rule, r), []).append(r)
    level, lower = STAR_WORDS[rule.stars], STAR_WORDS[rule.stars - 1]
    for scope, members in scopes.items():
        allowed = allowed_in(rule, len(members))
        holders = [r for r in members if r.status == "rated" and r.stars == rule.stars]
        if len(holders) <= allowed:
            continue
        holders.sort(key=lambda r: tie_key(r, rule.tie_breakers), reverse=True)
        where = scope or "全部"
        cut = tie_key(holders[allowed - 1], rule.tie_breakers) if allowed else None
        first_out = tie_key(holders[allowed], rule.tie_breakers)
        tied = cut is not None and cut == first_out
        for i, r in enumerate(holders):
            key = tie_key(r, rule.tie_breakers)
            if i < allowed and not (tied and key == cut):
                continue
            r.stars = rule.stars - 1
            if tied and key == cut:
                names = "、".join(h.entity.name for h in holders if tie_key(h, rule.tie_breakers) == cut)
                r.reasons.append(f"{where}{level}名额{allowed}个，{names}得分及比较项完全相同、并列于名额线，"
                                 f"宁缺勿滥，均按{lower}评定")
            else:
                r.reasons.append(f"{where}{level}名额{allowed}个（{fmt_share(rule.share)}），按得分排序未进入名额，"
                                 f"按{lower}评定")
        if tied:
            ctx.problems.append(problem("quota-tie", entity=where, where=where, level=level))


def fmt_share(share: Any) -> str:
    return f"{float(share) * 100:g}%"
