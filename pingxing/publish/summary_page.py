"""情况汇总.docx: one page for the leader — the counts, the five-star share against the target, the
change from the last period, the lists' counts, who has still not sent back a workbook, and a chart.

The page takes its page setup and styles from the notice template (the clerk's fonts), and its
chart is a native Word chart (XlsxWriter draws it, as in results.xlsx's 统计; its numbers ride along
as an embedded workbook), which Word, WPS and LibreOffice show and print, and which copies into a
report as a chart. Every share says what it is of: the distribution is of everyone taking part
(参评总数), the five-star share of those rated with a star level (已评定星级的, no 取消资格 or
待补全), as in report.html, results.xlsx and the internal document.

``missing``: the workbooks not yet returned, the 催交 list of the campaign record
(:func:`.chase.owed`), as results.xlsx and report.html have it.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import docx
import xlsxwriter
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Mm, Pt

from pingxing import periods
from pingxing.publish.chase import Owed
from pingxing.publish.composing import empty_body, save_fixed
from pingxing.publish.notices import DOCX_TEMPLATE
from pingxing.publish.report import chart_colour
from pingxing.publish.sections import in_action_order, numeral
from pingxing.publish.stable import FIXED_TIME, rezip
from pingxing.publish.titles import break_text
from pingxing.rate.summary import DISQUALIFIED, INCOMPLETE, summary_of
from pingxing.rounding import percent, share_text
from pingxing.scheme.model import STAR_WORDS

__all__ = ["SUMMARY_NAME", "share_text", "summary_facts", "write_summary"]

SUMMARY_NAME = "情况汇总.docx"
_CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NAMED = 8  # workbooks still missing, units marked: named one by one up to this many, the rest counted (one page)


def summary_facts(group: Any, actions: Mapping[str, int], missing: Sequence[Owed]) -> dict[str, Any]:
    """What the page says, as data (also what report.html shows of the lists and who is missing)."""
    scheme, summary = group.scheme, summary_of(group)
    member = scheme.level == "member"
    who, unit = ("党员", "名") if member else ("党支部", "个")
    total = summary.entities
    levels = [(STAR_WORDS[s], summary.overall[str(s)]) for s in range(5, -1, -1)] if summary.has_stars else []
    levels += [(g, summary.overall[g]) for g in summary.seen if g not in {str(s) for s in range(6)}
               and g not in (DISQUALIFIED, INCOMPLETE)]
    levels += [(k, summary.overall[k]) for k in (DISQUALIFIED, INCOMPLETE) if summary.overall[k]]
    rated_stars = sum(summary.stars.values())
    target = scheme.target
    goal = None if target is None else percent(Fraction(target.share), trim=True)
    stars_at = target.stars if target is not None else 5
    five = summary.stars[stars_at]
    prev = summary.prev
    lists = [(a, actions[a]) for a in in_action_order(actions) if actions[a]]
    return {
        "title": f"{scheme.title}{periods.in_words(group.period)}评定情况汇总",
        "who": who, "unit": unit, "total": total, "rated": summary.status["rated"],
        "incomplete": summary.status["incomplete"], "disqualified": summary.status["disqualified"],
        "levels": [(label, n, share_text(n, total)) for label, n in levels],
        "has_stars": summary.has_stars, "stars_word": STAR_WORDS[stars_at], "stars_count": five,
        "rated_stars": rated_stars, "share": share_text(five, rated_stars), "goal": goal,
        "met": goal is not None and rated_stars > 0 and Fraction(five, rated_stars) >= Fraction(target.share),
        "previous": [(STAR_WORDS[s], prev[s], summary.stars[s]) for s in range(5, -1, -1)] if prev else [],
        "changes": [(k, summary.changes[k]) for k in ("升", "持平", "降", "新") if summary.changes[k]],
        "lists": lists, "units_marked": sorted(group.units.items()) if getattr(group, "units", None) else [],
        "missing": list(missing),
    }


def _paragraph(doc: Any, text: str, style: str | None, size: float | None = None, **fmt: Any) -> Any:
    """A paragraph in the template's ``style`` (the default one where the clerk's template has no such
    style); ``size``: its type in points, the lines 1.6 times that (the page is denser than a notice)."""
    try:
        p = doc.add_paragraph(text, style=style)
    except KeyError:  # a clerk's template without the style: the default one
        p = doc.add_paragraph(text)
    for key, value in fmt.items():
        setattr(p.paragraph_format, key, value)
    if size is not None:
        for run in p.runs:
            run.font.size = Pt(size)
        p.paragraph_format.line_spacing = Pt(round(size * 1.6))
    return p


def _sections(facts: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The page's numbered parts: (heading, paragraphs)."""
    who, unit = facts["who"], facts["unit"]
    parts: list[tuple[str, list[str]]] = []
    basic = (f"本期参评{who}{facts['total']}{unit}，已评定{facts['rated']}{unit}"
             + (f"，待补全{facts['incomplete']}{unit}" if facts["incomplete"] else "")
             + (f"，取消资格{facts['disqualified']}{unit}" if facts["disqualified"] else "") + "。")
    spread = "；".join(f"{label}{n}{unit}（{pct}%）" for label, n, pct in facts["levels"] if n)
    parts.append(("基本情况", [basic + (f"其中{spread}（百分比为占参评总数的比例）。" if spread else "")]))
    if facts["has_stars"]:
        line = (f"{facts['stars_word']}{who}{facts['stars_count']}{unit}，占已评定星级的{facts['rated_stars']}{unit}的"
                f"{facts['share']}%（不含取消资格和待补全）")
        if facts["goal"] is not None:
            line += f"，目标{facts['goal']}%，{'已达到' if facts['met'] else '尚未达到'}目标"
        parts.append((f"{facts['stars_word']}比例", [line + "。"]))
    if facts["previous"]:
        moves = "、".join(f"{label}{old}→{now}" for label, old, now in facts["previous"])
        changes = "，".join(f"{k}{n}{unit}" for k, n in facts["changes"])
        parts.append(("与上期比较", [f"各星级上期→本期：{moves}。" + (f"{changes}。" if changes else "")]))
    lists = "，".join(f"{name}{n}{unit}" for name, n in facts["lists"])
    units = facts["units_marked"]
    marked = "；".join(f"{u}：{'、'.join(m)}" for u, m in units[:_NAMED]) + (
        f"等{len(units)}个单位（详见内部名单）" if len(units) > _NAMED else "")
    parts.append(("结果运用", [(lists + "。" if lists else "本期无人列入结果运用名单。") + (f"单位：{marked}。" if marked else "")]))
    missing = facts["missing"]
    if missing:
        owing = list(dict.fromkeys(f"{m.unit}{m.branch}" or m.file for m in missing))  # each once
        named = "、".join(owing[:_NAMED])
        more = f"等{len(owing)}处共{len(missing)}份" if len(owing) > _NAMED else f"共{len(missing)}份"
        parts.append(("尚未交回的表格", [f"{named}，{more}，请督促交回。"]))
    else:
        parts.append(("尚未交回的表格", ["无。"]))
    return parts


