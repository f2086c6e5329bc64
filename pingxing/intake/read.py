"""Find returned workbooks, recognise them by content and read their sheets once.

Every file under the input folder gets a :class:`FileRecord` saying what became of it
(read, skipped, rejected, duplicate of another) — nothing is silently ignored. A file that
is read becomes a :class:`Form`: its ``_meta`` key/values and the raw rows of each sheet,
as python-calamine returns them (``''`` for an empty cell). Nothing here knows the rules
of a scheme; :mod:`pingxing.validate` does that.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from pingxing.cells import normalize_header, normalize_text
from pingxing.intake import limits, sniff
from pingxing.intake.package import Package
from pingxing.problems import Problem, problem
from pingxing.scheme.model import META_SHEET
from pingxing.storage import readable_name

ROSTER_SHEET = "_roster"
#: Files the tool itself writes into the input folder's neighbourhood and must not read.
IGNORED_NAMES = {"manifest.json"}


@dataclass(frozen=True)
class FileRecord:
    """What became of one file found under the input folder (listed in the manifest)."""

    file: str
    sha256: str
    status: str  # read | skipped | rejected | duplicate
    why: str = ""
    duplicate_of: str = ""


@dataclass
class Form:
    """One returned workbook, read once."""

    path: Path
    file: str  # path relative to the input folder, POSIX style, for messages
    sha256: str
    meta: dict[str, str]
    sheet_names: list[str]
    rows: dict[str, list[list[Any]]] = field(default_factory=dict)
    package: Package | None = None  # the workbook's zip, opened once (xlsx/ods read from bytes)
    hidden_sheets: frozenset[str] = frozenset()  # sheets hidden in Excel (old copies, lookup lists)

    @property
    def source(self) -> Path | Package:
        """What the sheet-XML checks look into: the zip opened once, else the file."""
        return self.package if self.package is not None else self.path

    def problem(self, code: str, variant: str = "", **kw: Any) -> Problem:
        """A problem of this file, its message from the catalogue (``kw``: where, and the template's fields)."""
        return problem(code, variant, file=self.file, sha256=self.sha256, **kw)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def open_file(path: Path, rel: str) -> tuple[FileRecord, Form | None, list[Problem]]:
    """One file: hash, recognise, read once. The record says what became of it ("read" when
    a form comes back); the duplicate rule is the caller's (see :func:`duplicate`).
    The file is read from disk once: hashing, recognising, the layout checks, python-calamine
    and the error-cell scan all work on the same bytes."""
    try:
        data = path.read_bytes() if path.stat().st_size <= sniff.MAX_FILE_BYTES else None  # larger: refused
        digest = hashlib.sha256(data).hexdigest() if data is not None else sha256_of(path)
    except OSError as e:  # gone since the folder was listed, or not readable (permissions, a lock)
        gone = problem("vanished-file" if isinstance(e, FileNotFoundError) else "unreadable", file=rel)
        return FileRecord(rel, "", "rejected", gone.message), None, [gone]
    on_disk = "/".join(path.parts[-rel.count("/") - 1:])  # (``rel`` is already the name as the clerk reads it)
    named = [] if readable_name(on_disk) == on_disk else [  # a name on disk not UTF-8: read, named readably
        problem("file-name-encoding", file=rel, sha256=digest, name=rel)]
    package = _package(data, path)
    found = sniff.sniff(path, data, package)
    if found.kind == "skip":
        return FileRecord(rel, digest, "skipped", found.message or found.code or ""), None, named
    if found.kind == "problem":
        return (FileRecord(rel, digest, "rejected", found.message or ""), None,
                [*named, Problem(found.code or "unreadable", found.message or "", file=rel, sha256=digest)])  # (worded by sniff)
    form, trouble = read_form(path, rel, digest, data, package)
    if form is None:
        return (FileRecord(rel, digest, "rejected", trouble.message if trouble else ""), None,
                [*named, *([trouble] if trouble else [])])
    return FileRecord(rel, digest, "read"), form, named


def duplicate(record: FileRecord, first: str) -> tuple[FileRecord, list[Problem]]:
    """A file read after another with the same sha256 (in sorted path order) counts once."""
    return (FileRecord(record.file, record.sha256, "duplicate", "与另一文件内容完全相同，只计一次", first),
            [problem("duplicate-file", file=record.file, sha256=record.sha256, first=first)])


def _package(data: bytes | None, path: Path) -> Package | None:
    """The file's bytes opened as a zip, once for recognising and reading; None when they are
    not one (xls, a damaged zip: recognition then decides as before, on the bytes)."""
    if data is None or not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return None
    try:
        return Package(data, path)
    except Exception:  # sniff opens the bytes itself and says why
        return None


def read_form(path: Path, rel: str, digest: str, data: bytes | None = None,
              package: Package | None = None) -> tuple[Form | None, Problem | None]:
    """Read one recognised file; ``data``: its bytes when already read (else read here);
    ``package``: those bytes opened as a zip already."""
    if data is None:
        data = path.read_bytes()
    if package is None:
        try:
            package = Package(data, path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            package = None  # xls (OLE2), or a zip the reader will call damaged
    far = limits.oversized(package if package is not None else path)  # before calamine allocates the sheet's whole rectangle
    if far is not None:
        return None, limits.too_large_problem(*far, file=rel, sha256=digest)
    try:  # from_filelike sniffs the content; from_path trusts the extension
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as e:  # calamine signals damage, passwords, formats with several types
        name = type(e).__name__
        if "Password" in name:
            return None, problem("encrypted", file=rel, sha256=digest)
        return None, problem("damaged-file", "calamine", file=rel, value=name, sha256=digest)
    try:
        names = list(wb.sheet_names)
        hidden = frozenset(m.name for m in getattr(wb, "sheets_metadata", ()) if m.visible != SheetVisibleEnum.Visible)
        rows = {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in names}
    except Exception as e:
        return None, problem("damaged-file", "content", file=rel, value=type(e).__name__, sha256=digest)
    finally:
        wb.close()
    meta = _meta(rows.pop(META_SHEET, None))
    return Form(path, rel, digest, meta, names, rows, package, hidden), None


def _meta(rows: list[list[Any]] | None) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in rows or []:
        if len(row) >= 2 and normalize_header(row[0]) and normalize_header(row[0]) != "key":
            meta[normalize_header(row[0])] = normalize_text(row[1])
    return meta
