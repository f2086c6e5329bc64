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
from pingxing.rate.summary import summary_of
from pingxing.rounding import publish
from pingxing.scheme.rules import ListsRule


def public_actions(scheme: Any) -> set[str]:
    return {lst.name for r in scheme.rules if isinstance(r, ListsRule) for lst in r.lists if lst.public}


def listed(scheme: Any, ratings: Iterable[Any]) -> list[Any]:
    """The ratings the internal document lists: those with an action that is not public (and, 民主评议,
    the grades kept internal and the decisions against the votes)."""
    public = public_actions(scheme)
    return [r for r in ratings if (r.actions and any(a not in public for a in r.actions)) or appraisal.listed(scheme, r)]


def internal_context(group: Any, issued: date, ratings: list[Any] | None = None) -> dict[str, Any] | None:
    """One context for the internal document, or None when there is nothing to say;
    ``ratings``: the :func:`listed` ones, when gathered already (shard by shard)."""
    scheme = group.scheme
    public = public_actions(scheme)
    listed_ = ratings if ratings is not None else listed(scheme, group.ratings)
    rows: list[dict[str, Any]] = []
    for r in listed_:
        item = row(len(rows) + 1, r, show_unit=True)
        item["note"] = f"{r.entity.unit}；" + "、".join(a for a in r.actions if a not in public)
        if r.proposed_grade:  # 民主评议: the branch, a decision against the votes and why
            item["note"] = appraisal.note(scheme, r, public)
        rows.append(item)
    for unit, marks in sorted(group.units.items()):
        rows.append({"seq": len(rows) + 1, "name": unit, "unit": unit, "branch": "", "stars": None, "stars_text": "",
                     "star_word": "", "star_names": "", "grade": "", "note": "；".join(marks)})
    shares = target_shares(group)
    if not rows and not shares:
        return None
    words = periods.in_words(group.period)
    lines = [f"{u or '全部'}：{n}/{total}，{pct}%" + ("（未达目标）" if short else "")
             for u, n, total, pct, short in shares]
    intro = appraisal.intro(scheme, words) or (
        f"以下为{words}星级评定结果运用名单，仅供党组织内部掌握，不得公开张贴或转发。"
        + (f"五星比例（目标 {fmt_pct(scheme.target.share)}%）：" + "；".join(lines) + "。" if lines else ""))
    return {
        "file": "内部名单",
        "kind": "内部",
        "title": f"{scheme.title}{words}结果运用名单（内部）",
        "intro": intro,
        "unit": "", "branch": "", "period": group.period, "period_words": words, "level": scheme.level,
        "rows": rows,
        "publicity_days": scheme.notices.publicity_days, "publicity_start": "", "publicity_end": "",
        "contact": "",
        "issuer": _issuer(scheme, words),
        "issue_date": periods.date_words(issued),
    }


def _issuer(scheme: Any, period_words: str) -> str:
    """The committee that rates: the 通报's issuer when the scheme has one, else the 公示's."""
    spec = scheme.notices.announcement
    if spec is not None and spec.issuer:
        return spec.issuer
    return scheme.notices.issuer.format(unit="", branch="", period_words=period_words)


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
        out.append((unit, n, rated, str(publish(share * 100, 1)), share < Fraction(target.share)))
    return out


def fmt_pct(share: Any) -> str:
    return str(publish(Fraction(share) * 100, 0))
