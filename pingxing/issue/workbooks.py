"""Write the blank standard workbooks (CONTRACT.md "The standard workbook").

Member schemes: one workbook per branch, its members prefilled in roster order. Branch
schemes: one workbook per unit, its branches prefilled. A scheme may split the sheets
into several workbooks for different people (``workbooks``: the branch's self-check, the
survey team's tallies, the assessment group's scores); ``run`` joins them by 编号.

Each component sheet has a title, an instruction line, a header row (``编号``,
``姓名``/``支部``, then the scheme's column headers) and one row per entity. Only the
cells to fill are unlocked, each with Excel data validation for its type, range or
choices. A ``说明`` sheet explains how to fill the form; hidden ``_meta`` and ``_roster``
sheets let ``run`` check the form and know who should be on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pingxing import periods
from pingxing.cells import file_stem, fmt_decimal
from pingxing.issue.ballots import add_ballots
from pingxing.issue.corrections import write_adjustments_template
from pingxing.issue.settings import write_settings
from pingxing.issue.style import (
    BOX,
    FILL,
    UNLOCKED,
    print_setup,
    protect,
    text_cell,
    validation,
    write_header,
    write_meta,
    write_title,
)
from pingxing.record.campaign import Person, issuing, new_form_id
from pingxing.record.campaign import Workbook as Issued
from pingxing.record.roster import Branch
from pingxing.scheme.components import BallotsComponent, ChecklistComponent, Column, ItemsComponent, LedgerComponent
from pingxing.scheme.model import Scheme, WorkbookSpec


@dataclass(frozen=True)
class Target:
    """Who one workbook goes to and whom it lists: a branch's members, or a unit's branches."""

    unit: str
    branch: str  # "" for a unit's workbook (branch schemes)
    branch_id: str
    entities: tuple[tuple[str, str, str], ...]  # (编号, 姓名/支部, 身份)


def targets(scheme: Scheme, branches: list[Branch], per: str = "unit") -> list[Target]:
    """Whom each workbook goes to: a branch (member schemes, or ``per: branch``) or a unit."""
    if scheme.level == "member":
        return [Target(b.unit, b.name, b.id, tuple((m.id, m.name, m.identity) for m in b.members))
                for b in branches]
    if per == "branch":
        return [Target(b.unit, b.name, b.id, ((b.id, b.name, "直属" if b.direct else ""),)) for b in branches]
    units: dict[str, list[Branch]] = {}
    for b in branches:
        units.setdefault(b.unit, []).append(b)
    return [Target(u, "", "", tuple((b.id, b.name, "直属" if b.direct else "") for b in bs))
            for u, bs in units.items()]


@dataclass(frozen=True)
class Planned:
    """One workbook to issue: to whom, in which role, which sheets, under which file name and id."""

    target: Target
    book: str
    sheets: tuple[str, ...]
    file: str
    form_id: str

    def recorded(self) -> Issued:
        t = self.target
        return Issued(self.form_id, t.unit, t.branch, t.branch_id, self.book, self.file, self.sheets,
                      tuple(Person(eid, name, identity if identity != "直属" else "", identity == "直属")
                            for eid, name, identity in t.entities))


def plan(scheme: Scheme, branches: list[Branch], period: str) -> list[Planned]:
    """Every workbook of a campaign: per target, one per role (``workbooks``) or one with every sheet."""
    books: list[WorkbookSpec | None] = [*scheme.workbooks] if scheme.workbooks else [None]
    out = []
    for book in books:
        sheets = tuple(book.sheets if book else [c.sheet for c in scheme.components])
        suffix = f"-{book.name}" if book else ""
        for target in targets(scheme, branches, book.per if book else "unit"):
            stem = file_stem(f"{target.unit}-{target.branch or '各支部'}-{scheme.name}-{period}{suffix}",
                             (target.unit, target.branch or ""))
            out.append(Planned(target, book.name if book else "", sheets, stem + ".xlsx", new_form_id()))
    return sorted(out, key=lambda p: p.file)


def write_all(scheme: Scheme, branches: list[Branch], period: str, out_dir: Path, record: Path,
              write: bool = True) -> list[Path]:
    """Issue a campaign: record it (the scheme as issued, every workbook, whom each lists) and, with
    ``write`` (``forms``; not ``register``), write the workbooks, the corrections workbook and the
    settings workbook. The record keeps the issue only when every file is written. The files written;
    without ``write``, the workbooks' paths as recorded (none written)."""
    planned = plan(scheme, branches, period)
    written = []
    stamp = datetime.now().replace(microsecond=0).isoformat()
    with issuing(record, scheme.name, period, scheme.text, "forms" if write else "register") as log:
        if write:
            out_dir.mkdir(parents=True, exist_ok=True)
        for p in planned:
            log.add(p.recorded())
            path = out_dir / p.file
            if not write:
                written.append(path)
                continue
            wb = build(scheme, p.target, period, stamp, list(p.sheets), p.form_id)
            tmp = path.with_name(path.name + ".part")
            wb.save(tmp)
            tmp.replace(path)
            written.append(path)
        if write:
            written.append(write_adjustments_template(scheme, period, out_dir / "更正表", stamp))
            written.append(write_settings(scheme, period, out_dir / "更正表", stamp))
    return written


