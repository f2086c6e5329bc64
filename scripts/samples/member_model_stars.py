"""Sample for member-model-stars: 区商务局, two 机关 branches, 11 people (3 非党在编人员), 2026Q2.

Each branch types in its tallies: per person and star the votes of the 党员互评 and the
群众参评 ballots and the number of valid ballots; the branch withholds one star from one
person (不予授予的星), as the seed's 支部评定 allows.
"""

from __future__ import annotations

import random
from pathlib import Path

from _votes import fill_votes

SCHEME, PERIOD, ROSTER, SEED = "member-model-stars", "2026Q2", "examples/机关模范星名册.csv", 2026
STARS = ["学习模范星", "业务模范星", "服务模范星", "廉政模范星", "创新模范星"]


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    fill_votes(rng, forms, inbox, STARS, "群众参评", (8, 12), (0.35, 0.85), "创新模范星")
