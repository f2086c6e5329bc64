"""Rebuild ``templates/notice.docx`` (公示) and ``templates/announcement.docx`` (通报) with python-docx.

Run ``python templates/build_templates.py`` from the repository root.  The generated
``.docx`` files are committed; a clerk (组织委员) may later open it in Word and change
wording, fonts or layout.  The runtime (``pingxing.publish.notices``) only reads the
committed ``.docx``; it never imports this script.  ``notice.html`` is hand-written
Jinja and is not generated here.

Layout: GB/T 9704-2012 《党政机关公文格式》
------------------------------------------
* A4 (210 mm × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm,
  giving the standard 156 mm × 225 mm type area (版心).
* Title: 2号 (22 pt) 小标宋, centred.  Body: 3号 (16 pt) 仿宋_GB2312, exact 22 pt lines.
* The table (序号 / 姓名 / 星级, header 黑体) is in the template twice, chosen with
  ``{%p if rows|length <= 16 %}``: up to 16 rows 小四 (12 pt) in 18 pt rows; more rows
  五号 (10.5 pt) in 13 pt rows, so a 25-row notice with a two-line title and a
  three-line intro still fits on one A4 page.  A clerk who changes one table in Word
  should change the other the same way.
* Page number in the footer: ``— 1 —`` (a PAGE field between em dashes), 4号 宋体,
  centred.
* Signature (发文机关署名) and date (成文日期) right-aligned at the end.
* ``announcement.docx`` is the same notice with an optional 版头 (``{%p if red_header %}``):
  the issuing organ (发文机关标志, ``{{ organ }}``) in red 小标宋 一号, its top edge 35 mm
  below the top of the type area; the document number (发文字号, ``{{ doc_number }}``,
  when given) two lines below it; a red rule (红色分隔线) as wide as the type area 4 mm
  below; the title two lines below the rule.

Fonts and their fallback
------------------------
Every style sets the East Asian font explicitly (``w:rFonts w:eastAsia=...``) and the
document language is ``zh-CN`` so that Word and LibreOffice never fall back to a
Japanese font for Chinese text (python-docx's stock template uses theme fonts with a
Japanese theme language).  The font table declares the Chinese fonts with
``charset 86`` (GB2312, so any substitute is a Chinese font) and an alternate name
(``w:altName``), which Word consults when a font is not installed.  Intended chain:

* title:  方正小标宋简体 → 华文中宋 → SimSun (宋体)
* body:   仿宋_GB2312 → 仿宋 (FangSong) → SimSun
* header: 黑体 (SimHei) → SimSun
* page number: 宋体 (SimSun)

On Linux, LibreOffice lets fontconfig substitute (with fonts-noto-cjk: Noto Sans CJK SC);
the HTML template names the same chain and ends with "Noto Serif CJK SC", serif.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent

TITLE_FONT = "方正小标宋简体"
TITLE_FONT_ALT = "华文中宋"
BODY_FONT = "仿宋_GB2312"
BODY_FONT_ALT = "仿宋"
HEAD_FONT = "黑体"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_PT, TITLE_LINE_PT = 22, 27  # 2号
BODY_PT, BODY_LINE_PT = 16, 22  # 3号
# Two tables in the template, chosen by the number of rows ({%p if rows|length <= 16 %}):
# up to ROOMY_ROWS rows: 小四 (12 pt) in 18 pt rows; more: 五号 (10.5 pt) in 13 pt rows,
# which lets 25 rows fit on one page under a two-line title and a three-line intro.
ROOMY_ROWS = 16
TABLES = {  # table: (cell style id, name, header style id, name, font pt, line pt, header row pt)
    "roomy": ("NoticeCell", "表格文字", "NoticeHead", "表头", 12, 18, 22),
    "compact": ("NoticeCellSmall", "表格文字（紧凑）", "NoticeHeadSmall", "表头（紧凑）", 10.5, 13, 16),
}
PAGE_NO_PT = 14  # 4号
MASTHEAD_PT, MASTHEAD_LINE_PT = 26, 32  # 一号 发文机关标志
RED = RGBColor(0xFF, 0x00, 0x00)

# (header text, width in mm); 16 + 62 + 78 = 156 mm = the type area width
COLUMNS = [
    ("序号", 16, "{{ r.seq }}"),
    ('{{ "党支部" if level == "branch" else "姓名" }}', 62, "{{ r.name }}"),
    (
        "星级",
        78,
        (
            "{{ r.stars_text }} {{ r.star_word }}"
            "{% if r.star_names %}（{{ r.star_names }}）{% endif %}"
            "{% if r.grade %} {{ r.grade }}{% endif %}"
            "{% if r.note %} {{ r.note }}{% endif %}"
        ),
    ),
]

FIXED_TIME = datetime(2000, 1, 1)


def set_fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Replace w:rFonts in ``rpr`` (dropping theme fonts) with explicit Latin + East Asian fonts."""
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.remove(old)
    rfonts = rpr.get_or_add_rFonts()
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia), ("cs", latin)):
        rfonts.set(qn(f"w:{attr}"), value)
    rfonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def clean_style(style) -> None:
    """Remove inherited decoration (borders, colours, theme fonts) from a stock style."""
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        child = el.find(qn(tag))
        if child is not None:
            el.remove(child)


