"""Sample for member-model-stars-enterprise: 区商务局, two company branches, 9 members, 2026H1.

Each branch types in its tallies: per member and star the votes of the 党员互评 and the
群众参评 (workers, customers) ballots and the number of valid ballots; a star needs more
than half in both groups. The branch withholds one star from one member (不予授予的星).
"""

from __future__ import annotations

import random
from pathlib import Path

from _votes import fill_votes

SCHEME, PERIOD, ROSTER, SEED = "member-model-stars-enterprise", "2026H1", "examples/企业模范星名册.csv", 2026
STARS = ["岗位奉献星", "诚信经营星", "技能进步星"]


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    fill_votes(rng, forms, inbox, STARS, "群众参评", (8, 12), (0.5, 0.9), "诚信经营星")
