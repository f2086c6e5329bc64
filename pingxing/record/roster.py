"""The roster (名册): who is rated, in which branch and unit.

One header row, then one row per member: ``单位``, ``支部``, ``编号``, ``姓名``; optional
``身份``, ``直属``, ``支部编号`` — or the names clerks also give them (:data:`ALIASES`: 党支部,
党员编号, 单位名称 …). ``.xlsx`` (any sheet that has the header), ``.csv`` in UTF-8 (with or without
BOM) or GBK, or Excel's “Unicode 文本” (UTF-16, tab-separated). Every problem in the roster is
collected and reported at once, one line each naming its row, before anything is written:

* a 编号 (or 支部编号) stored as a number longer than Excel keeps (15 digits), or saved to CSV as
  ``1.10101E+17``, is refused — the digits are gone;
* a 支部编号 given to two branches, or two 支部编号 for one branch, is refused: a branch is never
  merged into another;
* a roster without 编号 is refused with what to add (序号 is a row number, not an id): ids are the
  thread through every period, so they are never made up from row order or names;
* control characters are dropped (a workbook could not hold them).

:func:`read` returns the members as they are; :func:`branches` groups them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from pingxing.cells import ID_DIGITS_KEPT, clean_text, digits_lost, normalize_header, normalize_id, normalize_text
from pingxing.errors import InputError

REQUIRED = ("单位", "支部", "编号", "姓名")
OPTIONAL = ("身份", "直属", "支部编号")
#: other names clerks give the same columns (read as the column itself)
ALIASES = {
    "单位名称": "单位", "所在单位": "单位",
    "党支部": "支部", "支部名称": "支部", "党支部名称": "支部", "所在支部": "支部", "所在党支部": "支部",
    "党员编号": "编号", "人员编号": "编号",
    "党员姓名": "姓名",
    "党支部编号": "支部编号",
}
#: Excel keeps 15 significant digits of a number: a longer 编号 typed as one has lost digits
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")  # 1.10101E+17: how Excel shows (and saves to CSV) such a number
_CONTROL = re.compile("[\x00-\x1f\x7f]")  # (tabs and line breaks collapse to spaces before this)


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
    """A stable 编号 for a branch without 支部编号: derived from its names (the same as ever for
    names without ``/``; with one, from the pair itself, so that ``A/B``+``C`` and ``A``+``B/C`` differ)."""
    key = f"{unit}/{branch}" if "/" not in unit + branch else json.dumps([unit, branch], ensure_ascii=False)
    return "B" + hashlib.sha256(key.encode()).hexdigest()[:8].upper()


def read(path: Path) -> list[Member]:
    """Every member of the roster, in its order. Every mistake in it is collected and raised at
    once (:class:`~pingxing.errors.InputError`), one line each naming the row and what to do."""
    if not path.is_file():
        raise InputError(f"{path}: 找不到名册文件，请检查路径")
    rows = read_rows(path)
    header_at = next((i for i, row in enumerate(rows[:30]) if _is_header(row)), None)
    if header_at is None:
        raise InputError(f"{path}: 没有找到表头行（应包含 {'、'.join(REQUIRED)} 列），请在第一行写上表头")
    header = _canonical(rows[header_at])
    shown_header = "、".join(clean_text(c) for c in rows[header_at] if clean_text(c))
    if "编号" not in header:
        raise InputError(_without_ids(path, header_at, shown_header, rows, header))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"{path}: 第 {header_at + 1} 行表头缺少列“{'、'.join(missing)}”（现有：{shown_header}），"
            f"名册须有 {'、'.join(REQUIRED)} 四列"
        )
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if twice:
        raise InputError(f"{path}: 第 {header_at + 1} 行表头中“{'、'.join(twice)}”出现了不止一次（含同义的列名，"
                         f"如 支部/党支部），无法判断用哪一列；请删除多余的一列")
    col = {name: header.index(name) for name in REQUIRED + OPTIONAL if name in header}
    errors: list[str] = []
    members: list[Member] = []
    seen: dict[str, int] = {}
    branch_ids: dict[tuple[str, str], tuple[str, int]] = {}  # (单位, 支部) → (its 支部编号, first row)
    owners: dict[str, tuple[str, str, int]] = {}  # 支部编号 → (单位, 支部, first row)
    for r, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        get = lambda name: _get(row, col.get(name))  # noqa: E731
        if not any(normalize_text(v) for v in row):
            continue
        blank = [name for name in REQUIRED if not get(name)]
        if blank:
            errors.append(f"{path}: 第 {r} 行缺少“{'、'.join(blank)}”，请补全或删除该行")
            continue
        raw_id, raw_branch_id = _raw(row, col["编号"]), _raw(row, col.get("支部编号"))
        lost = next((f"{name}（显示为 {_as_shown(raw)}）" for name, raw in (("编号", raw_id), ("支部编号", raw_branch_id))
                     if _digits_lost(raw)), None)
        if lost:
            errors.append(f"{path}: 第 {r} 行{lost}被存成了数字，超过 {ID_DIGITS_KEPT} 位的数字 Excel 会改掉末尾几位；"
                          f"请把该列设为“文本”格式后重新输入完整编号")
            continue
        mid = normalize_id(_clean(raw_id))
        if mid in seen:
            errors.append(f"{path}: 第 {r} 行编号“{mid}”与第 {seen[mid]} 行重复，编号必须唯一")
            continue
        seen[mid] = r
        unit, branch = get("单位"), get("支部")
        given = normalize_id(_clean(raw_branch_id))
        bid = given or branch_id(unit, branch)
        first = branch_ids.setdefault((unit, branch), (bid, r))
        if first[0] != bid:
            errors.append(f"{path}: 第 {r} 行“{unit} {branch}”的支部编号“{given}”与第 {first[1]} 行的“{first[0]}”不同，"
                          f"同一支部只能有一个支部编号；请改为一致")
            continue
        owner = owners.setdefault(bid, (unit, branch, r))
        if owner[:2] != (unit, branch):
            errors.append(f"{path}: 第 {r} 行“{unit} {branch}”的支部编号“{bid}”已用于第 {owner[2]} 行的“{owner[0]} {owner[1]}”，"
                          f"两个支部不能共用一个支部编号（否则会被当作同一个支部）；请改为各自的编号")
            continue
        members.append(
            Member(
                unit=unit,
                branch=branch,
                id=mid,
                name=get("姓名"),
                identity=get("身份"),
                direct=get("直属") == "是",
                branch_id=bid,
            )
        )
    if errors:
        raise InputError("\n".join(errors))
    if not members:
        raise InputError(f"{path}: 名册中没有人员，请在表头下方逐行填写")
    return members


def _canonical(row: list[Any]) -> list[str]:
    """A header row's cells as the column names they stand for (同义的列名 → 名册的列名)."""
    out = []
    for c in row:
        head = normalize_header(c)
        out.append(ALIASES.get(head, head))
    return out