def paragraph_style(doc, style_id: str, name: str | None, *, east_asia: str, size: int,
                    line: int, align, before: float = 0, after: float = 0,
                    first_line_chars: int = 0, bold: bool = False):
    styles = doc.styles
    if style_id in [s.style_id for s in styles]:
        style = next(s for s in styles if s.style_id == style_id)
        clean_style(style)
    else:
        style = styles.add_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
    if name:
        style.name = name
    set_fonts(style.element.get_or_add_rPr(), east_asia)
    style.font.size = Pt(size)
    style.font.bold = bold
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.line_spacing = Pt(line)  # a Length gives lineRule="exact"
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.widow_control = False
    if first_line_chars:
        fmt.first_line_indent = Pt(size * first_line_chars / 100)
        style.element.pPr.get_or_add_ind().set(qn("w:firstLineChars"), str(first_line_chars))
    return style


def red_rule(ppr) -> None:
    """A red bottom border as wide as the paragraph (the type area): 版头中的分隔线."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("val", "single"), ("sz", "12"), ("space", "0"), ("color", "FF0000")):
        bottom.set(qn(f"w:{attr}"), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                              "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                              "w:mirrorIndents", "w:suppressOverlap", "w:jc")


def no_autospace(ppr):
    """No automatic space between Chinese and Latin/digits ("2026年", not "2026 年")."""
    successors = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                  "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        ppr.insert_element_before(el, *successors)
    return ppr


def setup_styles(doc) -> None:
    styles = doc.styles
    # document defaults: Chinese body font and zh-CN language everywhere
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    rpr_default.remove(rpr)
    rpr = OxmlElement("w:rPr")
    rpr_default.append(rpr)
    set_fonts(rpr, BODY_FONT)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)
    ppr_default = OxmlElement("w:pPrDefault")
    defaults.append(ppr_default)
    ppr_default.append(no_autospace(OxmlElement("w:pPr")))

    paragraph_style(doc, "Normal", None, east_asia=BODY_FONT, size=BODY_PT, line=BODY_LINE_PT,
                    align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    no_autospace(styles["Normal"].element.get_or_add_pPr())
    paragraph_style(doc, "Title", None, east_asia=TITLE_FONT, size=TITLE_PT, line=TITLE_LINE_PT,
                    align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    title_char = styles["Title Char"]
    clean_style(title_char)
    set_fonts(title_char.element.get_or_add_rPr(), TITLE_FONT)
    paragraph_style(doc, "NoticeBody", "公示正文", east_asia=BODY_FONT, size=BODY_PT,
                    line=BODY_LINE_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=200)
    for cell_id, cell_name, head_id, head_name, size, line, _ in TABLES.values():
        paragraph_style(doc, cell_id, cell_name, east_asia=BODY_FONT, size=size, line=line,
                        align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph_style(doc, head_id, head_name, east_asia=HEAD_FONT, size=size, line=line,
                        align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(doc, "NoticeSign", "落款", east_asia=BODY_FONT, size=BODY_PT,
                    line=BODY_LINE_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    masthead = paragraph_style(doc, "Masthead", "版头机关标志", east_asia=TITLE_FONT, size=MASTHEAD_PT,
                               line=MASTHEAD_LINE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                               before=Mm(35).pt)  # 35 mm below the top of the type area
    masthead.font.color.rgb = RED
    paragraph_style(doc, "MastheadNumber", "发文字号", east_asia=BODY_FONT, size=BODY_PT, line=BODY_LINE_PT,
                    align=WD_ALIGN_PARAGRAPH.CENTER, before=2 * BODY_LINE_PT)
    rule = paragraph_style(doc, "MastheadRule", "版头分隔线", east_asia=BODY_FONT, size=2, line=Mm(4).pt,
                           align=WD_ALIGN_PARAGRAPH.CENTER, after=2 * BODY_LINE_PT)
    red_rule(rule.element.get_or_add_pPr())
    paragraph_style(doc, "Footer", None, east_asia=PAGE_FONT, size=PAGE_NO_PT, line=PAGE_NO_PT + 4,
                    align=WD_ALIGN_PARAGRAPH.CENTER)

    grid = styles["Table Grid"]
    set_fonts(grid.element.get_or_add_rPr(), BODY_FONT)
    grid.font.size = Pt(12)

    # Japanese theme language → Chinese; Japanese fonts out of the font table
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    preview = settings.find(qn("w:savePreviewPicture"))
    if preview is not None:
        settings.remove(preview)


def fix_font_table(doc) -> None:
    font_part = next(rel.target_part for rel in doc.part.rels.values()
                     if rel.reltype.endswith("/fontTable"))
    from lxml import etree

    root = etree.fromstring(font_part.blob)
    for font in list(root):
        if font.find(qn("w:charset")) is not None and font.find(qn("w:charset")).get(qn("w:val")) == "80":
            root.remove(font)  # ＭＳ 明朝 / ＭＳ ゴシック
    for name, alt, family in ((TITLE_FONT, TITLE_FONT_ALT, "roman"), (BODY_FONT, BODY_FONT_ALT, "modern"),
                              (HEAD_FONT, "SimHei", "modern"), (PAGE_FONT, "SimSun", "auto")):
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def drop_parts(doc) -> None:
    """Drop the stock thumbnail (a blank page preview) and the Word 2010 styles copy."""
    for rels, suffix in ((doc.part.package.rels, "/thumbnail"), (doc.part.rels, "/stylesWithEffects")):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith(suffix)]:
            rels.pop(rid)


def drop_unused_styles(doc) -> None:
    """Keep only the styles the notice uses (python-docx's stock set is 350 kB of table styles).

    Word still offers all its built-in styles (they are latent styles) when a clerk edits.
    """
    used = {"Normal", "Title", "TitleChar", "Footer", "FooterChar", "DefaultParagraphFont",
            "TableNormal", "NoList", "TableGrid"} | {ids for t in TABLES.values() for ids in (t[0], t[2])}
    used |= {"NoticeBody", "NoticeSign", "Masthead", "MastheadNumber", "MastheadRule"}
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in used:
            root.remove(style)


def setup_page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # GB/T 9704: the dash line of the page number sits 7 mm below the type area
    section.footer_distance = Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:linePitch"), "312")

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run("— ")
    for kind in ("begin", "instr", "separate", "result", "end"):  # the PAGE field, one run each
        run = footer.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind == "result":
            run.text = "1"
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
    footer.add_run(" —")


def cell_text(cell, text: str, style) -> None:
    para = cell.paragraphs[0]
    para.style = style
    para.add_run(text)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def loop_table(doc, columns, loop: str, head_style, cell_style):
    """A centred fixed-width table (``columns``: header, width in mm, field) of four rows: the header,
    ``{%tr for … %}`` (``loop``), the fields, ``{%tr endfor %}``; rows never split across pages."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout w:type="fixed"
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(Mm(sum(width for _, width, _ in columns)).twips))
    for col, (_, width, _) in zip(table.columns, columns, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)
    head, first, data, end = table.rows
    for i, (header, _, field) in enumerate(columns):
        cell_text(head.cells[i], header, head_style)
        cell_text(data.cells[i], field, cell_style)
    cell_text(first.cells[0], loop, cell_style)
    cell_text(end.cells[0], "{%tr endfor %}", cell_style)
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
    return table


