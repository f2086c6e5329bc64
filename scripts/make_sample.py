#!/usr/bin/env python3
"""Rebuild the sample returned forms shipped in ``input/``.

Runs the project's own ``forms`` command on ``examples/名册.csv`` and fills each workbook
the way a branch would (openpyxl, by header labels) with plausible, reproducible scores.
The sample is clean: ``python process.py run`` on it exits 0.

    python scripts/make_sample.py
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from click.testing import CliRunner  # noqa: E402

from clerk import by_sheet, fill, member_weighted  # noqa: E402
from process import cli  # noqa: E402

ROSTER = ROOT / "examples" / "名册.csv"
PERIOD = "2026Q4"


def _member(rng: random.Random, raters: int, strong: bool) -> dict:
    base = rng.uniform(4.3, 5.0) if strong else rng.uniform(3.0, 4.6)
    items = [min(5, round(base + rng.uniform(-0.5, 0.5), 1)) for _ in range(20)]
    level = sum(items) + rng.uniform(-4, 4)
    peers = [min(100, round(level + rng.uniform(-6, 6))) for _ in range(raters - 1)]
    staff = [min(100, round(level + rng.uniform(-8, 6))) for _ in range(5)]
    leader = min(100, round(level + rng.uniform(-5, 5), 1))
    return member_weighted(items, peers, leader, staff, "是" if strong and rng.random() < 0.6 else "否")


def main() -> None:
    rng = random.Random(2026)
    inbox = ROOT / "input"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "forms"
        result = CliRunner().invoke(cli, ["forms", "--scheme", "member-weighted", "--roster", str(ROSTER),
                                          "--period", PERIOD, "--output", str(out)])
        if result.exit_code:
            sys.exit(result.output)
        shutil.rmtree(inbox / "member-weighted", ignore_errors=True)
        (inbox / "member-weighted").mkdir(parents=True)
        for form in sorted(out.glob("*.xlsx")):
            from openpyxl import load_workbook

            ids = [str(r[0]) for r in load_workbook(form)["_roster"].iter_rows(min_row=2, values_only=True)]
            members = {i: _member(rng, len(ids), strong=rng.random() < 0.45) for i in ids}
            fill(form, by_sheet(members), inbox / "member-weighted" / form.name)
            print(inbox / "member-weighted" / form.name)


if __name__ == "__main__":
    main()
