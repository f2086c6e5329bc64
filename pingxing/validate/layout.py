"""Where a component's columns are in a returned sheet: the header row found by its labels (never
by position), and the columns to fill found by their headers — worked out once per component and
header row, since every form of a scheme has the same.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from pingxing.cells import normalize_header
from pingxing.scheme.components import Column

HEADER_SEARCH_ROWS = 50

_COLUMNS: dict[int, tuple[Any, list[Column]]] = {}


def _fill_columns(component: Any) -> list[Column]:
    """``component.fill_columns()``, made once per component (not once per form)."""
    hit = _COLUMNS.get(id(component))
    if hit is None or hit[0] is not component:
        hit = _COLUMNS[id(component)] = (component, component.fill_columns())
    return list(hit[1])


def find_header(rows: list[list[Any]], first: str, second: str) -> int | None:
    """The index of the header row: the first of the top rows with ``first`` and ``second``
    side by side."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        heads = [normalize_header(c) if c != "" else "" for c in row]  # (titles: mostly empty cells)
        if first not in heads:
            continue  # (titles and instructions)
        for j in range(len(heads) - 1):
            if heads[j] == first and heads[j + 1] == second:
                return i
    return None


@dataclass(frozen=True)
class Layout:
    """Where a component's columns are in a sheet with a given header row, and how its rows are
    read: worked out once per (component, header row) — every form of a scheme has the same."""

    id_col: int
    where: dict[str, int]  # header → 0-based column (the first, when a header repeats)
    repeated: tuple[tuple[str, int, int], ...]  # (header, first column, repeated column) of duplicates
    cols: list[Column]
    missing: list[str]
    places: list[tuple[Column, int, str, bool, bool, Decimal | None, str, int]]
    picked: list[int]
    pick: Callable[[list[Any]], tuple[Any, ...]] | None  # the row's cells to fill, in C
    last: int
    scores: bool
    headers: list[str]
    required: set[str]
    #: columns a branch added that look like more of the sheet's own (``票31`` after ``票30``, ``6.1``
    #: after the last item) or have no header, right of 姓名/支部: (0-based column, header)
    added: tuple[tuple[int, str], ...] = ()
    width: int = 0  # the header row's width: a cell beyond it has no header either


_LAYOUTS: dict[tuple[int, tuple[str, ...]], tuple[Any, Layout]] = {}


def column_layout(component: Any, heads: list[str], first: str) -> Layout:
    """The :class:`Layout` of ``component`` under the header row ``heads`` (normalized), whose
    编号 column is headed ``first``."""
    key = (id(component), tuple(heads))
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is component:
        return hit[1]
    where: dict[str, int] = {}
    repeated = []
    for j, head in enumerate(heads):
        if head in where and head:
            repeated.append((head, where[head], j))
        where.setdefault(head, j)
    cols = _fill_columns(component)
    missing = [c.header for c in cols if c.header not in where]
    places = [(col, where[col.header], get_column_letter(where[col.header] + 1), col.type in ("number", "count"),
               col.type == "count", col.max, col.header, k) for k, col in enumerate(cols)] if not missing else []
    picked = [j for _, j, *_ in places]
    pick = operator.itemgetter(*picked) if len(picked) > 1 else None
    # a sheet of scores (items, ballots, score): a row of plain numbers in range and blanks is read
    # in one go, by lookups in C (each column's numbers seen in range so far); anything else cell by
    # cell, and so is a row with blanks in a sheet with error cells or uncached formulas (they read blank)
    scores = pick is not None and all(c.type == "number" and c.max is not None for c in cols)
    id_col = heads.index(first)
    own = {c.header for c in cols}
    shapes = {_shape(h) for h in own}
    added = tuple((j, head) for j, head in enumerate(heads) if j > id_col + 1 and head not in own
                  and (head == "" or _shape(head) in shapes))
    layout = Layout(id_col, where, tuple(repeated), cols, missing, places, picked, pick,
                    max(picked, default=-1), scores, [c.header for c in cols], {c.header for c in cols if c.required},
                    added, len(heads))
    if len(_LAYOUTS) >= 256:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (component, layout)
    return layout


_DIGITS = re.compile(r"\d+")


def _shape(header: str) -> str:
    """A header with its numbers as ``#``: ``票31`` and ``票1`` are alike, so are ``6.1`` and ``1.1``."""
    return _DIGITS.sub("#", header)
