"""Sample for town-member (党员之星): 城关镇, six village branches, 24 members (at least four each: every member has three peers to rate them, the anonymity guard's minimum), annual 2026.

Each village branch types in the members' self-scores, the 党员互评 and 村民代表 ballots
(0–100), its own 考评 of the twelve items, and the veto check (all 否 here).
"""

from __future__ import annotations

import random
from pathlib import Path

from clerk import fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "town-member", "2026", "examples/镇名册.csv", 2026
CODES = [f"{a}.{i}" for a in range(1, 7) for i in (1, 2)]
MAXES = [8] * 10 + [10, 10]
VETOES = ["违反计划生育政策", "连续6个月不参加组织生活", "组织或参与集体越级重复上访", "受党内警告及以上处分",
          "被立案侦查或取保候审"]


def _items(rng: random.Random, level: float) -> dict[str, float]:
    return {c: max(0, min(m, round(m * (level + rng.uniform(-0.08, 0.05)), 1))) for c, m in zip(CODES, MAXES, strict=False)}


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    for form in forms:
        ids = [i for i, _ in ids_of(form)]
        values: dict[str, dict[str, dict[str, object]]] = {s: {} for s in
                                                            ("自评", "党员互评", "群众参评", "支部考评", "取消资格情形")}
        for n, i in enumerate(ids):
            level = rng.uniform(0.7, 0.97)
            values["自评"][i] = _items(rng, level + 0.03)
            values["党员互评"][i] = {f"票{k}": round(100 * level + rng.uniform(-6, 5))
                                      for k in range(1, len(ids) + 1) if k != n + 1}  # no vote for oneself
            values["群众参评"][i] = {f"票{k}": min(100, round(100 * level + rng.uniform(-8, 6)))
                                      for k in range(1, rng.randint(9, 12))}
            values["支部考评"][i] = _items(rng, level)
            values["取消资格情形"][i] = {v: "否" for v in VETOES}
        fill(form, values, inbox / form.name)
