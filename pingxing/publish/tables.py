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

import xlsxwriter

from ..problems import CSV_COLUMNS, Problem
from ..rate import Rating
from ..rules.bands import STAR_WORDS
from ..schemes import NUMERIC_KINDS, Scheme
from .stable import FIXED_TIME, rezip

RESULT_COLUMNS = ["level", "unit", "branch", "id", "name", "score", "stars", "star_names", "grade", "status", "reason",
                  "prev_stars", "change", "actions"]
_RISKY = ("=", "+", "-", "@", "\t", "\r")
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
    """Written with XlsxWriter, row by row (constant memory: a province's results fit), every
    text as a string cell (never a formula), fixed document dates; then :func:`rezip`."""
    sheets = [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
    header = ["单位", "支部", "编号", "姓名" if scheme.level == "member" else "名称", *sheets, "综合得分",
              "星级", "星级(数字)", "命名星", "等次", "状态", "说明"]
    fmt = "0." + "0" * scheme.decimals if scheme.decimals else "0"
    rows = []
    for row in result_rows(scheme, ratings):
        stars = row["stars"]
        rows.append([row["unit"], row["branch"], row["id"], row["name"], *[row[s] for s in sheets], row["score"],
                     ("★" * stars + "☆" * (5 - stars) + " " + STAR_WORDS[stars]) if stars is not None else "",
                     stars, row["star_names"], row["grade"], _STATUS_WORDS[row["status"]], row["reason"]])
    pheader = ["文件", "工作表", "单元格", "人员/支部", "级别", "问题及处理办法", "代码", "原值"]
    prows: list[list[Any]] = [[p.file, p.sheet, p.cell, p.entity, "错误" if p.severity == "error" else "提示",
                               p.message, p.code, p.value] for p in problems]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"author": "pingxing", "created": FIXED_TIME})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter",
                          "text_wrap": True})
    number = wb.add_format({"num_format": fmt})
    _sheet(wb.add_worksheet("评定结果"), header, rows, head, number, wide={"说明": 50})
    _sheet(wb.add_worksheet("问题清单"), pheader, prows, head, number, wide={"问题及处理办法": 70, "文件": 30})
    wb.close()
    rezip(path)


def _sheet(ws: Any, header: list[str], rows: list[list[Any]], head: Any, number: Any, wide: dict[str, int]) -> None:
    longest = [_width(h) for h in header]
    for values in rows:
        for j, v in enumerate(values):
            longest[j] = max(longest[j], _width(v))
    for j, h in enumerate(header):
        ws.set_column(j, j, min(wide.get(h, 30), max(6, longest[j] + 2)))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(header) - 1)
    ws.write_row(0, 0, header, head)
    for i, values in enumerate(rows, 1):
        for j, v in enumerate(values):
            if isinstance(v, str):
                if v:
                    ws.write_string(i, j, v)  # text stays text: a name "=1+1" is not a formula
            elif isinstance(v, Decimal):
                ws.write_number(i, j, float(v), number)
            elif isinstance(v, (int, float)):
                ws.write_number(i, j, v)


def _width(v: Any) -> int:
    s = "" if v is None else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)
