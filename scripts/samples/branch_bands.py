"""Sample for branch-bands: three units, ten branches, biennium 2025-2026; two workbooks per
unit (the branches' self-check, the assessment group's scores with its violation column)."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from clerk import fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "branch-bands", "2025-2026", "examples/支部名册.csv", 2526
MAXES = [4] * 10 + [7, 7, 6] * 3
CODES = [f"{a}.{i}" for a, n in enumerate((5, 5, 3, 3, 3), 1) for i in range(1, n + 1)]


def _scores(rng: random.Random, strength: float) -> dict[str, float]:
    """Points per item: the share of each item's maximum earned, in half points."""
    out = {}
    for code, top in zip(CODES, MAXES, strict=False):
        share = min(1.0, max(0.4, strength + rng.uniform(-0.08, 0.05)))
        out[code] = float(Decimal(top * share * 2).quantize(Decimal(1)) / 2)
    return out


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    assessed: dict[str, dict[str, float]] = {}
    for form in forms:
        for bid, _name in ids_of(form):
            if bid not in assessed:
                assessed[bid] = _scores(rng, rng.uniform(0.72, 1.0))
    for form in forms:
        ids = [bid for bid, _ in ids_of(form)]
        if form.stem.endswith("支部自查"):
            values = {"自查": {b: {c: min(top, v + 0.5) for (c, v), top in zip(assessed[b].items(), MAXES, strict=False)}
                               for b in ids}}
        else:
            values = {"考核": {b: assessed[b] for b in ids},
                      "违规违纪": {b: {"处理意见": "无"} for b in ids}}
        fill(form, values, inbox / form.name)
