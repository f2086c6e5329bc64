"""The standard workbook ``survey import`` writes: what ``forms`` issued for that workbook, with only the
surveyed sheet, filled with the survey's figures, and a note of where they came from.

It is :func:`pingxing.issue.workbooks.build` for the recorded workbook (same ``form_id``, unit, branch
and people, the hidden ``_roster`` and ``_meta``), so ``run`` reads it as that workbook's copy of the
sheet. The ``说明`` sheet opens with the provenance (the export, its sha256, platform and layout, the
answer sheets counted, each row not counted and why); ``_meta`` holds the same for ``run``
(:mod:`.provenance`). The printable 测评票 of a ``grade_votes`` sheet is left out: it is for paper.

Every file is written whole or not at all, and all of them or none: each to a hidden temporary file
beside it (a run never reads it), then each put in place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from pingxing.cells import file_stem, normalize_id
from pingxing.issue.style import text_cell
from pingxing.issue.workbooks import Target, build
from pingxing.record.campaign import Workbook as Issued
from pingxing.scheme.components import GradeVotesComponent
from pingxing.scheme.model import Scheme
from pingxing.survey import provenance
from pingxing.survey.provenance import Excluded

#: the file name's last part: ``<单位>-<支部>-<方案>-<周期>-<表>-问卷导入.xlsx``
SUFFIX = "问卷导入"


@dataclass(frozen=True)
class Source:
    """Where the figures came from (written into ``说明`` and ``_meta``)."""

    export: str  # the export's file name
    sha256: str
    platform: str  # 问卷星 / 腾讯问卷
    layout: str  # text / number
    responses: int  # answer sheets in the export
    counted: int
    excluded: tuple[Excluded, ...]
    at: str  # when imported

    def lines(self, sheet: str) -> list[str]:
        layout = f"（{provenance.LAYOUT_WORDS[self.layout]}）" if self.platform == "问卷星" else ""
        out = [f"【问卷导入】本表的“{sheet}”表由 survey import 根据问卷平台的导出文件生成，请勿手工修改；"
               "如有差错，请在问卷平台核对后重新下载答卷数据、重新导入。",
               f"导出文件：{self.export}",
               f"SHA-256：{self.sha256}",
               f"问卷平台：{self.platform}{layout}",
               f"答卷 {self.responses} 份，计入 {self.counted} 份，未计入 {len(self.excluded)} 份。",
               f"导入时间：{self.at}"]
        return out + [f"未计入：{x.words()}" for x in self.excluded]


def file_name(scheme: Scheme, period: str, sheet: str, book: Issued) -> str:
    return file_stem(f"{book.unit}-{book.branch or '各支部'}-{scheme.name}-{period}-{sheet}-{SUFFIX}",
                     (book.unit, book.branch)) + ".xlsx"


def filled(scheme: Scheme, period: str, component: Any, book: Issued,
           cells: Mapping[str, Mapping[str, Decimal | int]], source: Source) -> Workbook:
    """The workbook for ``book`` with ``component``'s sheet filled: ``cells[编号][header]``."""
    sheet = str(component.sheet)
    target = Target(book.unit, book.branch, book.branch_id,
                    tuple((p.id, p.name, "直属" if p.direct else p.identity) for p in book.people))
    wb = build(scheme, target, period, source.at, [sheet], book.form_id)
    if isinstance(component, GradeVotesComponent) and component.ballot is not None:
        del wb[component.ballot.sheet]
    _fill(wb[sheet], cells)
    lines = source.lines(sheet)
    placed = _note(wb["说明"], lines)
    excluded = [Excluded(x.row, x.why, x.first, x.min_seconds, placed[f"未计入：{x.words()}"]) for x in source.excluded]
    meta = wb["_meta"]
    for key, value in ((provenance.EXPORT, source.export), (provenance.SHA256, source.sha256),
                       (provenance.PLATFORM, source.platform), (provenance.LAYOUT, source.layout),
                       (provenance.COUNTED, str(source.counted)), (provenance.EXCLUDED, provenance.dumps(excluded))):
        row = meta.max_row + 1
        text_cell(meta, row, 1, key)
        text_cell(meta, row, 2, value)
    return wb


def _fill(ws: Worksheet, cells: Mapping[str, Mapping[str, Decimal | int]]) -> None:
    """Type the figures into the sheet ``build`` wrote, found by its header row (编号 first)."""
    rows = list(ws.iter_rows())
    header = next(r for r in rows if r and r[0].value == "编号")
    columns = {c.value: c.column for c in header if c.value}
    for r in rows[header[0].row:]:
        eid = normalize_id(r[0].value)
        for head, value in cells.get(eid, {}).items():
            ws.cell(r[0].row, columns[head], value)


def _note(guide: Worksheet, lines: list[str]) -> dict[str, int]:
    """The provenance at the top of ``说明`` (the guide moves down); each line's row."""
    guide.insert_rows(1, len(lines) + 1)
    placed = {}
    for r, text in enumerate(lines, 1):
        text_cell(guide, r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
        placed[text] = r
    guide["A1"].font = Font(bold=True, color="C00000")
    return placed


def write_all(books: list[tuple[Path, Workbook]]) -> list[Path]:
    """Save every workbook, all or none: each to a hidden temporary file; then the workbooks of an
    earlier import moved aside, each new one put in place — and if one cannot be (a workbook open in
    Excel on Windows), the ones put in place taken out again and the earlier ones put back."""
    saved: list[tuple[Path, Path]] = []
    aside: list[tuple[Path, Path]] = []  # (an earlier import's workbook, where it waits)
    placed: list[Path] = []
    try:
        for path, wb in books:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
            saved.append((tmp, path))
            wb.save(tmp)
        try:
            for _, path in saved:
                if path.exists():
                    old = path.with_name(f".{path.name}.{os.getpid()}.old")
                    path.replace(old)
                    aside.append((path, old))
            for tmp, path in saved:
                tmp.replace(path)
                placed.append(path)
        except OSError:
            for path in placed:
                path.unlink(missing_ok=True)
            for path, old in aside:
                old.replace(path)
            aside.clear()
            raise
    finally:
        for tmp, _ in saved:
            tmp.unlink(missing_ok=True)
        for _, old in aside:
            old.unlink(missing_ok=True)
    return [path for _, path in saved]
