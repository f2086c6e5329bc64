"""Sample for member-model-stars-weather: 县气象局党支部, 7 people (2 非党职工), 2026H1.

The branch types in its tallies: per person and star the votes of the 党员互评 and the
职工参评 ballots and the number of valid ballots. The branch withholds one star from
one person (不予授予的星), as the seed's 支部评定 allows.
"""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "member-model-stars-weather", "2026H1", "examples/气象局名册.csv", 2026
STARS = ["学习提高星", "争创佳绩星", "服务模范星", "廉政模范星", "岗位带头星"]


def tally(rng: random.Random, valid: int, strength: float) -> dict[str, int]:
    """One group's votes for one person: each star ticked by about ``strength`` of the ballots."""
    votes = {s: sum(rng.random() < strength + rng.uniform(-0.25, 0.15) for _ in range(valid)) for s in STARS}
    return {**votes, "有效票": valid}


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    for form in forms:
        ids = [i for i, _ in ids_of(form)]
        peers, public = len(ids) - rng.randint(0, 1), rng.randint(15, 22)  # 互评 / 全局职工 valid ballots
        values: dict[str, dict[str, dict[str, object]]] = {"党员互评": {}, "职工参评": {}, "支部评定": {}}
        for i in ids:
            strength = rng.uniform(0.35, 0.85)
            values["党员互评"][i] = tally(rng, peers, strength)
            values["职工参评"][i] = tally(rng, public, strength)
        values["支部评定"][ids[0]] = {"不予授予的星": "岗位带头星"}
        fill(form, values, inbox / form.name)
