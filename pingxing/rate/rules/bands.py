"""Score bands → stars, applied to the *published* (rounded) score.

Bands are half-open ``[min, max)``; the top band has no max. A band with ``requires``
(e.g. five stars only when 特别突出 = 是) gives the band just below when the condition
is not met, and the reason says so.
"""

from __future__ import annotations

from typing import Any

from pingxing.scheme.model import STAR_WORDS
from pingxing.scheme.rules import Band, BandsRule


def find(bands: list[Band], score: Any) -> Band:
    for b in bands:
        lo_ok = b.min is None or score >= b.min
        hi_ok = b.max is None or score < b.max
        if lo_ok and hi_ok:
            return b
    raise ValueError(f"no band for {score}")  # scheme_checks guarantees coverage


def apply(rule: BandsRule, ctx: Any, ratings: list[Any]) -> None:
    for r in ratings:
        if r.status != "rated" or r.score is None:
            continue
        band = find(rule.bands, r.score)
        while band.requires is not None:
            need = band.requires
            if r.entity.flags.get(need.column, "") == need.equals:
                break
            header = need.column.partition(".")[2]
            below = _below(rule.bands, band)
            r.reasons.append(
                f"得分达到{STAR_WORDS[band.stars]}标准，但未评为“{header}”，按{STAR_WORDS[below.stars]}评定"
            )
            band = below
        r.stars = max(band.stars, rule.floor)


def _below(bands: list[Band], band: Band) -> Band:
    return next(b for b in bands if b.max is not None and b.max == band.min)
