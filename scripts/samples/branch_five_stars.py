"""Sample for branch-five-stars: three units, ten branches, 2026; three workbooks per unit
(the branches' self-check, the survey team's tallies, the assessment group's verdicts)."""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "branch-five-stars", "2026", "examples/支部名册.csv", 2026
PREVIOUS = ("examples/上年结果/branch-five-stars-2025.csv", "2025")  # last year's results, imported before this year's forms
CODES = [f"{a}.{i}" for a in range(1, 6) for i in range(1, 4)]


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    """Each branch's verdicts, self-check and survey drawn in the order of its 编号 (whatever order the
    workbooks come in), then typed into whichever workbook holds them."""
    verdicts: dict[str, dict[str, str]] = {}
    own: dict[str, dict[str, str]] = {}
    survey: dict[str, dict[str, int]] = {}
    for bid in sorted({bid for form in forms for bid, _ in ids_of(form)}):
        strength = rng.random()
        verdicts[bid] = {c: "是" if rng.random() < 0.8 + 0.2 * strength else "否" for c in CODES}
        own[bid] = {c: "是" if v == "是" or rng.random() < 0.5 else "否" for c, v in verdicts[bid].items()}
        issued, spoilt, unknown = rng.randint(30, 60), rng.randint(0, 2), rng.randint(0, 3)
        unhappy, basic = rng.randint(0, 5), rng.randint(3, 12)
        survey[bid] = {"发放": issued, "满意": issued - spoilt - unknown - unhappy - basic,
                       "基本满意": basic, "不满意": unhappy, "不了解": unknown, "废票": spoilt}
    for form in forms:
        ids = [bid for bid, _ in ids_of(form)]
        if form.stem.endswith("支部自评"):
            values = {"自评": {b: own[b] for b in ids}}
        elif form.stem.endswith("群众测评"):
            values = {"测评": {b: survey[b] for b in ids}}
        else:
            values = {"上级评定": {b: verdicts[b] for b in ids}}
        fill(form, values, inbox / form.name)
