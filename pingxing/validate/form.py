"""Check one returned form against its scheme and parse every cell to fill.

Input: a :class:`~pingxing.intake.Form` (raw rows) and its scheme. Output: a
:class:`~pingxing.formdata.FormData` with, per component sheet, one
:class:`~pingxing.formdata.Row` per entity holding parsed values, and the problems found —
each naming file, sheet and cell. This module judges the form as a whole (its kind, version,
period, roster, branch); each component sheet is read by :mod:`pingxing.sheet_rows`. Nothing
here combines forms or computes scores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pingxing import periods
from pingxing.cells import clean_text, normalize_id, normalize_text
from pingxing.intake.read import ROSTER_SHEET, Form
from pingxing.problems import Problem
from pingxing.scheme.model import Scheme
from pingxing.validate import corrections, recheck, settings, sheet_checks, surveyed
from pingxing.validate.formdata import FormData
from pingxing.validate.rows import read_sheet


def form_key(form: Form, scheme_override: str | None, period_override: str | None) -> tuple[str, str]:
    """(scheme, period) of a form: from ``_meta``, else from the command-line options."""
    return (form.meta.get("scheme") or scheme_override or "", form.meta.get("period") or period_override or "")


def validate(form: Form, scheme: Scheme, period: str, problems: list[Problem]) -> FormData | None:
    meta = form.meta
    if meta.get("kind") == "adjustments":  # the committee's corrections, not a returned form
        return FormData(file=form.file, sha256=form.sha256, scheme=scheme.name, period=period, unit="", branch="",
                        branch_id="", roster=[], sheets={}, corrections=corrections.read(form, problems))
    if meta.get("kind") == "settings":  # what the notices say beyond the ratings
        return FormData(file=form.file, sha256=form.sha256, scheme=scheme.name, period=period, unit="", branch="",
                        branch_id="", roster=[], sheets={}, settings=settings.read(form, problems))
    if meta.get("kind") == "audit":  # the superior's re-check of a sample
        return FormData(file=form.file, sha256=form.sha256, scheme=scheme.name, period=period, unit="", branch="",
                        branch_id="", roster=[], sheets={}, rechecks=recheck.read(form, scheme, problems))
    if not meta:
        problems.append(form.problem("no-meta", "by_name", severity="warning"))
    elif meta.get("form_version") not in _form_versions(scheme):
        problems.append(form.problem("wrong-form-version", sheet="_meta", value=meta.get("form_version", "")))
        return None
    if periods.kind_of(period) not in scheme.period_kinds:
        problems.append(form.problem("wrong-period", "kind", sheet="_meta", value=period, period=period,
                                     scheme=scheme.name, kinds=periods.words_of(scheme.period_kinds)))
        return None
    data = FormData(
        file=form.file, sha256=form.sha256, scheme=scheme.name, period=period,
        unit=meta.get("unit", ""), branch=meta.get("branch", "") if meta else Path(form.file).stem,
        branch_id=meta.get("branch_id", ""), roster=_roster(form.rows.get(ROSTER_SHEET)), sheets={},
        direct=_direct(form.rows.get(ROSTER_SHEET)), form_id=meta.get("form_id", ""),
    )
    found = [n for n in form.sheet_names if not n.startswith("_")]
    data.sheet_names = found
    for component in scheme.components:
        rows = form.rows.get(component.sheet)
        if rows is None:
            continue  # the sheet may come in another workbook; aggregate reports it if nobody sends it
        sheet = read_sheet(form, scheme, component, rows, data, problems)
        if sheet is not None:
            data.sheets[component.sheet] = sheet
    sheet_checks.added_sheets(form, [c.sheet for c in scheme.components], data, problems)  # (issue 13: 互评 (2))
    surveyed.note(form, scheme, data, problems)  # a survey import; sheets left blank (issue 16)
    if not data.sheets:
        problems.append(form.problem("missing-sheet", "form", expected="、".join(c.sheet for c in scheme.components),
                                     found="、".join(found) or "无"))
        return None
    if sheet_checks.wrong_branch(form, data, problems):
        return None
    return data


_VERSIONS: dict[int, tuple[Scheme, tuple[str, str]]] = {}


def _form_versions(scheme: Scheme) -> tuple[str, str]:
    """``scheme.form_versions()``, worked out once per scheme (it hashes the whole layout)."""
    hit = _VERSIONS.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = _VERSIONS[id(scheme)] = (scheme, scheme.form_versions())
    return hit[1]


def _roster(rows: list[list[Any]] | None) -> list[tuple[str, str]]:
    if not rows:
        return []
    return [(eid, clean_text(r[1])) for r in rows[1:] if len(r) >= 2 and (eid := normalize_id(r[0]))]


def _direct(rows: list[list[Any]] | None) -> set[str]:
    """编号 of the branches issued as 直属 (directly under the committee)."""
    return {normalize_id(r[0]) for r in (rows or [])[1:] if len(r) >= 3 and normalize_text(r[2]) == "直属"}

