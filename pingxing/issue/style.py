"""How the workbooks sent out look: the fill of the cells to fill, the header, protection,
Excel data validation for a column's type, range or choices, text that stays text, and how a
sheet prints (:func:`print_setup`: A4, landscape where wide, one page wide, the header rows and the
编号/姓名 columns on every page, a print area, a footer with the branch and the page number)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pingxing.cells import fmt_decimal
from pingxing.scheme.components import Column
from pingxing.scheme.model import META_SHEET

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


def write_meta(wb: Workbook, pairs: Iterable[tuple[str, str]]) -> Worksheet:
    """The hidden ``_meta`` sheet that says what a workbook is (scheme, period, kind or form_id …):
    ``key``/``value`` rows, read back by :func:`pingxing.intake.read.read_form`."""
    meta = wb.create_sheet(META_SHEET)
    for row in (("key", "value"), *pairs):
        meta.append(row)
    meta.sheet_state = "hidden"
    return meta


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


#: Excel column widths (characters) that fit an A4 portrait page at 100 %; wider sheets print landscape
PORTRAIT_WIDTH = 95


def _escaped(text: str) -> str:
    """Text for an Excel header or footer (``&`` starts a code there)."""
    return text.replace("&", "&&")


def print_setup(ws: Worksheet, last_col: int, last_row: int, title_rows: tuple[int, int] | None,
                who: str, title_cols: bool = True, tally: bool = False, one_page: bool = False) -> None:
    """A4, landscape when the columns are wider than a portrait page, scaled to one page wide (as many
    pages long as it takes); ``title_rows`` (first, last) and, with ``title_cols``, the 编号/姓名
    columns A:B printed on every page; the print area the filled rows; a footer with ``who`` (the
    branch or unit) and 第 n 页，共 m 页. ``tally``: a paper tally sheet (ballots): the signatures of
    the counters at the head of every page. ``one_page``: the whole sheet on one page (the 说明)."""
    widths = [ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, last_col + 1)]
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > PORTRAIT_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1 if one_page else 0
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if title_cols:
        ws.print_title_cols = "A:B"
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, 1)}"
    ws.oddFooter.left.text = _escaped(who)
    ws.oddFooter.left.size = 9
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
    ws.oddFooter.right.text = _escaped(ws.title)
    ws.oddFooter.right.size = 9
    if tally:
        ws.oddHeader.left.text = "计票人：__________　监票人：__________　日期：______年____月____日"
        ws.oddHeader.left.size = 10
