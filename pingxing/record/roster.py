"""The roster (名册): who is rated, in which branch and unit.

One header row, then one row per member: ``单位``, ``支部``, ``编号``, ``姓名``; optional
``身份``, ``直属``, ``支部编号``. ``.xlsx`` (any sheet that has the header) or ``.csv`` in
UTF-8 (with or without BOM) or GBK. Every problem in the roster is collected and reported
at once, one line each, before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pingxing.cells import clean_text, normalize_header, normalize_id, normalize_text
from pingxing.errors import UserError

REQUIRED = ("单位", "支部", "编号", "姓名")
OPTIONAL = ("身份", "直属", "支部编号")


@dataclass(frozen=True)
class Member:
    unit: str
    branch: str
    id: str
    name: str
    identity: str = ""
    direct: bool = False
    branch_id: str = ""


@dataclass(frozen=True)
class Branch:
    unit: str
    name: str
    id: str
    direct: bool
    members: tuple[Member, ...]


def branch_id(unit: str, branch: str) -> str:
    """A stable 编号 for a branch without 支部编号: derived from its names."""
    return "B" + hashlib.sha256(f"{unit}/{branch}".encode()).hexdigest()[:8].upper()


def read(path: Path) -> list[Member]:
    if not path.is_file():
        raise UserError(f"{path}: 找不到名册文件，请检查路径")
    rows = read_rows(path)
    header_at = next(
        (i for i, row in enumerate(rows[:30]) if {"编号", "姓名"} <= {normalize_header(c) for c in row}),
        None,
    )
    if header_at is None:
        raise UserError(f"{path}: 没有找到表头行（应包含 {'、'.join(REQUIRED)} 列），请在第一行写上表头")
    header = [normalize_header(c) for c in rows[header_at]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise UserError(
            f"{path}: 第 {header_at + 1} 行表头缺少列“{'、'.join(missing)}”，"
            f"名册须有 {'、'.join(REQUIRED)} 四列"
        )
    col = {name: header.index(name) for name in REQUIRED + OPTIONAL if name in header}
    errors: list[str] = []
    members: list[Member] = []
    seen: dict[str, int] = {}
    for r, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        get = lambda name: _get(row, col.get(name))  # noqa: E731
        if not any(normalize_text(v) for v in row):
            continue
        blank = [name for name in REQUIRED if not get(name)]
        if blank:
            errors.append(f"{path}: 第 {r} 行缺少“{'、'.join(blank)}”，请补全或删除该行")
            continue
        mid = normalize_id(_raw(row, col["编号"]))
        if mid in seen:
            errors.append(f"{path}: 第 {r} 行编号“{mid}”与第 {seen[mid]} 行重复，编号必须唯一")
            continue
        seen[mid] = r
        unit, branch = get("单位"), get("支部")
        members.append(
            Member(
                unit=unit,
                branch=branch,
                id=mid,
                name=get("姓名"),
                identity=get("身份"),
                direct=get("直属") == "是",
                branch_id=normalize_id(_raw(row, col.get("支部编号"))) or branch_id(unit, branch),
            )
        )
    if errors:
        raise UserError("\n".join(errors))
    if not members:
        raise UserError(f"{path}: 名册中没有人员，请在表头下方逐行填写")
    return members


def branches(members: list[Member]) -> list[Branch]:
    """Distinct (单位, 支部) pairs in roster order, each with its members."""
    order: dict[tuple[str, str], list[Member]] = {}
    for m in members:
        order.setdefault((m.unit, m.branch), []).append(m)
    return [
        Branch(unit=u, name=b, id=ms[0].branch_id, direct=any(m.direct for m in ms), members=tuple(ms))
        for (u, b), ms in order.items()
    ]


def read_rows(path: Path) -> list[list[Any]]:
    """The rows of a CSV (UTF-8 or GBK) or of the sheet of a workbook that has a 编号/姓名 header."""
    return _read_csv(path) if path.suffix.lower() == ".csv" else _read_workbook(path)


def _raw(row: list[Any], i: int | None) -> Any:
    return row[i] if i is not None and i < len(row) else ""


def _get(row: list[Any], i: int | None) -> str:
    return clean_text(_raw(row, i))


def _read_workbook(path: Path) -> list[list[Any]]:
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises several kinds; all mean "cannot read"
        raise UserError(f"{path}: 无法读取名册（{type(e).__name__}），请用 Excel 另存为 .xlsx 后重试") from None
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if any({"编号", "姓名"} <= {normalize_header(c) for c in row} for row in rows[:30]):
            return rows
    first = wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)
    return first


def _read_csv(path: Path) -> list[list[Any]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise UserError(f"{path}: 无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")
    return [list(r) for r in csv.reader(io.StringIO(text))]
