"""Rebuild ``templates/notice.docx`` (公示) and ``templates/announcement.docx`` (通报 and the internal
document) with python-docx.

Run ``python templates/build_templates.py`` from the repository root.  The generated
``.docx`` files are committed; a clerk (组织委员) may later open them in Word and change
wording, fonts or layout.  The runtime (``pingxing.publish.notices``) only reads the
committed ``.docx``; it never imports this script.  ``notice.html`` is hand-written
Jinja and is not generated here.

Layout: GB/T 9704-2012 《党政机关公文格式》
------------------------------------------
* A4 (210 mm × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm,
  giving the standard 156 mm × 225 mm type area (版心).
* **22 lines of 28 characters** a page.  The document grid (``w:docGrid``, 文档网格, what Word's
  page setup shows) is a line grid of 22 lines: pitch 225 mm / 22 = 28.95 pt (579 twips).  The 28
  characters come from the text: 3号 (16 pt) condensed by 0.25 pt a character, 28 × 15.75 pt in
  the 156 mm (442.2 pt) line, 29 not.  Body paragraphs also carry the line pitch as exact line
  spacing and do not snap to the grid's cells (``w:snapToGrid`` off).  A character grid
  (``linesAndChars``) is left out on purpose: LibreOffice widens every run of digits to whole
  cells and, on even pages, sets 27 characters a line.
* Title: 2号 (22 pt) 小标宋, centred, one paragraph per line (``{%p for line in title_lines %}``:
  the lines come broken between words, balanced — ``pingxing/publish/titles.py``), a blank line
  below.  Body: 3号 (16 pt) 仿宋_GB2312, first line indented two characters.
* 主送机关 (``{{ addressee }}：``) flush left under the title, on the 通报.
* The 公示's list (序号 / 姓名 / 星级, heading 黑体) is tab-aligned lines between rules (a 三线表;
  LibreOffice sets lines about twice as fast as table cells, which counts when 830 notices become
  PDFs), in the template three times: up to 10 names 小四 (12 pt) in 17 pt lines
  (``{%p if rows|length <= 10 %}``); more, two names a line when the entries are short
  (``{%p elif two_up %}``, ``row_pairs``: the first half of the list down the left, the second
  down the right) or one a line, in 五号 (10.5 pt) in 15 pt lines — 30 names with a two-line title
  and a two-line intro fit on one A4 page of 22 lines.  A clerk who changes one list in Word should
  change the others the same way (styles 名单, 名单表头 …).
* The 通报 and the internal document list in real columns, one table per list
  (``{%p for s in sections %}``: 五星级党支部, 通报表彰, 诫勉谈话, 警告, 问责 … with its count);
  the columns come with the notice (``{%tc for c in s.columns %}``) and the widths are fitted to
  what they hold when the notice is made.
* 发文机关署名 and 成文日期 (``{{ sign_line }}`` / ``{{ date_line }}``): one blank line under the
  body; the lines arrive padded with full-width spaces so that, on the 28-character grid, the
  date stands four characters from the right and the 署名 is centred over it (加盖印章的公文,
  GB/T 9704 7.3.5.1), or, with ``sealed: false``, the 署名 two characters from the right and the
  date two characters right of its first character (7.3.5.2).
* Page number in the footer: ``— 1 —`` (a PAGE field between em dashes), 4号 宋体; odd pages
  on the right, even pages on the left, one character in (``w:evenAndOddHeaders``).
* ``announcement.docx`` adds an optional 版头 (``{%p if red_header %}``): the issuing organ
  (发文机关标志, ``{{ organ }}``) in red 小标宋 一号, its top edge 35 mm below the top of the
  type area; the document number (发文字号, ``{{ doc_number }}``, when given) two lines below it;
  a red rule (红色分隔线) as wide as the type area 4 mm below; the title two lines below the
  rule; and the 版记 at the end (``{%p if cc or print_organ %}``): 抄送机关 and 印发机关 with
  印发日期 4号 仿宋 between rules as wide as the type area (thick, thin, thick), one character in.

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

On Linux, LibreOffice lets fontconfig substitute; ``templates/fonts.conf`` (used by the PDF
step) maps 仿宋/宋体/小标宋 to Noto Serif CJK SC and 黑体 to Noto Sans CJK SC.
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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt, RGBColor, Twips

HERE = Path(__file__).resolve().parent

TITLE_FONT = "方正小标宋简体"
TITLE_FONT_ALT = "华文中宋"
BODY_FONT = "仿宋_GB2312"
BODY_FONT_ALT = "仿宋"
HEAD_FONT = "黑体"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# the 22 × 28 grid of the 156 mm × 225 mm type area
LINES, CHARS = 22, 28
LINE_TWIPS = 579  # 225 mm / 22 = 28.95 pt
BODY_PT = 16  # 3号
CONDENSE_TWENTIETHS = -5  # −0.25 pt a character where the grid is not applied (15.75 pt × 28 < 156 mm)
LINE_PT = LINE_TWIPS / 20
TITLE_PT = 22  # 2号
# The 公示's list: up to ROOMY_ROWS names 小四 (12 pt) in 17 pt lines; more in 五号 (10.5 pt) in 15 pt
# lines, two names a line when the entries are short: 30 names fit on one page of 22 lines under a
# two-line title, a two-line intro, the publicity period and a two-line contact.
ROOMY_ROWS = 10
TABLES = {  # the lists of the 通报 and internal document: (cell style id, name, header style id, name, pt, line pt, header row pt)
    "roomy": ("NoticeCell", "表格文字", "NoticeHead", "表头", 12, 18, 22),
}
PAGE_NO_PT = 14  # 4号
RECORD_PT = 14  # 版记: 4号
MASTHEAD_PT, MASTHEAD_LINE_PT = 26, 32  # 一号 发文机关标志
RED = RGBColor(0xFF, 0x00, 0x00)
TYPE_WIDTH_MM = 156
CELL_TWIPS = Mm(TYPE_WIDTH_MM).twips / CHARS  # one character of the 28 a line
SIGN_CENTRE = 20.5  # the 署名's centre tab, in characters: over a date of 7 characters ending 4 from the right

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


_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
              "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
              "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
              "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
              "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def ppr_child(ppr, tag: str):
    """``ppr``'s child ``tag``, made in its schema place when missing."""
    found = ppr.find(qn(tag))
    if found is not None:
        return found
    el = OxmlElement(tag)
    later = _PPR_ORDER[_PPR_ORDER.index(tag) + 1:]
    ppr.insert_element_before(el, *later)
    return el


