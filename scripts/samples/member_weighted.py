"""Sample for member-weighted: two branches of a testing centre, 21 members, 2026Q4."""

from __future__ import annotations

import random
from pathlib import Path

from clerk import by_sheet, fill, member_weighted
from openpyxl import load_workbook

SCHEME, PERIOD, ROSTER, SEED = "member-weighted", "2026Q4", "examples/名册.csv", 2026


def _member(rng: random.Random, raters: int, strong: bool) -> dict:
    base = rng.uniform(4.3, 5.0) if strong else rng.uniform(3.0, 4.6)
    items = [min(5, round(base + rng.uniform(-0.5, 0.5), 1)) for _ in range(20)]
    level = sum(items) + rng.uniform(-4, 4)
    peers = [min(100, round(level + rng.uniform(-6, 6))) for _ in range(raters - 1)]
    staff = [min(100, round(level + rng.uniform(-8, 6))) for _ in range(5)]
    leader = min(100, round(level + rng.uniform(-5, 5), 1))
    return member_weighted(items, peers, leader, staff, "是" if strong and rng.random() < 0.6 else "否")


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    for form in forms:
        ids = [str(r[0]) for r in load_workbook(form)["_roster"].iter_rows(min_row=2, values_only=True)]
        members = {i: _member(rng, len(ids), strong=rng.random() < 0.45) for i in ids}
        fill(form, by_sheet(members), inbox / form.name)
