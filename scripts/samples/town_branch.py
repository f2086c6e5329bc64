"""Sample for town-branch: 城关镇, six village branches, annual 2026; three workbooks (the
branches' 自评申报, the secretaries' 互评, the 镇党委's 考评 with bonus items and vetoes).

Twenty per cent of six branches is one five-star place: a second branch at 90 or above drops
to four stars with the quota named in ``reason``; the sample has no tie at the cut-off.
"""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "town-branch", "2026", "examples/镇名册.csv", 2026
CODES = [f"{a}.{i}" for a in range(1, 6) for i in (1, 2)]
BONUS = ["经验被市级以上推广", "党建宣传获省市表彰", "市级以上通报表扬或典型发言", "两委获市级以上表彰"]
VETOES = ["渎职或腐败案件", "两委瘫痪或集体上访", "村集体违法败诉", "被一票否决", "较大安全事故", "支部不健全",
          "党费未按时缴纳"]


def _items(rng: random.Random, level: float) -> dict[str, float]:
    return {c: max(0, min(10, round(10 * (level + rng.uniform(-0.06, 0.04)), 1))) for c in CODES}


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    branches = next([b for b, _ in ids_of(f)] for f in forms if not f.stem.endswith("支部自评"))  # the town's
    level = {b: rng.uniform(0.91, 0.95) if k in (1, 3) else rng.uniform(0.72, 0.88) for k, b in enumerate(branches)}
    for form in forms:
        if form.stem.endswith("支部自评"):  # each branch its own
            values = {"自评": {b: _items(rng, level[b] + 0.03) for b, _ in ids_of(form)}}
        elif form.stem.endswith("支部互评"):  # each secretary rates the other branches
            values = {"互评": {b: {f"票{k}": round(100 * level[b] + rng.uniform(-5, 4))
                                   for k, other in enumerate(branches, 1) if other != b} for b in branches}}
        else:
            values = {"党委考评": {b: _items(rng, level[b]) for b in branches},
                      "加分": {b: {h: "是" for h in BONUS if rng.random() < level[b] - 0.6} for b in branches},
                      "否决情形": {b: {v: "否" for v in VETOES} for b in branches}}
        fill(form, values, inbox / form.name)
