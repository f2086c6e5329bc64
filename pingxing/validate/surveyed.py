"""Sheets filled by an online survey, and the blank copies they stand in for.

``survey import`` writes a workbook with one sheet, filled from a survey, under the ``form_id`` of the
workbook issued for that branch or unit (:mod:`pingxing.survey.filled`). The branch still returns its
own workbook, usually with its copy of that sheet left blank. So:

* :func:`note` — a returned form that says it came from a survey (``_meta``) is marked
  (``FormData.survey``), and every answer sheet the import did not count (a duplicate submission, an
  answer faster than the scheme's minimum) becomes a warning pointing at the line of its ``说明`` that
  says so; and each component sheet left wholly blank is marked (``FormData.untouched``);
* :func:`yielding` — a blank copy of a sheet yields to a filled copy of the same sheet of the same
  workbook: it is not read, and its blanks are no problem. Two filled copies stay a conflict
  (:mod:`pingxing.rate.entities`: never averaged, never chosen).
"""

from __future__ import annotations

from collections.abc import Iterable

from pingxing.intake.read import Form
from pingxing.problems import Problem
from pingxing.scheme.components import Column
from pingxing.scheme.model import Scheme
from pingxing.survey import provenance
from pingxing.validate.formdata import FormData, SheetData


def note(form: Form, scheme: Scheme, data: FormData, problems: list[Problem]) -> None:
    """Mark a survey import (and add its rows not counted as warnings) and the sheets left blank."""
    for c in scheme.components:
        sheet = data.sheets.get(c.sheet)
        if sheet is not None and c.kind != "ledger" and _blank(sheet, c.fill_columns()):
            data.untouched.add(c.sheet)
    export = form.meta.get(provenance.EXPORT, "")
    if not export:
        return
    data.survey = export
    for x in provenance.loads(form.meta.get(provenance.EXCLUDED, "")):
        problems.append(provenance.excluded_problem(x, export, file=form.file, sheet="说明",
                                                    cell=f"A{x.line}" if x.line else "", sha256=form.sha256))


def _blank(sheet: SheetData, columns: list[Column]) -> bool:
    """Whether no cell to fill holds anything, in any row (a blank cell is in ``Row.blank``; text
    columns are never, their text is in ``Row.flags``)."""
    texts = [c.header for c in columns if c.type == "text"]
    others = {c.header for c in columns if c.type != "text"}
    return bool(sheet.rows) and all(others <= set(row.blank) and not any(row.flags.get(h) for h in texts)
                                    for row in sheet.rows.values())


def yielding(forms: Iterable[FormData], sheet: str) -> list[FormData]:
    """Of the forms returned for one workbook: those whose copy of ``sheet`` is blank while another's is
    filled — they yield to it. Empty when every copy is blank, or none is. Works on a form's header
    (``sheet_names``, ``untouched``): its sheets may wait on disk."""
    having = [f for f in forms if sheet in f.sheet_names]
    blank = [f for f in having if sheet in f.untouched]
    return blank if len(blank) < len(having) else []


def slot_of(f: FormData, recorded: bool) -> str:
    """The workbook a returned form is: its form_id where the campaign is recorded, else its unit and
    branch (the forms of one slot are copies of one workbook: rated together, blank copies yield)."""
    return f.form_id if recorded else f"{f.unit}|{f.branch}"


def yielded(forms: Iterable[FormData], scheme: Scheme, recorded: bool) -> set[tuple[str, str]]:
    """(file, sheet) of every blank copy that yields, the forms grouped into workbooks (:func:`slot_of`)."""
    groups: dict[str, list[FormData]] = {}
    for f in forms:
        groups.setdefault(slot_of(f, recorded), []).append(f)
    return {(f.file, c.sheet) for group in groups.values() if len(group) > 1 and any(f.untouched for f in group)
            for c in scheme.components for f in yielding(group, c.sheet)}


def once(problems: list[Problem]) -> list[Problem]:
    """The problems with each row of an export not counted said once: a survey over several branches
    wrote one workbook each, and each says which rows of the export it left out."""
    seen: set[tuple[str, str]] = set()
    out = []
    for p in sorted(problems, key=lambda p: p.file):
        if p.code in provenance.EXCLUDED_CODES:
            if (p.code, p.message) in seen:
                continue
            seen.add((p.code, p.message))
        out.append(p)
    return out