def build(scheme: Scheme, target: Target, period: str, generated_at: str, sheets: list[str] | None = None,
          form_id: str = "") -> Workbook:
    wb = Workbook()
    guide = wb.active
    guide.title = "说明"
    chosen = [c for c in scheme.components if sheets is None or c.sheet in sheets]
    _write_guide(guide, scheme, target, period, chosen)
    for component in chosen:
        ws = wb.create_sheet(component.sheet)
        if isinstance(component, LedgerComponent):
            _write_ledger(ws, scheme, component, target, period)
        else:
            _write_component(ws, scheme, component, target, period)
    add_ballots(wb, chosen, target, period)  # printable 测评票 (民主评议): for paper, never read back
    roster = wb.create_sheet("_roster")
    roster.append(["编号", "姓名" if scheme.level == "member" else "支部", "身份"])
    for r, (eid, name, identity) in enumerate(target.entities, 2):
        for c, v in enumerate((eid, name, identity), 1):
            text_cell(roster, r, c, v)
    meta = write_meta(wb, (("scheme", scheme.name), ("period", period), ("unit", target.unit),
                           ("branch", target.branch), ("branch_id", target.branch_id), ("form_id", form_id),
                           ("form_version", scheme.form_version()), ("generated_at", generated_at)))
    roster.sheet_state = "hidden"  # (write_meta hid its sheet)
    for ws in (meta, roster):
        ws.protection.sheet = True
    wb.active = 0
    return wb


def _labels_above(ws: Worksheet, component: Any, cols: list[Column]) -> int:
    """Area names and item labels above the item codes, so the branch reads what it scores."""
    start = 3
    for area_no, area in enumerate(component.areas, 1):
        end = start + len(area.items) - 1
        ws.cell(3, start, f"{area_no}. {area.name}").alignment = Alignment(horizontal="center", wrap_text=True)
        if end > start:
            ws.merge_cells(start_row=3, start_column=start, end_row=3, end_column=end)
        start = end + 1
    for j, col in enumerate(cols, 3):
        points = f"（{fmt_decimal(col.max)}分）" if col.max is not None else ""
        c = ws.cell(4, j, f"{col.label}{points}")
        c.alignment = Alignment(wrap_text=True, vertical="top")
        c.font = Font(size=9)
    ws.row_dimensions[4].height = 150
    return 5


def _write_component(ws: Worksheet, scheme: Scheme, component: Any, target: Target, period: str) -> None:
    cols = component.fill_columns()
    last = get_column_letter(2 + len(cols))
    who = f"{target.unit}{target.branch}"
    write_title(ws, f"{who}{periods.in_words(period)}{component.title or component.sheet}", component.instructions, last)
    header_row = 3
    if isinstance(component, (ItemsComponent, ChecklistComponent)):
        header_row = _labels_above(ws, component, cols)
    elif any(c.label for c in cols):
        for j, col in enumerate(cols, 3):
            ws.cell(3, j, col.label).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[3].height = 60
        header_row = 4
    write_header(ws, header_row, [*scheme.id_header, *(c.header for c in cols)])
    first, last_row = header_row + 1, header_row + len(target.entities)
    for i, (eid, name, _identity) in enumerate(target.entities):
        r = first + i
        text_cell(ws, r, 1, eid).number_format = "@"
        text_cell(ws, r, 2, name)
        for j in range(1, 3 + len(cols)):
            ws.cell(r, j).border = BOX
        for j in range(3, 3 + len(cols)):
            ws.cell(r, j).protection, ws.cell(r, j).fill = UNLOCKED, FILL
    ballots = isinstance(component, BallotsComponent)
    for j, col in enumerate(cols, 3):
        letter = get_column_letter(j)
        ws.add_data_validation(validation(col, f"{letter}{first}:{letter}{last_row}"))
        # ballots narrow (a score of 0–100 a cell: a printed sheet holds every ballot on one page wide)
        ws.column_dimensions[letter].width = 30 if col.type == "text" else 6 if ballots else 9
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 16 if scheme.level == "member" else 24
    if ballots:  # a paper tally sheet: rows tall enough to write a score in by hand
        for r in range(first, last_row + 1):
            ws.row_dimensions[r].height = 24
    ws.freeze_panes = ws.cell(first, 3)
    print_setup(ws, 2 + len(cols), last_row, (3, header_row), who, tally=ballots)
    protect(ws)


