"""Rebuild ``templates/explain.docx`` (评定计算明细) with python-docx.

Run ``python templates/build_explain.py`` from the repository root. The generated ``.docx`` is
committed; a clerk may open it in Word and change wording, fonts or layout (the fields are listed in
``docs/templates.md``). The runtime (``pingxing.publish.explain``) only reads the committed file.
``explain.html`` is hand-written Jinja and is not generated here.

Not a 公文: a working paper that fits one A4 page — margins 20 mm, title 16 pt 黑体, body 五号 (10.5 pt)
仿宋 in exact 15 pt lines, the parts table 小五 (9 pt). Fonts, font table and the fixed zip times as
``build_templates.py`` makes them for the notices (its helpers are used here).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_templates import (  # noqa: E402  (the notices' builder, beside this file)
    BODY_FONT,
    FIXED_TIME,
    HEAD_FONT,
    drop_parts,
    fix_font_table,
    loop_table,
    paragraph_style,
    setup_styles,
    stable_zip,
)

BODY_PT, BODY_LINE_PT = 10.5, 15
CELL_PT, CELL_LINE_PT = 9, 12
# (header, width in mm, cell field); 170 mm = the type area (210 − 2 × 20)
COLUMNS = [
    ("组成部分", 22, "{{ p.name }}"),
    ("计算方法（汇总数字）", 70, "{{ p.how }}"),
    ("票数", 12, "{{ p.ballots }}"),
    ("得分", 26, "{{ p.figure }}"),
    ("权重", 12, "{{ p.weight }}"),
    ("折算分", 28, "{{ p.weighted }}"),
]


def styles(doc) -> dict[str, object]:
    """The notices' document defaults and fonts (Chinese body font, zh-CN everywhere), then this paper's
    own styles; the notices' other styles are dropped."""
    setup_styles(doc)
    left, centre = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER
    out = {
        "normal": paragraph_style(doc, "Normal", None, east_asia=BODY_FONT, size=BODY_PT, line=BODY_LINE_PT,
                                  align=WD_ALIGN_PARAGRAPH.JUSTIFY),
        "title": paragraph_style(doc, "ExplainTitle", "明细标题", east_asia=HEAD_FONT, size=16, line=22, align=centre,
                                 after=2),
        "sub": paragraph_style(doc, "ExplainSub", "明细副标题", east_asia=BODY_FONT, size=BODY_PT, line=BODY_LINE_PT,
                               align=centre, after=4),
        "head": paragraph_style(doc, "ExplainHead", "明细小标题", east_asia=HEAD_FONT, size=11, line=16, align=left,
                                before=5, after=1),
        "body": paragraph_style(doc, "ExplainBody", "明细正文", east_asia=BODY_FONT, size=BODY_PT, line=BODY_LINE_PT,
                                align=WD_ALIGN_PARAGRAPH.JUSTIFY),
        "note": paragraph_style(doc, "ExplainNote", "明细附注", east_asia=BODY_FONT, size=CELL_PT, line=CELL_LINE_PT,
                                align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6),
        "cell": paragraph_style(doc, "ExplainCell", "明细表格文字", east_asia=BODY_FONT, size=CELL_PT,
                                line=CELL_LINE_PT, align=centre),
        "cellhead": paragraph_style(doc, "ExplainCellHead", "明细表头", east_asia=HEAD_FONT, size=CELL_PT,
                                    line=CELL_LINE_PT, align=centre),
    }
    keep = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "ExplainTitle", "ExplainSub",
            "ExplainHead", "ExplainBody", "ExplainNote", "ExplainCell", "ExplainCellHead"}
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in keep:
            root.remove(style)
    return out


def page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance = section.footer_distance = Mm(10)


def para(doc, text: str, style) -> None:
    doc.add_paragraph(text, style=style)


def table(doc, s: dict[str, object]) -> None:
    t = loop_table(doc, COLUMNS, "{%tr for p in parts %}", s["cellhead"], s["cell"])
    t.rows[2].cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT  # 计算方法: text, left


def labelled(doc, style, label: str, text: str) -> None:
    """One paragraph: a bold label run, then the text run (each tag whole in its run)."""
    p = doc.add_paragraph(style=style)
    p.add_run(label).bold = True
    p.add_run(text)


def build() -> bytes:
    saved = nsmap.get("cp")  # docxcompose (imported by docxtpl) rebinds cp; core properties need the real one
    nsmap["cp"] = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    try:
        return _build()
    finally:
        if saved is not None:
            nsmap["cp"] = saved


def _build() -> bytes:
    doc = Document()
    s = styles(doc)
    fix_font_table(doc)
    drop_parts(doc)
    page(doc)
    body = s["body"]
    para(doc, "{{ title }}", s["title"])
    para(doc, "{{ scheme_title }}　{{ where }}　编号：{{ entity_id }}", s["sub"])
    para(doc, "一、各项得分", s["head"])
    table(doc, s)
    para(doc, "{%p for line in total_lines %}", body)
    para(doc, "{{ line }}", body)
    para(doc, "{%p endfor %}", body)
    para(doc, "二、评定规则", s["head"])
    para(doc, "{%p for r in rules %}", body)
    labelled(doc, body, "{{ r.title }}：", "{{ r.lines|join('；') }}")
    para(doc, "{%p endfor %}", body)
    para(doc, "{%p for c in corrections %}", body)
    labelled(doc, body, "更正：", "{{ c }}")
    para(doc, "{%p endfor %}", body)
    para(doc, "三、评定结果", s["head"])
    labelled(doc, body, "{{ name }}：", "{{ result }}{% if reasons %}（{{ reasons|join('；') }}）{% endif %}")
    para(doc, "四、公示与异议", s["head"])
    para(doc, "{%p for line in publicity_lines + objection_lines %}", body)
    para(doc, "{{ line }}", body)
    para(doc, "{%p endfor %}", body)
    para(doc, "{{ note }}", s["note"])
    props = doc.core_properties
    props.title, props.subject, props.author = "{{ title }}", "评定计算明细", "pingxing"
    props.comments, props.keywords, props.category = "", "", ""
    props.created = props.modified = FIXED_TIME
    props.last_modified_by, props.revision = "", 1
    for section_paragraph in doc.paragraphs:
        section_paragraph.paragraph_format.widow_control = False
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else HERE
    (out_dir / "explain.docx").write_bytes(build())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
