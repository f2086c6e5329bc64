"""Notices joined into one Word document, each in a section of its own: the pieces of XML text.

公示汇编 and the batches the PDF step hands to LibreOffice put many rendered notices into one body.
Each notice ends in a section break whose page numbers start again at 1 (``w:pgNumType``): a
notice printed from the compilation reads ``— 1 —`` as it does alone, on the right-hand side
(GB/T 9704: odd pages right), and its pages in the PDF are those of the notice alone. These
functions work on the XML as text, as the notices stream by (no tree of the whole document).
"""

from __future__ import annotations

import re

__all__ = ["AFTER_PAGE_NUMBERS", "around_body", "end_section", "inside_body", "mark_start", "restarting", "section_of"]

#: the children of ``w:sectPr`` that come after ``w:pgNumType`` (the schema's order)
AFTER_PAGE_NUMBERS = ("cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
                      "docGrid", "printerSettings", "sectPrChange")
_AFTER = re.compile(rf"<w:(?:{'|'.join(AFTER_PAGE_NUMBERS)})[ >/]")

_SECT = re.compile(r"<w:sectPr[ >].*?</w:sectPr>|<w:sectPr/>", re.DOTALL)
_PARAGRAPH = re.compile(r"<w:p(?=[ >/])")


def inside_body(xml: str) -> str:
    """What lies between ``<w:body …>`` and the body's own ``w:sectPr`` (its last child, if any)."""
    opening = xml.index("<w:body")
    start = xml.index(">", opening) + 1
    if xml[start - 2] == "/":  # <w:body/>
        return ""
    end = xml.rindex("</w:body>")
    if xml[:end].rstrip().endswith("</w:sectPr>"):
        end = xml.rindex("<w:sectPr", start, end)
    return xml[start:end]


def around_body(xml: bytes) -> tuple[bytes, bytes]:
    """A document part up to its body's content, and from its ``w:sectPr`` on."""
    opening = xml.index(b"<w:body")
    start = xml.index(b">", opening) + 1
    if xml[start - 2:start] == b"/>":
        return xml[:start - 2] + b">", b"</w:body>" + xml[start:]
    return xml[:start], xml[start:]


def section_of(document_xml: str) -> str:
    """The body's own section properties (the last ``w:sectPr`` of the document part), or ""."""
    found = list(_SECT.finditer(document_xml))
    return found[-1].group(0) if found else ""


def restarting(sect_pr: str) -> str:
    """Section properties whose page numbers start at 1."""
    if not sect_pr:
        return '<w:sectPr><w:pgNumType w:start="1"/></w:sectPr>'
    if "<w:pgNumType" in sect_pr:
        number = re.search(r"<w:pgNumType[^>]*?/?>", sect_pr)
        assert number is not None
        tag = number.group(0)
        new = re.sub(r'\s+w:start="[^"]*"', "", tag)
        new = new.replace("<w:pgNumType", '<w:pgNumType w:start="1"', 1)
        return sect_pr.replace(tag, new, 1)
    if sect_pr.endswith("/>"):
        return sect_pr[:-2] + '><w:pgNumType w:start="1"/></w:sectPr>'
    later = _AFTER.search(sect_pr)
    at = later.start() if later else sect_pr.rindex("</w:sectPr>")
    return sect_pr[:at] + '<w:pgNumType w:start="1"/>' + sect_pr[at:]


def end_section(body: str, sect_pr: str) -> str:
    """``body`` (a notice's body XML) ending in a section break with ``sect_pr``: in its last
    paragraph's properties, or in a paragraph of its own after a closing table."""
    if not body.rstrip().endswith("</w:p>") or "txbxContent" in body[-4000:]:
        return f"{body}<w:p><w:pPr>{sect_pr}</w:pPr></w:p>"
    starts = list(_PARAGRAPH.finditer(body))
    last = starts[-1].start()
    tag_end = body.index(">", last) + 1
    if body[tag_end - 2] == "/":  # <w:p/>
        return f"{body[:tag_end - 2]}><w:pPr>{sect_pr}</w:pPr></w:p>{body[tag_end:]}"
    if body.startswith("<w:pPr/>", tag_end):
        return f"{body[:tag_end]}<w:pPr>{sect_pr}</w:pPr>{body[tag_end + len('<w:pPr/>'):]}"
    if body.startswith("<w:pPr", tag_end):
        close = body.index("</w:pPr>", tag_end)
        return f"{body[:close]}{sect_pr}{body[close:]}"
    return f"{body[:tag_end]}<w:pPr>{sect_pr}</w:pPr>{body[tag_end:]}"


def mark_start(body: str, name: str, number: int) -> str:
    """``body`` with a bookmark ``name`` at its first paragraph (after the paragraph's properties),
    or in a paragraph of its own before a leading table."""
    mark = f'<w:bookmarkStart w:id="{number}" w:name="{name}"/><w:bookmarkEnd w:id="{number}"/>'
    first = _PARAGRAPH.search(body)
    if first is None:
        return f"<w:p>{mark}</w:p>{body}"
    tag_end = body.index(">", first.start()) + 1
    if body[tag_end - 2] == "/":
        return f"{body[:tag_end - 2]}>{mark}</w:p>{body[tag_end:]}"
    if body.startswith("<w:pPr/>", tag_end):
        at = tag_end + len("<w:pPr/>")
    elif body.startswith("<w:pPr", tag_end):
        at = body.index("</w:pPr>", tag_end) + len("</w:pPr>")
    else:
        at = tag_end
    return f"{body[:at]}{mark}{body[at:]}"
