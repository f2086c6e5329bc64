"""The printable 测评票 of a ``grade_votes`` sheet (民主评议): one row per member of the branch, a box
per grade to tick. The branch prints one for each member taking part and hands them out at the
meeting; the tallies go into the 互评 sheet. It is for paper only: never read back.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pingxing import periods
from pingxing.issue.style import BOX, print_setup, protect, text_cell, write_header
from pingxing.scheme.components import GradeVotesComponent

BOX_MARK = "□"
DEFAULT_INSTRUCTIONS = "请在每位党员对应的等次下的方框内打“√”，每人只选一个等次；都不选视为弃权，多选无效。"


def add_ballots(wb: Workbook, components: list[Any], target: Any, period: str) -> None:
    """A printable ballot sheet for each ``grade_votes`` component that asks for one."""
    for c in components:
        if isinstance(c, GradeVotesComponent) and c.ballot is not None:
            write_ballot(wb.create_sheet(c.ballot.sheet), c, target, period)
            if "说明" in wb.sheetnames:  # the guide says what the extra sheet is for
                guide = wb["说明"]
                text_cell(guide, guide.max_row + 2, 1, f"【{c.ballot.sheet}】打印后发给参加评议的党员，每人一份；"
                          f"收回后按票统计，填入“{c.sheet}”表。此表不需填写，也不会被读取。")


def write_ballot(ws: Worksheet, component: GradeVotesComponent, target: Any, period: str) -> None:
    spec = component.ballot
    assert spec is not None
    grades = component.grades
    last = get_column_letter(2 + len(grades))
    ws["A1"] = f"{target.unit}{target.branch}{periods.in_words(period)}{spec.title or spec.sheet}"
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = spec.instructions or DEFAULT_INSTRUCTIONS
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 36
    write_header(ws, 3, ["序号", "姓名", *grades])
    for i, (_eid, name, _identity) in enumerate(target.entities, 1):
        r = 3 + i
        ws.cell(r, 1, i).alignment = Alignment(horizontal="center")
        text_cell(ws, r, 2, name)
        for j in range(3, 3 + len(grades)):
            cell = ws.cell(r, j, BOX_MARK)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.font = Font(size=14)
        for j in range(1, 3 + len(grades)):
            ws.cell(r, j).border = BOX
        ws.row_dimensions[r].height = 24
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 16
    for j in range(3, 3 + len(grades)):
        ws.column_dimensions[get_column_letter(j)].width = 12
    # prints as the other sheets: A4 one page wide, the header row on every page, the branch in the footer
    print_setup(ws, 2 + len(grades), 3 + len(target.entities), (3, 3), f"{target.unit}{target.branch}", title_cols=False)
    protect(ws)
