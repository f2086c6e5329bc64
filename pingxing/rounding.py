"""Exact figures and how they are published.

Intermediate figures (component means, weighted parts, totals) are exact
:class:`~fractions.Fraction` values. Only published figures are rounded: half away from
zero, as Excel's ROUND does (Python's ``round()`` rounds half to even — never used here).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def publish(value: Fraction, decimals: int) -> Decimal:
    """Round half away from zero to ``decimals`` places: 89.995 → 90.00, -0.125 → -0.13."""
    scaled = value * 10**decimals
    magnitude = abs(scaled)
    whole = int(magnitude)  # floor, magnitude ≥ 0
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    signed = -whole if scaled < 0 else whole
    return Decimal(signed).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


def exact(value: Decimal | int | str) -> Fraction:
    return Fraction(Decimal(value))


def mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def trimmed_mean(values: list[Fraction], trim: int) -> Fraction:
    """去掉 ``trim`` 个最高分和 ``trim`` 个最低分后的平均分."""
    kept = sorted(values)[trim : len(values) - trim]
    return mean(kept)
