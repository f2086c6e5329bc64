"""Checks on how a returned sheet is laid out, which the cell parser cannot see.

:mod:`pingxing.cells` judges one value; this module judges the sheet around the values
(BAD_FORMS.md rows 10, 15, 16, 17, 21, 27, 28, 39):

* :func:`oversized` — before a workbook is read: a sheet whose cells reach far out
  (a stray space typed in ``XFD1048576``) would make python-calamine allocate the whole
  rectangle up to that cell (a 16384 x 1048576 area aborts the process). Such a file is
  refused with ``sheet-too-large``; cells that are only formatted are harmless and pass.
* :func:`check` — after a component sheet's rows are parsed (called from
  :mod:`pingxing.sheet_rows`): merged cells over the cells to fill (``merged-cell``: calamine
  gives the value to the top-left cell only, the others read as blank), hidden or filtered
  rows and hidden columns (``hidden-row``/``hidden-column`` warnings: counted, but the
  clerk should look), formulas that take their value from another workbook
  (``external-link`` warning: the cached value may be stale), a score such as ``0.9`` on
  a 100-point scale (``wrong-scale``: typically ``90%``), an 18-digit 编号 stored as a
  number (``id-as-number``: Excel keeps 15 digits), and a scheme column that appears
  twice (already reported as ``duplicate-column``; its rows are not rated).
* :func:`wrong_branch` — a form whose rows name none of the people it was issued for
  (``wrong-branch``: another branch filled this branch's form).

Sheet facts come from :func:`pingxing.sheet_scan.sheet_facts` (xlsx only: for .xls/.ods there
is nothing to see here, a known gap for merges and hidden rows in those formats).
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lxml import etree

from pingxing.cells import ID_DIGITS_KEPT, digits_lost, filled, fmt_decimal, normalize_header, shown
from pingxing.intake.package import sheet_xml
from pingxing.intake.read import Form
from pingxing.intake.sheet_scan import SheetFacts, col_index, col_letter, sheet_facts
from pingxing.problems import Problem
from pingxing.scheme.components import Column
from pingxing.scheme.model import RESERVED_SHEETS
from pingxing.validate.formdata import FormData, Row

if TYPE_CHECKING:
    pass


#: A number column with at least this maximum cannot sensibly hold a score below 1.
SCALE_MIN_MAX = Decimal(50)
#: Excel keeps 15 significant digits: a longer 编号 typed as a number has lost digits.

_EXTERNAL_F = re.compile(
    rb"""<(?:\w+:)?c\b[^>]*?\br\s*=\s*["']([A-Z]+\d+)["'][^>]*>\s*<(?:\w+:)?f\b[^>]*>([^<]*\[\d+\][^<]*)<""")
_RANGE = re.compile(r"^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")




# ------------------------------------------------------------------ after parsing a sheet
def check(form: Form, sheet: str, rows: list[list[Any]], header: int, where: dict[str, int],
          cols: list[Column], out: dict[str, Row], problems: list[Problem], heads: list[str] | None = None) -> None:
    """Layout checks of one component sheet; ``header`` is the 0-based header row index,
    ``where`` header → 0-based column, ``out`` the parsed rows by 编号 (changed in place:
    rows with an error are marked not ok, a row whose 编号 lost digits is dropped);
    ``heads``: the header row normalised, when the caller has it."""
    by_row = {r.row: r for r in out.values()}
    fill_cols = {where[c.header] + 1: c for c in cols}
    id_col = where["编号"] + 1
    _long_ids(form, sheet, rows, header, id_col, out, problems)
    try:
        facts = sheet_facts(form.source, sheet, layout_only=True)
    except (KeyError, OSError, zipfile.BadZipFile, etree.LxmlError):
        facts = SheetFacts()
    _merged(form, sheet, facts.merged_ranges, header + 1, set(fill_cols) | {id_col, id_col + 1}, by_row,
            problems)
    for r in facts.hidden_rows:
        if r in by_row:
            row = by_row[r]
            problems.append(form.problem("hidden-row", sheet=sheet, cell=f"{col_letter(id_col)}{r}",
                                         entity=f"{row.id} {row.name}".strip(), row=r))
    for span in facts.hidden_columns:
        lo, hi = (col_index(x) for x in span.split(":"))
        for j in sorted(c for c in fill_cols if lo <= c <= hi):
            problems.append(form.problem("hidden-column", sheet=sheet, cell=f"{col_letter(j)}{header + 1}",
                                         header=fill_cols[j].header))
    if facts.has_external_links:
        _external(form, sheet, by_row, fill_cols, problems)
    _scale(form, sheet, where, cols, out, problems)
    if heads is None:
        heads = [normalize_header(c) for c in rows[header]]
    if len(set(heads)) < len(heads) and any(heads.count(c.header) > 1 for c in cols):  # reported by validate as duplicate-column
        for row in out.values():
            row.ok = False


def _long_ids(form: Form, sheet: str, rows: list[list[Any]], header: int, id_col: int, out: dict[str, Row],
              problems: list[Problem]) -> None:
    for eid, row in list(out.items()):
        raw = rows[row.row - 1][id_col - 1] if id_col - 1 < len(rows[row.row - 1]) else ""
        if digits_lost(raw):
            problems.append(form.problem("id-as-number", sheet=sheet, cell=f"{col_letter(id_col)}{row.row}",
                                         entity=row.name, value=shown(raw), shown=f"{raw:.6G}", digits=ID_DIGITS_KEPT))
            del out[eid]


def _merged(form: Form, sheet: str, ranges: tuple[str, ...], header_row: int, cols: set[int],
            by_row: dict[int, Row], problems: list[Problem]) -> None:
    for ref in ranges:
        m = _RANGE.match(ref.upper())
        if not m:
            continue
        r1 = int(m[2])
        r2 = int(m[4]) if m[3] else r1
        if r2 <= header_row:
            continue  # titles and headers may be merged
        c1 = col_index(m[1])
        c2 = col_index(m[3]) if m[3] else c1
        if not any(c1 <= c <= c2 for c in cols):
            continue
        hit = [by_row[r] for r in range(max(r1, header_row + 1), r2 + 1) if r in by_row]
        for row in hit:
            row.ok = False
        problems[:] = [p for p in problems if not (  # the covered cells read blank: one problem says why
            p.code == "blank-cell" and p.file == form.file and p.sheet == sheet and _inside(p.cell, c1, r1, c2, r2))]
        problems.append(form.problem("merged-cell", sheet=sheet, cell=ref,
                                     entity="、".join(f"{r.id} {r.name}".strip() for r in hit), ref=ref))


def _inside(cell: str, c1: int, r1: int, c2: int, r2: int) -> bool:
    m = _RANGE.match(cell)
    return m is not None and not m[3] and c1 <= col_index(m[1]) <= c2 and r1 <= int(m[2]) <= r2


def _external(form: Form, sheet: str, by_row: dict[int, Row], fill_cols: dict[int, Column],
              problems: list[Problem]) -> None:
    found = sheet_xml(form.source, sheet)
    if found is None:
        return
    for m in _EXTERNAL_F.finditer(found[0]):
        ref = m[1].decode()
        col, r = col_index(ref), int(re.sub(r"\D", "", ref))
        if col in fill_cols and r in by_row:
            row = by_row[r]
            problems.append(form.problem("external-link", sheet=sheet, cell=ref, entity=f"{row.id} {row.name}".strip(),
                                         value="=" + m[2].decode("utf-8", "replace")))


def _scale(form: Form, sheet: str, where: dict[str, int], cols: list[Column], out: dict[str, Row],
           problems: list[Problem]) -> None:
    """0 < value < 1 on a scale of 50 or more: almost always ``90%`` (stored as 0.9) for 90."""
    scaled = [c for c in cols if c.type == "number" and c.max is not None and c.max >= SCALE_MIN_MAX]
    if not scaled or not _any_below_one(out):
        return
    for row in out.values():
        for c in scaled:
            value = row.values.get(c.header)
            if isinstance(value, Decimal) and 0 < value < 1:
                problems.append(form.problem("wrong-scale", sheet=sheet, cell=f"{col_letter(where[c.header] + 1)}{row.row}",
                                             entity=f"{row.id} {row.name}".strip(), value=str(value), number=value,
                                             max=fmt_decimal(c.max), percent=fmt_decimal(value * 100)))
                row.ok = False


def _any_below_one(out: dict[str, Row]) -> bool:
    """Whether any row may hold a Decimal in (0, 1) in a number column: each distinct number of the
    rows is looked at once (the scores of a sheet share a few dozen Decimals), not each cell. (A
    number column's value is also in the row's ``numbers``; other columns' numbers only make this
    say True more often, and then every cell is looked at.)"""
    values: set[Any] = set()
    try:
        for row in out.values():
            values.update(row.numbers)
    except TypeError:  # a value that cannot be hashed: look at every cell
        return True
    return any(isinstance(v, Decimal) and 0 < v < 1 for v in values)


# ------------------------------------------------------------------ the whole form
def added_sheets(form: Form, sheets: list[str], data: FormData, problems: list[Problem]) -> None:
    """A sheet the branch added as a copy of a component sheet (``互评 (2)``, ``互评续``: more ballots
    than the form has columns) whose cells hold something its original does not: never passed over
    silently — a problem, and that component's rows in this form are not rated as if it were absent.
    ``sheets``: the scheme's component sheets. A copy holding nothing new (a backup) and a hidden one
    (last year's, BAD_FORMS.md row 13) are let be."""
    for name in form.sheet_names:
        if name in sheets or name.startswith("_") or name in RESERVED_SHEETS or name in form.hidden_sheets:
            continue  # (a hidden copy is an old one, BAD_FORMS.md row 13)
        key = normalize_header(name)
        of = max((c for c in sheets if key.startswith(normalize_header(c))), key=len, default=None)
        copy, original = form.rows.get(name), form.rows.get(of or "")
        if of is None or copy is None or original is None:
            continue
        new = next(((r, j, v) for r, row in enumerate(copy) for j, v in enumerate(row) if filled(v) and (
            r >= len(original) or j >= len(original[r]) or original[r][j] != v)), None)
        if new is None:
            continue
        r, j, v = new
        problems.append(form.problem("added-sheet", sheet=name, cell=f"{col_letter(j + 1)}{r + 1}", value=shown(v),
                                     raw=shown(v), copy=name, original=of))
        if of in data.sheets:
            for row in data.sheets[of].all_rows():
                row.ok = False


def wrong_branch(form: Form, data: FormData, problems: list[Problem]) -> bool:
    """True (and a problem) when none of the people in the form's sheets is on the roster it
    was issued with: another branch typed its people into this branch's form."""
    issued = {eid for eid, _ in data.roster}
    found = {eid for s in data.sheets.values() for eid in (*s.rows, *s.ledger)}
    if not issued or not found or issued & found:
        return False
    who = f"{data.unit}{data.branch}"
    problems.append(form.problem("wrong-branch", sheet="_meta", value=data.branch, who=who, count=len(found),
                                 example=min(found)))
    return True