def off_grid(style) -> None:
    """Not snapped to the document grid: a title or a table keeps its own type size and spacing
    (on the grid every character would take a whole 15.79 pt cell)."""
    ppr_child(style.element.get_or_add_pPr(), "w:snapToGrid").set(qn("w:val"), "0")


def paragraph_style(doc, style_id: str, name: str | None, *, east_asia: str, size: float,
                    line: float, align, before: float = 0, after: float = 0,
                    first_line_chars: int = 0, bold: bool = False, grid: bool = True):
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
    if not grid:
        off_grid(style)
    return style


def condensed(style) -> None:
    """−0.25 pt a character: 28 characters of 3号 fill the 156 mm line where no grid is applied."""
    rpr = style.element.get_or_add_rPr()
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight",
                                  "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                                  "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
    spacing.set(qn("w:val"), str(CONDENSE_TWENTIETHS))


def border(ppr, side: str, size: int, color: str = "000000") -> None:
    """A border on one ``side`` of the paragraph (``size`` in eighths of a point)."""
    borders = ppr_child(ppr, "w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for attr, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
        edge.set(qn(f"w:{attr}"), value)
    borders.append(edge)


def no_autospace(ppr):
    """No automatic space between Chinese and Latin/digits ("2026年", not "2026 年")."""
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        ppr_child(ppr, tag).set(qn("w:val"), "0")
    return ppr


def setup_styles(doc) -> None:
    styles = doc.styles
    # document defaults: Chinese body font, 3号, zh-CN language everywhere
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    rpr_default.remove(rpr)
    rpr = OxmlElement("w:rPr")
    rpr_default.append(rpr)
    set_fonts(rpr, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):  # the grid's character pitch is counted from the default size
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(BODY_PT * 2))
        rpr.insert_element_before(size, "w:lang")
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)
    ppr_default = OxmlElement("w:pPrDefault")
    defaults.append(ppr_default)
    ppr = no_autospace(OxmlElement("w:pPr"))
    # text keeps its own spacing (exact 28.95 pt lines, characters condensed to 28 a line) rather
    # than snapping to the grid's cells: LibreOffice would widen every run of digits to whole cells
    ppr_child(ppr, "w:snapToGrid").set(qn("w:val"), "0")
    ppr_default.append(ppr)

    normal = paragraph_style(doc, "Normal", None, east_asia=BODY_FONT, size=BODY_PT, line=LINE_PT,
                             align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    no_autospace(styles["Normal"].element.get_or_add_pPr())
    condensed(normal)
    paragraph_style(doc, "Title", None, east_asia=TITLE_FONT, size=TITLE_PT, line=LINE_PT,
                    align=WD_ALIGN_PARAGRAPH.CENTER, grid=False)
    title_char = styles["Title Char"]
    clean_style(title_char)
    set_fonts(title_char.element.get_or_add_rPr(), TITLE_FONT)
    body = paragraph_style(doc, "NoticeBody", "公示正文", east_asia=BODY_FONT, size=BODY_PT,
                           line=LINE_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=200)
    condensed(body)
    addressee = paragraph_style(doc, "Addressee", "主送机关", east_asia=BODY_FONT, size=BODY_PT, line=LINE_PT,
                                align=WD_ALIGN_PARAGRAPH.LEFT)
    condensed(addressee)
    heading = paragraph_style(doc, "ListHeading", "名单标题", east_asia=HEAD_FONT, size=BODY_PT, line=LINE_PT,
                              align=WD_ALIGN_PARAGRAPH.LEFT, first_line_chars=200)
    heading.paragraph_format.keep_with_next = True
    condensed(heading)
    list_styles(doc)
    for cell_id, cell_name, head_id, head_name, size, line, _ in TABLES.values():
        paragraph_style(doc, cell_id, cell_name, east_asia=BODY_FONT, size=size, line=line,
                        align=WD_ALIGN_PARAGRAPH.CENTER, grid=False)
        paragraph_style(doc, head_id, head_name, east_asia=HEAD_FONT, size=size, line=line,
                        align=WD_ALIGN_PARAGRAPH.CENTER, grid=False)
    sign = paragraph_style(doc, "NoticeSign", "落款", east_asia=BODY_FONT, size=BODY_PT,
                           line=LINE_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    condensed(sign)
    # the blank line, the 署名 and the date stay together (and with the 版记 after them): never a
    # 署名 at the foot of one page and its date on the next
    sign.paragraph_format.keep_with_next = True
    # the 署名 centred over the date: a centre tab 20.5 characters in (signature.sign_block)
    sign.paragraph_format.tab_stops.add_tab_stop(Twips(round(SIGN_CENTRE * CELL_TWIPS)), WD_TAB_ALIGNMENT.CENTER)
    date = paragraph_style(doc, "SignDate", "成文日期", east_asia=BODY_FONT, size=BODY_PT, line=LINE_PT,
                           align=WD_ALIGN_PARAGRAPH.RIGHT)
    condensed(date)
    date.paragraph_format.keep_with_next = True  # (with the 版记 after it)
    date.paragraph_format.right_indent = Twips(round(4 * CELL_TWIPS))  # 成文日期右空四字
    masthead = paragraph_style(doc, "Masthead", "版头机关标志", east_asia=TITLE_FONT, size=MASTHEAD_PT,
                               line=MASTHEAD_LINE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                               before=Mm(35).pt, grid=False)  # 35 mm below the top of the type area
    masthead.font.color.rgb = RED
    paragraph_style(doc, "MastheadNumber", "发文字号", east_asia=BODY_FONT, size=BODY_PT, line=LINE_PT,
                    align=WD_ALIGN_PARAGRAPH.CENTER, before=2 * LINE_PT)
    rule = paragraph_style(doc, "MastheadRule", "版头分隔线", east_asia=BODY_FONT, size=2, line=Mm(4).pt,
                           align=WD_ALIGN_PARAGRAPH.CENTER, after=2 * LINE_PT, grid=False)
    border(rule.element.get_or_add_pPr(), "bottom", 12, "FF0000")
    paragraph_style(doc, "InternalMark", "内部标识", east_asia=HEAD_FONT, size=BODY_PT, line=LINE_PT,
                    align=WD_ALIGN_PARAGRAPH.LEFT)
    # 版记: 4号 仿宋, one character in on both sides, the 印发日期 at a right tab one character from the right
    record = paragraph_style(doc, "Record", "版记", east_asia=BODY_FONT, size=RECORD_PT, line=LINE_PT,
                             align=WD_ALIGN_PARAGRAPH.LEFT)
    record.paragraph_format.left_indent = record.paragraph_format.right_indent = Pt(RECORD_PT)
    record.paragraph_format.tab_stops.add_tab_stop(Mm(TYPE_WIDTH_MM) - Pt(RECORD_PT), WD_TAB_ALIGNMENT.RIGHT)
    footer = paragraph_style(doc, "Footer", None, east_asia=PAGE_FONT, size=PAGE_NO_PT, line=PAGE_NO_PT + 4,
                             align=WD_ALIGN_PARAGRAPH.RIGHT, grid=False)
    footer.paragraph_format.right_indent = Pt(PAGE_NO_PT)  # 单页码居右空一字
    even = paragraph_style(doc, "FooterEven", "页脚（双页）", east_asia=PAGE_FONT, size=PAGE_NO_PT,
                           line=PAGE_NO_PT + 4, align=WD_ALIGN_PARAGRAPH.LEFT, grid=False)
    even.paragraph_format.left_indent = Pt(PAGE_NO_PT)  # 双页码居左空一字

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


USED_STYLES = {"Normal", "Title", "TitleChar", "Footer", "FooterChar", "FooterEven", "DefaultParagraphFont",
               "TableNormal", "NoList", "TableGrid", "NoticeBody", "NoticeSign", "Masthead", "MastheadNumber",
               "MastheadRule", "Addressee", "ListHeading", "InternalMark", "Record", "SignDate"}


def drop_unused_styles(doc) -> None:
    """Keep only the styles the notice uses (python-docx's stock set is 350 kB of table styles).

    Word still offers all its built-in styles (they are latent styles) when a clerk edits.
    """
    used = USED_STYLES | {ids for t in TABLES.values() for ids in (t[0], t[2])} | {
        ids for t in LISTS.values() for ids in (t[0], t[2])}
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in used:
            root.remove(style)


def page_number(paragraph) -> None:
    """``— 1 —``: the PAGE field between em dashes."""
    paragraph.add_run("— ")
    for kind in ("begin", "instr", "separate", "result", "end"):  # the PAGE field, one run each
        run = paragraph.add_run()
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
    paragraph.add_run(" —")


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
    grid.set(qn("w:type"), "lines")  # 22 lines; 28 characters from the body's spacing (see the docstring)
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))

    doc.settings.odd_and_even_pages_header_footer = True  # odd page numbers right, even left
    odd = section.footer.paragraphs[0]
    odd.style = doc.styles["Footer"]
    page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = doc.styles["页脚（双页）"]
    page_number(even)


