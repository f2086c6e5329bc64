"""Fast scans of one sheet's XML for what python-calamine cannot show.

Error cells and formulas without a cached value (both read as '') in an .xlsx sheet
(:func:`scan_xlsx_flags`) or an .ods table (:func:`scan_ods_flags`), and the facts the layout
checks need (:func:`sheet_facts`: hidden rows/columns, merges, external links, dimension,
state, autofilter); plus the A1 column helpers.  Which scan a file gets is decided by its
recognised kind: :func:`pingxing.sniff.scan_sheet_flags`.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from openpyxl.utils import get_column_letter

from pingxing.intake.package import NS_MAIN, Package, attrs, sheet_xml


@dataclass(frozen=True)
class CellFlag:
    cell: str  # A1 reference
    code: str  # 'error-cell' | 'formula-not-calculated'
    raw: str  # '#DIV/0!' or the formula text '=SUM(A1:A3)'


@dataclass(frozen=True)
class SheetFacts:
    hidden_rows: tuple[int, ...] = ()
    hidden_columns: tuple[str, ...] = ()  # column ranges as in <cols>: 'C:C', 'F:XFD'
    merged_ranges: tuple[str, ...] = ()
    has_external_links: bool = False  # workbook-level
    dimension: str | None = None  # as declared; never trust it
    state: str = "visible"  # 'visible' | 'hidden' | 'veryHidden'
    has_autofilter: bool = False


_XNS = {"m": NS_MAIN[1:-1]}
_FLAGGED = etree.XPath('.//m:c[@t="e" or (m:f and (not(m:v) or (m:v="" and not(@t="str"))))]',
                       namespaces=_XNS)
_MASTERS = etree.XPath('.//m:f[@t="shared"][@ref]', namespaces=_XNS)
_F_TAG, _V_TAG = f"{NS_MAIN}f", f"{NS_MAIN}v"
_DOM_MAX = 4 * 1024 * 1024  # larger sheet XML is streamed row by row
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


col_letter = get_column_letter  # 1 -> 'A', 27 -> 'AA' (openpyxl's, a table lookup)


def col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n


def _chunks(data: bytes) -> Iterator[etree._Element]:
    """The parsed sheet, or for big sheets each <row> streamed and cleared behind."""
    if len(data) <= _DOM_MAX:
        yield etree.fromstring(data)
        return
    row_no = 0
    for _, row in etree.iterparse(io.BytesIO(data), tag=f"{NS_MAIN}row"):
        row_no = int(row.get("r") or row_no + 1)
        row.set("r", str(row_no))  # earlier rows are dropped: make _ref independent of them
        yield row
        row.clear(keep_tail=True)
        while row.getprevious() is not None:
            del row.getparent()[0]


def _pos(el: etree._Element | None, key: Callable[[str], int]) -> int:
    """Index of a row/cell from its r, or counted on from the last sibling that has one."""
    steps = 0
    while el is not None and not el.get("r"):
        steps, el = steps + 1, el.getprevious()
    return steps + (key(el.get("r", "")) if el is not None else 0)


def _ref(cell: etree._Element) -> str:
    ref = cell.get("r")
    if ref:
        return ref
    return f"{col_letter(_pos(cell, col_index))}{_pos(cell.getparent(), int)}"


def scan_xlsx_flags(data: bytes) -> list[CellFlag]:
    """One xlsx sheet's XML: `<c t="e">` -> 'error-cell' (raw '#DIV/0!'); `<f>` with no `<v>` or
    an empty `<v/>` (unless t="str", Excel's cached empty string) -> 'formula-not-calculated'
    (raw '=' + formula text; a shared-formula child reports its master's text unshifted).
    A sheet with no `<f` and no `t="e"` costs a substring search (~0.3 ms with the zip open);
    30 x 40 cells that are all uncached formulas take ~3 ms.  Sheet XML over 4 MiB is streamed.
    """
    if _T_E.search(data) is None and not _has_formula(data):  # <f>, <x:f …>; not <formula1> of data validations
        return []
    flags: list[CellFlag] = []
    shared: dict[str, str] = {}
    want_shared = b"shared" in data
    for chunk in _chunks(data):
        if want_shared:
            shared.update((f.get("si", ""), f.text or "") for f in _MASTERS(chunk))
        for c in _FLAGGED(chunk):
            if c.get("t") == "e":
                flags.append(CellFlag(_ref(c), "error-cell", c.findtext(_V_TAG) or ""))
                continue
            f = c[0] if c[0].tag == _F_TAG else c.find(_F_TAG)
            text = f.text or (shared.get(f.get("si", ""), "") if f.get("t") == "shared" else "")
            flags.append(CellFlag(_ref(c), "formula-not-calculated", "=" + text))
    return flags


_OT = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OC = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


def scan_ods_flags(path: Path | io.BytesIO, sheet_name: str) -> list[CellFlag]:
    """ods: calcext:value-type="error" -> 'error-cell' (raw = the shown text).  No
    uncached-formula check: LibreOffice writes a formula whose result is "" with no
    office:value-type at all, so an absent value type does not mean "not calculated"."""
    flags: list[CellFlag] = []
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        row = col = 0
        inside = seen = False
        for ev, el in etree.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if tag == f"{{{_OT}}}table":
                inside = ev == "start" and el.get(f"{{{_OT}}}name") == sheet_name
                seen = seen or inside
                if ev == "end":
                    el.clear()
                continue
            if not inside or ev != "end":
                continue
            if tag == f"{{{_OT}}}table-row":
                row += int(el.get(f"{{{_OT}}}number-rows-repeated", "1"))
                col = 0
                el.clear()
            elif tag in (f"{{{_OT}}}table-cell", f"{{{_OT}}}covered-table-cell"):
                ref = f"{col_letter(col + 1)}{row + 1}"
                col += int(el.get(f"{{{_OT}}}number-columns-repeated", "1"))
                if el.get(f"{{{_OC}}}value-type") == "error":
                    flags.append(CellFlag(ref, "error-cell", "".join(el.itertext()).strip()))
    if not seen:
        raise KeyError(f"sheet not found: {sheet_name!r}")
    return flags


_AUTOFILTER = re.compile(rb"<(?:\w+:)?autoFilter\b")


def _search_from(pattern: re.Pattern[bytes], data: bytes, word: bytes) -> re.Match[bytes] | None:
    """``pattern.search(data)`` for a pattern ``<(?:\\w+:)?word…``: no match can start before the
    '<' of the first mention of ``word``, so the scan starts there (not at every '<' of the sheet)."""
    first = data.find(word)
    return None if first < 0 else pattern.search(data, max(0, data.rfind(b"<", 0, first)))


_T_E = re.compile(rb"""t=(?:"e"|'e')""")  # ``t="e"`` or ``t='e'`` in one pass
_F_END = re.compile(rb"f[\s>/]")  # the end of every match of _FORMULA_TAG; rare in a sheet otherwise


def _has_formula(data: bytes) -> bool:
    """``_FORMULA_TAG.search(data) is not None``, in one quick pass for ``f`` followed by a space,
    ``>`` or ``/`` (how every ``<f>``/``<x:f …>`` tag goes on), each checked back to its ``<``:
    between a match's ``<`` and its ``f`` there are only word characters and ``:``, so the last
    ``<`` before such an ``f`` is where a match must start. Past a few false leads (text such as
    "of " in inline strings), the regex search from there decides: no match starts earlier."""
    for n, m in enumerate(_F_END.finditer(data)):
        start = data.rfind(b"<", 0, m.start())
        if n == 16:
            return _FORMULA_TAG.search(data, max(start, 0)) is not None
        if start >= 0 and _FORMULA_TAG.match(data, start):
            return True
    return False


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=[\"']([^\"']*)")
_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']([^\"']+)")


def sheet_facts(path: Path | Package, sheet_name: str, layout_only: bool = False) -> SheetFacts:
    """Hidden rows/columns, merged ranges, external links, declared dimension, sheet
    state and autofilter of one xlsx sheet.  For xls/ods returns an empty SheetFacts
    (calamine's `merged_cell_ranges` covers merges in xls).  Note: a sheet with
    `<sheetFormatPr zeroHeight="1">` hides every row not listed; not reported.
    ``layout_only``: what the layout checks use (hidden rows/columns, merges, external links,
    state); the dimension is then None and has_autofilter False, unlooked for."""
    found = sheet_xml(path if isinstance(path, Package) else Path(path), sheet_name)
    if found is None:
        return SheetFacts()
    data, state, external = found
    hidden_rows: list[int] = []
    hidden_cols: list[str] = []
    if b"hidden" in data:
        row_no = 0
        for m in re.finditer(rb"<(?:\w+:)?row\b([^>]*)>", data):
            ra = attrs(m[1])
            row_no = int(ra.get(b"r", row_no + 1))
            if ra.get(b"hidden") in (b"1", b"true"):
                hidden_rows.append(row_no)
        for m in re.finditer(rb"<(?:\w+:)?col\b([^>]*)>", data):
            ca = attrs(m[1])
            if ca.get(b"hidden") in (b"1", b"true"):
                lo, hi = int(ca.get(b"min", b"1")), int(ca.get(b"max", b"1"))
                hidden_cols.append(f"{col_letter(lo)}:{col_letter(hi)}")
    first = data.find(b"mergeCell")  # no match can start before the '<' of its first mention
    merged = tuple(m[1].decode() for m in _MERGE_CELL.finditer(data, max(0, data.rfind(b"<", 0, first))))\
        if first >= 0 else ()
    if layout_only:
        return SheetFacts(hidden_rows=tuple(hidden_rows), hidden_columns=tuple(hidden_cols),
                          merged_ranges=merged, has_external_links=external, state=state)
    dim = _DIMENSION.search(data)  # near the top
    return SheetFacts(
        hidden_rows=tuple(hidden_rows), hidden_columns=tuple(hidden_cols),
        merged_ranges=merged, has_external_links=external,
        dimension=dim[1].decode() if dim else None, state=state,
        has_autofilter=_search_from(_AUTOFILTER, data, b"autoFilter") is not None)
