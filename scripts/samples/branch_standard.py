"""Sample for branch-standard: three units, eight branches, 2026; two workbooks per unit (the
branches' self-evaluation with their basic facts and the year's activity ledger, and the
superior's acceptance checklist)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

from clerk import add_ledger, fill, ids_of

SCHEME, PERIOD, ROSTER, SEED = "branch-standard", "2026", "examples/支部名册.csv", 2026
CODES = [f"{a}.{i}" for a, n in enumerate((4, 3, 3, 4, 5, 4), 1) for i in range(1, n + 1)]


def _meetings(rng: random.Random, bid: str, name: str, members: int, committee: bool) -> list[dict[str, Any]]:
    """A year of meetings as a diligent branch records them (the odd month may slip)."""
    def row(day: date, kind: str, due: int, present: int, moved: str = "否", speaker: str | None = None) -> dict:
        r = {"编号": bid, "支部": name, "日期": day, "类型": kind, "应到人数": due, "实到人数": present, "改期": moved}
        return {**r, "主讲人": speaker} if speaker else r

    def present(due: int) -> int:
        return max(-(-due * 4 // 5), due - rng.randint(0, 2))  # never below 80 %

    moved = set(rng.sample(range(1, 13), rng.randint(0, 3)))
    rows = [row(date(2026, m, rng.randint(8, 15)), "主题党日", members, present(members), "是" if m in moved else "否")
            for m in range(1, 13)]
    rows += [row(date(2026, m, rng.randint(18, 24)), "党员大会", members, present(members)) for m in (3, 6, 9, 12)]
    if committee:
        rows += [row(date(2026, m, rng.randint(1, 6)), "支委会", 3, 3) for m in range(1, 13)]
    rows += [row(date(2026, m, 26), "党课", members, present(members), speaker="书记" if m in (3, 9) else "委员")
             for m in (3, 6, 9, 12)]
    rows += [row(date(2026, m, 28), "组织生活会", members, present(members)) for m in (6, 12)]
    rows.append(row(date(2026, 12, 29), "民主评议党员", members, present(members)))
    if rng.random() < 0.3:  # a slip: one 支委会 or 党员大会 missing
        gone = rng.choice([r for r in rows if r["类型"] in ("支委会", "党员大会")])
        rows.remove(gone)
    return rows


def fill_all(rng: random.Random, forms: list[Path], inbox: Path) -> None:
    verdicts: dict[str, dict[str, str]] = {}
    facts: dict[str, tuple[int, bool]] = {}
    for form in forms:
        for bid, _name in ids_of(form):
            if bid not in verdicts:
                members = rng.randint(4, 25)
                facts[bid] = (members, members >= 7)
                verdicts[bid] = {c: "是" if rng.random() < 0.95 or c in ("1.1", "1.4") else "否" for c in CODES}
    for form in forms:
        branches = ids_of(form)
        ids = [bid for bid, _ in branches]
        if form.stem.endswith("支部自评"):
            target = fill(form, {
                "自评": {b: {c: "是" for c in CODES} for b in ids},
                "基本情况": {b: {"设支部委员会": "是" if facts[b][1] else "否", "划分党小组": "否"} for b in ids},
            }, inbox / form.name)
            add_ledger(target, "台账", [r for bid, name in branches
                                       for r in _meetings(rng, bid, name, facts[bid][0], facts[bid][1])])
        else:
            fill(form, {"考评": {b: verdicts[b] for b in ids}}, inbox / form.name)