def cell_text(cell, text: str, style) -> None:
    para = cell.paragraphs[0]
    para.style = style
    para.add_run(text)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def table_frame(doc, rows: int, widths: list[float]):
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout w:type="fixed"
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(Mm(TYPE_WIDTH_MM).twips))
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
    return table


def loop_table(doc, columns, loop: str, head_style, cell_style):
    """A centred fixed-width table (``columns``: header, width in mm, field) of four rows: the header
    (repeated on every page), ``{%tr for … %}`` (``loop``), the fields, ``{%tr endfor %}``; rows never
    split across pages."""
    table = table_frame(doc, 4, [width for _, width, _ in columns])
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:w"), str(Mm(sum(width for _, width, _ in columns)).twips))
    head, first, data, end = table.rows
    for i, (header, _, field) in enumerate(columns):
        cell_text(head.cells[i], header, head_style)
        cell_text(data.cells[i], field, cell_style)
    cell_text(first.cells[0], loop, cell_style)
    cell_text(end.cells[0], "{%tr endfor %}", cell_style)
    return table


#: the 公示's list as tab-aligned lines (a 三线表: a rule above and below the heading, one under
#: the last name): LibreOffice sets lines about twice as fast as table cells, which matters when
#: a city's 830 notices are made into PDFs. (style id, name, header style id, name, pt, line pt)
LISTS = {
    "roomy": ("ListRow", "名单", "ListHead", "名单表头", 12, 17),
    "compact": ("ListRowSmall", "名单（紧凑）", "ListHeadSmall", "名单表头（紧凑）", 10.5, 15),
    "two_up": ("ListRowTwo", "名单（两栏）", "ListHeadTwo", "名单表头（两栏）", 10.5, 15),
}
#: tab stops in mm: 序号 right-aligned, then 姓名 / 党支部 and 星级 from the left; a 星级 that runs
#: on wraps under itself (a hanging indent to its tab)
ONE_UP_TABS = ((12, "right"), (20, "left"), (84, "left"))
TWO_UP_TABS = ((8, "right"), (11, "left"), (36, "left"), (88, "right"), (91, "left"), (116, "left"))
STAR_TEXT = ("{% if r.stars_text %}{{ r.stars_text }} {% endif %}{{ r.star_word }}{% if r.star_names %}（{{ r.star_names }}）{% endif %}"
             "{% if r.grade %}{% if r.star_word %} {% endif %}{{ r.grade }}{% endif %}{% if r.note %} {{ r.note }}{% endif %}")
