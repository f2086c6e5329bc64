"""The records of a validated form, which every later step reads: :class:`Row` (one entity's
parsed row), :class:`SheetData` (one component sheet's rows) and :class:`FormData` (one returned
file). Filled by :mod:`pingxing.validate`; pickled compact by :mod:`pingxing.engine.formpack`
(registered with :mod:`copyreg`, so that this module need not know how).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any


@dataclass(slots=True)
class Row:
    """One entity's row in one component sheet, parsed.

    Once validated (on the worker, :func:`pingxing.onefile.slim`) a row is made compact for the
    trip to the main process: ``numbers`` becomes a tuple of shared Decimals, ``figure`` holds
    the component's exact number, and ``values`` keeps only what is not in ``numbers`` plus
    the numbers a rule names."""

    id: str
    name: str
    row: int
    numbers: list[Decimal | None] | tuple[Decimal | None, ...] = field(default_factory=list)  # per column; None = blank
    flags: dict[str, str] = field(default_factory=dict)
    ok: bool = True
    raw: tuple[Any, ...] = ()
    blank: list[str] = field(default_factory=list)  # headers of cells left blank
    values: dict[str, Any] = field(default_factory=dict)  # header → Decimal | str | date | None
    figure: Fraction | None = None  # items/score/ballots: the component's number (exact), once validated

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its fields in order (a form's rows cross from a worker to the main process:
        about half the time of the default for slotted objects, both ways)."""
        return Row, _row_fields(self)


_row_fields = operator.attrgetter(*(f.name for f in fields(Row)))


@dataclass
class SheetData:
    sheet: str
    rows: dict[str, Row]
    ledger: dict[str, list[Row]] = field(default_factory=dict)  # ledger sheets: 编号 → activity rows
    columns: dict[str, str] = field(default_factory=dict)  # header of a column to fill → its letter, as found

    def all_rows(self) -> Iterator[Row]:
        """Every row of the sheet: a person's (or branch's) row, or each activity row of a ledger."""
        yield from self.rows.values()
        for activities in self.ledger.values():
            yield from activities


@dataclass
class FormData:
    file: str
    sha256: str
    scheme: str
    period: str
    unit: str
    branch: str
    branch_id: str
    roster: list[tuple[str, str]]
    sheets: dict[str, SheetData]
    coercions: list[dict[str, str]] = field(default_factory=list)
    direct: set[str] = field(default_factory=set)  # 直属 branches (branch schemes)
    corrections: list[Any] | None = None  # an adjustments workbook: its corrections (see validate/corrections.py)
    rechecks: list[Any] | None = None  # a re-check workbook: its verdicts (see validate/recheck.py)
    sheet_names: list[str] = field(default_factory=list)  # every sheet in the workbook, for messages
    form_id: str = ""  # the id under which ``forms`` recorded the workbook (``_meta.form_id``)
    moved: dict[str, str] = field(default_factory=dict)  # 编号 → where the record says they are now
    settings: list[Any] | None = None  # a settings workbook: its settings (see validate/settings.py)
    survey: str = ""  # written by ``survey import``: the export it was made from (see validate/surveyed.py)
    untouched: set[str] = field(default_factory=set)  # component sheets left wholly blank (see validate/surveyed.py)
