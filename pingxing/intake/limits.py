"""Limits checked before a workbook is read (BAD_FORMS.md row 10).

A sheet whose cells reach far out (a stray space typed in ``XFD1048576``) would make
python-calamine allocate the whole rectangle up to that cell (a 16384 x 1048576 area aborts
the process). :func:`oversized` finds such a sheet in the sheet XML before calamine is asked;
the file is then refused with ``sheet-too-large``. Cells that are only formatted are harmless.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from pingxing.intake.package import NS_REL, Package, rels_of, workbook_part
from pingxing.intake.sheet_scan import col_index, col_letter
from pingxing.problems import Problem, problem

#: The largest rectangle (rows x columns, from A1 to the furthest cell holding
#: something) a sheet may span; calamine stores it densely.
MAX_CELLS = 1_000_000


_TOKEN = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*?)(/?)>")


_EMPTY_C = re.compile(rb"\s*</(?:\w+:)?c>")


_R = re.compile(rb"""\br\s*=\s*["']([A-Za-z]*)(\d*)["']""")


_CELL_REF = re.compile(rb"""<c\b[^>]*?\br\s*=\s*["']([A-Z]{1,3})(\d{1,7})["']""")


# ------------------------------------------------------------------ before reading
def oversized(path: Path | Package) -> tuple[str, str] | None:
    """``(sheet, cell)`` of the first xlsx sheet spanning more than :data:`MAX_CELLS`, else None.

    ``cell`` is the cell holding something whose position took the sheet over the limit.
    Formatting-only cells (``<c r="C1048576" s="3"/>``, or ``...></c>`` as openpyxl writes
    them) hold nothing and do not count.
    Not an OOXML workbook (xls, ods) or not readable as one: None (the reader decides).
    ``path`` may be a :class:`~pingxing.package.Package` (the file read once; the sheet XML
    inflated here is kept for the later checks).
    """
    if isinstance(path, Package):
        return _oversized(path.zf, path.read, path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with zf:
        return _oversized(zf, zf.read)


def _oversized(zf: zipfile.ZipFile, read: Callable[[str], bytes],
               package: Package | None = None) -> tuple[str, str] | None:
    try:
        for name, part in _sheet_parts(zf, package):
            cell = _far_cell(read(part))
            if cell:
                return name, cell
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, etree.LxmlError, EOFError, RuntimeError):
        return None
    return None


def _sheet_parts(zf: zipfile.ZipFile, package: Package | None = None) -> list[tuple[str, str]]:
    wb_part = package.workbook_part() if package is not None else workbook_part(zf)  # the officeDocument part
    if wb_part not in zf.NameToInfo or "mimetype" in zf.NameToInfo:
        return []
    if package is not None:  # parsed once, for the later checks too
        _, book, targets = package.book()
    else:
        rels = etree.fromstring(zf.read(rels_of(wb_part)))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter("{*}Relationship")}
        book = etree.fromstring(zf.read(wb_part))
    names = {n.lower(): n for n in zf.namelist()}
    out = []
    for sh in book.iter("{*}sheet"):
        target = targets.get(sh.get(f"{NS_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(posixpath.dirname(wb_part), target))
        if part.lower() in names:
            out.append((sh.get("name", ""), names[part.lower()]))
    return out


def _far_cell(data: bytes) -> str | None:
    """The first cell holding something at which rows x columns exceeds MAX_CELLS."""
    if _within_bound(data):
        return None
    row = col = max_row = max_col = 0
    for m in _TOKEN.finditer(data):
        ref = _R.search(m[2])
        if m[1] == b"row":
            row = int(ref[2]) if ref and ref[2] else row + 1
            col = 0
            continue
        if ref and ref[1]:
            col = col_index(ref[1].decode())
            row = int(ref[2]) if ref[2] else row
        else:
            col += 1
        if m[3] or _EMPTY_C.match(data, m.end()):  # <c .../> or <c ...></c>: formatting only
            continue
        max_row, max_col = max(max_row, row), max(max_col, col)
        if max_row * max_col > MAX_CELLS:
            return f"{col_letter(col)}{row}"
    return None


def _within_bound(data: bytes) -> bool:
    """Fast path (one regex pass, no Python loop per cell): True when every ``<c>`` carries an
    ``r`` and the furthest row x the furthest column — counting formatting-only cells too, an
    upper bound — stays within MAX_CELLS. Otherwise the exact scan decides."""
    if _PREFIXED_C.search(data) is not None:
        return False  # prefixed cells: let the exact scan handle them
    if _NOT_SMALL.search(data) is None:  # every cell <c r="…"> within ZZ999: 702 x 999 cells at most
        return True
    if _coarse_bound(data):
        return True
    refs = _CELL_REF.findall(data)
    if len(refs) != data.count(b"<c ") + data.count(b"<c>"):
        return False
    if not refs:
        return True
    last_row = max(map(int, {r for _, r in refs}))
    widest = max({c for c, _ in refs}, key=lambda c: (len(c), c))
    return last_row * col_index(widest.decode()) <= MAX_CELLS


def _coarse_bound(data: bytes) -> bool:
    """The same bound in one regex pass when every cell is written ``<c r="…"`` (as Excel,
    WPS and openpyxl write them); False (let the general scan decide) otherwise."""
    refs = _PLAIN_REF.findall(data)
    if not refs:
        return data.count(b"<c ") + data.count(b"<c>") == 0
    cols, rows = zip(*refs, strict=True)
    if b"" in cols:  # a cell whose r is not its first attribute, or has none
        return False
    widest = max(set(cols), key=lambda c: (len(c), c))
    return max(map(int, set(rows))) * col_index(widest.decode()) <= MAX_CELLS


_PREFIXED_C = re.compile(rb":c[ >]")  # ``:c `` or ``:c>`` (an ``<x:c …>`` cell), in one pass


_NOT_SMALL = re.compile(rb'<c(?:>|\s(?!r="[A-Z]{1,2}\d{1,3}"))')  # a cell without such an r first
assert 702 * 999 <= MAX_CELLS


_PLAIN_REF = re.compile(rb'<c(?: r="([A-Z]{1,3})(\d{1,7})"|[ >])')


def too_large_problem(sheet: str, cell: str, file: str, sha256: str) -> Problem:
    return problem("sheet-too-large", file=file, sheet=sheet, cell=cell, sha256=sha256)
