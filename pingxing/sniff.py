"""File recognition and fast sheet-XML scans for returned workbooks.

`sniff(path)` decides by content, never by extension: 'xlsx' (also .xlsm, and xlsx
content named .et/.xls), 'xls' (OLE2 with a BIFF `Workbook`/`Book` stream; a WPS binary
.et of that shape too), 'ods', 'skip' (never a submission) or 'problem' (a submission
that cannot be read; `message` is one Chinese sentence a clerk can act on).
Skip codes: `lock-file` (`~$x.xlsx`, `.~lock.x#`: skipped silently, even when the lock
file holds a whole workbook), `hidden-file` (name starts with '.'), `system-file`
(Thumbs.db, desktop.ini, __MACOSX), `not-a-spreadsheet` (not zip/OLE2/HTML/XML content
and no spreadsheet extension: .txt .pdf .jpg ...).  Problem codes: see MESSAGES;
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

import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import olefile
from lxml import etree

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200
_RATIO_MIN_MEMBER = 1024 * 1024

_SHEET_EXTS = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".et", ".ett",
               ".ods", ".xlsb", ".csv"}
_ODS_MIME = (b"application/vnd.oasis.opendocument.spreadsheet",
             b"application/vnd.oasis.opendocument.spreadsheet-template")
_STRICT = b"http://purl.oclc.org/ooxml/"
_SAVE_AS = "请在 Excel 或 WPS 中另存为 Excel 工作簿(.xlsx)后重新发送"
MESSAGES: dict[str, str] = {
    "empty-file": "文件是空的(0 字节)，可能下载或复制失败，请重新发送",
    "damaged-file": "文件已损坏或不是 Excel 表格，无法打开，请重新发送",
    "too-large": "文件过大(超过 50 MB 或解压后超过 500 MB)，请删除表格中的图片等多余内容后重新发送",
    "zip-bomb": "文件内部数据异常(压缩比过高)，无法安全打开，请在 Excel 中另存为新的 .xlsx 后重新发送",
    "encrypted": "文件设有打开密码，请取消密码后重新发送",
    "strict-ooxml": "该文件为 Strict Open XML 格式，请在 Excel 中另存为普通的 Excel 工作簿(.xlsx)",
    "html-not-excel": "这是网页导出的文件，不是真正的 Excel 文件，请在 Excel 中另存为 .xlsx",
    "unsupported-format": "文件格式无法读取(如 WPS 专用格式、.xlsb、XML 表格或 CSV)，" + _SAVE_AS,
    "not-a-spreadsheet": "该文件不是 Excel 表格(可能是 Word 等其他文档)，请发送填写好的 Excel 表格",
    "zip-archive": "这是压缩包，请解压后发送其中的 Excel 表格",
    "unreadable": "文件无法读取(可能被占用或没有权限)，请关闭文件或重新复制后再试",
}


@dataclass(frozen=True)
class Sniffed:
    kind: str  # 'xlsx' | 'xls' | 'ods' | 'skip' | 'problem'
    code: str | None = None
    message: str | None = None


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


def _problem(code: str) -> Sniffed:
    return Sniffed("problem", code, MESSAGES[code])


def _skip(code: str, reason: str) -> Sniffed:
    return Sniffed("skip", code, reason)


def sniff(path: Path, data: bytes | None = None, package: Package | None = None) -> Sniffed:
    """Recognise one file by its content; see the module docstring for the codes.
    ``data``: the file's bytes when the caller has read them already (read once per file);
    ``package``: those bytes opened as a zip already (its members are then inflated once)."""
    path = Path(path)
    name = path.name
    if name.startswith(("~$", ".~lock.")):
        return _skip("lock-file", "Office/LibreOffice 锁文件(表格正被打开时产生)，不是提交的表格")
    if name.startswith("."):
        return _skip("hidden-file", "隐藏文件，不是提交的表格")
    if name.lower() in ("thumbs.db", "desktop.ini") or "__MACOSX" in path.parts:
        return _skip("system-file", "系统文件，不是提交的表格")
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
    return _skip("not-a-spreadsheet", "不是表格文件(按内容判断)，已跳过")


def _workbook_part(zf: zipfile.ZipFile, read: Callable[[str], bytes] | None = None) -> str:
    """Zip member named by the package's officeDocument relationship (or the default)."""
    try:
        rels = (read or zf.read)("_rels/.rels")
    except KeyError:
        return "xl/workbook.xml"
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
        a = _attrs(m[1])
        if a.get(b"Type", b"").endswith(b"/officeDocument"):
            target = a.get(b"Target", b"").decode("utf-8", "replace")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(target)
    return "xl/workbook.xml"


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


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
    wb_part = package.workbook_part() if package is not None else _workbook_part(zf, read)
    rels = [read(n) for n in ("_rels/.rels", _rels_of(wb_part)) if n in names]
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
    return Sniffed("problem", "zip-archive", MESSAGES["zip-archive"] + _zip_contents(infos))


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