NAME_HEAD = '{{ "党支部" if level == "branch" else "姓名" }}'
RATING_HEAD = "{{ rating_head }}"  # 星级, or 等次 where nobody on the list has a star level


def list_styles(doc) -> None:
    """The 名单 styles: a heading line between rules, the lines of names with a rule under the last
    (the lines' identical bottom borders join, so only the last is drawn)."""
    for kind, (row_id, row_name, head_id, head_name, size, line) in LISTS.items():
        tabs = TWO_UP_TABS if kind == "two_up" else ONE_UP_TABS
        for style_id, name, font in ((head_id, head_name, HEAD_FONT), (row_id, row_name, BODY_FONT)):
            style = paragraph_style(doc, style_id, name, east_asia=font, size=size, line=line,
                                    align=WD_ALIGN_PARAGRAPH.LEFT, grid=False)
            for mm, where in tabs:
                style.paragraph_format.tab_stops.add_tab_stop(
                    Mm(mm), WD_TAB_ALIGNMENT.RIGHT if where == "right" else WD_TAB_ALIGNMENT.LEFT)
            ppr = style.element.get_or_add_pPr()
            if style_id == head_id:
                border(ppr, "top", 8)
                border(ppr, "bottom", 4)
                style.paragraph_format.keep_with_next = True
            else:
                border(ppr, "bottom", 8)
                if kind != "two_up":
                    style.paragraph_format.left_indent = Mm(tabs[-1][0])
                    style.paragraph_format.first_line_indent = -Mm(tabs[-1][0])


