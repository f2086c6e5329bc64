"""An export file's rows, whatever it came as: .xlsx, .xls or .csv (GB18030 or UTF-8 with BOM).

The reader is chosen by the file's first bytes, not its name (platform downloads get renamed,
and a ``.xls`` from 问卷星 may be anything): ``PK\\x03\\x04`` is a zip package (.xlsx), ``D0 CF 11
E0 A1 B1 1A E1`` an OLE2 compound file (.xls), anything else is read as CSV text. Cells come from
python-calamine as they are stored: ``''`` for empty, ``str``, ``float``, ``datetime``; never
pandas, whose NA coercion would turn a cell reading ``NA`` or ``None`` into a missing value.

CSV text is decoded strictly with ``utf-8-sig`` first, then ``gb18030`` (what 问卷星 and 腾讯问卷
give for "CSV", and what Excel's "CSV" gives on a Chinese Windows). A file neither decodes is an
error, not a guess.

Every failure is a :class:`~pingxing.errors.UserError` of one line naming the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pingxing.errors import UserError
from pingxing.intake.limits import oversized, too_large_problem
from pingxing.intake.package import Package
from pingxing.intake.sniff import sniff

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass(frozen=True)
class Table:
    """One sheet's cells; ``rows[i]`` is row ``i + 1`` as Excel shows it (CSV: record ``i + 1``)."""

    name: str
    rows: list[list[Any]]


def read_bytes(path: Path) -> bytes:
    """The file's bytes (read once: :func:`read_tables` and the caller's sha256 both work on them)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: 找不到文件，请检查路径") from None
    except OSError as e:
        raise UserError(f"{path}: 无法打开文件（{e.strerror or type(e).__name__}），请检查文件是否被占用或有无读取权限") from None


def read_tables(path: Path, data: bytes) -> list[Table]:
    """The sheets of a workbook, or the one table of a CSV file (``data``: the bytes of ``path``)."""
    if not data.strip():
        raise UserError(f"{path}: 文件是空的，请从问卷平台重新下载答卷数据")
    if data.startswith(XLSX_MAGIC) or data.startswith(XLS_MAGIC):
        return _workbook(path, data)
    return [Table(path.name, _csv_rows(path, data))]


def _workbook(path: Path, data: bytes) -> list[Table]:
    damaged = UserError(f"{path}: 无法读取该 Excel 文件（可能已损坏或设有密码），请从问卷平台重新下载答卷数据")
    # the checks a returned form gets before calamine opens it: size, a zip that inflates too far, a
    # password; a cell far away that would make calamine allocate the sheet's whole rectangle
    sniffed = sniff(path, data)
    if sniffed.code in ("too-large", "zip-bomb"):  # (damaged or locked: calamine's refusal says so, below)
        raise UserError(f"{path}: {sniffed.message}")
    try:
        package = Package(data, path) if data.startswith(XLSX_MAGIC) else None
    except Exception:  # (a damaged zip: calamine says it cannot read it, below)
        package = None
    far = oversized(package) if package is not None else None
    if far is not None:
        raise UserError(f"{path}: {too_large_problem(*far, file=path.name, sha256='').message}")
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
    except Exception:  # calamine raises several kinds (zip, xml, cfb, password): all mean "cannot read"
        raise damaged from None
    tables = []
    for name in names:
        try:  # skip_empty_area=False keeps row 1 of the sheet at index 0, so row numbers are Excel's
            tables.append(Table(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)))
        except Exception:  # a chart sheet or one damaged sheet: the export may be in another
            continue
    if not tables:
        raise damaged
    return tables


def _csv_rows(path: Path, data: bytes) -> list[list[Any]]:
    text = _decoded(path, data)
    if "\x00" in text:  # UTF-16 without BOM, or a binary file: not a CSV export
        raise UserError(f"{path}: 无法读取文件（不是 Excel 或 CSV 格式，可能已损坏），请从问卷平台重新下载答卷数据")
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise UserError(f"{path}: 无法读取该 CSV 文件（格式已损坏），请从问卷平台重新下载答卷数据") from None


def _decoded(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(
        f"{path}: 无法识别 CSV 文件的编码（应为 UTF-8 或 GB18030/GBK），请从问卷平台重新下载，或用 Excel 打开后另存为 .xlsx 再导入"
    )
