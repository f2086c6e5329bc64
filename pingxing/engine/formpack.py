"""A validated form, pickled compact: it crosses from a worker to the main process and may wait
on disk (the run's spool) until its shard is rated, so its size is paid twice.

Each sheet's rows go by column: their 编号, names and numbers as codes into two tables of the
form (its numbers' text; its 编号, names and headers), figures as integers. Unpickled, it is an
equal :class:`~pingxing.formdata.FormData`, field for field, with equal numbers and figures
shared (:class:`~pingxing.rounding.Shared`). Rows of any other shape go as they are.
"""

from __future__ import annotations

import copyreg
import operator
import sys
from array import array
from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from fractions import Fraction
from itertools import chain, repeat
from typing import Any

from pingxing.rounding import Shared
from pingxing.validate.formdata import FormData, Row, SheetData

_FORM_FIELDS = tuple(f.name for f in fields(FormData))
_ID, _NAME, _NUMBERS, _FIGURE = (operator.attrgetter(a) for a in ("id", "name", "numbers", "figure"))
_RAW, _BLANK, _FLAGS, _VALUES, _OK, _ROW = (operator.attrgetter(a) for a in ("raw", "blank", "flags", "values", "ok",
                                                                              "row"))


def packed(data: FormData) -> tuple[Any, ...]:
    """``(numbers, texts, width, fields, sheets)`` for :func:`unpacked`. ``numbers``: the text of
    the distinct Decimals in the rows' numbers, comma-separated; ``texts``: the 编号, names and
    headers of blank cells, each once; a code (``width`` bytes, little-endian) is an index into
    numbers then texts, the largest code None. ``fields``: the form's, but its sheets. Per sheet
    ``(key, name, ledger, columns)``, ``columns`` (see :func:`_columns`) None when a row is of
    another shape than :func:`pingxing.aggregate.slim` leaves: the sheet then goes as it is in
    place of its name; so does every sheet of a form whose numbers are not all Decimals."""
    decimals: dict[int, Any] = {}
    texts: dict[Any, Any] = {}
    ids: dict[str, list[int]] = {}  # per sheet, id() of its rows' numbers (those in tuples), in order
    for key, sheet in data.sheets.items():
        rows = sheet.rows.values()
        numbers = [n for n in map(_NUMBERS, rows) if type(n) is tuple]
        ids[key] = list(map(id, chain.from_iterable(numbers)))
        decimals.update(zip(ids[key], chain.from_iterable(numbers), strict=True))
        texts.update(dict.fromkeys(chain.from_iterable(map(_BLANK, rows))))
        texts.update(dict.fromkeys(map(_ID, rows)))
        texts.update(dict.fromkeys(map(_NAME, rows)))
    decimals.pop(id(None), None)
    size = len(decimals) + len(texts)
    width = 1 if size < 0xFF else 2
    codes: dict[Any, int] | None = None
    if size < 0xFFFF and all(type(d) is Decimal for d in decimals.values()) and all(type(t) is str for t in texts):
        codes = {key: i for i, key in enumerate(decimals)}
        codes[id(None)] = (1 << 8 * width) - 1
        texts = {t: i for i, t in enumerate(texts, len(decimals))}
    sheets = []
    for key, sheet in data.sheets.items():
        columns = _columns(sheet.rows, ids[key], codes, texts, width) if codes is not None else None
        sheets.append((key, sheet.sheet, sheet.ledger, columns, sheet.columns) if columns is not None
                      else (key, sheet, None, None, None))
    return (",".join(map(str, decimals.values())) if codes is not None else "", tuple(texts) if codes is not None else (),
            width,
            tuple(getattr(data, name) if name != "sheets" else None for name in _FORM_FIELDS), tuple(sheets))