def add_list(doc, kind: str, body) -> None:
    """The 公示's list: ``roomy`` (up to 10 names, 小四), ``two_up`` (two names a line: ``row_pairs``,
    the first half down the left; 五号) or ``compact`` (one a line, 五号)."""
    row_style, head_style = doc.styles[LISTS[kind][1]], doc.styles[LISTS[kind][3]]
    if kind == "two_up":
        doc.add_paragraph(f"\t序号\t{NAME_HEAD}\t{RATING_HEAD}\t序号\t{NAME_HEAD}\t{RATING_HEAD}", style=head_style)
        doc.add_paragraph("{%p for p in row_pairs %}", style=body)
        left, right = (STAR_TEXT.split("{% if r.star_names")[0].replace("r.", f"p[{k}].") for k in (0, 1))
        left = "\t{{ p[0].seq }}\t{{ p[0].name }}\t" + left
        right = "{% if p[1] %}\t{{ p[1].seq }}\t{{ p[1].name }}\t" + right + "{% endif %}"
        doc.add_paragraph(left + right, style=row_style)
    else:
        doc.add_paragraph(f"\t序号\t{NAME_HEAD}\t{RATING_HEAD}", style=head_style)
        doc.add_paragraph("{%p for r in rows %}", style=body)
        doc.add_paragraph("\t{{ r.seq }}\t{{ r.name }}\t" + STAR_TEXT, style=row_style)
    doc.add_paragraph("{%p endfor %}", style=body)


