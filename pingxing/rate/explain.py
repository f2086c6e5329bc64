"""评定计算明细, as the rating finds it: for each rated entity, the facts an objection is answered
with (DOMAIN.md "Objections during publicity") — kept in the record by ``run``, written out by
``explain`` (:mod:`pingxing.publish.explain`) without reading a form again.

Only aggregates are kept, never a ballot: per part its figure (exact) and the **number** of ballots
it rests on, a tally's counts, the votes per star or grade; a part resting on fewer than k ballots
(:mod:`.anonymity`) keeps none of them, only that it is withheld. Then what each rule of the scheme
did (from :func:`~pingxing.rate.rating.snapshot`\\ s taken between the rules: stars, status, grade and
the reasons it added; a quota's rank; an award's place), the corrections applied with their reasons,
and the result.

Texts and layout are made when ``explain`` writes the document, from these facts and the scheme as
rated; here the facts are only gathered (cheaply: one small dict per entity).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pingxing.rate.anonymity import BALLOT_KINDS, correction_value, withheld
from pingxing.rate.corrections import shown_note
from pingxing.rate.rating import Rating, Snapshot
from pingxing.rate.rules.conditions import tie_key
from pingxing.rate.rules.quota import allowed_in, scope_of
from pingxing.scheme.components import TALLY_HEADERS
from pingxing.scheme.model import Scheme
from pingxing.scheme.rules import AwardRule, ListsRule, QuotaRule
from pingxing.validate.corrections import Correction


@dataclass(slots=True)
class Explanation:
    """The facts of one entity's 评定计算明细 (see the module docstring); :meth:`as_json` is what the
    record keeps."""

    parts: dict[str, dict[str, Any]]  # sheet → its figure and what it rests on (or ``{"withheld": 1}``)
    steps: list[dict[str, Any]]  # per rule of the scheme, in order: what it changed and said
    corrections: list[dict[str, str]]  # applied to this entity, in order
    computed: str | None  # the total worked out from the parts, exact ("n/d"); None without one
    result: dict[str, Any]  # status, stars, star names, grade, proposed grade, score, reasons

    def as_json(self) -> str:
        """Compact: what is empty is left out (the record keeps one per rated entity)."""
        facts = {"parts": self.parts, "steps": self.steps, "corrections": self.corrections, "computed": self.computed,
                 "result": {k: v for k, v in self.result.items() if v or k == "stars"}}
        return _ENCODE({k: v for k, v in facts.items() if v})


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


@dataclass(frozen=True, slots=True)
class AsRated:
    """What the rules saw, taken before the corrections decided afterwards (a 更正分数 changes a score,
    not the ranking a quota or an award was decided by): each rating's total and published score,
    and each quota's or award's places."""

    totals: list[tuple[Fraction | None, Decimal | None]]
    ranks: dict[int, dict[int, Any]]


def as_rated(scheme: Scheme, ratings: list[Rating], trace: list[list[Snapshot]]) -> AsRated:
    """:class:`AsRated`, straight after :func:`~pingxing.rate.rating.rate` (``trace``: its snapshots)."""
    return AsRated([(r.total, r.score) for r in ratings], _ranks(scheme, ratings, trace))


def explain(scheme: Scheme, ratings: list[Rating], trace: list[list[Snapshot]], applied: list[Correction],
            rated: AsRated) -> None:
    """Give each of ``ratings`` (a shard's final ones) its :class:`Explanation`. ``trace``: the
    snapshots :func:`~pingxing.rate.rating.rate` took around the rules; ``applied``: the corrections;
    ``rated``: what the rules saw (:func:`as_rated`, before the corrections)."""
    k = scheme.anonymity.min_ballots
    layout = _layout(scheme)
    ranks = rated.ranks
    by_entity: dict[str, list[Correction]] = {}
    for c in applied:
        by_entity.setdefault(c.entity_id, []).append(c)
    public: set[str] = {lst.name for rule in scheme.rules if isinstance(rule, ListsRule) for lst in rule.lists if lst.public}
    rules: list[tuple[str, set[str]]] = [  # each rule's kind, and a lists rule's lists
        (rule.kind, {lst.name for lst in rule.lists} if isinstance(rule, ListsRule) else set()) for rule in scheme.rules]
    for j, r in enumerate(ratings):
        e = r.entity
        corrections = by_entity.get(e.id, ())
        computed, seen = rated.totals[j] if r.status != "excluded" else (None, None)
        notes = {shown_note(c, scheme, e) for c in corrections}
        r.explanation = Explanation(
            _parts(layout, e, k),
            _steps(rules, r, j, trace, ranks, public, seen),
            [_correction(c, scheme, e) for c in corrections],
            _exact(computed) if computed is not None else None,
            {"status": r.status, "stars": r.stars, "star_names": r.star_names, "grade": r.grade,
             "proposed_grade": r.proposed_grade, "score": str(r.score) if r.score is not None else None,
             # why it was not rated (the reasons of one rated are each rule's, in ``steps``, and the corrections')
             "reasons": [x for x in r.reasons if x not in notes] if r.status != "rated" else [],
             "public_actions": [a for a in r.actions if a in public]})


def _layout(scheme: Scheme) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Per component: its sheet, its kind, and (checklist, flags, bonus) its columns with their keys in
    :attr:`Entity.flags <pingxing.rate.entities.Entity.flags>` — worked out once per shard, not per entity."""
    return [(c.sheet, c.kind, [(col.header, f"{c.sheet}.{col.header}") for col in c.fill_columns()]
             if c.kind in ("checklist", "flags", "bonus") else []) for c in scheme.components]


def _parts(layout: list[tuple[str, str, list[tuple[str, str]]]], e: Any, k: int) -> dict[str, dict[str, Any]]:
    """Each part's facts: a figure exact, the ballots it rests on, a tally's counts, the votes."""
    out: dict[str, dict[str, Any]] = {}
    flags, figures = e.flags, e.components
    for sheet, kind, columns in layout:
        part: dict[str, Any]
        if kind in BALLOT_KINDS and sheet in e.ballots:
            if withheld(e, sheet, k):
                out[sheet] = {"withheld": 1}  # nothing of it kept: not its figure, counts or votes
                continue
            part = {"ballots": e.ballots[sheet]}
            if sheet in e.tallies:
                part["counts"] = dict(zip(TALLY_HEADERS, e.tallies[sheet], strict=True))
                if sheet in e.rates:
                    part["rate"] = _exact(e.rates[sheet])
            if sheet in e.votes:
                part["votes"] = {name: v for name, (v, _) in e.votes[sheet].items()}
        elif kind == "checklist":
            got = [(h, flags.get(key)) for h, key in columns]
            if any(v is None for _, v in got):
                continue
            part = {"items": len(got), "unmet": [h for h, v in got if v != "是"]}
        elif kind == "flags":
            part = {"values": {h: flags[key] for h, key in columns if flags.get(key)}}
        elif kind == "bonus":
            part = {"earned": [h for h, key in columns if flags.get(key) == "是"]}
        elif kind == "ledger":
            if sheet not in e.ledger:
                continue
            part = {"rows": len(e.ledger[sheet])}
        else:
            part = {}
        figure = figures.get(sheet)
        if figure is not None:
            part["figure"] = _exact(figure)
        if part:
            out[sheet] = part
    return out


def _steps(rules: list[tuple[str, set[str]]], r: Rating, j: int, trace: list[list[Snapshot]],
           ranks: dict[int, dict[int, Any]], public: set[str], seen: Decimal | None) -> list[dict[str, Any]]:
    """What each rule did to ``r`` (the ``j``-th rating), in the scheme's order: the reasons it added and
    what it changed (``{}``: nothing). ``seen``: the published score the rules saw."""
    out = []
    reasons = r.reasons
    for i, (kind, listed) in enumerate(rules):
        before, after = trace[i][j], trace[i + 1][j]
        step: dict[str, Any] = {}
        if before != after:
            status0, stars0, grade0, n0, names0 = before
            status1, stars1, grade1, n1, names1 = after
            said = reasons[n0:n1] if n1 >= n0 else reasons[:n1]  # (exclude replaces the reasons)
            if said:
                step["said"] = said
            if stars1 != stars0:
                step["stars"] = [stars0, stars1]
            if status1 != status0:
                step["status"] = status1
            if grade1 != grade0:
                step["grade"] = grade1
            if names1 != names0:
                step["star_names"] = list(names1)
        if kind == "bands" and before[0] == "rated" and seen is not None:
            step["score"] = str(seen)  # the score the bands were applied to
        if i in ranks and j in ranks[i]:
            step.update(ranks[i][j])
        if listed:
            step["lists"] = [a for a in r.actions if a in public and a in listed]
        out.append(step)
    return out


def _ranks(scheme: Scheme, ratings: list[Rating], trace: list[list[Snapshot]]) -> dict[int, dict[int, Any]]:
    """Rule index → rating index → its place: in a quota (among those at the level, by score and the
    tie-breakers) or for an award (among those rated with a score)."""
    out: dict[int, dict[int, Any]] = {}
    for i, rule in enumerate(scheme.rules):
        before = trace[i]
        if isinstance(rule, QuotaRule):
            scopes: dict[str, list[int]] = {}
            for j, r in enumerate(ratings):
                if before[j][0] != "excluded":  # 不参评 are in no base
                    scopes.setdefault(scope_of(rule, r), []).append(j)
            places: dict[int, Any] = {}
            for scope, members in scopes.items():
                holders = [j for j in members if before[j][0] == "rated" and before[j][1] == rule.stars]
                holders.sort(key=lambda j: tie_key(ratings[j], rule.tie_breakers), reverse=True)
                allowed = allowed_in(rule, len(members))
                for place, j in enumerate(holders, 1):
                    places[j] = {"rank": place, "holders": len(holders), "allowed": allowed,
                                 "members": len(members), "scope": scope}
            out[i] = places
        elif isinstance(rule, AwardRule):
            scored = [j for j, r in enumerate(ratings) if before[j][0] == "rated" and r.score is not None]
            scored.sort(key=lambda j: tie_key(ratings[j], rule.tie_breakers), reverse=True)
            out[i] = {j: {"rank": place, "of": len(scored)} for place, j in enumerate(scored, 1)}
    return out


def _correction(c: Correction, scheme: Scheme, e: Any) -> dict[str, str]:
    """A correction as the document lists it (its value as :func:`.anonymity.correction_value` shows it)."""
    return {"action": c.action, "value": correction_value(c, scheme, e), "reason": c.reason,
            "decided_on": c.decided_on.isoformat() if c.decided_on else "", "approved_by": c.approved_by}


def _exact(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"
