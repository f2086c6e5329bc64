"""民主评议党员: who does not take part (kind ``exclude``), and each member's grade proposed from the
votes, capped per branch and decided by the branch (kind ``propose_grade``).

``exclude``: a member the branch marks 不参评 (with the reason) is ``excluded`` — not rated, on no
notice, in no cap or share base.

``propose_grade``, per branch: each member's share of the valid votes for each grade (weighted over
the groups: 党员互评, 群众评议 …); the first of the scheme's tests that holds proposes its grade (in
the shipped scheme: 不合格 > 1/2, then 基本合格 + 不合格 > 1/2, then 优秀 > 1/2), else ``otherwise``.
The capped grade goes to at most ⌊share × N⌋ members (N: the branch's members taking part), the
candidates ranked by their share; those tied across the line all go without (宁缺勿滥, a warning) and,
like those below it, are proposed by the tests after the capped one. Then the branch decides (不能简单
以票取人): a decided grade that differs from the proposal needs a reason, and the decided grades may
not exceed the cap — otherwise an error at the cell, the member ``incomplete`` and the branch's 公示
withheld.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from pingxing.problems import problem
from pingxing.rate.anonymity import share_words
from pingxing.rounding import percent
from pingxing.scheme.components import GradeVotesComponent
from pingxing.scheme.model import Scheme
from pingxing.scheme.rules import ExcludeRule, GradeTest, ProposeGradeRule


def proposing(scheme: Scheme) -> ProposeGradeRule | None:
    """The scheme's ``propose_grade`` rule, if it has one."""
    return next((r for r in scheme.rules if isinstance(r, ProposeGradeRule)), None)


def grades_of(scheme: Scheme) -> list[str]:
    """The grades the scheme proposes, in the order of its tally's columns ([] when it proposes none)."""
    rule = proposing(scheme)
    if rule is None:
        return []
    comp = scheme.component(rule.groups[0].sheet)
    return list(comp.grades) if isinstance(comp, GradeVotesComponent) else []


def apply_exclude(rule: ExcludeRule, ctx: Any, ratings: list[Any]) -> None:
    """不参评: out of the rating, with the reason the branch wrote (required when a column is named)."""
    for r in ratings:
        e = r.entity
        if r.status == "excluded" or e.flags.get(rule.column, "") != rule.equals:
            continue
        why = e.flags.get(rule.reason, "").strip() if rule.reason else ""
        if rule.reason and not why:
            sheet, _, header = rule.reason.partition(".")
            ctx.problems.append(problem("exclude-no-reason", **_at(e, sheet, header),
                                        column=rule.column.partition(".")[2], choice=rule.equals, header=header))
            _incomplete(r, f"选了不参评，但“{header}”未填写")
            continue
        e.excluded = f"不参评（{why}）" if why else "不参评"
        r.status, r.reasons = "excluded", [e.excluded]
        r.total = r.score = r.stars = None
        r.star_names, r.grade, r.proposed_grade = [], "", ""


def apply_propose(rule: ProposeGradeRule, ctx: Any, ratings: list[Any]) -> None:
    """Propose, cap and decide, branch by branch (unit by unit for a branch scheme)."""
    scopes: dict[tuple[str, str], list[Any]] = {}
    for r in ratings:
        if r.status != "excluded":  # 不参评 are in no base
            e = r.entity
            scopes.setdefault((e.unit, e.branch if ctx.scheme.level == "member" else ""), []).append(r)
    for (unit, branch), members in scopes.items():
        _Branch(rule, ctx, f"{unit}{branch}", members).run()


