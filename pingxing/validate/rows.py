"""One component sheet of a returned form read into :class:`~pingxing.formdata.SheetData`: its
header row and columns checked (:mod:`pingxing.sheet_layout`), each entity's row parsed — a row of
plain scores in one go, any other cell by cell (:mod:`pingxing.sheet_cells`) — blanks, duplicate
rows and tallies checked, every problem naming file, sheet and cell.
"""

from __future__ import annotations

import operator
from datetime import date
from decimal import Decimal
from itertools import compress, repeat
from typing import Any, cast

from openpyxl.utils import get_column_letter

from pingxing import periods
from pingxing.cells import clean_text, filled, normalize_header, normalize_id, parse_number, shown
from pingxing.intake.read import Form
from pingxing.problems import Problem
from pingxing.scheme.components import TALLY_HEADERS, Column
from pingxing.scheme.model import Scheme
from pingxing.validate import grade_votes, sheet_checks
from pingxing.validate.formdata import FormData, Row, SheetData
from pingxing.validate.layout import column_layout, find_header
from pingxing.validate.values import A1, Flagged, read_cell


def read_sheet(form: Form, scheme: Scheme, component: Any, rows: list[list[Any]], data: FormData,
               problems: list[Problem]) -> SheetData | None:
    """The rows of ``component``'s sheet (``rows``, as read), parsed; None (and a problem) when
    its header row or a column to fill cannot be found."""
    sheet = component.sheet
    first, second = scheme.id_header
    h = find_header(rows, first, second)
    if h is None:
        problems.append(form.problem("missing-header", sheet=sheet, first=first, second=second))
        return None
    heads = [normalize_header(c) for c in rows[h]]
    lay = column_layout(component, heads, first)
    for head, was, j in lay.repeated:
        problems.append(form.problem("duplicate-column", sheet=sheet, cell=f"{get_column_letter(j + 1)}{h + 1}",
                                     head=head, first=get_column_letter(was + 1), second=get_column_letter(j + 1)))
    if lay.missing:
        problems.append(form.problem("missing-column", sheet=sheet, cell=f"A{h + 1}", columns="、".join(lay.missing)))
        return None
    id_col, where, cols, places, picked, pick = lay.id_col, lay.where, lay.cols, lay.places, lay.picked, lay.pick
    last, scores, headers, required = lay.last, lay.scores, lay.headers, lay.required
    flagged = Flagged(form, sheet)
    out: dict[str, Row] = {}
    ledger: dict[str, list[Row]] = {}
    by_top = {top: _in_range(top) for top in {c.max for c in cols} if top is not None} if scores else {}
    seen = [by_top[c.max] for c in cols if c.max is not None] if scores else []
    who = "人员" if scheme.level == "member" else "支部"
    kind = component.kind
    checked = kind in ("tally", "votes")  # _blanks looks at every row of these; of others, rows with blanks
    for r in range(h + 1, len(rows)):
        raw_row = rows[r]
        width = len(raw_row)
        lead = raw_row[0] if width else None  # (a row's first cell, its 编号, usually says it is not blank)
        if not filled(lead) and not any(filled(v) for v in raw_row):
            continue  # a blank gap: keep looking below it
        eid = normalize_id(raw_row[id_col] if id_col < width else "")
        name = clean_text(raw_row[id_col + 1] if id_col + 1 < width else "")
        entity = f"{eid} {name}".strip()
        if not eid:
            problems.append(form.problem("missing-id", sheet=sheet, cell=f"{get_column_letter(id_col + 1)}{r + 1}",
                                         entity=name, row=r + 1))
            continue
        added = _added_cells(raw_row, lay.added, lay.width) if lay.added or width > lay.width else ()
        if scores and width > last and not added:
            cells = pick(raw_row)  # type: ignore[misc]
            got = tuple(map(dict.get, seen, cells, repeat(_UNSEEN))) if _SCORE_TYPES.issuperset(map(type, cells)) \
                else (_UNSEEN,)  # (a tuple: as slim leaves a row's numbers)
            kinds = set(map(type, got))  # (not `None in got`: Decimal == None asks numbers.Rational, slowly)
            if _Unseen not in kinds and (_NONE not in kinds or not flagged.cells()):
                blank = list(compress(headers, map(operator.is_, got, repeat(None)))) if _NONE in kinds else []
                row = Row(eid, name, r + 1, got, {}, True, cells, blank, dict(zip(headers, got, strict=True)))
                if blank or checked or (kind == "ballots" and (not got or got[0] is None)):
                    _blanks(form, component, cols, where, row, entity, problems, who, required)
                if eid in out:
                    _keep(row, out, problems, form, sheet, entity, r)
                else:
                    out[eid] = row
                continue
        row = Row(eid, name, r + 1)
        numbers, values = cast("list[Decimal | None]", row.numbers), row.values
        for col, j, letter, numeric, count, top, header, k in places:
            raw = raw_row[j] if j < width else ""
            if numeric and (type(raw) is float or type(raw) is int):  # a number in range: what read_cell does, inline
                n = parse_number(raw)
                value = n.value
                if n.state == "ok" and value is not None and (
                        (value >= 0 and value == value.to_integral_value()) if count
                        else (top is None or 0 <= value <= top)):
                    numbers.append(value)
                    values[header] = value
                    if scores and type(raw) is float and raw != 0.0:  # (-0.0 reads "-0"): not remembered
                        seen[k][raw] = value
                    continue
            read_cell(form, sheet, col, raw, A1(letter, r + 1), entity, row, flagged, data, problems)
        row.raw = pick(raw_row) if pick is not None and width > last else tuple(
            [raw_row[j] if j < width else "" for j in picked])
        _blanks(form, component, cols, where, row, entity, problems, who, required)
        for j, head, raw in added:  # more ballots or items than the form has: never dropped silently
            problems.append(form.problem("added-cell", "" if head else "no_header", sheet=sheet,
                                         cell=f"{get_column_letter(j + 1)}{r + 1}", entity=entity, value=shown(raw),
                                         header=head, raw=shown(raw), columns=_span(lay.headers), who=who))
            row.ok = False
        if component.kind == "ledger":  # one row per activity: many rows per branch
            when = row.values.get("日期")
            if isinstance(when, date) and not periods.contains(data.period, when):  # not counted: said so, at the cell
                problems.append(form.problem("out-of-period", sheet=sheet, cell=f"{get_column_letter(where['日期'] + 1)}{r + 1}",
                                             entity=entity, value=shown(raw_row[where["日期"]]), day=when.isoformat(),
                                             period_words=periods.in_words(data.period)))
            ledger.setdefault(eid, []).append(row)
            continue
        _keep(row, out, problems, form, sheet, entity, r)
    sheet_checks.check(form, sheet, rows, h, where, cols, out, problems, heads)  # merged, hidden, scale, ...
    return SheetData(sheet, out, ledger, {place[6]: place[2] for place in places})  # header → its column letter


