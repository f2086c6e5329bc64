"""One cell to fill, read into its :class:`~pingxing.formdata.Row`: a number, count, choice, text
or date parsed (:mod:`pingxing.cells`), each cell that cannot be read a problem naming file,
sheet and cell — error cells and uncached formulas (they read blank) included.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from pingxing.cells import (
    clean_text,
    excel_serial,
    fmt_decimal,
    parse_choice,
    parse_date,
    parse_number,
    several_numbers,
    shown,
)
from pingxing.intake.read import Form
from pingxing.intake.sheet_scan import CellFlag
from pingxing.intake.sniff import scan_sheet_flags
from pingxing.problems import Problem
from pingxing.scheme.components import Column
from pingxing.validate.formdata import FormData, Row


class Flagged:
    """A sheet's error cells and uncached formulas (:func:`pingxing.scan_sheet_flags`) by A1
    reference. Both read blank, so the sheet's XML is looked into only when a cell to fill reads
    blank, and then once: a sheet filled in full costs nothing here."""

    __slots__ = ("_form", "_sheet", "_cells")

    def __init__(self, form: Form, sheet: str) -> None:
        self._form, self._sheet = form, sheet
        self._cells: dict[str, CellFlag] | None = None

    def cells(self) -> dict[str, CellFlag]:
        if self._cells is None:
            self._cells = {f.cell: f for f in scan_sheet_flags(self._form.source, self._sheet)}
        return self._cells

    def __contains__(self, cell: str) -> bool:
        return cell in self.cells()

    def __getitem__(self, cell: str) -> CellFlag:
        return self.cells()[cell]


class A1:
    """A cell's A1 reference, made into text only when a problem or a coercion names it."""

    __slots__ = ("letter", "row")

    def __init__(self, letter: str, row: int) -> None:
        self.letter, self.row = letter, row

    def __str__(self) -> str:
        return f"{self.letter}{self.row}"


def read_cell(form: Form, sheet: str, col: Column, raw: Any, where: A1 | str, entity: str, row: Row,
              flagged: Flagged, data: FormData, problems: list[Problem]) -> None:
    """Append ``raw`` (the cell ``where`` of column ``col``) to ``row``, parsed; a cell that cannot
    be read makes a problem and the row not ``ok``, a coerced number goes in ``data.coercions``."""
    if type(raw) in (int, float) and col.type in ("number", "count"):  # the common case, in short
        n = parse_number(raw)
        value = n.value
        if n.state == "ok" and value is not None and (
                (col.type == "count" and value >= 0 and value == value.to_integral_value())
                or (col.type == "number" and (col.max is None or Decimal(0) <= value <= col.max))):
            _numbers(row).append(value)
            row.values[col.header] = value
            return
    a1 = str(where)

    def bad(code: str, **fields: Any) -> None:
        problems.append(form.problem(code, sheet=sheet, cell=a1, entity=entity, value=shown(raw), **fields))
        row.ok = False

    if raw in ("", None) and a1 in flagged:
        flag = flagged[a1]
        if flag.code == "error-cell":
            bad("error-cell", raw=flag.raw)
        else:
            bad("formula-not-calculated")
        _numbers(row).append(None)
        return
    if col.type == "choice":
        state, text = parse_choice(raw, list(col.choices))
        if state == "bad":
            bad("invalid-choice", text=text, choices="/".join(col.choices))
        elif state == "blank":
            row.blank.append(col.header)
        row.flags[col.header] = text
        row.values[col.header] = text
        return
    if col.type == "text":
        row.flags[col.header] = row.values[col.header] = clean_text(shown(raw) if raw not in ("", None) else "")
        return
    if col.type == "date":
        when = parse_date(raw)
        if when is None and raw not in ("", None):
            bad("not-a-date", raw=shown(raw))
        elif when is None:
            row.blank.append(col.header)
        row.values[col.header] = when
        return
    n = parse_number(raw)
    value = n.value
    if n.state == "bad" and not col.required and several_numbers(raw):  # a ballot with two scores: 废票
        problems.append(form.problem("invalid-ballot", sheet=sheet, cell=a1, entity=entity, value=shown(raw),
                                     raw=shown(raw)))
        n, value = parse_number(""), None
    if n.state == "blank":
        row.blank.append(col.header)
    if n.state == "bad":
        bad(n.code, raw=shown(raw), max=fmt_decimal(col.max) if col.max else "…", serial=excel_serial(raw))
        value = None
    elif n.state == "na":
        bad("not-applicable", raw=shown(raw))
        value = None
    elif n.state == "ok":
        assert value is not None
        if col.type == "count" and (value < 0 or value != value.to_integral_value()):
            bad("not-a-count", raw=shown(raw))
            value = None
        elif col.type == "number" and col.max is not None and not Decimal(0) <= value <= col.max:
            bad("out-of-range", raw=shown(raw), max=fmt_decimal(col.max))
            value = None
        elif n.code:
            data.coercions.append({"file": form.file, "sheet": sheet, "cell": a1, "value": shown(raw),
                                   "read_as": str(value), "how": n.code})
            if n.code == "unit-suffix":
                problems.append(form.problem("unit-suffix", sheet=sheet, cell=a1, entity=entity, value=shown(raw),
                                             raw=shown(raw), value_read=value))
    _numbers(row).append(value)
    row.values[col.header] = value


def _numbers(row: Row) -> list[Decimal | None]:
    """A row's numbers while it is being read (a list; a tuple only once validated)."""
    return cast("list[Decimal | None]", row.numbers)
