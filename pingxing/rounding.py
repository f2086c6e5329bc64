"""Exact figures and how they are published.

Intermediate figures (component means, weighted parts, totals) are exact
:class:`~fractions.Fraction` values. Only published figures are rounded: half away from
zero, as Excel's ROUND does (Python's ``round()`` rounds half to even — never used here).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, localcontext
from fractions import Fraction
from typing import Any


def publish(value: Fraction, decimals: int) -> Decimal:
    """Round half away from zero to ``decimals`` places: 89.995 → 90.00, -0.125 → -0.13."""
    scaled = value.numerator * 10**decimals  # over value.denominator; integers only (fast, exact)
    whole, rest = divmod(abs(scaled), value.denominator)  # floor of the magnitude, remainder
    if 2 * rest >= value.denominator:
        whole += 1
    signed = -whole if scaled < 0 else whole
    return Decimal(signed).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


def percent(share: Fraction, *, trim: bool = False) -> str:
    """``share`` in percent with one decimal, half away from zero: ``37.5``, ``50.0``; ``trim``: without
    a trailing ``.0`` (``80``, ``82.5``: a scheme's target as set, a CSS width). No ``%`` sign."""
    p = publish(Fraction(share) * 100, 1)
    return f"{p.normalize():f}" if trim else str(p)


def share_text(n: int, of: int) -> str:
    """``n`` of ``of`` in percent, one decimal, half away from zero, as every output writes a share
    (``12.5``, ``50.0``; ``0`` of nothing). No ``%`` sign."""
    return percent(Fraction(n, of)) if of else "0"


def exact(value: Decimal | int | str) -> Fraction:
    return Fraction(Decimal(value))


def mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def trimmed_mean(values: list[Fraction], trim: int) -> Fraction:
    """去掉 ``trim`` 个最高分和 ``trim`` 个最低分后的平均分."""
    kept = sorted(values)[trim : len(values) - trim]
    return mean(kept)


EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])
class Shared(dict):
    """One object for equal keys, made by ``make(key)`` on first use: scores repeat (90, 4.5 …)
    and a run keeps many forms, so each number is converted and stored once. Bounded: emptied
    when it reaches ``limit`` entries."""

    def __init__(self, make: Callable[[Any], Any], limit: int = 65536) -> None:
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value


_FRACTIONS = Shared(Fraction)


def fraction(value: Decimal | int) -> Fraction:
    """``Fraction(value)``, shared (:class:`Shared`)."""
    return _FRACTIONS[value]


def exact_sum(values: Sequence[Decimal | int]) -> Fraction:
    """The exact sum of cell values, added as Decimals (fast, never rounded: huge precision,
    Inexact trapped), as a Fraction — the same as summing Fractions, many times faster."""
    with localcontext(EXACT):
        return Fraction(*sum(values, Decimal(0)).as_integer_ratio())


def exact_mean(values: Sequence[Decimal | int]) -> Fraction:
    """``exact_sum(values) / len(values)``, made in one step."""
    with localcontext(EXACT):
        numerator, denominator = sum(values, Decimal(0)).as_integer_ratio()
    return Fraction(numerator, denominator * len(values))