def _keep(row: Row, out: dict[str, Row], problems: list[Problem], form: Form, sheet: str, entity: str, r: int) -> None:
    """A row goes into ``out`` by its 编号, unless the 编号 came before (a duplicate row)."""
    eid = row.id
    if eid in out:
        before = out[eid]
        if before.raw == row.raw:
            problems.append(form.problem("duplicate-row", "same", sheet=sheet, cell=f"A{r + 1}", entity=entity,
                                         severity="warning", id=eid, first=before.row, second=r + 1))
        else:
            problems.append(form.problem("duplicate-row", sheet=sheet, cell=f"A{r + 1}", entity=entity,
                                         id=eid, first=before.row, second=r + 1))
            before.ok = False
        return
    out[eid] = row


def _added_cells(raw_row: list[Any], added: tuple[tuple[int, str], ...], width: int) -> list[tuple[int, str, Any]]:
    """The cells of a row in columns the branch added (see :attr:`.layout.Layout.added`) or beyond
    the header row, that hold something: (0-based column, header, value)."""
    found = [(j, head, raw_row[j]) for j, head in added if j < len(raw_row) and filled(raw_row[j])]
    found += [(j, "", raw_row[j]) for j in range(width, len(raw_row)) if filled(raw_row[j])]
    return found


def _span(headers: list[str]) -> str:
    """The columns to fill, in words: ``票1—票30``, ``1.1—5.4``, ``得分``."""
    return headers[0] if len(headers) == 1 else f"{headers[0]}—{headers[-1]}"