class _Branch:
    """One branch's proposals, cap and decisions."""

    def __init__(self, rule: ProposeGradeRule, ctx: Any, where: str, members: list[Any]) -> None:
        self.rule, self.ctx, self.where, self.members = rule, ctx, where, members
        self.word = "加权得票率" if len(rule.groups) > 1 else "得票率"
        cap = rule.cap
        self.allowed = math.floor(cap.share * len(members)) if cap is not None else len(members)
        self.capped = next((k for k, t in enumerate(rule.tests) if cap is not None and t.grade == cap.grade), None)

    def run(self) -> None:
        rule, tests = self.rule, self.rule.tests
        shares: dict[int, dict[str, Fraction]] = {}
        candidates = []
        for r in self.members:  # the votes propose, whatever else is wrong in a member's forms
            if r.status not in ("rated", "incomplete") or not self._voted(r):
                continue
            s = shares[id(r)] = _shares(rule, r.entity)
            k = self._first(s, 0)
            if k is not None and k == self.capped:
                candidates.append(r)
            else:
                self._propose(r, k, s)
        if candidates:
            test = tests[self.capped]  # type: ignore[index]
            key = {id(r): _share(test, shares[id(r)]) for r in candidates}
            candidates.sort(key=lambda r: key[id(r)], reverse=True)
            allowed = self.allowed
            cut = key[id(candidates[allowed - 1])] if 0 < allowed <= len(candidates) else None
            tied = cut is not None and len(candidates) > allowed and key[id(candidates[allowed])] == cut
            for i, r in enumerate(candidates):
                if i < allowed and not (tied and key[id(r)] == cut):
                    self._propose(r, self.capped, shares[id(r)])
                    continue
                s = shares[id(r)]
                self._propose(r, self._first(s, self.capped + 1), s)  # type: ignore[operator]
                r.reasons.append(self._left_out(r, test, key[id(r)], tied and key[id(r)] == cut))
            if tied and cut is not None:
                at_cut = [r for r in candidates if key[id(r)] == cut]
                names = "、".join(r.entity.name for r in at_cut)
                self.ctx.problems.append(problem("grade-cap-tie", entity=self.where, where=self.where, grade=test.grade,
                                                 allowed=allowed, names=names,
                                                 pct=self._tied_pct(at_cut, cut)))
        self._decide()

    def _voted(self, r: Any) -> bool:
        """Whether every group's tally of ``r`` is known (its rows had no error)."""
        return all(g.sheet in r.entity.votes for g in self.rule.groups)

    def _first(self, s: dict[str, Fraction], start: int) -> int | None:
        """The index of the first test from ``start`` that holds (None: ``otherwise``)."""
        for k, t in enumerate(self.rule.tests[start:], start):
            share = _share(t, s)
            if share > t.share or (not t.strict and share == t.share):
                return k
        return None

    def _propose(self, r: Any, k: int | None, s: dict[str, Fraction]) -> None:
        if k is None:
            r.proposed_grade = self.rule.otherwise
            return
        t = self.rule.tests[k]
        r.proposed_grade = t.grade
        r.reasons.append(f"{'+'.join(t.votes)}{self.word}{self._pct(r, _share(t, s))}，"
                         f"{'超过' if t.strict else '达到'}{_ratio(t.share)}")

    def _pct(self, r: Any, share: Fraction) -> str:
        """A vote share of ``r`` in words — or, resting on too few ballots, the anonymity guard's words."""
        return share_words(r.entity, [g.sheet for g in self.rule.groups], _pct(share),
                           self.ctx.scheme.anonymity.min_ballots)

    def _tied_pct(self, tied: list[Any], share: Fraction) -> str:
        """The share the tied members stand at, in words — the guard's words when any of them rests on too
        few ballots (the share is theirs too)."""
        shown = _pct(share)
        return next((words for words in (self._pct(r, share) for r in tied) if words != shown), shown)

    def _left_out(self, r: Any, test: GradeTest, share: Fraction, tied: bool) -> str:
        n, grade, pct = len(self.members), test.grade, self._pct(r, share)
        quota = f"本支部{grade}名额{self.allowed}个（参加评议{n}人的{_ratio(self.rule.cap.share)}，向下取整）"  # type: ignore[union-attr]
        if tied:
            return f"{grade}{self.word}{pct}，{quota}，与他人并列于名额线，宁缺勿滥，未提出为{grade}"
        return f"{grade}{self.word}{pct}，{quota}，按{self.word}排序未进入名额"

    def _decide(self) -> None:
        """The branch's decision stands where it is one of the grades and, if it differs, says why."""
        decision, rated = self.rule.decision, [r for r in self.members if r.status == "rated"]
        for r in rated:
            e = r.entity
            chosen = e.flags.get(decision.column, "") if decision is not None else ""
            if not chosen or chosen == r.proposed_grade:
                r.grade = r.proposed_grade
                continue
            assert decision is not None
            why = e.flags.get(decision.reason, "").strip()
            if not why:
                sheet, _, header = decision.reason.partition(".")
                self.ctx.problems.append(problem("grade-no-reason", **_at(e, sheet, header), decided=chosen,
                                                 proposed=r.proposed_grade, header=header))
                _incomplete(r, f"评定等次“{chosen}”与建议等次“{r.proposed_grade}”不同，未写理由")
                continue
            r.grade = chosen
            r.reasons.append(f"建议等次{r.proposed_grade}，支部评定为{chosen}（理由：{why}）")
        cap = self.rule.cap
        if cap is None or not all(self._voted(r) for r in self.members if r.status != "disqualified"):
            return  # a tally with an error: the ranking is not known yet (and the 公示 is withheld anyway)
        decided = [r for r in self.members if r.status == "rated" and r.grade == cap.grade]
        if len(decided) <= self.allowed:
            return
        over = [r for r in decided if r.proposed_grade != cap.grade] or decided  # (the votes never exceed it)
        sheet, _, header = decision.column.partition(".") if decision is not None else ("", "", "")
        for r in over:
            self.ctx.problems.append(problem(
                "grade-over-cap", **_at(r.entity, sheet, header), where=self.where, grade=cap.grade,
                count=len(decided), allowed=self.allowed, n=len(self.members), share=_ratio(cap.share)))
            _incomplete(r, f"本支部评定为{cap.grade}的{len(decided)}人，超过名额{self.allowed}人")


def _shares(rule: ProposeGradeRule, e: Any) -> dict[str, Fraction]:
    """Each grade's share of the valid votes, weighted over the groups (exact)."""
    out: dict[str, Fraction] = {}
    for group in rule.groups:
        for grade, (votes, valid) in e.votes[group.sheet].items():
            out[grade] = out.get(grade, Fraction(0)) + group.weight * Fraction(votes, valid)
    return out


def _share(t: GradeTest, s: dict[str, Fraction]) -> Fraction:
    return sum((s.get(g, Fraction(0)) for g in t.votes), Fraction(0))


def _incomplete(r: Any, why: str) -> None:
    r.status, r.grade = "incomplete", ""
    r.total = r.score = r.stars = None
    r.reasons.append(why)


def _at(e: Any, sheet: str, header: str) -> dict[str, Any]:
    """The location fields of a problem about ``e``'s cell in ``sheet``'s column ``header``."""
    place = e.places.get(sheet)
    return {"file": place.file if place else "", "sheet": sheet, "cell": place.cell(header) if place else "",
            "entity": f"{e.id} {e.name}"}


def _pct(f: Fraction) -> str:
    return f"{percent(f)}%"


def _ratio(f: Fraction) -> str:
    """1/2, 1/3, 3/5 as fractions; a share with a larger denominator as a percentage."""
    return f"{f.numerator}/{f.denominator}" if 1 < f.denominator <= 10 else _pct(f)
