"""A made-up period of one branch, to check the clerk's templates before a run reads anything
(:func:`check_templates`); never published."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pingxing.publish.calendar import Publishing
from pingxing.publish.contexts import stage_contexts
from pingxing.publish.explain import explain_renderer
from pingxing.publish.internal import internal_context
from pingxing.publish.notices import NoticeRenderer
from pingxing.publish.report import render_report, report_context
from pingxing.rate.anonymity import guard_text
from pingxing.rate.entities import Entity
from pingxing.rate.rating import Rating
from pingxing.rate.summary import Summary

_DAY = date(2026, 12, 1)


def _scheme() -> Any:
    announcement = SimpleNamespace(
        title="关于{period_words}评星结果的通报", intro="经评定，现将结果通报如下。", issuer="中共示例委员会",
        red_header=True, organ=None, doc_number="示例〔2026〕1号", list_stars=[5], list_grades=[], periods=[],
        list_actions=[])
    notices = SimpleNamespace(publicity_days=5, title="{unit}{branch}{period_words}评星结果公示", intro="现予公示。",
                              contact="联系电话：12380", issuer="中共{unit}{branch}", template="notice",
                              announcement=announcement, addressee="各党支部", cc="", printer="", contact_person="",
                              phone="12380", place="", hours="", day_count="自然日", list_grades=[])
    return SimpleNamespace(name="sample", title="示例评星", level="member", notices=notices, rules=[], target=None,
                           decimals=2, components=[])


def _ratings() -> list[Rating]:
    five = Rating(Entity("示例单位", "示例党支部", "B1", "1001", "张三"), "member", "rated",
                  total=Fraction(95), stars=5, actions=["诫勉谈话"], star_names=["学习模范星"], grade="优秀")
    four = Rating(Entity("示例单位", "示例党支部", "B1", "1002", "李四"), "member", "rated", total=Fraction(85), stars=4)
    return [five, four]


#: every optional field filled in, so that a template's use of any of them is checked
SETTINGS = {"addressee": "各党支部", "cc": "示例委员会组织部", "print_organ": "中共示例委员会办公室",
            "print_date": "2026年12月8日", "contact_person": "王芳", "contact_phone": "0851-12345678",
            "objection_place": "示例委员会组织部", "objection_hours": "工作日 9:00—17:00",
            "objection_words": "受理地点：示例委员会组织部；受理时间：工作日 9:00—17:00。",
            "publicity_words": "2026年12月1日至12月5日（5天）"}


def sample_contexts() -> list[dict[str, Any]]:
    """A 公示, its 更正, a 通报 and an internal document, every optional field filled in."""
    scheme, ratings = _scheme(), _ratings()
    corrected = [Rating(r.entity, r.level, r.status, total=r.total, stars=r.stars - 1 if r.stars == 4 else r.stars,
                        actions=list(r.actions), notes=["经复核更正"] if r.stars == 4 else []) for r in ratings]
    pub = Publishing({"联系电话": "12380"}, 5, False, given=_DAY, today=_DAY)
    out = stage_contexts(scheme, "2026Q4", [(None, ratings), (_DAY, corrected)], pub, [], announce=True)
    internal = internal_context(sample_group(), _DAY, ratings)
    if internal is not None:
        out.append(internal)
    for ctx in out:
        ctx.pop("file", None)
        ctx.update(SETTINGS)
        ctx.update(red_header=True)
    return out


def sample_group() -> Any:
    """What the report needs of a rated (scheme, period)."""
    ratings = _ratings()
    return SimpleNamespace(scheme=_scheme(), period="2026Q4", summary=Summary.of("member", ratings), problems=[],
                           units={}, ratings=ratings)


def sample_explanation() -> dict[str, Any]:
    """A made-up 评定计算明细 context, every field of :func:`~pingxing.publish.explain.explain_context`."""
    part = {"name": "互评", "how": "9张票的平均分", "ballots": "9", "figure": "≈92.22", "weight": "30%",
            "weighted": "≈27.6667"}
    return {
        "title": "张三2026年第四季度评定计算明细", "scheme_title": "示例评星", "period_words": "2026年第四季度",
        "entity_id": "1001", "name": "张三", "unit": "示例单位", "branch": "示例党支部", "where": "示例单位示例党支部",
        "parts": [part, {**part, "name": "职工参评", "how": "选票的平均分", "ballots": "", "figure": guard_text(3),
                         "weighted": guard_text(3)}],
        "total_lines": ["综合得分 = 互评×30% + 职工参评×70%", "公布得分 = 90.31（按四舍五入保留2位小数；分档按公布得分）"],
        "rules": [{"title": "分档定星", "lines": ["公布得分90.31在五星档（90 ≤ 得分）"]}],
        "corrections": ["2026年12月5日，党委批准：摘星；理由：示例"], "result": "五星", "reasons": [],
        "publicity_lines": ["公示时间：2026年12月1日至12月5日（5天）"], "objection_lines": ["联系电话：12380"],
        "note": "本明细只列出汇总数字，不含任何一张选票。",
    }


def check_templates(template_dir: str | Path) -> None:
    """Render a made-up 公示, 通报 and internal document, the report and a 评定计算明细 with every template
    of ``template_dir``: a field a clerk mistyped stops the run before anything is read or written
    (a :class:`~pingxing.errors.TemplateError` naming the file and the field)."""
    renderer = NoticeRenderer(template_dir)
    for ctx in sample_contexts():
        renderer.docx_bytes(ctx)
        renderer.html_text(ctx)
    render_report(report_context(sample_group()), template_dir)
    explaining = explain_renderer(Path(template_dir))
    explaining.docx_bytes(sample_explanation())
    explaining.html_text(sample_explanation())
