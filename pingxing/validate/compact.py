"""A validated form made compact on the worker, for the trip to the main process and its stay
there: the component's number of each row worked out here (exact), the raw cells dropped, of
the numbers only those a rule names kept by header (:class:`KeptValues`)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from pingxing.rounding import EXACT, Shared, exact_mean, exact_sum
from pingxing.scheme.components import BallotsComponent, ItemsComponent, ScoreComponent
from pingxing.scheme.model import Scheme
from pingxing.validate.formdata import FormData, Row


class KeptValues:
    """Which of a row's values an entity keeps: the text of choice/text columns (flags), and
    of the numbers only those a rule names (``column: <sheet>.<header>`` with a minimum, a
    tie-breaker) — not a Fraction per cell."""

    def __init__(self, scheme: Scheme) -> None:
        named = set(_columns_named(scheme.rules))
        self.text: dict[str, list[tuple[str, str]]] = {}
        self.numbers: dict[str, list[tuple[str, str]]] = {}
        for c in scheme.components:
            cols = c.fill_columns()
            self.text[c.sheet] = [(h.header, f"{c.sheet}.{h.header}") for h in cols if h.type in ("choice", "text")]
            self.numbers[c.sheet] = [(h.header, f"{c.sheet}.{h.header}") for h in cols
                                     if h.type in ("number", "count") and f"{c.sheet}.{h.header}" in named]


_KEPT_VALUES: dict[int, tuple[Scheme, KeptValues]] = {}


def kept_values(scheme: Scheme) -> KeptValues:
    """:class:`KeptValues` of a scheme, made once per process."""
    hit = _KEPT_VALUES.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = _KEPT_VALUES[id(scheme)] = (scheme, KeptValues(scheme))
    return hit[1]


def _columns_named(node: object) -> list[str]:
    """Every ``column`` a rule (or a condition or tie-breaker inside it) names."""
    if isinstance(node, (list, tuple)):
        return [c for item in node for c in _columns_named(item)]
    if isinstance(node, dict):
        return [c for item in node.values() for c in _columns_named(item)]
    fields = getattr(type(node), "model_fields", None)
    if fields is None:
        return []
    found = [node.column] if isinstance(getattr(node, "column", None), str) else []  # type: ignore[attr-defined]
    return found + [c for name in fields for c in _columns_named(getattr(node, name))]


def figure_of(c: ItemsComponent | ScoreComponent | BallotsComponent, row: Row) -> Fraction:
    """The component's number from a row's numbers: the items' sum, the scores' mean, the
    ballots' (trimmed) mean — exact. Workers work it out for each valid row (``Row.figure``)."""
    values = [v for v in row.numbers if v is not None]  # Decimals: summed exactly, then one Fraction
    if isinstance(c, ItemsComponent):
        return exact_sum(values)
    if isinstance(c, BallotsComponent):
        agg = c.aggregate
        if agg.method == "trimmed_mean" and agg.min_ballots is not None and len(values) >= agg.min_ballots:
            return exact_mean(sorted(values)[agg.trim:len(values) - agg.trim])
    return exact_mean(values)


def slim(scheme: Scheme, data: FormData) -> None:
    """Make a validated form compact for the trip to the main process and its stay there: no raw
    cells; for items/score/ballots sheets the component's number worked out here, the numbers
    as a tuple, and of ``values`` only what a rule names (the rest is in ``numbers``). Rows with no
    blank cells (and the rows of other sheets, which hold no ``numbers``) share one empty list: nothing
    changes them past validation, and each list is an object the garbage collector would visit."""
    kept = kept_values(scheme)
    empty: list[Any] = []
    for c in scheme.components:
        sheet = data.sheets.get(c.sheet)
        if sheet is None:
            continue
        figures = isinstance(c, (ItemsComponent, ScoreComponent, BallotsComponent))  # numeric columns only
        named = [header for header, _ in kept.numbers.get(c.sheet, ())]
        if figures:
            _figures(c, sheet.rows.values())  # type: ignore[arg-type]
        for row in sheet.rows.values():
            row.raw = ()
            if not row.blank:
                row.blank = empty
            if not figures:
                if not row.numbers and type(row.numbers) is list:
                    row.numbers = empty
                continue
            row.numbers = tuple(row.numbers)
            if named:
                got = row.values
                row.values = {h: got[h] for h in named if got.get(h) is not None}
            elif row.values:
                row.values = {}
        for rows in sheet.ledger.values():
            for row in rows:
                row.raw = ()


_NOT_NONE = functools.partial(operator.is_not, None)


#: Figures by (numerator, denominator) as summed: sums and means of scores repeat (85.8, 89.4 …),
#: so equal ones share one (immutable) Fraction, in a form and across the forms a process reads.
_FIGURES = Shared(lambda key: Fraction(*key))  # one Fraction per figure


def _figures(c: ItemsComponent | ScoreComponent | BallotsComponent, rows: Iterable[Row]) -> None:
    """``row.figure = figure_of(c, row)`` for each valid row with a number, in one exact decimal
    context for the whole sheet (see :func:`pingxing.rounding.exact_sum`): the same Fractions."""
    items = isinstance(c, ItemsComponent)
    agg = c.aggregate if isinstance(c, BallotsComponent) else None
    trim = agg.trim if agg is not None and agg.method == "trimmed_mean" and agg.min_ballots is not None else None
    least = agg.min_ballots if agg is not None and trim is not None else None
    zero = Decimal(0)
    with localcontext(EXACT):
        for row in rows:
            if not row.ok:
                continue
            values: list[Decimal] = list(filter(_NOT_NONE, row.numbers))  # type: ignore[arg-type]
            if not values:
                continue
            if trim is not None and least is not None and len(values) >= least:
                values = sorted(values)[trim:len(values) - trim]
            numerator, denominator = sum(values, zero).as_integer_ratio()
            if not items:
                denominator *= len(values)
            row.figure = _FIGURES[numerator, denominator]
