"""results.csv, results.xlsx and problems.csv.

Text that came from workbooks is neutralised: in CSV a value starting with ``=``, ``+``,
``-``, ``@`` (or a tab/CR) gets a leading apostrophe so a spreadsheet shows it as text;
in XLSX every text cell is written as a string, never as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from pingxing.problems import CSV_COLUMNS, Problem
from pingxing.rate.rating import Rating
from pingxing.rounding import publish
from pingxing.scheme.components import NUMERIC_KINDS
from pingxing.scheme.model import Scheme

RESULT_COLUMNS = ["level", "unit", "branch", "id", "name", "score", "stars", "star_names", "grade", "status", "reason",
                  "prev_stars", "change", "actions"]
_RISKY = ("=", "+", "-", "@", "\t", "\r")
_CACHE_LIMIT = 65536  # published part scores remembered (they repeat: 8,000 distinct in 83,000)


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(_RISKY) else value


def write_results_csv(path: Path, scheme: Scheme, ratings: Sequence[Rating]) -> None:
    """Write ``path`` in one go."""
    results = ResultsCsv(path, scheme)
    results.add(ratings)
    results.close()


class ResultsCsv:
    """results.csv written a shard at a time: each batch's rows are appended as they are added,
    nothing is kept. The columns are :data:`RESULT_COLUMNS` and the scheme's numeric parts."""

    def __init__(self, path: Path, scheme: Scheme) -> None:
        self.path, self._decimals = path, scheme.decimals
        self._parts = [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
        self._published: dict[tuple[int, int], str] = {}  # part score → as published (they repeat)
        self._proposes = any(rule.kind == "propose_grade" for rule in scheme.rules)  # 民主评议: proposed_grade too
        self._file = path.open("w", encoding="utf-8", newline="")
        self._file.write("\ufeff")
        self._csv = csv.writer(self._file, lineterminator="\r\n")
        header = RESULT_COLUMNS + self._parts
        self._csv.writerow(_with_proposal(header, "proposed_grade") if self._proposes else header)

    def add(self, ratings: Sequence[Rating]) -> None:
        """Append one batch of rows (in output order)."""
        self._csv.writerows([self._row(r) for r in ratings])

    def close(self) -> None:
        self._file.close()

    def _row(self, r: Rating) -> list[str]:
        e, stars, prev, published = r.entity, r.stars, r.prev_stars, self._published
        parts = []
        for p in self._parts:
            f = e.components.get(p)
            if f is None:
                parts.append("")
                continue
            key = (f.numerator, f.denominator)
            text = published.get(key)
            if text is None:
                if len(published) >= _CACHE_LIMIT:
                    published.clear()
                text = published[key] = str(publish(f, self._decimals))
            parts.append(text)
        row = [neutralise(r.level), neutralise(e.unit), neutralise(e.branch), neutralise(e.id), neutralise(e.name),
               "" if r.score is None else str(r.score), "" if stars is None else str(stars),
               neutralise("、".join(r.star_names)), neutralise(r.grade), neutralise(r.status), neutralise(r.reason),
               "" if prev is None else str(prev), neutralise(r.change), neutralise("、".join(r.actions)), *parts]
        return _with_proposal(row, neutralise(r.proposed_grade)) if self._proposes else row


def _with_proposal(row: list[str], proposed: str) -> list[str]:
    """A row (or the header) of a scheme that proposes grades: ``proposed_grade`` just before ``grade``."""
    at = RESULT_COLUMNS.index("grade")
    return [*row[:at], proposed, *row[at:]]


def write_problems_csv(path: Path, problems: list[Problem]) -> None:
    _write_csv(path, CSV_COLUMNS, [[neutralise(p.as_row()[h]) for h in CSV_COLUMNS] for p in problems])


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
