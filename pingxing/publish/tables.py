"""results.csv, results.xlsx and problems.csv.

Text that came from workbooks is neutralised: in CSV a value starting with ``=``, ``+``,
``-``, ``@`` (or a tab/CR) gets a leading apostrophe so a spreadsheet shows it as text;
in XLSX every text cell is written as a string, never as a formula.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..problems import CSV_COLUMNS, Problem
from ..rate import Rating
from ..rules.bands import STAR_WORDS
from ..schemes import NUMERIC_KINDS, Scheme
from .stable import FIXED_TIME, rezip

RESULT_COLUMNS = ["level", "unit", "branch", "id", "name", "score", "stars", "star_names", "grade", "status", "reason",
                  "prev_stars", "change", "actions"]
_RISKY = ("=", "+", "-", "@", "\t", "\r")
_HEAD = PatternFill("solid", fgColor="DDEBF7")
_STATUS_WORDS = {"rated": "已评定", "incomplete": "待补全", "disqualified": "取消资格"}


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(_RISKY) else value


def result_rows(scheme: Scheme, ratings: list[Rating]) -> list[dict[str, Any]]:
    sheets = [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
    rows = []
    for r in ratings:
        e = r.entity
        parts = r.component_scores(scheme.decimals)
        row: dict[str, Any] = {
            "level": r.level, "unit": e.unit, "branch": e.branch, "id": e.id, "name": e.name,
            "score": r.score, "stars": r.stars, "star_names": "、".join(r.star_names), "grade": r.grade,
            "status": r.status, "reason": r.reason,
            "prev_stars": r.prev_stars, "change": r.change, "actions": "、".join(r.actions),
        }
        for s in sheets:
            row[s] = parts.get(s)
        rows.append(row)
    return rows


def write_results_csv(path: Path, scheme: Scheme, ratings: list[Rating]) -> None:
    rows = result_rows(scheme, ratings)
    header = RESULT_COLUMNS + [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
    _write_csv(path, header, [[_csv_value(row[h]) for h in header] for row in rows])


def write_problems_csv(path: Path, problems: list[Problem]) -> None:
    _write_csv(path, CSV_COLUMNS, [[neutralise(p.as_row()[h]) for h in CSV_COLUMNS] for p in problems])


def _csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (Decimal, int)):
        return str(v)
    return neutralise(str(v))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def write_results_xlsx(path: Path, scheme: Scheme, ratings: list[Rating], problems: list[Problem]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "评定结果"
    sheets = [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
    header = ["单位", "支部", "编号", "姓名" if scheme.level == "member" else "名称", *sheets, "综合得分",
              "星级", "星级(数字)", "命名星", "等次", "状态", "说明"]
    _header(ws, header)
    fmt = "0." + "0" * scheme.decimals if scheme.decimals else "0"
    for row in result_rows(scheme, ratings):
        stars = row["stars"]
        values = [row["unit"], row["branch"], row["id"], row["name"], *[row[s] for s in sheets], row["score"],
                  ("★" * stars + "☆" * (5 - stars) + " " + STAR_WORDS[stars]) if stars is not None else "",
                  stars, row["star_names"], row["grade"], _STATUS_WORDS[row["status"]], row["reason"]]
        _append(ws, values, fmt)
    _fit(ws, header, wide={"说明": 50})
    pws = wb.create_sheet("问题清单")
    pheader = ["文件", "工作表", "单元格", "人员/支部", "级别", "问题及处理办法", "代码", "原值"]
    _header(pws, pheader)
    for p in problems:
        _append(pws, [p.file, p.sheet, p.cell, p.entity, "错误" if p.severity == "error" else "提示",
                      p.message, p.code, p.value], fmt)
    _fit(pws, pheader, wide={"问题及处理办法": 70, "文件": 30})
    wb.properties.creator = "pingxing"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.save(path)
    rezip(path)


def _header(ws: Worksheet, header: list[str]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), _HEAD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"


def _append(ws: Worksheet, values: list[Any], fmt: str) -> None:
    cells = []
    for v in values:  # cells built here and appended: ws[ws.max_row] would rescan the sheet per row
        cell = Cell(ws, value=None if v in (None, "") else (float(v) if isinstance(v, Decimal) else v))
        if isinstance(v, str) and v:
            cell.value = v
            cell.data_type = "s"  # text stays text: a name "=1+1" is not a formula
        elif isinstance(v, Decimal):
            cell.number_format = fmt
        cells.append(cell)
    ws.append(cells)


def _fit(ws: Worksheet, header: list[str], wide: dict[str, int]) -> None:
    longest = [4] * len(header)
    for row in ws.iter_rows(max_col=len(header), values_only=True):  # one pass over the sheet
        for j, v in enumerate(row):
            longest[j] = max(longest[j], _width(v))
    for j, h in enumerate(header, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(wide.get(h, 30), max(6, longest[j - 1] + 2))
    ws.auto_filter.ref = ws.dimensions


def _width(v: Any) -> int:
    s = "" if v is None else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)
