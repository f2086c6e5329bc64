"""How the workbooks sent out look: the fill of the cells to fill, the header, protection,
Excel data validation for a column's type, range or choices, and text that stays text."""

from __future__ import annotations

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pingxing.cells import fmt_decimal
from pingxing.scheme.components import Column

FILL = PatternFill("solid", fgColor="FFF9E5")


HEAD = PatternFill("solid", fgColor="DDEBF7")


THIN = Side(style="thin", color="999999")


BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


UNLOCKED = Protection(locked=False)


def text_cell(ws: Worksheet, row: int, col: int, value: str) -> Cell:
    """Write text that stays text: a name such as ``=1+1`` is never turned into a formula."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value:
        cell.data_type = "s"
    return cell


def write_title(ws: Worksheet, text: str, instructions: str, last: str) -> None:
    ws["A1"] = text
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = instructions or "请在浅黄色格子中填写。"
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 32


def write_header(ws: Worksheet, row: int, heads: list[str]) -> None:
    for j, text in enumerate(heads, 1):
        cell = ws.cell(row, j, text)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD, BOX
        cell.alignment = Alignment(horizontal="center", wrap_text=True)


def protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


def validation(col: Column, ref: str) -> DataValidation:
    choices = ",".join(col.choices)
    if col.type == "choice" and len(choices) <= 250:
        dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        dv.error = f"请从下拉列表中选择：{'/'.join(col.choices)}"
    elif col.type == "number":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=fmt_decimal(col.max),
                            allow_blank=True)
        dv.error = f"请填写 0 到 {fmt_decimal(col.max)} 之间的数字；未评请留空，不要填 0"
    elif col.type == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "请填写 0 或正整数（人数、票数）"
    elif col.type == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
        dv.error = "请填写日期，如 2026-03-15"
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="200", allow_blank=True)
        dv.error = "文字过长（最多 200 字）"
    dv.errorTitle, dv.showErrorMessage = "输入有误", True
    dv.add(ref)
    return dv