def add_sections(doc, body) -> None:
    """The 通报's and the internal document's lists: a heading with the count, then a table whose
    columns come with the notice (``s.columns``; each row's ``cells`` in the same order)."""
    _, cell_name, _, head_name, _, _, head_row_pt = TABLES["roomy"]
    cell_style, head_style = doc.styles[cell_name], doc.styles[head_name]
    doc.add_paragraph("{%p for s in sections %}", style=body)
    doc.add_paragraph("{{ s.heading }}", style=doc.styles["名单标题"])
    table = table_frame(doc, 4, [10, 136, 10])  # the loop's own cells; widths are fitted when rendered
    head, loop, data, end = table.rows
    for row, text, style in ((head, "{{ c }}", head_style), (data, "{{ r.cells[loop.index0] }}", cell_style)):
        cell_text(row.cells[0], "{%tc for c in s.columns %}", style)
        cell_text(row.cells[1], text, style)
        cell_text(row.cells[2], "{%tc endfor %}", style)
    cell_text(loop.cells[0], "{%tr for r in s.rows %}", cell_style)
    cell_text(end.cells[0], "{%tr endfor %}", cell_style)
    for cell in data.cells:  # the table's last rows go with the 署名 to its page (正文 on the page it signs)
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    head.height = Pt(head_row_pt)
    doc.add_paragraph("{%p endfor %}", style=body)


def add_masthead(doc, body) -> None:
    """版头 of a 通报, shown when the notice has ``red_header`` set."""
    doc.add_paragraph("{%p if red_header %}", style=body)
    doc.add_paragraph("{{ organ }}", style=doc.styles["版头机关标志"])
    doc.add_paragraph("{%p if doc_number %}", style=body)
    doc.add_paragraph("{{ doc_number }}", style=doc.styles["发文字号"])
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph("", style=doc.styles["版头分隔线"])
    doc.add_paragraph("{%p endif %}", style=body)


def at_foot(paragraph):
    """The paragraph in a frame at the foot of the type area, as wide as it (版记 置于最后一面, 其最后
    一个要素置于最后一行); consecutive paragraphs so framed share the frame. Returns its pPr."""
    ppr = paragraph._p.get_or_add_pPr()
    frame = ppr_child(ppr, "w:framePr")
    for attr, value in (("w", str(Mm(TYPE_WIDTH_MM).twips)), ("wrap", "around"), ("vAnchor", "margin"),
                        ("hAnchor", "margin"), ("xAlign", "center"), ("yAlign", "bottom")):
        frame.set(qn(f"w:{attr}"), value)
    return ppr


