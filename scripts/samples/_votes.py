"""Shared by the model-star samples: a branch typing in its vote tallies.

Per person and star: the votes of the 党员互评 ballots and of the public group's ballots
(群众参评 or 职工参评), and the number of valid ballots; the branch withholds one star
from the first person (不予授予的星), as the seeds' 支部评定 allows.
"""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill, ids_of


def tally(rng: random.Random, stars: list[str], valid: int, strength: float) -> dict[str, int]:
    """One group's votes for one person: each star ticked by about ``strength`` of the ballots."""
    votes = {s: sum(rng.random() < strength + rng.uniform(-0.25, 0.15) for _ in range(valid)) for s in stars}
    return {**votes, "有效票": valid}


def fill_votes(rng: random.Random, forms: list[Path], inbox: Path, stars: list[str], public_sheet: str,
               public_ballots: tuple[int, int], strength: tuple[float, float], withheld: str) -> None:
    for form in forms:
        ids = [i for i, _ in ids_of(form)]
        peers, public = len(ids) - rng.randint(0, 1), rng.randint(*public_ballots)
        values: dict[str, dict[str, dict[str, object]]] = {"党员互评": {}, public_sheet: {}, "支部评定": {}}
        for i in ids:
            s = rng.uniform(*strength)
            values["党员互评"][i] = tally(rng, stars, peers, s)
            values[public_sheet][i] = tally(rng, stars, public, s)
        values["支部评定"][ids[0]] = {"不予授予的星": withheld}
        fill(form, values, inbox / form.name)
