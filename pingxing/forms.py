"""Write the blank standard workbooks (CONTRACT.md "The standard workbook").

Member schemes: one workbook per branch, its members prefilled in roster order. Each
component gets a sheet with a title, an instruction line, a header row (``编号``,
``姓名``, then the scheme's column headers) and one row per member. Only the cells to
fill are unlocked, each with Excel data validation for its range or choices. A ``说明``
sheet explains how to fill the form; hidden ``_meta`` and ``_roster`` sheets let ``run``
check the form and know who should be on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import periods
from .roster import Branch, Member
from .schemes import (
    BallotsComponent,
    FlagsComponent,
    ItemsComponent,
    Scheme,
    ScoreComponent,
)

FILL = PatternFill("solid", fgColor="FFF9E5")
HEAD = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class Column:
    """One column to fill: header, and either a numeric max or a list of choices."""

    header: str
    max: object = None
    choices: tuple[str, ...] = ()
    label: str = ""


def columns_of(component: object) -> list[Column]:
    if isinstance(component, ItemsComponent):
        return [Column(code, item.max, label=item.label) for code, item in component.columns()]
    if isinstance(component, BallotsComponent):
        return [Column(h, component.max) for h in component.headers()]
    if isinstance(component, ScoreComponent):
        return [Column(c.header, c.max) for c in component.columns]
    if isinstance(component, FlagsComponent):
        return [Column(c.header, choices=tuple(c.choices or ())) for c in component.columns]
    raise TypeError(component)


def write_all(scheme: Scheme, branches: list[Branch], period: str, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    stamp = datetime.now().replace(microsecond=0).isoformat()
    for branch in branches:
        path = out_dir / _file_name(branch, scheme, period)
        wb = build(scheme, branch, period, stamp)
        tmp = path.with_name(path.name + ".part")
        wb.save(tmp)
        tmp.replace(path)
        written.append(path)
    return written


def _file_name(branch: Branch, scheme: Scheme, period: str) -> str:
    raw = f"{branch.unit}-{branch.name}-{scheme.name}-{period}.xlsx"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", raw)


def build(scheme: Scheme, branch: Branch, period: str, generated_at: str) -> Workbook:
    wb = Workbook()
    guide = wb.active
    guide.title = "说明"
    _write_guide(guide, scheme, branch, period)
    for component in scheme.components:
        _write_component(wb.create_sheet(component.sheet), scheme, component, branch, period)
    _write_roster(wb.create_sheet("_roster"), branch.members)
    meta = wb.create_sheet("_meta")
    for row in (
        ("key", "value"),
        ("scheme", scheme.name),
        ("period", period),
        ("unit", branch.unit),
        ("branch", branch.name),
        ("branch_id", branch.id),
        ("form_version", scheme.form_version()),
        ("generated_at", generated_at),
    ):
        meta.append(row)
    for ws in (meta, wb["_roster"]):
        ws.sheet_state = "hidden"
        ws.protection.sheet = True
    wb.active = 0
    return wb


def _write_component(ws: Worksheet, scheme: Scheme, component, branch: Branch, period: str) -> None:  # type: ignore[no-untyped-def]
    cols = columns_of(component)
    last = get_column_letter(2 + len(cols))
    ws["A1"] = f"{branch.unit}{branch.name}{periods.in_words(period)}{component.title or component.sheet}"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = component.instructions or "请在浅黄色格子中填写。"
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 32
    header_row = 3
    if isinstance(component, ItemsComponent):
        start = 3
        for area_no, area in enumerate(component.areas, 1):
            end = start + len(area.items) - 1
            ws.cell(3, start, f"{area_no}. {area.name}").alignment = Alignment(horizontal="center")
            if end > start:
                ws.merge_cells(start_row=3, start_column=start, end_row=3, end_column=end)
            start = end + 1
        for j, col in enumerate(cols, 3):
            c = ws.cell(4, j, f"{col.label}（{_fmt(col.max)}分）")
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.font = Font(size=8)
        ws.row_dimensions[4].height = 120
        header_row = 5
    id_head, name_head = scheme.id_header
    for j, text in enumerate([id_head, name_head] + [c.header for c in cols], 1):
        cell = ws.cell(header_row, j, text)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD, BOX
        cell.alignment = Alignment(horizontal="center")
    first, last_row = header_row + 1, header_row + len(branch.members)
    for i, m in enumerate(branch.members):
        r = first + i
        ws.cell(r, 1, m.id).number_format = "@"
        ws.cell(r, 2, m.name)
        for j in range(1, 3 + len(cols)):
            ws.cell(r, j).border = BOX
        for j in range(3, 3 + len(cols)):
            cell = ws.cell(r, j)
            cell.protection, cell.fill = UNLOCKED, FILL
    for j, col in enumerate(cols, 3):
        letter = get_column_letter(j)
        ws.add_data_validation(_validation(col, f"{letter}{first}:{letter}{last_row}"))
        ws.column_dimensions[letter].width = 12 if col.choices or not col.label else 9
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 12
    if isinstance(component, FlagsComponent):
        for j, col in enumerate(cols, 3):
            ws.column_dimensions[get_column_letter(j)].width = 12 if col.choices else 36
    ws.freeze_panes = ws.cell(first, 3)
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


def _validation(col: Column, ref: str) -> DataValidation:
    if col.choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True)
        dv.error = f"请从下拉列表中选择：{'/'.join(col.choices)}"
    elif col.max is not None:
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=_fmt(col.max),
                            allow_blank=True)
        dv.error = f"请填写 0 到 {_fmt(col.max)} 之间的数字；未评请留空，不要填 0"
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="200", allow_blank=True)
        dv.error = "文字过长（最多 200 字）"
    dv.errorTitle, dv.showErrorMessage = "输入有误", True
    dv.add(ref)
    return dv


def _write_guide(ws: Worksheet, scheme: Scheme, branch: Branch, period: str) -> None:
    lines = [
        f"{branch.unit}{branch.name} {periods.in_words(period)} {scheme.title}",
        "",
        "填写须知：",
        "1. 只在浅黄色格子中填写；其余格子已锁定，请勿增删行列、勿改工作表名称。",
        "2. 分数填数字（可有小数）。没有评分的格子请留空——留空表示“未评”，不会按 0 分计算。",
        "3. 选择项（如“特别突出”）请用下拉列表选择。",
        "4. 填写完毕后保存为 .xlsx 文件（不要加打开密码），原样发回组织部门。",
        "5. 如需更正已发回的表格，请在说明中写明并重新发送整个文件，组织部门会替换旧文件。",
        "",
        "各表说明：",
    ]
    for c in scheme.components:
        lines.append(f"【{c.sheet}】{c.title or ''}：{c.instructions}")
    lines += ["", "评分标准："]
    for c in scheme.components:
        if isinstance(c, ItemsComponent):
            for a, area in enumerate(c.areas, 1):
                lines.append(f"{a}. {area.name}")
                for i, item in enumerate(area.items, 1):
                    lines.append(f"    {a}.{i}  {item.label}（{_fmt(item.max)}分）")
    for r, text in enumerate(lines, 1):
        ws.cell(r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


def _write_roster(ws: Worksheet, members: tuple[Member, ...]) -> None:
    ws.append(["编号", "姓名", "身份"])
    for m in members:
        ws.append([m.id, m.name, m.identity])
        ws.cell(ws.max_row, 1).number_format = "@"


def _fmt(d: object) -> str:
    s = str(d)
    return s.rstrip("0").rstrip(".") if "." in s else s
