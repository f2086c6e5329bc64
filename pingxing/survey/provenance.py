"""Where a workbook written by ``survey import`` came from: what its hidden ``_meta`` says, and the
problems of the answer sheets that were not counted.

The written workbook tells a reader (the visible ``说明`` sheet) and ``run`` (``_meta``) which export it
was made from — its file name, sha256, platform and layout, how many answer sheets were counted —
and which rows of the export were not counted and why (a duplicate submission, an answer faster than
the scheme's minimum). ``run`` lists those rows as warnings (:func:`excluded_problem`), so the clerk
sees them beside the ratings. Never a respondent's address, name, time, duration or id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from pingxing.problems import Problem, problem

#: the ``_meta`` keys of a survey import
EXPORT, SHA256, PLATFORM, LAYOUT, COUNTED, EXCLUDED = (
    "survey_export", "survey_sha256", "survey_platform", "survey_layout", "survey_counted", "survey_excluded")
LAYOUT_WORDS = {"text": "按选项文本", "number": "按选项序号"}


@dataclass(frozen=True)
class Excluded:
    """One answer sheet (a row of the export) not counted: ``duplicate`` of the row ``first``, or
    ``too-fast`` (fewer than ``min_seconds``). ``line``: the row of the ``说明`` sheet that says so."""

    row: int
    why: Literal["duplicate", "too-fast"]
    first: int = 0
    min_seconds: int = 0
    line: int = 0

    def words(self) -> str:
        if self.why == "duplicate":
            return f"第 {self.row} 行（与第 {self.first} 行为同一答卷人重复提交）"
        return f"第 {self.row} 行（答题用时少于 {self.min_seconds} 秒）"


def dumps(excluded: list[Excluded]) -> str:
    return json.dumps([[x.row, x.why, x.first, x.min_seconds, x.line] for x in excluded], separators=(",", ":"))


def loads(text: str) -> list[Excluded]:
    """The rows not counted, as :func:`dumps` wrote them (nothing, when the text is not that)."""
    try:
        rows = json.loads(text or "[]")
        return [Excluded(int(r), why, int(first), int(seconds), int(line)) for r, why, first, seconds, line in rows
                if why in ("duplicate", "too-fast")]
    except (ValueError, TypeError):
        return []


#: the codes of :func:`excluded_problem` (a row of an export not counted)
EXCLUDED_CODES = ("survey-duplicate", "survey-too-fast")


def excluded_problem(x: Excluded, export: str, *, file: str, sheet: str = "", cell: str = "",
                     sha256: str = "") -> Problem:
    """The warning for a row not counted (``survey import`` names the export's row, ``run`` the line
    of the written workbook's ``说明`` that says so)."""
    if x.why == "duplicate":
        return problem("survey-duplicate", file=file, sheet=sheet, cell=cell, value=str(x.row), sha256=sha256,
                       export=export, row=x.row, first=x.first)
    return problem("survey-too-fast", file=file, sheet=sheet, cell=cell, value=str(x.row), sha256=sha256,
                   export=export, row=x.row, min_seconds=x.min_seconds)
