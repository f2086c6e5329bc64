"""Checklist grades (优秀 / 合格 / 未达标, 示范点): the first grade whose conditions hold."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingxing.rate.rules.conditions import label, passes
from pingxing.scheme.components import ChecklistComponent
from pingxing.scheme.rules import GradesRule


def apply(rule: GradesRule, ctx: Any, ratings: list[Any]) -> None:
    checklist = [(f"{c.sheet}.{code}", f"{code} {item.label}")
                 for c in ctx.scheme.components if isinstance(c, ChecklistComponent)
                 and (not rule.sheets or c.sheet in rule.sheets)
                 for code, item in c.columns()]
    for r in ratings:
        if r.status != "rated":
            continue
        e = r.entity
        items = [(text, e.flags.get(col) == "是") for col, text in checklist]
        items += [(name, ok) for name, ok in e.checks.items()]
        failed = [text for text, ok in items if not ok]
        share = Fraction(len(items) - len(failed), len(items)) if items else Fraction(1)
        for g in rule.grades:
            unmet = [label(ctx.scheme, c) for c in g.require if not passes(c, r)]
            if unmet or (g.all_items and failed) or (g.min_share is not None and share < Fraction(g.min_share)):
                continue
            r.grade = g.grade
            break
        else:
            r.grade = rule.otherwise
        if failed and r.grade != rule.grades[0].grade:
            checklist_failed = [t for t in failed if t not in e.checks]
            if checklist_failed:
                r.reasons.append("未达标项：" + "；".join(checklist_failed))
        unmet_top = [label(ctx.scheme, c) for c in rule.grades[0].require if not passes(c, r)]
        if unmet_top and r.grade != rule.grades[0].grade:
            r.reasons.append("未达" + rule.grades[0].grade + "条件：" + "；".join(unmet_top))
