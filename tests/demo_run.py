"""A run worth looking at: the sample branch-bands forms, one of them with two mistakes, and a
previous period in the history — so the report has a target, a comparison and problems.

Used by tests/test_report.py, tests/test_results_workbook.py and scripts/docs_images.py.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from process import cli

ROOT = Path(__file__).resolve().parents[1]
SCHEME, PERIOD, PREVIOUS = "branch-bands", "2025-2026", "2023-2024"
BROKEN = "市财政局机关党委"  # whose 考核评定 form gets a blank (D7) and a word for a number (E7)
PREVIOUS_STARS = [3, 3, 4, 5, 4, 5, 2, 3]  # the previous period's stars, in results order


def branch_bands_with_history(folder: Path) -> Path:
    """Run it under ``folder``; returns the period folder (``output/branch-bands/2025-2026``)."""
    inbox = folder / "input"
    shutil.copytree(ROOT / "examples" / "input" / SCHEME, inbox)
    runner = CliRunner()
    first = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(folder / "first"), "--quiet",
                                "--history", str(folder / "first.sqlite"), "--publicity-start", "2027-01-05"])
    assert first.exit_code == 0, first.output
    with (folder / "first" / SCHEME / PERIOD / "results.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    with (folder / "previous.csv").open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位", "支部", "编号", "星级"])
        for row, stars in zip(rows, PREVIOUS_STARS, strict=False):
            w.writerow([row["unit"], row["branch"], row["id"], stars])
    history = folder / "history.sqlite"
    imported = runner.invoke(cli, ["history", "import", str(folder / "previous.csv"), "--scheme", SCHEME,
                                   "--period", PREVIOUS, "--history", str(history)])
    assert imported.exit_code == 0, imported.output
    form = next(inbox.glob(f"{BROKEN}*考核评定.xlsx"))
    wb = load_workbook(form)
    wb["考核"]["D7"] = None
    wb["考核"]["E7"] = "五"
    wb.save(form)
    result = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(folder / "output"), "--quiet",
                                 "--history", str(history), "--publicity-start", "2027-01-05"])
    assert result.exit_code == 3, result.output
    return folder / "output" / SCHEME / PERIOD