def add_table(doc, kind: str) -> None:
    _, cell_name, _, head_name, _, _, head_row_pt = TABLES[kind]
    table = loop_table(doc, COLUMNS, "{%tr for r in rows %}", doc.styles[head_name], doc.styles[cell_name])
    head = table.rows[0]
    header_flag = OxmlElement("w:tblHeader")  # repeat the header row on a second page
    head._tr.get_or_add_trPr().append(header_flag)
    head.height = Pt(head_row_pt)


def add_masthead(doc, body) -> None:
    """版头 of a 通报, shown when the notice has ``red_header`` set."""
    doc.add_paragraph("{%p if red_header %}", style=body)
    doc.add_paragraph("{{ organ }}", style=doc.styles["版头机关标志"])
    doc.add_paragraph("{%p if doc_number %}", style=body)
    doc.add_paragraph("{{ doc_number }}", style=doc.styles["发文字号"])
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph("", style=doc.styles["版头分隔线"])
    doc.add_paragraph("{%p endif %}", style=body)


def build_notice(masthead: bool = False) -> bytes:
    """``notice.docx``; with ``masthead``, ``announcement.docx`` (the same with an optional 版头)."""
    # docxcompose (imported by docxtpl) rebinds the cp prefix to custom properties; core
    # properties must be written in the core-properties namespace
    saved = nsmap.get("cp")
    nsmap["cp"] = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    try:
        return _build_notice(masthead)
    finally:
        if saved is not None:
            nsmap["cp"] = saved


