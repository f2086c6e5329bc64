"""The internal document (内部): who goes on 诫勉谈话 / 警告 / 问责, which units may not be rated
优秀, what must be redone, and the five-star share against the scheme's target.

These lists are never part of a public notice or of the public HTML: they are written to
``internal/`` beside ``notices/``, each page titled and marked 内部.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from typing import Any

from pingxing import periods
from pingxing.publish import appraisal
from pingxing.publish.contexts import row
from pingxing.publish.sections import in_action_order, sections_by, unit_section
from pingxing.publish.signature import issuer_for
from pingxing.rate.rules.appraisal import proposing
from pingxing.rate.summary import summary_of
from pingxing.rounding import percent
from pingxing.scheme.model import STAR_WORDS
from pingxing.scheme.rules import ListsRule


def public_actions(scheme: Any) -> set[str]:
    """The lists a scheme makes public (通报表彰 …); the rest go only into the internal document."""
    return {lst.name for r in getattr(scheme, "rules", ()) if isinstance(r, ListsRule) for lst in r.lists if lst.public}


def listed(scheme: Any, ratings: Iterable[Any]) -> list[Any]:
    """The ratings the internal document lists: those with an action that is not public (and, 民主评议,
    the grades kept internal and the decisions against the votes)."""
    public = public_actions(scheme)
    return [r for r in ratings if (r.actions and any(a not in public for a in r.actions)) or appraisal.listed(scheme, r)]


def internal_context(group: Any, issued: date, ratings: list[Any] | None = None) -> dict[str, Any] | None:
    """One context for the internal document, or None when there is nothing to say;
    ``ratings``: the :func:`listed` ones, when gathered already (shard by shard).

    Its lists come by section (``sections``: 诫勉谈话, 警告, 问责 … each with its count, in columns
    单位, 支部, 星级, 上年星级, 处理), then the units a rule marked (不得评为优秀 …); ``rows`` holds
    everyone once, as the 公示 template lists them."""
    scheme = group.scheme
    public = public_actions(scheme)
    listed_ = ratings if ratings is not None else listed(scheme, group.ratings)
    rows: list[dict[str, Any]] = []
    by_list: dict[str, list[dict[str, Any]]] = {}
    for r in listed_:
        item = row(len(rows) + 1, r, show_unit=True, history=True)
        item["actions"] = [a for a in r.actions if a not in public]
        item["note"] = f"{r.entity.unit}；" + "、".join(item["actions"])
        lists = item["actions"]
        if r.proposed_grade:  # 民主评议: the branch, a decision against the votes and why
            item["note"] = appraisal.note(scheme, r, public)
            item["explain"] = _decision(scheme, r)
            lists = lists or [_appraisal_list(scheme, r)]
        rows.append(item)
        for action in lists:
            by_list.setdefault(action, []).append(item)
    order = in_action_order(by_list)
    sections = sections_by([(a, by_list[a]) for a in order], scheme.level)
    marked = sorted(group.units.items())
    for unit, marks in marked:
        rows.append({"seq": len(rows) + 1, "name": unit, "unit": unit, "branch": "", "stars": None, "stars_text": "",
                     "star_word": "", "star_names": "", "grade": "", "note": "；".join(marks)})
    if marked:
        sections.append(unit_section(len(sections), marked))
    shares = target_shares(group)
    if not rows and not shares:
        return None
    words = periods.in_words(group.period)
    who = "党员" if scheme.level == "member" else "党支部"
    lines = [f"{u or '全部'}{n}/{total}，{pct}%" + ("（未达目标）" if short else "")
             for u, n, total, pct, short in shares]
    counts = "，".join(f"{s['title']}{s['count']}{s['counter']}" for s in sections)
    intro = appraisal.intro(scheme, words) or (
        f"以下为{words}星级评定结果运用名单，仅供党组织内部掌握，不得公开张贴或转发。"
        + (f"共{counts}。" if counts else "")
        + (f"{STAR_WORDS[scheme.target.stars]}比例（{STAR_WORDS[scheme.target.stars]}{who}占已评定星级的{who}，"
           f"不含取消资格和待补全；目标{fmt_pct(scheme.target.share)}%）："
           + "；".join(lines) + "。" if lines else ""))
    return {
        "file": "内部名单",
        "kind": "内部",
        "title": f"{scheme.title}{words}结果运用名单（内部）",
        "intro": intro,
        "unit": "", "branch": "", "period": group.period, "period_words": words, "level": scheme.level,
        "rows": rows,
        "sections": sections,
        "publicity_days": scheme.notices.publicity_days, "publicity_start": "", "publicity_end": "",
        "contact": "",
        "issuer": _issuer(scheme, words, group),
        "issue_date": periods.date_words(issued),
    }


def _issuer(scheme: Any, period_words: str, group: Any) -> str:
    """The committee that rates: the 通报's issuer when the scheme has one, else the 公示's for the
    unit (when the period has one unit); "" when no organisation can be named."""
    spec = scheme.notices.announcement
    pattern = spec.issuer if spec is not None and spec.issuer else scheme.notices.issuer
    units = sorted(summary_of(group).units)
    unit = units[0] if len(units) == 1 else ""
    return issuer_for(pattern, unit, "", period_words=period_words).text


def target_shares(group: Any) -> list[tuple[str, int, int, str, bool]]:
    """(unit or '' for all, holders, rated, percent, below target) per unit and overall."""
    target = group.scheme.target
    if target is None:
        return []
    summary = summary_of(group)
    out = []
    for unit, counts in [*sorted(summary.unit_stars.items()), ("", summary.stars)]:
        rated = sum(counts.values())
        if not rated:
            continue
        n = counts[target.stars]
        share = Fraction(n, rated)
        out.append((unit, n, rated, percent(share), share < Fraction(target.share)))
    return out


def fmt_pct(share: Any) -> str:
    """A scheme's target share in percent, as set (80, 82.5)."""
    return percent(Fraction(share), trim=True)


def _appraisal_list(scheme: Any, r: Any) -> str:
    """The list a 民主评议 member without an internal action is under: the grade kept internal
    (基本合格, 不合格), else a decision against the votes."""
    rule = proposing(scheme)
    return r.grade if rule is not None and r.grade in rule.internal else "评定等次与票决建议不同"


def _decision(scheme: Any, r: Any) -> str:
    """A 民主评议 decision against the votes, and the branch's reason (the 说明 column), or ""."""
    rule = proposing(scheme)
    if rule is None or r.grade == r.proposed_grade:
        return ""
    why = r.entity.flags.get(rule.decision.reason, "").strip() if rule.decision is not None else ""
    return f"建议等次{r.proposed_grade}，支部评定为{r.grade}" + (f"，理由：{why}" if why else "")
