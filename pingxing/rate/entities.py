"""Combine the validated forms of one (scheme, period) into one figure set per entity.

A branch's components may arrive in one workbook or in several (the branch, the survey
team, the assessment group). For each branch and component sheet exactly one form must
provide it: two *different* forms are a conflict the clerk resolves (never averaged, never
silently chosen); none is a missing sheet. Expected entities come from the form's
``_roster`` (who was issued the form), so a deleted row is noticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from pingxing.cells import normalize_text
from pingxing.problems import Problem, problem
from pingxing.rounding import fraction
from pingxing.scheme.components import (
    TALLY_HEADERS,
    BallotsComponent,
    BonusComponent,
    ChecklistComponent,
    FlagsComponent,
    GradeVotesComponent,
    ItemsComponent,
    LedgerComponent,
    ScoreComponent,
    TallyComponent,
    VotesComponent,
)
from pingxing.scheme.model import Scheme
from pingxing.validate.compact import KeptValues, figure_of, kept_values
from pingxing.validate.formdata import FormData, Row


class Place(NamedTuple):
    """Where an entity's row of one sheet is: the file, the row and the sheet's columns as found
    (header → letter), so a rule's problem names the cell to correct."""

    file: str
    row: int
    columns: dict[str, str]

    def cell(self, header: str) -> str:
        letter = self.columns.get(header)
        return f"{letter}{self.row}" if letter else ""


#: the sheets whose rows a rule's problem may point into (the branch's decisions, vote tallies)
LOCATED = (FlagsComponent, GradeVotesComponent)


@dataclass
class Entity:
    """One rated member or branch with its exact component figures."""

    unit: str
    branch: str
    branch_id: str
    id: str
    name: str
    components: dict[str, Fraction] = field(default_factory=dict)  # the number per component sheet
    flags: dict[str, str] = field(default_factory=dict)  # "<sheet>.<header>" → text (flags, checklists)
    values: dict[str, Fraction] = field(default_factory=dict)  # "<sheet>.<header>" → item points
    rates: dict[str, Fraction] = field(default_factory=dict)  # tally sheet → satisfaction rate
    votes: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)  # sheet → star → (votes, valid)
    ledger: dict[str, list[dict[str, object]]] = field(default_factory=dict)  # sheet → activity rows
    checks: dict[str, bool] = field(default_factory=dict)  # ledger check name → met
    direct: bool = False  # 直属: a branch directly under the committee
    prev_stars: int | None = None  # the previous period's stars (from the history)
    has_history: bool = False  # the previous period has a record of this entity
    prev_grade: str = ""  # the previous period's grade (等次), from the history
    places: dict[str, Place] = field(default_factory=dict)  # sheet (of LOCATED kinds) → where this entity's row is
    reasons: list[str] = field(default_factory=list)  # why incomplete
    excluded: str = ""  # 不参评: why (调出, transferred, exempt); not rated, on no notice, in no base

    @property
    def complete(self) -> bool:
        return not self.reasons


def combine(scheme: Scheme, forms: list[FormData], problems: list[Problem]) -> list[Entity]:
    by_branch: dict[tuple[str, str], list[FormData]] = {}
    for f in sorted(forms, key=lambda f: f.file):
        by_branch.setdefault((f.unit, f.branch), []).append(f)
    entities: list[Entity] = []
    kept = kept_values(scheme)
    for (unit, branch), group in sorted(by_branch.items()):
        entities.extend(_branch(scheme, unit, branch, group, problems, kept))
    return entities


