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

from pingxing import periods
from pingxing.problems import Problem, problem
from pingxing.publish.calendar import Publishing
from pingxing.publish.sections import change_lines, sections_by
from pingxing.publish.signature import issuer_for
from pingxing.publish.titles import break_text, break_title, plain_title
from pingxing.rate.rating import Rating
from pingxing.scheme.model import STAR_WORDS


def stage_contexts(scheme: Any, period: str, stages: list[tuple[date | None, list[Rating]]], pub: Publishing,
                   problems: list[Problem], announce: bool = True) -> list[dict[str, Any]]:
    """The notices of one shard: those of the original ratings, then, for each correction date,
    a numbered revision of every notice whose list changed, saying which notice it replaces.
    ``announce``: with the 通报, when the shard is the whole period; otherwise
    :class:`Announcement` gathers it across shards. ``pub`` dates them (and keeps the dates used)."""
    current: dict[str, dict[str, Any]] = {}
    out = []
    for ctx in _contexts(scheme, period, stages[0][1], pub, problems, announce):
        current[ctx["file"]] = ctx
        out.append(_dated(ctx, pub))
    revisions: dict[str, int] = {}
    for when, ratings in stages[1:]:
        for ctx in _contexts(scheme, period, ratings, pub, [], announce):
            before = current.get(ctx["file"])
            if before is not None and before["rows"] == ctx["rows"]:
                continue
            base = ctx["file"]
            current[base] = ctx
            if before is None:  # withheld until now (e.g. someone 调出): its first notice, not a 更正
                out.append(_dated(ctx, pub))
                continue
            k = revisions[base] = revisions.get(base, 0) + 1
            ctx["file"] = f"{base}-更正{k}"
            suffix = f"（更正{k}）" if k > 1 else "（更正）"
            ctx["title"] += suffix
            pattern = scheme.notices.title if ctx["kind"] == "公示" else ""  # (a 通报's: its title as filled in)
            words = {key: ctx[key] for key in ("unit", "branch", "period_words")}
            ctx["title_lines"] = break_title(pattern + suffix, words) if pattern else break_text(ctx["title"])
            # what changed and which notice this one replaces (its title and date); the template says
            # 经核查，现对《…》（…）更正如下： and the lines before the intro
            ctx["replaces"] = f"《{before['title']}》（{before['issue_date']}）"
            ctx["changes"] = change_lines(before["rows"], ctx["rows"], scheme.level)
            ctx["intro"] = f"本{ctx['kind']}替代原{ctx['kind']}。" + ctx["intro"]
            since = pub.used.get(base) or pub.recorded.get(base)
            out.append(_dated(ctx, pub, max(when, since) if when and since else when))
    return out


def _contexts(scheme: Any, period: str, ratings_of_stage: list[Rating], pub: Publishing, problems: list[Problem],
              announce: bool = True) -> list[dict[str, Any]]:
    """The notices of one stage's ratings, not dated yet (:func:`_dated`)."""
    notices = scheme.notices
    period_words = periods.in_words(period)
    lists: dict[tuple[str, str], list[Rating]] = {}
    for r in ratings_of_stage:
        if r.status == "excluded":  # 不参评: on no notice
            continue
        key = (r.entity.unit, r.entity.branch if scheme.level == "member" else "")
        lists.setdefault(key, []).append(r)
    out = []
    for (unit, branch), ratings in lists.items():
        where = f"{unit}{branch}"
        if any(r.status == "incomplete" for r in ratings):
            problems.append(problem("notice-withheld", entity=where, where=where,
                                    who="人员" if scheme.level == "member" else "支部"))
            continue
        members = len(ratings)  # the branch's people, whoever its 公示 lists (its 署名: with a committee or not)
        if notices.list_grades:  # a 公示 of some grades only (民主评议: 优秀); nobody on it, no 公示
            ratings = [r for r in ratings if r.status == "rated" and r.grade in notices.list_grades]
            if not ratings:
                continue
        words = {"unit": unit, "branch": branch, "period_words": period_words}
        ctx = _context("公示", notices.title, notices.intro, words, scheme, period, ratings, pub,
                       _signature(notices.issuer, pub), file=f"{unit}-{branch}-公示" if branch else f"{unit}-公示",
                       problems=problems, people=members)
        if not ctx["contact_phone"]:
            problems.append(problem("no-contact", entity=where, title=ctx["title"], scheme=scheme.name, period=period))
        out.append(ctx)
    if announce:
        gathered = Announcement(scheme, period)
        gathered.add(ratings_of_stage)
        closing = gathered.context(pub, problems)
        if closing is not None:
            out.append(closing)
    return out


