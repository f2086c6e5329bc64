"""Sample for demo-site: three units, eight candidate branches, 2026; three workbooks per unit
(the branches' self-check, the survey team's leadership tallies, the acceptance group's
checklist with the measured floor area)."""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "demo-site", "2026", "examples/支部名册.csv", 2026
CODES = [f"{a}.{i}" for a, n in enumerate((5, 4, 4, 4, 2, 1), 1) for i in range(1, n + 1)]


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    verdicts: dict[str, dict[str, str]] = {}
    areas: dict[str, int] = {}
    for form in forms:
        for bid, _name in ids_of(form):
            if bid not in verdicts:
                verdicts[bid] = {c: "是" if rng.random() < 0.985 else "否" for c in CODES}
                areas[bid] = rng.choice([rng.randint(120, 199), rng.randint(200, 360), rng.randint(200, 360)])
    for form in forms:
        ids = [bid for bid, _ in ids_of(form)]
        if form.stem.endswith("支部自评"):
            values = {"自评": {b: {c: "是" for c in CODES} for b in ids}}
        elif form.stem.endswith("群众测评"):
            values = {"测评": {}}
            for b in ids:
                issued = rng.randint(40, 80)
                spoilt, unknown, unhappy = rng.randint(0, 2), rng.randint(0, 2), rng.randint(0, 5)
                basic = rng.randint(3, 10)
                values["测评"][b] = {"发放": issued, "满意": issued - spoilt - unknown - unhappy - basic,
                                     "基本满意": basic, "不满意": unhappy, "不了解": unknown, "废票": spoilt}
        else:
            values = {"考评": {b: verdicts[b] for b in ids}, "阵地": {b: {"活动场所面积": areas[b]} for b in ids}}
        fill(form, values, inbox / form.name)