def _chart(facts: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """The distribution as a column chart: its DrawingML part and the workbook its numbers are in."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"author": "pingxing", "created": FIXED_TIME})
    ws = wb.add_worksheet("Sheet1")
    labels = [label for label, _, _ in facts["levels"]]
    ws.write_column(0, 0, ["星级" if facts["has_stars"] else "等次", *labels])
    ws.write_column(0, 1, [f"{facts['who']}（{facts['unit']}）", *(n for _, n, _ in facts["levels"])])
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": ["Sheet1", 0, 1], "categories": ["Sheet1", 1, 0, len(labels), 0],
                      "values": ["Sheet1", 1, 1, len(labels), 1], "data_labels": {"value": True}, "gap": 60,
                      "points": [{"fill": {"color": chart_colour(label)}, "border": {"color": "#595959"}}
                                 for label in labels]})
    chart.set_title({"name": f"{'星级' if facts['has_stars'] else '等次'}分布（共{facts['total']}{facts['unit']}）",
                     "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "0", "major_gridlines": {"visible": True}})
    ws.insert_chart("D2", chart)
    wb.close()
    data = buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("xl/charts/chart1.xml")
    # labels with the number only (LibreOffice reads an absent showCatName / showSerName as shown)
    xml = xml.replace(b'<c:dLbls><c:showVal val="1"/></c:dLbls>',
                      b'<c:dLbls><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
                      b'<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>')
    # the numbers Word's 编辑数据 opens: the embedded workbook
    xml = xml.replace(b"</c:chartSpace>", b'<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
                                          b"</c:chartSpace>")
    return xml, data


def _add_chart(doc: Any, facts: Mapping[str, Any]) -> None:
    xml, workbook = _chart(facts)
    package = doc.part.package
    chart = Part(PackURI("/word/charts/chart1.xml"), _CHART_TYPE, xml, package)
    chart.relate_to(Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"), _XLSX_TYPE, workbook,
                         package), RT.PACKAGE)
    rid = doc.part.relate_to(chart, RT.CHART)
    width, height = Mm(150), Mm(58)
    inline = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{width}" cy="{height}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="1" name="星级分布"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    p = _paragraph(doc, "", None)
    p.alignment = 1  # centred
    p.paragraph_format.line_spacing = 1.0
    p._p.append(inline)


def write_summary(folder: Path, group: Any, issued: date, template_dir: str | Path,
                  actions: Mapping[str, int] | None = None, missing: Sequence[Owed] = ()) -> Path:
    """Write ``folder/情况汇总.docx``; the path. ``actions``: how many are on each list (通报表彰,
    诫勉谈话 …); ``missing``: see the module docstring."""
    facts = summary_facts(group, Counter(actions or {}), missing)
    template = Path(template_dir) / DOCX_TEMPLATE
    doc = docx.Document(str(template))
    empty_body(doc)
    for line in break_text(facts["title"]):
        _paragraph(doc, line, "Title")
    _paragraph(doc, f"（{periods.date_words(issued)}）", "Title", size=14, space_after=Pt(6))
    for k, (heading, paragraphs) in enumerate(_sections(facts)):
        _paragraph(doc, f"{numeral(k)}、{heading}", "名单标题", size=14)
        for text in paragraphs:
            _paragraph(doc, text, "公示正文", size=14, alignment=0)  # flush left: figures, not prose to justify
    _add_chart(doc, facts)
    path = folder / SUMMARY_NAME
    path.write_bytes(save_fixed(doc, facts["title"], subject="情况汇总"))
    rezip(path)
    return path