def _columns(by_id: dict[str, Row], ids: list[int], codes: dict[Any, int], texts: dict[Any, int],
             width: int) -> tuple[Any, ...] | None:
    """A sheet's rows as ``(rows, ids, names, n, numbers, blank, flags, ok, values, numerators,
    denominators)``: their row numbers; codes of 编号, names and (``n`` per row, all rows' in one;
    None: each an empty list) numbers; per row the codes of its blank headers (None: empty),
    flags, values (None: empty), ok as a byte; figures (None: none). A column that is empty for
    every row is None. None when the rows are not all of that shape. ``ids``: id() of the rows'
    numbers in tuples, in order."""
    rows = list(by_id.values())
    numbers = list(map(_NUMBERS, rows))
    kinds = set(map(type, numbers))
    lengths = set(map(len, numbers))
    figures = list(map(_FIGURE, rows))
    raws = list(map(_RAW, rows))
    if (list(by_id) != list(map(_ID, rows)) or not set(map(type, raws)) <= {tuple} or any(raws)
            or not (kinds == {tuple} and len(lengths) == 1 or kinds <= {list} and lengths <= {0})
            or not set(map(type, map(_BLANK, rows))) <= {list} or not set(map(type, figures)) <= {type(None), Fraction}
            or not set(map(type, map(_OK, rows))) <= {bool} or not set(map(type, map(_FLAGS, rows))) <= {dict}
            or not set(map(type, map(_VALUES, rows))) <= {dict} or not set(map(type, map(_ROW, rows))) <= {int}):
        return None
    code, text = codes.__getitem__, texts.__getitem__
    blank = [_code_bytes(list(map(text, b)), width) if b else None for b in map(_BLANK, rows)]
    flags = [f or None for f in map(_FLAGS, rows)]
    values = [v or None for v in map(_VALUES, rows)]
    has_figure = any(f is not None for f in figures)
    return (tuple(map(_ROW, rows)), _code_bytes(list(map(text, map(_ID, rows))), width),
            _code_bytes(list(map(text, map(_NAME, rows))), width), lengths.pop() if lengths else 0,
            _code_bytes(list(map(code, ids)), width) if kinds == {tuple} else None,
            tuple(blank) if any(blank) else None, tuple(flags) if any(flags) else None, bytes(map(_OK, rows)),
            tuple(values) if any(values) else None,
            tuple(None if f is None else f.numerator for f in figures) if has_figure else None,
            tuple(None if f is None else f.denominator for f in figures) if has_figure else None)


def _code_bytes(codes: list[int], width: int) -> bytes:
    if width == 1:
        return bytes(codes)
    wide = array("H", codes)
    if sys.byteorder == "big":
        wide.byteswap()
    return wide.tobytes()


def _codes(data: bytes, width: int) -> bytes | array[int]:
    if width == 1:
        return data
    wide = array("H")
    wide.frombytes(data)
    if sys.byteorder == "big":
        wide.byteswap()
    return wide


def unpacked(numbers: str, texts: tuple[str, ...], width: int, values: tuple[Any, ...],
              sheets: tuple[Any, ...]) -> FormData:
    """The FormData :func:`packed` described. Rows with no blank cell (and with no numbers) share one
    empty list, as :func:`pingxing.aggregate.slim` left them; equal figures and equal numbers (of the
    same text) share one object, in the form and across the forms a process keeps."""
    table: list[Any] = [_decimal(t) for t in numbers.split(",")] if numbers else []
    table += texts
    table += [None] * ((1 << 8 * width) - len(table))
    lookup: Callable[[int], Any] = table.__getitem__
    empty: list[Any] = []
    out: dict[str, SheetData] = {}
    for key, sheet, ledger, columns, letters in sheets:
        if columns is None:
            out[key] = sheet
            continue
        rows_at, ids, names, n, cells, blanks, flags, oks, got, nums, dens = columns
        count = len(rows_at)
        cells = list(map(lookup, _codes(cells, width))) if cells is not None else None
        nothing = (None,) * count
        rows: dict[str, Row] = {}
        for i, eid, name, r, blank, flag, ok, value, num, den in zip(
                range(0, count * n, n) if n else repeat(0, count), map(lookup, _codes(ids, width)),
                map(lookup, _codes(names, width)), rows_at, blanks or nothing, flags or nothing, oks,
                got or nothing, nums or nothing, dens or nothing, strict=True):
            rows[eid] = Row(eid, name, r, tuple(cells[i:i + n]) if cells is not None else empty,
                            {} if flag is None else flag, bool(ok), (),
                            list(map(lookup, _codes(blank, width))) if blank is not None else empty,
                            {} if value is None else value, None if num is None else _fraction(num, den))
        out[key] = SheetData(sheet, rows, ledger, letters)
    kw = dict(zip(_FORM_FIELDS, values, strict=True))
    kw["sheets"] = out
    return FormData(**kw)


_DECIMALS = Shared(Decimal)
_FRACTIONS = Shared(lambda key: Fraction(*key))


def _decimal(text: str) -> Decimal:
    """``Decimal(text)``, one object for equal texts (a process keeps many forms)."""
    return _DECIMALS[text]


def _fraction(numerator: int, denominator: int) -> Fraction:
    """``Fraction(numerator, denominator)``, one object for equal ones (a process keeps many forms)."""
    return _FRACTIONS[numerator, denominator]


def _reduce(data: FormData) -> tuple[Any, tuple[Any, ...]]:
    """How pickle takes a FormData apart (registered below): a form crosses from a worker to the
    main process and may wait on disk until it is rated, so it goes compact (:func:`packed`)."""
    return unpacked, packed(data)


copyreg.pickle(FormData, _reduce)