def _branch(scheme: Scheme, unit: str, branch: str, group: list[FormData],
            problems: list[Problem], kept: KeptValues | None = None) -> list[Entity]:
    kept = kept or KeptValues(scheme)
    where = f"{unit}{branch}"
    sheets: dict[str, dict[str, Row] | None] = {}
    sources: dict[str, FormData] = {}  # sheet → the form that provided it
    ledgers: dict[str, dict[str, list[Row]]] = {}
    for c in scheme.components:
        providers = [f for f in group if c.sheet in f.sheets]
        if len(providers) > 1 and all(f.sheets[c.sheet] == providers[0].sheets[c.sheet] for f in providers):
            providers = providers[:1]  # the same sheet, cell for cell, in two workbooks: not a conflict
        if len(providers) > 1:
            names = "、".join(f.file for f in providers)
            for f in providers:
                problems.append(problem("conflicting-submission", file=f.file, sheet=c.sheet, sha256=f.sha256,
                                        where=where, count=len(providers), files=names))
            sheets[c.sheet] = None
        elif providers:
            sheets[c.sheet] = providers[0].sheets[c.sheet].rows
            sources[c.sheet] = providers[0]
            if isinstance(c, LedgerComponent):
                ledgers[c.sheet] = providers[0].sheets[c.sheet].ledger
        elif not any(c.sheet in f.sheet_names for f in group):  # present but unreadable: validate said why
            problems.append(problem(
                "missing-sheet", "branch", file=group[0].file, sheet=c.sheet, sha256=group[0].sha256, where=where,
                files="、".join(f.file for f in group),
                found="、".join(dict.fromkeys(n for f in group for n in f.sheet_names)) or "无",
                who="该支部人员" if scheme.level == "member" else "这些支部"))
    roster = _expected(group)
    branch_id = next((f.branch_id for f in group if f.branch_id), "")
    out: list[Entity] = []
    for eid, name in roster:
        e = Entity(unit, branch if scheme.level == "member" else name, branch_id, eid, name)
        e.direct = any(eid in f.direct for f in group)
        for c in scheme.components:
            rows = sheets.get(c.sheet, None)
            if isinstance(c, LedgerComponent) and c.sheet in ledgers:
                activities = ledgers[c.sheet].get(eid, [])
                if any(not a.ok for a in activities):
                    e.reasons.append(f"“{c.sheet}”表中本支部的记录有错误")
                e.ledger[c.sheet] = [a.values for a in activities]
                continue
            if c.sheet not in sheets:
                e.reasons.append(f"缺少“{c.sheet}”表")
                continue
            if rows is None:
                e.reasons.append(f"“{c.sheet}”表有两份不同的文件")
                continue
            row = rows.get(eid)
            if row is None:
                provider = next(f for f in group if c.sheet in f.sheets)
                problems.append(problem("missing-member", file=provider.file, sheet=c.sheet, entity=f"{eid} {name}",
                                        sha256=provider.sha256, id=eid, name=name))
                e.reasons.append(f"“{c.sheet}”表中没有此人")
                continue
            if row.name and name and row.name != name and (
                    normalize_text(row.name).replace(" ", "") != normalize_text(name).replace(" ", "")):
                provider = next(f for f in group if c.sheet in f.sheets)
                problems.append(problem("name-mismatch", file=provider.file, sheet=c.sheet, cell=f"B{row.row}",
                                        entity=f"{eid} {name}", sha256=provider.sha256, id=eid, name=name,
                                        written=row.name))
            if isinstance(c, LOCATED):
                source = sources[c.sheet]
                e.places[c.sheet] = Place(source.file, row.row, source.sheets[c.sheet].columns)
            if not row.ok:
                e.reasons.append(f"“{c.sheet}”表第 {row.row} 行有错误")
                continue
            _figure(c, row, e, kept)
        out.append(e)
    known = {eid for eid, _ in roster}
    for c in scheme.components:
        for eid, row in (sheets.get(c.sheet) or {}).items():
            if eid not in known:
                provider = next(f for f in group if c.sheet in f.sheets)
                problems.append(problem("unknown-member", file=provider.file, sheet=c.sheet, cell=f"A{row.row}",
                                        entity=f"{eid} {row.name}", sha256=provider.sha256, id=eid, name=row.name))
    for sheet, by_branch in ledgers.items():  # a ledger row of a branch not on the roster is not dropped silently
        provider = next(f for f in group if sheet in f.sheets)
        for eid, done in by_branch.items():
            if eid not in known:
                lines = "、".join(str(a.row) for a in done)
                problems.append(problem("unknown-member", "ledger", file=provider.file, sheet=sheet,
                                        cell=f"A{done[0].row}", entity=f"{eid} {done[0].name}", sha256=provider.sha256,
                                        id=eid, name=done[0].name, rows=lines))
    return out


def _expected(group: list[FormData]) -> list[tuple[str, str]]:
    """Who should be rated: the issued roster; without one, everyone found, in order."""
    seen: dict[str, str] = {}
    for f in group:
        for eid, name in f.roster:
            seen.setdefault(eid, name)
    if seen:
        return list(seen.items())
    for f in group:
        for sheet in f.sheets.values():
            for eid, row in sheet.rows.items():
                seen.setdefault(eid, row.name)
    return list(seen.items())


def _figure(c: object, row: Row, e: Entity, kept: KeptValues) -> None:
    """One entity's figures from its row of one component sheet (exact fractions)."""
    sheet = c.sheet  # type: ignore[attr-defined]
    got = row.values
    for header, key in kept.text.get(sheet, ()):
        v = got.get(header)
        if isinstance(v, str):
            e.flags[key] = v
    for header, key in kept.numbers.get(sheet, ()):
        v = got.get(header)
        if v is not None and not isinstance(v, (str, date)):
            e.values[key] = fraction(v)
    if isinstance(c, (ItemsComponent, ScoreComponent, BallotsComponent)):
        e.components[sheet] = row.figure if row.figure is not None else figure_of(c, row)
    elif isinstance(c, FlagsComponent):
        for col in c.columns:
            e.flags[f"{sheet}.{col.header}"] = row.flags.get(col.header, "") or (col.default or "")
    elif isinstance(c, BonusComponent):
        earned = sum((i.points for i in c.items if row.flags.get(i.header) == "是"), Decimal(0))
        e.components[sheet] = Fraction(min(earned, c.cap))
    elif isinstance(c, TallyComponent):
        _tally(c, row, e)
    elif isinstance(c, VotesComponent):
        valid = int(row.values[c.valid_header])
        e.votes[sheet] = {star: (int(row.values[star]), valid) for star in c.stars}
    elif isinstance(c, GradeVotesComponent):  # votes per grade over the valid votes (弃权 not valid)
        counts = {g: int(row.values[g]) for g in c.grades}
        valid = sum(counts.values())
        if valid:
            e.votes[sheet] = {g: (n, valid) for g, n in counts.items()}
        else:
            e.reasons.append(f"“{sheet}”表没有有效票")
    elif isinstance(c, ChecklistComponent):
        pass  # the 是/否 values are in e.flags


def _tally(c: TallyComponent, row: Row, e: Entity) -> None:
    n = {h: Fraction(row.values[h]) for h in TALLY_HEADERS}
    valid = n["满意"] + n["基本满意"] + n["不满意"] + (n["不了解"] if c.unknown_valid else 0)
    if valid == 0:
        e.reasons.append(f"“{c.sheet}”表没有有效票")
        return
    e.rates[c.sheet] = (n["满意"] + n["基本满意"]) / valid
    if c.score_weights:
        scored = n["满意"] + n["基本满意"] + n["不满意"]
        if scored == 0:
            e.reasons.append(f"“{c.sheet}”表没有可计分的票")
            return
        points = sum((Fraction(w) * n[h] for h, w in c.score_weights.items()), Fraction(0))
        e.components[c.sheet] = points / scored * 100
    else:
        e.components[c.sheet] = e.rates[c.sheet] * 100