class _Unseen:
    """A cell not (yet) known to hold a number in range, while a row of scores is read in one go."""


_UNSEEN = _Unseen()
_NONE = type(None)
_SCORE_TYPES = frozenset({float, str})
_IN_RANGE: dict[Decimal, dict[Any, Any]] = {}


def _in_range(top: Decimal) -> dict[Any, Any]:
    """Numbers (floats as read) already found to be in 0..top, each with its Decimal; ``""`` is a
    blank (None)."""
    seen = _IN_RANGE.get(top)
    if seen is None or len(seen) > 65536:
        seen = _IN_RANGE[top] = {"": None}
    return seen


def _blanks(form: Form, component: Any, cols: list[Column], where: dict[str, int], row: Row, entity: str,
            problems: list[Problem], who: str, required: set[str]) -> None:
    """Blank is never zero: a blank required cell is a problem; a ballot row needs one ballot.
    ``required``: the headers of the required columns."""
    if not row.blank:
        kind = component.kind
        if kind not in ("ballots", "tally", "votes", "grade_votes"):
            return  # nothing below applies
        if kind == "ballots" and (not row.ok or (row.numbers and row.numbers[0] is not None)):
            return  # (a ballot row with a first ballot: nothing below applies)
    a1 = lambda header: f"{get_column_letter(where[header] + 1)}{row.row}"  # noqa: E731
    for header in row.blank if not required.isdisjoint(row.blank) else ():
        if header in required:
            what = "选择“是”或“否”" if component.kind == "checklist" else (
                "填写人数或票数（没有请填 0）" if component.kind in ("tally", "votes", "grade_votes") else "补填分数（留空不会按 0 分计算）")
            problems.append(form.problem("blank-cell", sheet=component.sheet, cell=a1(header), entity=entity,
                                         header=header, who=who, what=what))
            row.ok = False
    if component.kind == "ballots" and row.ok and not any(map(operator.is_not, row.numbers, repeat(None))):
        problems.append(form.problem("no-ballots", sheet=component.sheet,
                                     cell=f"{a1(cols[0].header)}:{a1(cols[-1].header)}", entity=entity, who=who))
        row.ok = False
    if row.ok and component.kind == "tally" and component.issued:
        counted = sum(row.values[h] for h in TALLY_HEADERS)
        if counted != row.values["发放"]:
            problems.append(form.problem("tally-mismatch", sheet=component.sheet,
                                         cell=f"{a1(TALLY_HEADERS[0])}:{a1(TALLY_HEADERS[-1])}", entity=entity,
                                         counted=counted, issued=row.values["发放"]))
            row.ok = False
    if row.ok and component.kind == "votes":
        valid = row.values[component.valid_header]
        for star in component.stars:
            if row.values[star] > valid:
                problems.append(form.problem("votes-exceed-valid", sheet=component.sheet, cell=a1(star), entity=entity,
                                             star=star, votes=row.values[star], valid=valid))
                row.ok = False
        if row.ok and valid == 0:
            problems.append(form.problem("no-ballots", "votes", sheet=component.sheet, cell=a1(component.valid_header),
                                         entity=entity))
            row.ok = False
    if row.ok and component.kind == "grade_votes":
        grade_votes.check(form, component, row, a1, entity, problems)