def _write_ledger(ws: Worksheet, scheme: Scheme, component: LedgerComponent, target: Target, period: str) -> None:
    """台账: blank rows, one per activity; 编号 and 支部 chosen from the unit's branches."""
    cols = component.fill_columns()
    last = get_column_letter(2 + len(cols))
    write_title(ws, f"{target.unit}{periods.in_words(period)}{component.title or component.sheet}",
           component.instructions or "每次会议或活动填一行：支部编号、支部名称、日期、类型、应到和实到人数。", last)
    write_header(ws, 3, [*scheme.id_header, *(c.header for c in cols)])
    first, last_row = 4, 3 + component.rows
    for r in range(first, last_row + 1):
        for j in range(1, 3 + len(cols)):
            ws.cell(r, j).protection, ws.cell(r, j).fill, ws.cell(r, j).border = UNLOCKED, FILL, BOX
        ws.cell(r, 1).number_format = "@"
        ws.cell(r, 3).number_format = "yyyy-mm-dd"
    ids = tuple(e[0] for e in target.entities)
    names = tuple(e[1] for e in target.entities)
    for j, col in enumerate([Column("编号", "choice", choices=ids), Column("支部", "choice", choices=names), *cols], 1):
        letter = get_column_letter(j)
        ws.add_data_validation(validation(col, f"{letter}{first}:{letter}{last_row}"))
        ws.column_dimensions[letter].width = 14
    ws.column_dimensions["B"].width = 24
    ws.freeze_panes = "A4"
    print_setup(ws, 2 + len(cols), last_row, (3, 3), target.unit)
    protect(ws)


def _write_guide(ws: Worksheet, scheme: Scheme, target: Target, period: str, chosen: list[Any]) -> None:
    lines = [
        f"{target.unit}{target.branch} {periods.in_words(period)} {scheme.title}",
        "",
        "填写须知：",
        "1. 只在浅黄色格子中填写；其余格子已锁定，请勿增删行列、勿改工作表名称。",
        "2. 分数填数字（可有小数）。没有评分的格子请留空——留空表示“未评”，不会按 0 分计算。",
        "3. 选择项（是/否等）请用下拉列表选择。",
        "4. 填写完毕后保存为 .xlsx 文件（不要加打开密码），原样发回组织部门。",
        "5. 如需更正已发回的表格，请重新发送整个文件，并告知组织部门删除旧文件。",
        "",
        "各表说明：",
    ]
    lines += [f"【{c.sheet}】{c.title or ''}：{c.instructions}" for c in chosen]
    for c in chosen:
        if isinstance(c, (ItemsComponent, ChecklistComponent)):
            lines += ["", f"【{c.sheet}】标准："]
            areas: list[Any] = list(c.areas)
            for a, area in enumerate(areas, 1):
                lines.append(f"{a}. {area.name}")
                for i, item in enumerate(area.items, 1):
                    points = f"（{fmt_decimal(item.max)}分）" if isinstance(c, ItemsComponent) else ""
                    lines.append(f"    {a}.{i}  {item.label}{points}")
    for r, text in enumerate(lines, 1):
        text_cell(ws, r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 100
    print_setup(ws, 1, len(lines), None, f"{target.unit}{target.branch}", title_cols=False, one_page=len(lines) <= 80)
    ws.protection.sheet = True
