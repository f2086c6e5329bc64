"""A returned .xlsx opened once: its zip members inflated once, its parts found by relationship.

:class:`Package` holds a workbook's bytes and zip; recognition (:mod:`pingxing.sniff`), the size
and layout checks (:mod:`pingxing.inspect_sheet`) and the sheet scans (:mod:`pingxing.sheet_scan`)
share it.  :func:`sheet_xml` finds one sheet's XML by name via workbook.xml and its rels (never
by sheetN order), from a :class:`Package` or a path (the last files opened are kept).
"""
from __future__ import annotations

import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m[1].split(b":")[-1]: m[2] if m[3] is None else m[3] for m in _ATTR.finditer(raw)}


def workbook_part(zf: zipfile.ZipFile, read: Callable[[str], bytes] | None = None) -> str:
    """Zip member named by the package's officeDocument relationship (or the default)."""
    try:
        rels = (read or zf.read)("_rels/.rels")
    except KeyError:
        return "xl/workbook.xml"
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
        a = attrs(m[1])
        if a.get(b"Type", b"").endswith(b"/officeDocument"):
            target = a.get(b"Target", b"").decode("utf-8", "replace")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(target)
    return "xl/workbook.xml"


def rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    """A workbook's zip opened once, from its bytes: every check that looks inside the file
    (layout, error cells, sheet facts) shares it, and each part is inflated once.
    Raises :class:`zipfile.BadZipFile` when ``data`` is not a zip."""

    def __init__(self, data: bytes, path: Path | None = None) -> None:
        self.data = data
        self.path = Path(path) if path is not None else Path("workbook.xlsx")
        self.zf = zipfile.ZipFile(io.BytesIO(data))
        self._parts: dict[str, bytes] = {}
        self._book: tuple[str, Any, dict[str | None, str]] | None = None
        self._wb_part: str | None = None
        self._sheets: dict[str, tuple[str, str]] | None = None
        self._lower: dict[str, str] | None = None
        self._external = False

    def read(self, name: str) -> bytes:
        """A zip member's bytes, inflated once."""
        data = self._parts.get(name)
        if data is None:
            data = self._inflated(name)
            data = self._parts[name] = data if data is not None else self.zf.read(name)
        return data

    def _inflated(self, name: str) -> bytes | None:
        """``self.zf.read(name)`` for a plain deflated member, inflated in one call from the bytes
        (zipfile's reader object costs as much again for a sheet); None (let zipfile read it, and
        say what is wrong) unless its local header, its whole stream, its size and its CRC-32 are
        as the central directory says — then zipfile would give these same bytes."""
        info = self.zf.NameToInfo.get(name)
        if info is None or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x61:
            return None  # (encrypted, patched or strongly encrypted: zipfile raises)
        start = info.header_offset
        head = self.data[start:start + 30]
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            return None
        flags, = struct.unpack_from("<H", head, 6)
        name_len, extra_len = struct.unpack_from("<HH", head, 26)
        raw_name = self.data[start + 30:start + 30 + name_len]
        try:
            if raw_name.decode("utf-8" if flags & 0x800 else "cp437") != info.orig_filename:
                return None
        except UnicodeDecodeError:
            return None
        start += 30 + name_len + extra_len
        stream = memoryview(self.data)[start:start + info.compress_size]
        if len(stream) != info.compress_size:
            return None
        try:  # the whole stream, or zlib.error (a truncated one too)
            out = zlib.decompress(stream, -15, max(info.file_size, 1))
        except zlib.error:
            return None
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            return None
        return out

    def workbook_part(self) -> str:
        """The officeDocument part (see :func:`workbook_part`), found once."""
        if self._wb_part is None:
            self._wb_part = workbook_part(self.zf, self.read)
        return self._wb_part

    def is_ooxml(self) -> bool:
        names = self.zf.NameToInfo
        return self.workbook_part() in names and "mimetype" not in names

    def book(self) -> tuple[str, Any, dict[str | None, str]]:
        """(workbook part, its parsed XML, relationship id → target), parsed once."""
        if self._book is None:
            wb_part = self.workbook_part()
            rels = etree.fromstring(self.read(rels_of(wb_part)))
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter("{*}Relationship")}
            self._book = (wb_part, etree.fromstring(self.read(wb_part)), targets)
        return self._book

    def sheet_xml(self, sheet_name: str) -> tuple[bytes, str, bool] | None:
        """What :func:`sheet_xml` returns, for this package."""
        if self._sheets is None:
            if not self.is_ooxml():
                return None
            wb_part, book, targets = self.book()
            sheets: dict[str, tuple[str, str]] = {}
            for sh in book.iter(f"{NS_MAIN}sheet"):
                target = targets.get(sh.get(f"{NS_REL}id"), "")
                part = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(posixpath.dirname(wb_part), target))
                sheets.setdefault(sh.get("name"), (part, sh.get("state", "visible")))
            self._lower = {n.lower(): n for n in self.zf.namelist()}
            self._external = any(n.startswith("xl/externallinks/") for n in self._lower)
            self._sheets = sheets
        if sheet_name not in self._sheets:
            raise KeyError(f"sheet not found: {sheet_name!r}")
        assert self._lower is not None
        part, state = self._sheets[sheet_name]
        return self.read(self._lower.get(part.lower(), part)), state, self._external


def sheet_xml(path: Path | Package, sheet_name: str) -> tuple[bytes, str, bool] | None:
    """(sheet XML, sheet state, workbook has external links) of an OOXML workbook, found
    via workbook.xml and its rels (never by sheetN order); None if not OOXML.  KeyError
    for an unknown sheet name.  ``path`` may be a :class:`Package` (the file read once);
    for a path, the last files opened are kept (keyed by the file's size and modification
    time): validating a sheet asks for its XML several times."""
    if isinstance(path, Package):
        return path.sheet_xml(sheet_name)
    try:
        st = Path(path).stat()
    except OSError:
        return None
    pkg = _package_at(str(path), st.st_size, st.st_mtime_ns)
    return pkg.sheet_xml(sheet_name) if pkg is not None else None


@functools.lru_cache(maxsize=2)
def _package_at(path: str, _size: int, _mtime_ns: int) -> Package | None:
    try:
        return Package(Path(path).read_bytes(), Path(path))
    except (zipfile.BadZipFile, OSError):
        return None

