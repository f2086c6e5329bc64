"""Evaluate a :class:`~pingxing.rule_models.Condition` for one rating, and name it for people."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingxing.cells import fmt_decimal
from pingxing.scheme.components import ChecklistComponent, ItemsComponent
from pingxing.scheme.model import Scheme
from pingxing.scheme.rules import Condition, TieBreaker


def passes(cond: Condition, r: Any) -> bool:
    e = r.entity
    if cond.column is not None:
        if cond.min is not None:
            value = e.values.get(cond.column)
            return value is not None and value >= Fraction(cond.min)
        return e.flags.get(cond.column, "") == (cond.equals or "是")
    if cond.rate is not None:
        rate = e.rates.get(cond.rate)
        return rate is not None and rate >= Fraction(cond.min or 0)
    if cond.score is not None:
        value = e.components.get(cond.score)
        return value is not None and value >= Fraction(cond.min or 0)
    if cond.total:
        return r.score is not None and r.score >= (cond.min or 0)
    if cond.ledger is not None:
        return e.checks.get(cond.ledger, False)
    return False


def label(scheme: Scheme, cond: Condition) -> str:
    """What a clerk reads in ``reason``: the condition's label, else the item's own text."""
    if cond.label:
        return cond.label
    if cond.column is not None:
        sheet, _, header = cond.column.partition(".")
        item = _item_label(scheme, sheet, header)
        return f"{item}（不低于{fmt_decimal(cond.min)}分）" if cond.min is not None else item
    if cond.rate is not None:
        return f"{cond.rate}满意率不低于{fmt_decimal(cond.min * 100) if cond.min else 0}%"
    if cond.score is not None:
        return f"{cond.score}得分不低于{fmt_decimal(cond.min or 0)}"
    if cond.total:
        return f"总分不低于{fmt_decimal(cond.min or 0)}"
    return cond.ledger or ""


def _item_label(scheme: Scheme, sheet: str, header: str) -> str:
    for c in scheme.components:
        if c.sheet == sheet and isinstance(c, (ItemsComponent, ChecklistComponent)):
            for code, item in c.columns():
                if code == header:
                    return f"{header} {item.label}"
    return f"{sheet}{header}"


def tie_key(r: Any, breakers: list[TieBreaker]) -> tuple[Fraction, ...]:
    """Published score first, then each tie-breaker (higher is better; missing is lowest)."""
    e = r.entity
    keys = [Fraction(r.score) if r.score is not None else Fraction(-1)]
    for b in breakers:
        if b.rate is not None:
            keys.append(e.rates.get(b.rate, Fraction(-1)))
        elif b.score is not None:
            keys.append(e.components.get(b.score, Fraction(-1)))
        elif b.column is not None:
            keys.append(e.values.get(b.column, Fraction(-1)))
    return tuple(keys)