def _is_header(row: list[Any]) -> bool:
    """Whether a row is the roster's header: 姓名 and two of 单位, 支部, 编号 (or their other names)."""
    names = set(_canonical(row))
    return "姓名" in names and len({"单位", "支部", "编号"} & names) >= 2


def _without_ids(path: Path, at: int, shown_header: str, rows: list[list[Any]], header: list[str]) -> str:
    """The message for a roster without 编号: why it is needed, and ids to give, shown on its first rows."""
    name_at = header.index("姓名")
    people = [clean_text(row[name_at]) for row in rows[at + 1:] if name_at < len(row) and clean_text(row[name_at])]
    example = "，".join(f"{name} → {k:04d}" for k, name in enumerate(people[:3], 1))
    serial = "；“序号”只是行号，每次排序都会变，不能当作编号" if "序号" in header else ""
    return (f"{path}: 第 {at + 1} 行表头没有“编号”列（现有：{shown_header}）{serial}。编号用来核对收回的表格和历年记录，"
            f"每人一个、以后各期沿用不变；请加一列“编号”，填党员编号、工号等，没有的可按顺序编号"
            + (f"（如 {example} ……）" if example else "") + "，保存后重新运行")


def _digits_lost(raw: Any) -> bool:
    """A 编号 stored as a number too long for Excel (or saved to CSV as ``1.10101E+17``)."""
    if isinstance(raw, float):
        return digits_lost(raw)
    return isinstance(raw, str) and _SCIENTIFIC.fullmatch(raw.strip()) is not None


def _as_shown(raw: Any) -> str:
    return f"{raw:.6G}" if isinstance(raw, float) else str(raw).strip()


def branches(members: list[Member]) -> list[Branch]:
    """Distinct (单位, 支部) pairs in roster order, each with its members."""
    order: dict[tuple[str, str], list[Member]] = {}
    for m in members:
        order.setdefault((m.unit, m.branch), []).append(m)
    return [
        Branch(unit=u, name=b, id=ms[0].branch_id, direct=any(m.direct for m in ms), members=tuple(ms))
        for (u, b), ms in order.items()
    ]


def read_rows(path: Path, is_header: Callable[[list[Any]], bool] | None = None) -> list[list[Any]]:
    """The rows of a CSV (UTF-8 or GBK) or of the sheet of a workbook that has a header ``is_header``
    knows (by default the roster's: 姓名 and two of 单位, 支部, 编号) in its first 30 rows (else the first sheet)."""
    with path.open("rb") as f:
        unicode_text = f.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Excel's “Unicode 文本”
    if path.suffix.lower() in (".csv", ".txt", ".tsv") or unicode_text:
        return _read_csv(path)
    return _read_workbook(path, is_header or _is_header)


def _raw(row: list[Any], i: int | None) -> Any:
    return row[i] if i is not None and i < len(row) else ""


def _clean(raw: Any) -> Any:
    """Control characters out of a text cell (a workbook written with the name could not be saved)."""
    return _CONTROL.sub("", raw) if isinstance(raw, str) else raw


def _get(row: list[Any], i: int | None) -> str:
    return _CONTROL.sub("", clean_text(_raw(row, i)))


def _read_workbook(path: Path, is_header: Callable[[list[Any]], bool]) -> list[list[Any]]:
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises several kinds; all mean "cannot read"
        raise InputError(f"{path}: 无法读取名册（{type(e).__name__}），请用 Excel 另存为 .xlsx 后重试") from None
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if any(is_header(row) for row in rows[:30]):
            return rows
    first = wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)
    return first


def _read_csv(path: Path) -> list[list[Any]]:
    """A CSV (UTF-8 with or without BOM, or GBK/GB18030), or Excel's “Unicode 文本” (UTF-16, tab-separated)."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{path}: 文件不完整或编码有误（Unicode 文本），请用 Excel 重新另存为 .xlsx 或 CSV") from None
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes almost anything
            raise InputError(f"{path}: 无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and first.count("\t") >= first.count(",") else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as e:  # (a field beyond the csv module's limit, a stray NUL …)
        raise InputError(f"{path}: 无法按表格读取（{e}），请用 Excel 打开后另存为 .xlsx 或 CSV 再试") from None
