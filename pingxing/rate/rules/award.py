"""A single award per period (先锋旗, 流动红旗): the top eligible entity gets the grade."""

from __future__ import annotations

from typing import Any

from pingxing.problems import problem
from pingxing.rate.rules.conditions import label, passes, tie_key
from pingxing.scheme.rules import AwardRule


def apply(rule: AwardRule, ctx: Any, ratings: list[Any]) -> None:
    eligible = []
    for r in ratings:
        if r.status != "rated" or r.score is None:
            continue
        failed = [label(ctx.scheme, c) for c in rule.eligible if not passes(c, r)]
        if failed:
            r.reasons.append(f"不具备{rule.grade}评选条件：" + "；".join(failed))
        else:
            eligible.append(r)
    if not eligible:
        if any(r.status == "rated" for r in ratings):
            ctx.problems.append(problem("award-none", grade=rule.grade))
        return
    eligible.sort(key=lambda r: tie_key(r, rule.tie_breakers), reverse=True)
    best = tie_key(eligible[0], rule.tie_breakers)
    top = [r for r in eligible if tie_key(r, rule.tie_breakers) == best]
    if len(top) == 1:
        top[0].grade = rule.grade
        return
    names = "、".join(r.entity.name for r in top)
    for r in top:
        r.reasons.append(f"与{'、'.join(t.entity.name for t in top if t is not r)}并列第一，{rule.grade}须由党委研究决定")
        r.notes.append(f"并列第一，{rule.grade}待党委研究决定")
    ctx.problems.append(problem("award-tie", entity=names, names=names, grade=rule.grade))