def _signature(issuer: str, pub: Publishing) -> str:
    """What a 公示's 署名 is built from (:func:`.signature.issuer_for`): the scheme's pattern, for the
    branch or unit it lists; the settings' 发文机关 when the scheme's is the committee's own (it names
    no unit or branch)."""
    return issuer if "{" in issuer else pub.text("发文机关", issuer)


def _dated(ctx: dict[str, Any], pub: Publishing, decided: date | None = None) -> dict[str, Any]:
    """Give a 公示 its publicity dates (kept from its first publication) and the words that say them."""
    if ctx["kind"] != "公示":
        return ctx
    begin, end = pub.window(pub.start(ctx["file"], decided))
    ctx.update(publicity_start=periods.date_words(begin), publicity_end=periods.date_words(end),
               publicity_words=pub.words(begin, end), issue_date=periods.date_words(begin))
    return ctx


class Announcement:
    """The 通报 of a period, gathered shard by shard: only the commended are kept."""

    def __init__(self, scheme: Any, period: str) -> None:
        self.scheme, self.period = scheme, period
        self.spec = scheme.notices.announcement
        if self.spec is not None and self.spec.periods and periods.kind_of(period) not in self.spec.periods:
            self.spec = None
        self.units: set[str] = set()
        self.incomplete = False
        self.honoured: list[Rating] = []

    def add(self, ratings: list[Rating]) -> None:
        spec = self.spec
        if spec is None:
            return
        for r in ratings:
            self.units.add(r.entity.unit)
            self.incomplete = self.incomplete or r.status == "incomplete"
            if r.status == "rated" and ((r.stars is not None and r.stars in spec.list_stars)
                                        or (r.grade and r.grade in spec.list_grades)
                                        or any(a in spec.list_actions for a in r.actions)):
                self.honoured.append(r)

    def context(self, pub: Publishing, problems: list[Problem]) -> dict[str, Any] | None:
        """The 通报, or None (with a warning saying why) when there is none to issue; dated the day after
        the last publicity ends (or the settings' 成文日期)."""
        spec, notices = self.spec, self.scheme.notices
        if spec is None:
            return None
        if self.incomplete:
            problems.append(problem("notice-withheld", "announcement"))
            return None
        units = self.units
        words = {"unit": next(iter(units)) if len(units) == 1 else "", "branch": "",
                 "period_words": periods.in_words(self.period)}
        if not self.honoured:  # nobody to commend (e.g. a tied award awaiting the committee): no empty 通报
            problems.append(problem("notice-withheld", "nobody", title=plain_title(spec.title, words)))
            return None
        issuer = pub.text("发文机关", spec.issuer or notices.issuer)  # (a pattern: the 署名 is built from it)
        ctx = _context("通报", spec.title, spec.intro, words, self.scheme, self.period, self.honoured, pub, issuer,
                       file="通报", show_unit=len(units) > 1, problems=problems)
        issued = periods.date_words(pub.announced(pub.today))  # announced when publicity is over
        organ = spec.organ.format(**words) if spec.organ else ctx["issuer"]
        ctx.update(red_header=spec.red_header, organ=pub.text("发文机关标志", organ),
                   doc_number=pub.text("发文字号", spec.doc_number.format(**words)), issue_date=issued,
                   print_date=issued)
        ctx["sections"] = sections_by(self.lists(), self.scheme.level, spec.list_actions)  # by list, in columns
        return ctx

    def lists(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The 通报's lists: each star level it names (五星级党支部), each grade, each public list
        (通报表彰); everyone under the first that takes them."""
        spec, who = self.spec, "党员" if self.scheme.level == "member" else "党支部"
        keys: list[tuple[str, Any]] = [(f"{STAR_WORDS[s]}级{who}", ("stars", s)) for s in sorted(spec.list_stars, reverse=True)]
        keys += [(g, ("grade", g)) for g in spec.list_grades] + [(a, ("action", a)) for a in spec.list_actions]
        groups: dict[str, list[dict[str, Any]]] = {title: [] for title, _ in keys}
        for r in self.honoured:
            for title, (what, value) in keys:
                if (what == "stars" and r.stars == value) or (what == "grade" and r.grade == value) \
                        or (what == "action" and value in r.actions):
                    groups[title].append(row(len(groups[title]) + 1, r, history=True))
                    break
        return list(groups.items())


def _context(kind: str, title: str, intro: str, words: dict[str, str], scheme: Any, period: str,
             ratings: list[Rating], pub: Publishing, issuer: str, file: str,
             show_unit: bool = False, problems: list[Problem] | None = None, people: int | None = None) -> dict[str, Any]:
    notices = scheme.notices
    public = kind == "公示"
    people = len(ratings) if people is None else people
    signed = issuer_for(issuer, words["unit"], words["branch"], people=people if words["branch"] else None,
                        period_words=words["period_words"])  # 署名: what the organisation is (signature.py)
    plain = plain_title(title, words)  # (a forced break in the title is no part of its words)
    if not signed.text and problems is not None:
        problems.append(problem("unsigned", entity=f"{words['unit']}{words['branch']}", title=plain, why=signed.why))
    return {
        "file": file,
        "kind": kind,
        "title": plain,
        "title_lines": break_title(title, words),  # broken between words, fields whole (titles.py)
        "intro": intro.format(**words),
        "unit": words["unit"], "branch": words["branch"], "period": period,
        "period_words": words["period_words"], "level": scheme.level,
        "rows": [row(i, r, show_unit) for i, r in enumerate(ratings, 1)],
        "publicity_days": pub.days,
        "publicity_start": "", "publicity_end": "", "publicity_words": "",  # a 公示's: :func:`_dated`
        "contact": notices.contact.format(**words) if public else "",
        "contact_person": pub.text("联系人", notices.contact_person) if public else "",
        "contact_phone": pub.text("联系电话", notices.phone) if public else "",
        "objection_place": pub.text("受理地点", notices.place) if public else "",
        "objection_hours": pub.text("受理时间", notices.hours) if public else "",
        "addressee": pub.text("主送机关", notices.addressee) if not public else "",
        "cc": pub.text("抄送机关", notices.cc) if not public else "",
        "print_organ": pub.text("印发机关", notices.printer) if not public else "",
        "print_date": "",
        "issuer": signed.text,
        "issue_date": "",
    }


def row(seq: int, r: Rating, show_unit: bool = False, history: bool = False) -> dict[str, Any]:
    """A notice's row; ``history``: with ``id``, ``prev_stars`` and ``actions`` (the 通报's and the
    internal document's columns)."""
    e = r.entity
    stars = r.stars
    if r.status == "disqualified":
        word = "取消评星资格"
    else:
        word = STAR_WORDS[stars] if stars is not None else ""
    out = {
        "seq": seq, "name": e.name, "unit": e.unit, "branch": e.branch, "stars": stars,
        "stars_text": "★" * stars if stars else "", "star_word": word,
        "star_names": "、".join(r.star_names), "grade": r.grade,
        "note": "；".join(x for x in (e.unit if show_unit else "", *r.notes) if x),
    }
    out["id"] = e.id  # (matches a 更正's rows to the notice it replaces)
    if history:
        out.update(prev_stars=r.prev_stars, actions=list(r.actions))
    return out
