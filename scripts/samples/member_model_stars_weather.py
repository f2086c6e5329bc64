"""Sample for member-model-stars-weather: 县气象局党支部, 7 people (2 非党职工), 2026H1.

The branch types in its tallies: per person and star the votes of the 党员互评 and the
职工参评 ballots and the number of valid ballots. The branch withholds one star from
one person (不予授予的星), as the seed's 支部评定 allows.
"""

from __future__ import annotations

import random
from pathlib import Path

from _votes import fill_votes

SCHEME, PERIOD, ROSTER, SEED = "member-model-stars-weather", "2026H1", "examples/气象局名册.csv", 2026
STARS = ["学习提高星", "争创佳绩星", "服务模范星", "廉政模范星", "岗位带头星"]


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    fill_votes(rng, forms, inbox, STARS, "职工参评", (15, 22), (0.35, 0.85), "岗位带头星")