# ---------------------------------------------------------------- sheet scans
_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_XNS = {"m": _M[1:-1]}
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FLAGGED = etree.XPath('.//m:c[@t="e" or (m:f and (not(m:v) or (m:v="" and not(@t="str"))))]',
                       namespaces=_XNS)
_MASTERS = etree.XPath('.//m:f[@t="shared"][@ref]', namespaces=_XNS)
_F_TAG, _V_TAG = f"{_M}f", f"{_M}v"
_DOM_MAX = 4 * 1024 * 1024  # larger sheet XML is streamed row by row
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m[1].split(b":")[-1]: m[2] if m[3] is None else m[3] for m in _ATTR.finditer(raw)}


def col_letter(n: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n


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
        """The officeDocument part (see :func:`_workbook_part`), found once."""
        if self._wb_part is None:
            self._wb_part = _workbook_part(self.zf, self.read)
        return self._wb_part

    def is_ooxml(self) -> bool:
        names = self.zf.NameToInfo
        return self.workbook_part() in names and "mimetype" not in names

    def book(self) -> tuple[str, Any, dict[str | None, str]]:
        """(workbook part, its parsed XML, relationship id → target), parsed once."""
        if self._book is None:
            wb_part = self.workbook_part()
            rels = etree.fromstring(self.read(_rels_of(wb_part)))
            targets = {r.get("Id"): r.get("Target", "") for r in rels.iter("{*}Relationship")}
            self._book = (wb_part, etree.fromstring(self.read(wb_part)), targets)
        return self._book

    def sheet_xml(self, sheet_name: str) -> tuple[bytes, str, bool] | None:
        """What :func:`_sheet_xml` returns, for this package."""
        if self._sheets is None:
            if not self.is_ooxml():
                return None
            wb_part, book, targets = self.book()
            sheets: dict[str, tuple[str, str]] = {}
            for sh in book.iter(f"{_M}sheet"):
                target = targets.get(sh.get(f"{_NS_R}id"), "")
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


def _sheet_xml(path: Path | Package, sheet_name: str) -> tuple[bytes, str, bool] | None:
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


def _chunks(data: bytes) -> Iterator[etree._Element]:
    """The parsed sheet, or for big sheets each <row> streamed and cleared behind."""
    if len(data) <= _DOM_MAX:
        yield etree.fromstring(data)
        return
    row_no = 0
    for _, row in etree.iterparse(io.BytesIO(data), tag=f"{_M}row"):
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
    return f"{col_letter(_pos(cell, _col_index))}{_pos(cell.getparent(), int)}"


def scan_sheet_flags(path: Path | Package, sheet_name: str) -> list[CellFlag]:
    """Cells that calamine would show as '' although they are not blank.

    xlsx: `<c t="e">` -> 'error-cell' (raw '#DIV/0!'); `<f>` with no `<v>` or an empty
    `<v/>` (unless t="str", Excel's cached empty string) -> 'formula-not-calculated'
    (raw '=' + formula text; a shared-formula child reports its master's text unshifted).
    ods: see `_scan_ods`.  xls: always [] (not scanned).  Raises KeyError for an
    unknown sheet name; a damaged part raises the zipfile/lxml error.  A sheet with no
    `<f` and no `t="e"` costs a substring search (~0.3 ms with the zip open); 30 x 40
    cells that are all uncached formulas take ~3 ms.  Sheet XML over 4 MiB is streamed.
    """
    if not isinstance(path, Package):
        path = Path(path)
    found = _sheet_xml(path, sheet_name)
    if found is None:
        if isinstance(path, Package):
            kind = sniff(path.path, path.data).kind
            return _scan_ods(io.BytesIO(path.data), sheet_name) if kind == "ods" else []
        return _scan_ods(path, sheet_name) if sniff(path).kind == "ods" else []
    data = found[0]
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


def _scan_ods(path: Path | io.BytesIO, sheet_name: str) -> list[CellFlag]:
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
    found = _sheet_xml(path if isinstance(path, Package) else Path(path), sheet_name)
    if found is None:
        return SheetFacts()
    data, state, external = found
    hidden_rows: list[int] = []
    hidden_cols: list[str] = []
    if b"hidden" in data:
        row_no = 0
        for m in re.finditer(rb"<(?:\w+:)?row\b([^>]*)>", data):
            ra = _attrs(m[1])
            row_no = int(ra.get(b"r", row_no + 1))
            if ra.get(b"hidden") in (b"1", b"true"):
                hidden_rows.append(row_no)
        for m in re.finditer(rb"<(?:\w+:)?col\b([^>]*)>", data):
            ca = _attrs(m[1])
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
