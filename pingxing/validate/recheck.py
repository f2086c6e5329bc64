"""Read the superior's filled re-check workbook (复查表) into :class:`Recheck` verdicts."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from pingxing.cells import clean_text, normalize_header, normalize_id, normalize_text
from pingxing.intake.read import Form
from pingxing.issue.recheck import SHEET, otherwise_grade, passing_grades
from pingxing.problems import Problem
from pingxing.scheme.model import Scheme


@dataclass(frozen=True)
class Recheck:
    file: str
    row: int
    entity_id: str
    unit: str
    grade: str  # the re-check's grade
    concealed: bool


def read(form: Form, scheme: Scheme, problems: list[Problem]) -> list[Recheck]:
    rows = form.rows.get(SHEET) or []
    at = next((i for i, row in enumerate(rows[:30]) if [normalize_header(c) for c in row[:2]] == ["编号", "支部"]), None)
    if at is None:
        problems.append(form.problem("missing-header", "recheck", sheet=SHEET))
        return []
    col = {normalize_header(c): j for j, c in enumerate(rows[at])}
    allowed = passing_grades(scheme) + [otherwise_grade(scheme)]
    out = []
    for r in range(at + 1, len(rows)):
        row = rows[r]
        get = lambda h: row[col[h]] if h in col and col[h] < len(row) else ""  # noqa: E731
        eid = normalize_id(get("编号"))
        if not eid:
            continue
        grade = normalize_text(get("复查等次"))
        if grade not in allowed:
            problems.append(form.problem("blank-cell" if not grade else "invalid-choice", "recheck", sheet=SHEET,
                                         cell=f"{get_column_letter(col['复查等次'] + 1)}{r + 1}", entity=eid,
                                         grade=grade, allowed="/".join(allowed)))
            continue
        out.append(Recheck(form.file, r + 1, eid, clean_text(get("单位")), grade, normalize_text(get("隐瞒")) == "是"))
    return out
