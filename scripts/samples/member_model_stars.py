"""Sample for member-model-stars: 区商务局, two 机关 branches, 11 people (3 非党在编人员), 2026Q2.

Each branch types in its tallies: per person and star the votes of the 党员互评 and the
群众参评 ballots and the number of valid ballots; the branch withholds one star from one
person (不予授予的星), as the seed's 支部评定 allows.
"""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "member-model-stars", "2026Q2", "examples/机关模范星名册.csv", 2026
STARS = ["学习模范星", "业务模范星", "服务模范星", "廉政模范星", "创新模范星"]


def tally(rng: random.Random, valid: int, strength: float) -> dict[str, int]:
    """One group's votes for one person: each star ticked by about ``strength`` of the ballots."""
    votes = {s: sum(rng.random() < strength + rng.uniform(-0.25, 0.15) for _ in range(valid)) for s in STARS}
    return {**votes, "有效票": valid}


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    for form in forms:
        ids = [i for i, _ in ids_of(form)]
        peers, public = len(ids) - rng.randint(0, 1), rng.randint(8, 12)  # 互评 / 群众代表 valid ballots
        values: dict[str, dict[str, dict[str, object]]] = {"党员互评": {}, "群众参评": {}, "支部评定": {}}
        for i in ids:
            strength = rng.uniform(0.35, 0.85)
            values["党员互评"][i] = tally(rng, peers, strength)
            values["群众参评"][i] = tally(rng, public, strength)
        values["支部评定"][ids[0]] = {"不予授予的星": "创新模范星"}
        fill(form, values, inbox / form.name)