def add_record(doc, body) -> None:
    """版记 of a 通报 (抄送机关; 印发机关 and 印发日期), when it has one, in a frame at the foot of the
    type area: its last rule on the type area's lower edge (GB/T 9704 7.4.1), rules as wide as the
    type area and thick (0.35 mm) above and below, the lines one character in, the date one character
    from the right. One paragraph (the 抄送 line ends in a line break): LibreOffice keeps only a frame
    of one bordered paragraph at the foot, so the thin rule GB/T 9704 draws between 抄送 and 印发 is
    left out."""
    line = ("{% if cc %}抄送：{{ cc }}。{{ '\\n' }}{% endif %}"
            "{{ print_organ }}\t{{ print_date }}{% if print_date %}印发{% endif %}")
    doc.add_paragraph('{%p if (cc or print_organ) and kind == "通报" %}', style=body)
    ppr = at_foot(doc.add_paragraph(line, style=doc.styles["版记"]))
    border(ppr, "top", 8)
    border(ppr, "bottom", 8)
    doc.add_paragraph("{%p endif %}", style=body)


def build_notice(masthead: bool = False) -> bytes:
    """``notice.docx``; with ``masthead``, ``announcement.docx`` (版头, 主送机关, the lists by
    section, 版记)."""
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
        doc.add_paragraph('{%p if kind == "内部" %}', style=body)  # top left, where 密级 would stand
        doc.add_paragraph("内部资料　不得公开", style=doc.styles["内部标识"])
        doc.add_paragraph("{%p endif %}", style=body)
        add_masthead(doc, body)
    doc.add_paragraph("{%p for line in title_lines %}", style=body)
    doc.add_paragraph("{{ line }}", style=doc.styles["Title"])
    doc.add_paragraph("{%p endfor %}", style=body)
    doc.add_paragraph("", style=body)  # 标题下空一行
    if masthead:
        doc.add_paragraph('{%p if addressee and kind == "通报" %}', style=body)
        doc.add_paragraph("{{ addressee }}：", style=doc.styles["主送机关"])
        doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph("{{ intro }}", style=body)
    doc.add_paragraph("{%p if changes %}", style=body)
    doc.add_paragraph("{%p for c in changes %}", style=body)
    doc.add_paragraph("{{ c }}", style=body)
    doc.add_paragraph("{%p endfor %}", style=body)
    doc.add_paragraph("{%p endif %}", style=body)
    if masthead:
        doc.add_paragraph("{%p if sections %}", style=body)
        add_sections(doc, body)
        doc.add_paragraph("{%p else %}", style=body)
    doc.add_paragraph(f"{{%p if rows|length <= {ROOMY_ROWS} %}}", style=body)
    add_list(doc, "roomy", body)
    doc.add_paragraph("{%p elif two_up %}", style=body)
    add_list(doc, "two_up", body)
    doc.add_paragraph("{%p else %}", style=body)
    add_list(doc, "compact", body)
    doc.add_paragraph("{%p endif %}", style=body)
    if masthead:
        doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph('{%p if kind == "公示" %}', style=body)
    doc.add_paragraph("公示时间：{{ publicity_words }}", style=body)
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph('{%p if objection_words and kind == "公示" %}', style=body)  # 受理地点、时间、联系人、电话
    doc.add_paragraph("{{ objection_words }}", style=body)
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph("{%p if contact %}", style=body)
    doc.add_paragraph("{{ contact }}", style=body)
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph("", style=sign)  # 正文下空一行
    doc.add_paragraph("{%p if sign_line %}", style=body)
    doc.add_paragraph("{{ sign_line }}", style=sign)
    doc.add_paragraph("{%p endif %}", style=body)
    doc.add_paragraph("{%p if sealed %}", style=body)
    doc.add_paragraph("{{ date_line }}", style=doc.styles["成文日期"])
    doc.add_paragraph("{%p else %}", style=body)
    doc.add_paragraph("{{ date_line }}", style=sign)
    doc.add_paragraph("{%p endif %}", style=body)
    if masthead:
        add_record(doc, body)

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
