"""Sample for pioneer-flag: three units, eight branches compete for one 先锋旗 in 2026Q4; three
workbooks per unit (the branches' self-evaluation, the survey tallies, the 党总支's scores).

The scores are drawn so that the top branch is clear (no tie: the sample must run clean)."""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "pioneer-flag", "2026Q4", "examples/支部名册.csv", 2604
MAXES = [4] * 15 + [3, 3, 3, 4, 3, 4] + [4] * 5
CODES = [f"{a}.{i}" for a, n in enumerate((5, 5, 5, 6, 5), 1) for i in range(1, n + 1)]


def _scores(rng: random.Random, strength: float) -> dict[str, float]:
    return {c: round(min(top, top * (strength + rng.uniform(-0.1, 0.06))) * 2) / 2 for c, top in zip(CODES, MAXES, strict=False)}


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    ids = sorted({bid for form in forms for bid, _ in ids_of(form)})
    assessed: dict[str, dict[str, float]] = {}
    totals: set[float] = set()
    for bid in ids:  # distinct totals: the sample never ends in a tie
        while True:
            scores = _scores(rng, rng.uniform(0.75, 0.98))
            if sum(scores.values()) not in totals:
                break
        totals.add(sum(scores.values()))
        assessed[bid] = scores
    for form in forms:
        mine = [bid for bid, _ in ids_of(form)]
        if form.stem.endswith("支部自评"):
            values = {"自评": {b: {c: min(top, v + 0.5) for (c, v), top in zip(assessed[b].items(), MAXES, strict=False)}
                               for b in mine}}
        elif form.stem.endswith("群众测评"):
            values = {"测评": {}}
            for b in mine:
                issued = rng.randint(30, 60)
                spoilt, unknown, unhappy = rng.randint(0, 2), rng.randint(0, 2), rng.randint(0, 3)
                basic = rng.randint(3, 10)
                values["测评"][b] = {"发放": issued, "满意": issued - spoilt - unknown - unhappy - basic,
                                     "基本满意": basic, "不满意": unhappy, "不了解": unknown, "废票": spoilt}
        else:
            values = {"综合评定": {b: assessed[b] for b in mine}, "评定意见": {b: {"发生否决情形": "否"} for b in mine}}
        fill(form, values, inbox / form.name)
