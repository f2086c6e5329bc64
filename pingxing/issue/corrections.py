"""The committee's corrections workbook (更正表) that ``forms`` writes beside the blank forms.

One row per decision (an objection found valid, a star revoked, a flag withdrawn): 编号,
名称, 操作, 值, 理由, 日期, 批准人. The clerk drops the filled workbook into ``input/``;
:mod:`pingxing.validate.corrections` reads it and :mod:`pingxing.rate.corrections` applies it.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from pingxing import periods
from pingxing.cells import file_stem
from pingxing.issue.style import BOX, FILL, UNLOCKED, protect, validation, write_header, write_meta, write_title
from pingxing.scheme.components import Column
from pingxing.scheme.model import Scheme


def write_adjustments_template(scheme: Scheme, period: str, folder: Path, generated_at: str) -> Path:
    """The committee's corrections workbook (更正表): one row per decision, kept with the inputs."""

    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    last = get_column_letter(len(HEADERS))
    write_title(ws, f"{scheme.title}{periods.in_words(period)}评定结果更正表",
           "公示期间异议经核查属实、或期内摘星撤旗的，每项决定填一行，写明理由、日期和批准人，与收回的表格一起放入 input 文件夹后重新运行。"
           "更正项目的“值”写成 工作表.列=新值（如 自评.1.1=4）；更正分数写新分数；降星写降几星。", last)
    write_header(ws, 3, list(HEADERS))
    for r in range(4, 54):
        for j in range(1, len(HEADERS) + 1):
            ws.cell(r, j).protection, ws.cell(r, j).fill, ws.cell(r, j).border = UNLOCKED, FILL, BOX
        ws.cell(r, 1).number_format = "@"
        ws.cell(r, 6).number_format = "yyyy-mm-dd"
    ws.add_data_validation(validation(Column("操作", "choice", choices=ACTIONS), "C4:C53"))
    ws.add_data_validation(validation(Column("日期", "date"), "F4:F53"))
    for letter, width in zip("ABCDEFG", (12, 16, 12, 18, 40, 14, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    protect(ws)
    write_meta(wb, (("scheme", scheme.name), ("period", period), ("kind", "adjustments"),
                    ("form_version", scheme.form_version()), ("generated_at", generated_at)))
    path = folder / (file_stem(f"更正-{scheme.name}-{period}") + ".xlsx")
    wb.save(path)
    return path


SHEET = "更正"


HEADERS = ("编号", "名称", "操作", "值", "理由", "日期", "批准人")


ACTIONS = ("更正项目", "更正分数", "摘星", "降星", "撤旗", "取消资格", "调出")
