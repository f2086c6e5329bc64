"""results.csv, results.xlsx and problems.csv.

Text that came from workbooks is neutralised: in CSV a value starting with ``=``, ``+``,
``-``, ``@`` (or a tab/CR) gets a leading apostrophe so a spreadsheet shows it as text;
in XLSX every text cell is written as a string, never as a formula.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..problems import CSV_COLUMNS, Problem
from ..rate import Rating
from ..schemes import NUMERIC_KINDS, Scheme
from .workbook import write_results_xlsx  # noqa: F401  (results.xlsx: see workbook.py)

RESULT_COLUMNS = ["level", "unit", "branch", "id", "name", "score", "stars", "star_names", "grade", "status", "reason",
                  "prev_stars", "change", "actions"]
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(_RISKY) else value


def result_rows(scheme: Scheme, ratings: list[Rating]) -> list[dict[str, Any]]:
    sheets = [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
    rows = []
    for r in ratings:
        e = r.entity
        parts = r.component_scores(scheme.decimals)
        row: dict[str, Any] = {
            "level": r.level, "unit": e.unit, "branch": e.branch, "id": e.id, "name": e.name,
            "score": r.score, "stars": r.stars, "star_names": "、".join(r.star_names), "grade": r.grade,
            "status": r.status, "reason": r.reason,
            "prev_stars": r.prev_stars, "change": r.change, "actions": "、".join(r.actions),
        }
        for s in sheets:
            row[s] = parts.get(s)
        rows.append(row)
    return rows


def write_results_csv(path: Path, scheme: Scheme, ratings: list[Rating]) -> None:
    rows = result_rows(scheme, ratings)
    header = RESULT_COLUMNS + [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
    _write_csv(path, header, [[_csv_value(row[h]) for h in header] for row in rows])


def write_problems_csv(path: Path, problems: list[Problem]) -> None:
    _write_csv(path, CSV_COLUMNS, [[neutralise(p.as_row()[h]) for h in CSV_COLUMNS] for p in problems])


def _csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (Decimal, int)):
        return str(v)
    return neutralise(str(v))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
