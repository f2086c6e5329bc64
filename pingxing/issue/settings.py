"""The settings workbook (设置-<scheme>-<period>.xlsx): what the notices say beyond the ratings —
署名, 版头, 文号, 主送, 抄送, 印发, 联系人, 电话, 受理地点和时间, the publicity days and dates — so that a
clerk never edits a scheme file for them (CONTRACT.md "The settings workbook").

``forms`` writes it beside the corrections workbook, prefilled with the scheme's defaults; the clerk
fills it in and puts it in ``input/`` with the returned forms; ``run`` uses it for every notice of
that scheme and period (:mod:`pingxing.validate.settings` reads it).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

from pingxing import periods
from pingxing.cells import file_stem
from pingxing.issue.style import (
    BOX,
    FILL,
    UNLOCKED,
    protect,
    text_cell,
    validation,
    write_header,
    write_meta,
    write_title,
)
from pingxing.scheme.components import Column
from pingxing.scheme.model import Scheme

SHEET = "设置"
HEADERS = ("项目", "内容", "说明")
#: every item, in order, with what it is for
ITEMS: dict[str, str] = {
    "发文机关": "公示、通报的署名（发文机关署名），如 中共市质量检验检测中心委员会",
    "发文机关标志": "通报版头的发文机关标志（红色），如 中共市质量检验检测中心委员会文件",
    "发文字号": "通报的发文字号，如 质检党发〔2026〕12号",
    "主送机关": "通报的主送机关，如 各党支部",
    "抄送机关": "通报版记的抄送机关",
    "印发机关": "通报版记的印发机关，如 中共市质量检验检测中心委员会办公室",
    "联系人": "公示受理异议的联系人",
    "联系电话": "公示受理异议的电话（公示没有电话会提示）",
    "受理地点": "公示受理异议的地点或单位",
    "受理时间": "公示受理异议的时间，如 工作日 9:00—17:00",
    "公示天数": "公示几天（整数）",
    "公示天数计法": "自然日 或 工作日",
    "节假日": "按工作日计算时不计入的节假日，逗号分隔，如 2026-10-01,2026-10-02",
    "调休上班日": "按工作日计算时照常计入的调休上班日，逗号分隔",
    "公示开始日期": "第一次发布公示的日期，如 2026-12-08（以后重新运行仍保留已发布的日期）",
    "成文日期": "通报的成文日期（留空则为最后一份公示期满的次日）",
}


def defaults(scheme: Scheme) -> dict[str, str]:
    """The scheme's own values of the items (blank where the scheme says nothing, or where it words
    them per unit or branch: ``{unit}`` … are the scheme's, not the clerk's)."""
    n = scheme.notices
    spec = n.announcement

    def plain(text: str | None) -> str:
        return text if text and "{" not in text else ""

    return {
        "发文机关": plain(spec.issuer if spec else None),
        "发文机关标志": plain(spec.organ if spec else None),
        "发文字号": plain(spec.doc_number if spec else None),
        "主送机关": n.addressee, "抄送机关": n.cc, "印发机关": n.printer,
        "联系人": n.contact_person, "联系电话": n.phone, "受理地点": n.place, "受理时间": n.hours,
        "公示天数": str(n.publicity_days), "公示天数计法": n.day_count,
        "节假日": "", "调休上班日": "", "公示开始日期": "", "成文日期": "",
    }


def write_settings(scheme: Scheme, period: str, folder: Path, generated_at: str) -> Path:
    """``folder/设置-<scheme>-<period>.xlsx``, prefilled with the scheme's defaults."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_title(ws, f"{scheme.title}{periods.in_words(period)}公示和通报设置",
                "按本单位实际填写“内容”一列（留空则按方案默认），与收回的表格一起放入 input 文件夹后运行；"
                "不必修改方案文件。", "C")
    write_header(ws, 3, list(HEADERS))
    values = defaults(scheme)
    for r, (item, meaning) in enumerate(ITEMS.items(), 4):
        text_cell(ws, r, 1, item).border = BOX
        cell = text_cell(ws, r, 2, values[item])
        cell.protection, cell.fill, cell.border = UNLOCKED, FILL, BOX
        cell.number_format = "@"
        text_cell(ws, r, 3, meaning).alignment = Alignment(wrap_text=True, vertical="top")
    row_of = {item: r for r, item in enumerate(ITEMS, 4)}
    ws.add_data_validation(validation(Column("公示天数计法", "choice", choices=("自然日", "工作日")),
                                      f"B{row_of['公示天数计法']}"))
    ws.add_data_validation(validation(Column("公示天数", "count"), f"B{row_of['公示天数']}"))
    for letter, width in zip("ABC", (14, 44, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    protect(ws)
    write_meta(wb, (("scheme", scheme.name), ("period", period), ("kind", "settings"),
                    ("form_version", scheme.form_version()), ("generated_at", generated_at)))
    path = folder / (file_stem(f"设置-{scheme.name}-{period}") + ".xlsx")
    wb.save(path)
    return path