def _build_notice(masthead: bool) -> bytes:
    doc = Document()
    setup_styles(doc)
    fix_font_table(doc)
    drop_parts(doc)
    drop_unused_styles(doc)
    setup_page(doc)
    body = doc.styles["公示正文"]
    sign = doc.styles["落款"]
    if masthead:
        add_masthead(doc, body)
    doc.add_paragraph("{{ title }}", style=doc.styles["Title"])
    doc.add_paragraph("{{ intro }}", style=body).paragraph_format.space_after = Pt(3)
    doc.add_paragraph(f"{{%p if rows|length <= {ROOMY_ROWS} %}}", style=body)
    add_table(doc, "roomy")
    doc.add_paragraph("{%p else %}", style=body)
    add_table(doc, "compact")
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph('{%p if kind == "公示" %}', style=body)
    doc.add_paragraph("公示时间：{{ publicity_start }}至{{ publicity_end }}（共{{ publicity_days }}天）",
                      style=body).paragraph_format.space_before = Pt(3)
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph("{%p if contact %}", style=body)
    doc.add_paragraph("{{ contact }}", style=body)
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph("{{ issuer }}", style=sign).paragraph_format.space_before = Pt(BODY_LINE_PT / 2)
    doc.add_paragraph("{{ issue_date }}", style=sign)

    props = doc.core_properties
    props.title, props.subject, props.author = "{{ title }}", "{{ kind }}", "pingxing"
    props.comments, props.keywords, props.category = "", "", ""
    props.created = props.modified = FIXED_TIME
    props.last_modified_by, props.revision = "", 1
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())


def stable_zip(data: bytes) -> bytes:
    """Re-zip with fixed member timestamps so a rebuild gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else HERE
    (out_dir / "notice.docx").write_bytes(build_notice())
    (out_dir / "announcement.docx").write_bytes(build_notice(masthead=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
