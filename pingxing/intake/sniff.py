"""What a returned file is, by its content, and which of its cells calamine would misread.

`sniff(path)` decides by content, never by extension: 'xlsx' (also .xlsm, and xlsx
content named .et/.xls), 'xls' (OLE2 with a BIFF `Workbook`/`Book` stream; a WPS binary
.et of that shape too), 'ods', 'skip' (never a submission) or 'problem' (a submission
that cannot be read; `message` is one Chinese sentence a clerk can act on).
Skip codes: `lock-file` (`~$x.xlsx`, `.~lock.x#`: skipped silently, even when the lock
file holds a whole workbook), `hidden-file` (name starts with '.'), `system-file`
(Thumbs.db, desktop.ini, __MACOSX), `not-a-spreadsheet` (not zip/OLE2/HTML/XML content
and no spreadsheet extension: .txt .pdf .jpg ...).  Problem codes: see :mod:`pingxing.catalogue`;
`damaged-file` also covers unknown content under a spreadsheet extension,
`unsupported-format` covers OLE2 without a workbook stream, .xlsb, Excel 2003 XML and
CSV (a CSV cannot carry the form's other sheets).  Size limits are checked on the zip
central directory (declared sizes; nothing is inflated).

Findings with python-calamine 0.9.1 (each pinned by a test in tests/test_sniff.py):
* xlsx error cells and formulas without a cached value (openpyxl writes `<f>..</f><v></v>`)
  both read as '' - and an all-uncached trailing column vanishes from the rows.
* xls and ods written by LibreOffice 7.4: error cells read as '' too.  LibreOffice
  recalculates uncached formulas on load, so its files carry values.  ods errors
  (`calcext:value-type="error"`) are scanned; .xls is not (BIFF parsing: known gap).
* `from_path` picks the parser by extension (xlsx named .xls fails, xls named .xlsx
  fails, an unknown extension such as .et is sniffed); `from_filelike` sniffs content
  and reads all of them.  Open with `from_filelike`, or by the kind sniff returns.
* A WPS-style wrong `<dimension ref="A1"/>` is ignored: all rows come back (openpyxl
  read_only returns 1 row).  `merged_cell_ranges` works for xlsx/xls, is None for ods.
* Encrypted OOXML raises PasswordError.  A namespace-rewritten Strict file is read by
  calamine but openpyxl sees no sheets; it is reported either way.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import olefile

from pingxing.catalogue import message
from pingxing.intake.package import Package, rels_of, sheet_xml, workbook_part
from pingxing.intake.sheet_scan import CellFlag, scan_ods_flags, scan_xlsx_flags

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200
_RATIO_MIN_MEMBER = 1024 * 1024

_SHEET_EXTS = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".et", ".ett",
               ".ods", ".xlsb", ".csv"}
_ODS_MIME = (b"application/vnd.oasis.opendocument.spreadsheet",
             b"application/vnd.oasis.opendocument.spreadsheet-template")
_STRICT = b"http://purl.oclc.org/ooxml/"


@dataclass(frozen=True)
class Sniffed:
    kind: str  # 'xlsx' | 'xls' | 'ods' | 'skip' | 'problem'
    code: str | None = None
    message: str | None = None




def _problem(code: str, **fields: str) -> Sniffed:
    return Sniffed("problem", code, message(code, **fields))


def _skip(code: str, variant: str = "") -> Sniffed:
    return Sniffed("skip", code, message(code, variant))


def sniff(path: Path, data: bytes | None = None, package: Package | None = None) -> Sniffed:
    """Recognise one file by its content; see the module docstring for the codes.
    ``data``: the file's bytes when the caller has read them already (read once per file);
    ``package``: those bytes opened as a zip already (its members are then inflated once)."""
    path = Path(path)
    name = path.name
    if name.startswith(("~$", ".~lock.")):
        return _skip("lock-file")
    if name.startswith("."):
        return _skip("hidden-file")
    if name.lower() in ("thumbs.db", "desktop.ini") or "__MACOSX" in path.parts:
        return _skip("system-file")
    try:
        if data is not None:
            size, head = len(data), data[:2048]
        else:
            size = path.stat().st_size
            with path.open("rb") as fh:
                head = fh.read(2048)
    except OSError:
        return _problem("unreadable")
    source: Path | io.BytesIO = path if data is None else io.BytesIO(data)
    if size == 0:
        return _problem("empty-file")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _problem("too-large") if size > MAX_FILE_BYTES else _sniff_zip(source, package)
    if head.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        return _problem("too-large") if size > MAX_FILE_BYTES else _sniff_ole(source)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<head", b"<body",
                        b"<meta", b"<style", b"<!--", b"mime-version:")) or (
            text.startswith(b"<?xml") and b"<html" in text):
        return _problem("html-not-excel")
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return _problem("unsupported-format")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _problem("unsupported-format")
    if suffix in _SHEET_EXTS:
        return _problem("damaged-file")
    return _skip("not-a-spreadsheet", "skipped")


def _sniff_zip(path: Path | io.BytesIO, package: Package | None = None) -> Sniffed:
    try:
        if package is not None:
            return _sniff_members(package.zf, package.read, package)
        with zipfile.ZipFile(path) as zf:
            return _sniff_members(zf, zf.read)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            KeyError, NotImplementedError, RuntimeError, zlib.error):
        return _problem("damaged-file")


def _sniff_members(zf: zipfile.ZipFile, read: Callable[[str], bytes], package: Package | None = None) -> Sniffed:
    """What :func:`_sniff_zip` decides, on the zip opened (``read``: a member's bytes)."""
    infos = zf.infolist()
    if not infos:
        return _problem("damaged-file")
    if any(i.flag_bits & 0x1 for i in infos):
        return _problem("encrypted")
    for i in infos:
        if (i.file_size > _RATIO_MIN_MEMBER
                and i.file_size > MAX_RATIO * max(i.compress_size, 1)):
            return _problem("zip-bomb")
    if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED_BYTES:
        return _problem("too-large")
    names = {i.filename for i in infos}
    if "mimetype" in names:
        if read("mimetype").strip() not in _ODS_MIME:
            return _problem("not-a-spreadsheet")
        manifest = read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        return _problem("encrypted") if b"encryption-data" in manifest else Sniffed("ods")
    wb_part = package.workbook_part() if package is not None else workbook_part(zf, read)
    rels = [read(n) for n in ("_rels/.rels", rels_of(wb_part)) if n in names]
    if any(_STRICT in r for r in rels):
        return _problem("strict-ooxml")
    ctypes = read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if wb_part in names and wb_part.endswith(".bin"):
        return _problem("unsupported-format")
    if wb_part in names and (b"spreadsheetml" in ctypes or b"ms-excel" in ctypes
                             or wb_part.endswith("/workbook.xml")):
        return Sniffed("xlsx")
    if rels or ctypes:
        return _problem("not-a-spreadsheet")
    return _problem("zip-archive", contents=_zip_contents(infos))


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it: UTF-8 when flagged (bit 11), else the bytes
    zipfile decoded as cp437 are re-read as UTF-8 or, failing that, GB18030 (zips from
    Chinese Windows carry GBK names without the flag)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", "replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _zip_contents(infos: list[zipfile.ZipInfo], shown: int = 5) -> str:
    names = [_member_name(i) for i in infos if not i.is_dir()]
    more = f" 等 {len(names)} 个文件" if len(names) > shown else ""
    return f"（压缩包内有：{'、'.join(names[:shown])}{more}）" if names else ""


def _sniff_ole(path: Path | io.BytesIO) -> Sniffed:
    try:
        with olefile.OleFileIO(path if isinstance(path, io.BytesIO) else str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return _problem("encrypted")
            for stream in ("Workbook", "Book"):
                if ole.exists(stream):
                    data = ole.openstream(stream).read(65536)
                    return _problem("encrypted") if _biff_filepass(data) else Sniffed("xls")
            if ole.exists("WordDocument") or ole.exists("PowerPoint Document"):
                return _problem("not-a-spreadsheet")
            return _problem("unsupported-format")
    except (OSError, ValueError, struct.error, IndexError, TypeError):
        return _problem("damaged-file")


def _biff_filepass(data: bytes) -> bool:
    """True if the globals substream declares FILEPASS (0x002F) before its first sheet."""
    pos = 0
    for _ in range(200):
        if pos + 4 > len(data):
            return False
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == 0x002F:
            return True
        if rtype in (0x000A, 0x0085):  # EOF, BOUNDSHEET: past where FILEPASS may be
            return False
        pos += 4 + rlen
    return False


def scan_sheet_flags(path: Path | Package, sheet_name: str) -> list[CellFlag]:
    """Cells that calamine would show as '' although they are not blank, by the file's kind.

    xlsx: see `scan_xlsx_flags`.  ods: see `scan_ods_flags`.  xls: always [] (not scanned).
    Raises KeyError for an unknown sheet name; a damaged part raises the zipfile/lxml error.
    """
    if not isinstance(path, Package):
        path = Path(path)
    found = sheet_xml(path, sheet_name)
    if found is None:
        if isinstance(path, Package):
            kind = sniff(path.path, path.data).kind
            return scan_ods_flags(io.BytesIO(path.data), sheet_name) if kind == "ods" else []
        return scan_ods_flags(path, sheet_name) if sniff(path).kind == "ods" else []
    return scan_xlsx_flags(found[0])
