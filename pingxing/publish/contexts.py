"""What each notice says: the contexts handed to the Word and HTML templates.

公示 (publicity): one per branch for member schemes, one per unit for branch schemes,
listing every rated entity with its stars, named stars or grade — never scores or
ballots. 通报 (announcement, when the scheme has one): one per run, listing only the
commended (the star levels and grades the scheme names); internal lists never go here.
A list with anyone still ``incomplete`` is withheld (a warning says so): a notice with
people missing must not be posted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import periods
from ..problems import Problem
from ..rate import Rating
from ..rules.bands import STAR_WORDS


def notice_contexts(group: Any, start: date) -> list[dict[str, Any]]:
    """The notices of the original ratings, then, for each correction date, a numbered
    revision of every notice whose list changed, saying which notice it replaces."""
    stages = group.stages or [(None, group.ratings)]
    current = {c["file"]: c for c in _contexts(group, stages[0][1], start, group.problems)}
    out = list(current.values())
    revisions: dict[str, int] = {}
    for when, ratings in stages[1:]:
        for ctx in _contexts(group, ratings, when or start, []):
            before = current.get(ctx["file"])
            if before is not None and before["rows"] == ctx["rows"]:
                continue
            base = ctx["file"]
            k = revisions[base] = revisions.get(base, 0) + 1
            replaced = f"《{before['title']}》" if before else "原公示"
            ctx["file"] = f"{base}-更正{k}"
            ctx["title"] += f"（更正{k}）" if k > 1 else "（更正）"
            ctx["intro"] = f"经核查，对{replaced}更正如下，本{ctx['kind']}替代原{ctx['kind']}。" + ctx["intro"]
            current[base] = ctx
            out.append(ctx)
    return out


def _contexts(group: Any, ratings_of_stage: list[Rating], start: date, problems: list[Problem]
              ) -> list[dict[str, Any]]:
    scheme, notices = group.scheme, group.scheme.notices
    begin, end = periods.publicity_window(start, notices.publicity_days)
    period_words = periods.in_words(group.period)
    lists: dict[tuple[str, str], list[Rating]] = {}
    for r in ratings_of_stage:
        key = (r.entity.unit, r.entity.branch if scheme.level == "member" else "")
        lists.setdefault(key, []).append(r)
    out = []
    for (unit, branch), ratings in lists.items():
        where = f"{unit}{branch}"
        if any(r.status == "incomplete" for r in ratings):
            problems.append(Problem(
                "notice-withheld", f"{where}尚有{'人员' if scheme.level == 'member' else '支部'}评定不完整，"
                "暂不生成公示；补全表格后重新运行即可", entity=where, severity="warning"))
            continue
        words = {"unit": unit, "branch": branch, "period_words": period_words}
        out.append(_context("公示", notices.title, notices.intro, words, group, ratings, begin, end,
                            notices.issuer, begin, file=f"{unit}-{branch}-公示" if branch else f"{unit}-公示"))
    spec = notices.announcement
    if spec is not None and (not spec.periods or periods.kind_of(group.period) in spec.periods):
        if any(r.status == "incomplete" for r in ratings_of_stage):
            problems.append(Problem(
                "notice-withheld", "尚有评定不完整的对象，暂不生成通报；补全表格后重新运行即可", severity="warning"))
        else:
            units = {r.entity.unit for r in ratings_of_stage}
            words = {"unit": next(iter(units)) if len(units) == 1 else "", "branch": "", "period_words": period_words}
            honoured = [r for r in ratings_of_stage if r.status == "rated" and (
                (r.stars is not None and r.stars in spec.list_stars) or (r.grade and r.grade in spec.list_grades)
                or any(a in spec.list_actions for a in r.actions))]
            issue = end  # announced when publicity is over
            if not honoured:  # nobody to commend (e.g. a tied award awaiting the committee): no empty 通报
                problems.append(Problem(
                    "notice-withheld", f"本期没有可列入“{spec.title.format(**words)}”的对象，暂不生成通报",
                    severity="warning"))
                return out
            ctx = _context("通报", spec.title, spec.intro, words, group, honoured, begin, end,
                           spec.issuer or notices.issuer, issue, file="通报", show_unit=len(units) > 1)
            ctx.update(red_header=spec.red_header, organ=(spec.organ or ctx["issuer"]).format(**words),
                       doc_number=spec.doc_number.format(**words))
            out.append(ctx)
    return out


def _context(kind: str, title: str, intro: str, words: dict[str, str], group: Any, ratings: list[Rating],
             begin: date, end: date, issuer: str, issued: date, file: str, show_unit: bool = False
             ) -> dict[str, Any]:
    notices = group.scheme.notices
    return {
        "file": file,
        "kind": kind,
        "title": title.format(**words),
        "intro": intro.format(**words),
        "unit": words["unit"], "branch": words["branch"], "period": group.period,
        "period_words": words["period_words"], "level": group.scheme.level,
        "rows": [row(i, r, show_unit) for i, r in enumerate(ratings, 1)],
        "publicity_days": notices.publicity_days,
        "publicity_start": periods.date_words(begin), "publicity_end": periods.date_words(end),
        "contact": notices.contact.format(**words) if kind == "公示" else "",
        "issuer": issuer.format(**words),
        "issue_date": periods.date_words(issued),
    }


def row(seq: int, r: Rating, show_unit: bool = False) -> dict[str, Any]:
    e = r.entity
    stars = r.stars
    if r.status == "disqualified":
        word = "取消评星资格"
    else:
        word = STAR_WORDS[stars] if stars is not None else ""
    return {
        "seq": seq, "name": e.name, "unit": e.unit, "branch": e.branch, "stars": stars,
        "stars_text": "★" * stars if stars else "", "star_word": word,
        "star_names": "、".join(r.star_names), "grade": r.grade,
        "note": "；".join(x for x in (e.unit if show_unit else "", *r.notes) if x),
    }
