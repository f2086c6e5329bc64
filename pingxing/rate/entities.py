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
from functools import cached_property
from typing import Any, NamedTuple

from pingxing.cells import same_name
from pingxing.problems import Problem, problem
from pingxing.rate.anonymity import few_ballots
from pingxing.record.campaign import Workbook, place
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
from pingxing.validate.issued import Roll
from pingxing.validate.surveyed import slot_of, yielding


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
    ballots: dict[str, int] = field(default_factory=dict)  # ballot-based sheet → the ballots its figure rests on
    tallies: dict[str, tuple[int, ...]] = field(default_factory=dict)  # tally sheet → counts (TALLY_HEADERS order)
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


def combine(scheme: Scheme, forms: list[FormData], problems: list[Problem], roll: Roll | None = None,
            books: list[Workbook] | None = None) -> list[Entity]:
    """The entities of a shard from its forms. With a recorded campaign (``roll``), who is rated comes
    from the record — ``books``: the shard's workbooks as issued, returned or not — and the forms are
    matched to their workbooks; without one, from the forms' own rosters."""
    member = scheme.level == "member"
    groups: dict[tuple[str, str], dict[str, _Slot]] = {}
    for book in books or ():
        key = (book.unit, book.branch if member else "")
        groups.setdefault(key, {})[book.form_id] = _Slot(book, [])
    for f in sorted(forms, key=lambda f: f.file):
        key = (f.unit, f.branch if member else "")  # a branch scheme's forms of a unit are joined by 编号
        groups.setdefault(key, {}).setdefault(slot_of(f, roll is not None), _Slot(None, [])).forms.append(f)
    entities: list[Entity] = []
    kept = kept_values(scheme)
    homes = roll.homes if roll is not None else {}
    for (unit, branch), slots in sorted(groups.items()):
        entities.extend(_branch(scheme, unit, branch, list(slots.values()), problems, kept, homes, member))
    return entities


@dataclass
class _Slot:
    """One workbook's place: as issued (``book``, from the record) or, without a record, one branch's
    forms; and the forms that came back for it."""

    book: Workbook | None
    forms: list[FormData]

    @cached_property
    def _ids(self) -> frozenset[str]:
        return frozenset(p.id for p in self.book.people) if self.book is not None else frozenset()

    def lists(self, eid: str, homes: dict[str, tuple[str, str]], member: bool) -> bool:
        """Whether this workbook lists ``eid`` where they belong now (not someone moved away since)."""
        if self.book is None:
            return True
        return homes.get(eid) == place(self.book, member) and eid in self._ids  # (asked per person and sheet)

    def has(self, sheet: str) -> bool:
        return self.book is None or sheet in self.book.sheets


@dataclass
class _Sheet:
    """One component sheet of one slot (or, without a record, of a branch's forms): its rows and who
    sent each, or why there are none."""

    rows: dict[str, Row] | None = None
    ledger: dict[str, list[Row]] | None = None
    provider: FormData | None = None  # the form the rows came from (the first, when merged)
    why: str = ""  # 未交回…, 缺少, 两份
    sent_by: dict[str, FormData] = field(default_factory=dict)  # merged: 编号 → the form its row came from

    def source(self, eid: str) -> FormData:
        found = self.sent_by.get(eid, self.provider)
        assert found is not None
        return found


def _branch(scheme: Scheme, unit: str, branch: str, slots: list[_Slot], problems: list[Problem], kept: KeptValues,
            homes: dict[str, tuple[str, str]], member: bool) -> list[Entity]:
    where = f"{unit}{branch}"
    got: dict[tuple[int, str], _Sheet] = {}  # (slot, sheet) → what came back
    if any(slot.book is not None for slot in slots):  # what the record says was issued
        for i, slot in enumerate(slots):
            for c in scheme.components:
                if slot.has(c.sheet):
                    got[i, c.sheet] = _sheet_of(scheme, c, slot, where, problems)
    else:  # without a record: each sheet from whichever of the branch's forms have it
        for c in scheme.components:
            got[0, c.sheet] = _merged(scheme, c, slots, where, problems)
    roster = _expected(slots, homes, member)
    out: list[Entity] = []
    for eid, name, direct, branch_id in roster:
        e = Entity(unit, branch if scheme.level == "member" else name, branch_id, eid, name)
        e.direct = direct
        for c in scheme.components:
            found = next((got[i, c.sheet] for i, slot in enumerate(slots)
                          if (i, c.sheet) in got and slot.lists(eid, homes, member)), _Sheet(why="缺少"))
            if isinstance(c, LedgerComponent) and found.ledger is not None:
                activities = found.ledger.get(eid, [])
                if any(not a.ok for a in activities):
                    e.reasons.append(f"“{c.sheet}”表中本支部的记录有错误")
                e.ledger[c.sheet] = [a.values for a in activities]
                continue
            if found.rows is None:
                reason = found.why if found.why.startswith("未交回") else (
                    f"“{c.sheet}”表有两份不同的文件" if found.why == "两份" else f"缺少“{c.sheet}”表")
                if reason not in e.reasons:
                    e.reasons.append(reason)
                continue
            row = found.rows.get(eid)
            if row is None:
                provider = found.source(eid)
                problems.append(problem("missing-member", file=provider.file, sheet=c.sheet, entity=f"{eid} {name}",
                                        sha256=provider.sha256, id=eid, name=name))
                e.reasons.append(f"“{c.sheet}”表中没有此人")
                continue
            if row.name and name and row.name != name and not same_name(row.name, name):
                provider = found.source(eid)
                problems.append(problem("name-mismatch", file=provider.file, sheet=c.sheet, cell=f"B{row.row}",
                                        entity=f"{eid} {name}", sha256=provider.sha256, id=eid, name=name,
                                        written=row.name))
            if isinstance(c, LOCATED):
                source = found.source(eid)
                e.places[c.sheet] = Place(source.file, row.row, source.sheets[c.sheet].columns)
            if not row.ok:
                e.reasons.append(f"“{c.sheet}”表第 {row.row} 行有错误")
                continue
            _figure(c, row, e, kept)
            if c.sheet in e.ballots:
                few_ballots(scheme, e, c.sheet, found.source(eid), row.row, problems)
        out.append(e)
    known = {eid for eid, *_ in roster}
    for (i, sheet), part in got.items():  # a row of someone not on the roster is never dropped silently
        if part.provider is None:
            continue
        listed = {eid for eid in known if slots[i].lists(eid, homes, member)}
        for eid, row in (part.rows or {}).items():
            if eid not in listed:
                _stranger(problems, part.source(eid), sheet, eid, row.name, row.row, homes, slots[i], member)
        for eid, done in (part.ledger or {}).items():
            if eid not in listed:
                lines = "、".join(str(a.row) for a in done)
                provider = part.source(eid)
                problems.append(problem("unknown-member", "ledger", file=provider.file, sheet=sheet,
                                        cell=f"A{done[0].row}", entity=f"{eid} {done[0].name}", sha256=provider.sha256,
                                        id=eid, name=done[0].name, rows=lines))
    return out


def _sheet_of(scheme: Scheme, c: Any, slot: _Slot, where: str, problems: list[Problem]) -> _Sheet:
    """What came back of sheet ``c`` for one workbook issued."""
    blank = {id(f) for f in yielding(slot.forms, c.sheet)}  # a blank copy yields to a filled one (a survey's)
    providers = [f for f in slot.forms if c.sheet in f.sheets and id(f) not in blank]
    if slot.book is not None and not providers and all(f.survey for f in slot.forms):
        return _Sheet(why=f"未交回“{slot.book.file}”")  # (a survey import stands in for its sheet only)
    if len(providers) > 1 and all(f.sheets[c.sheet] == providers[0].sheets[c.sheet] for f in providers):
        providers = providers[:1]  # the same sheet, cell for cell, in two workbooks: not a conflict
    if len(providers) > 1:
        _conflict(c.sheet, providers, where, problems)
        return _Sheet(why="两份")
    if providers:
        data = providers[0].sheets[c.sheet]
        return _Sheet(data.rows, data.ledger if isinstance(c, LedgerComponent) else None, providers[0])
    _missing(scheme, c, slot.forms, where, problems)
    return _Sheet(why="缺少")


def _conflict(sheet: str, providers: list[FormData], where: str, problems: list[Problem]) -> None:
    """Two different filled copies of one sheet of one workbook: a problem on each, never averaged or
    chosen. A survey import's copy beside a filled copy of the branch's is worded as such."""
    names = "、".join(f.file for f in providers)
    surveys = [f for f in providers if f.survey]
    others = "、".join(f.file for f in providers if not f.survey)
    for f in providers:
        if surveys and others:
            problems.append(problem("conflicting-submission", "survey", file=f.file, sheet=sheet, sha256=f.sha256,
                                    where=where, survey="、".join(s.file for s in surveys), files=others))
        else:
            problems.append(problem("conflicting-submission", file=f.file, sheet=sheet, sha256=f.sha256,
                                    where=where, count=len(providers), files=names))


def _merged(scheme: Scheme, c: Any, slots: list[_Slot], where: str, problems: list[Problem]) -> _Sheet:
    """Without a record: sheet ``c`` from every form of a branch (or a unit's forms, for branch schemes)
    that has it, joined by 编号; two different copies of it in one workbook's place are a conflict."""
    parts = [_sheet_of(scheme, c, slot, where, problems) for slot in slots
             if any(c.sheet in f.sheets for f in slot.forms)]
    if not parts:
        _missing(scheme, c, [f for slot in slots for f in slot.forms], where, problems)
        return _Sheet(why="缺少")
    if any(part.why == "两份" for part in parts):
        return _Sheet(why="两份")
    if len(parts) == 1:
        return parts[0]
    merged = _Sheet({}, {} if isinstance(c, LedgerComponent) else None, parts[0].provider)
    for part in parts:
        for eid, row in (part.rows or {}).items():
            if eid not in merged.rows:  # type: ignore[operator]
                merged.rows[eid] = row  # type: ignore[index]
                merged.sent_by[eid] = part.source(eid)
        for eid, done in (part.ledger or {}).items():
            merged.ledger.setdefault(eid, []).extend(done)  # type: ignore[union-attr]
            merged.sent_by.setdefault(eid, part.source(eid))
    return merged


def _missing(scheme: Scheme, c: Any, forms: list[FormData], where: str, problems: list[Problem]) -> None:
    """No form has sheet ``c`` (present but unreadable ones: validation said why)."""
    if forms and not any(c.sheet in f.sheet_names for f in forms):
        first = forms[0]
        problems.append(problem(
            "missing-sheet", "branch", file=first.file, sheet=c.sheet, sha256=first.sha256, where=where,
            files="、".join(f.file for f in forms),
            found="、".join(dict.fromkeys(n for f in forms for n in f.sheet_names)) or "无",
            who="该支部人员" if scheme.level == "member" else "这些支部"))


def _stranger(problems: list[Problem], provider: FormData, sheet: str, eid: str, name: str, row: int,
              homes: dict[str, tuple[str, str]], slot: _Slot, member: bool) -> None:
    """A row of someone the workbook does not list: moved to another branch by a later issue, or unknown."""
    home = homes.get(eid)
    if home is not None and slot.book is not None and home != place(slot.book, member):
        problems.append(problem("moved-member", file=provider.file, sheet=sheet, cell=f"A{row}",
                                entity=f"{eid} {name}", sha256=provider.sha256, id=eid, name=name, home="".join(home)))
        return
    problems.append(problem("unknown-member", file=provider.file, sheet=sheet, cell=f"A{row}",
                            entity=f"{eid} {name}", sha256=provider.sha256, id=eid, name=name))


def _expected(slots: list[_Slot], homes: dict[str, tuple[str, str]], member: bool) -> list[tuple[str, str, bool, str]]:
    """Who should be rated — (编号, name, 直属, branch 编号): the record's roster (each person where the
    latest issue lists them); without a record, the roster issued inside the forms; without one,
    everyone found, in order."""
    seen: dict[str, tuple[str, str, bool, str]] = {}
    for slot in slots:
        if slot.book is not None:
            for p in slot.book.people:
                if slot.lists(p.id, homes, member):
                    seen.setdefault(p.id, (p.id, p.name, p.direct, slot.book.branch_id))
    if seen or any(slot.book is not None for slot in slots):
        return list(seen.values())
    forms = [f for slot in slots for f in slot.forms]
    branch_id = next((f.branch_id for f in forms if f.branch_id), "")
    for f in forms:
        for eid, name in f.roster:
            seen.setdefault(eid, (eid, name, any(eid in g.direct for g in forms), branch_id))
    if seen:
        return list(seen.values())
    for f in forms:
        for sheet in f.sheets.values():
            for eid, row in sheet.rows.items():
                seen.setdefault(eid, (eid, row.name, False, branch_id))
    return list(seen.values())


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
        if isinstance(c, BallotsComponent):
            e.ballots[sheet] = len(row.numbers) - row.numbers.count(None)
    elif isinstance(c, FlagsComponent):
        for col in c.columns:
            e.flags[f"{sheet}.{col.header}"] = row.flags.get(col.header, "") or (col.default or "")
    elif isinstance(c, BonusComponent):
        earned = sum((i.points for i in c.items if row.flags.get(i.header) == "是"), Decimal(0))
        e.components[sheet] = Fraction(min(earned, c.cap))
    elif isinstance(c, TallyComponent):
        _tally(c, row, e)
    elif isinstance(c, VotesComponent):
        valid = e.ballots[sheet] = int(row.values[c.valid_header])
        e.votes[sheet] = {star: (int(row.values[star]), valid) for star in c.stars}
    elif isinstance(c, GradeVotesComponent):  # votes per grade over the valid votes (弃权 not valid)
        counts = {g: int(row.values[g]) for g in c.grades}
        valid = sum(counts.values())
        if valid:
            e.votes[sheet] = {g: (n, valid) for g, n in counts.items()}
            e.ballots[sheet] = valid
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
    e.tallies[c.sheet] = tuple(int(n[h]) for h in TALLY_HEADERS)
    e.ballots[c.sheet] = int(valid)
    if c.score_weights:
        scored = n["满意"] + n["基本满意"] + n["不满意"]
        if scored == 0:
            e.reasons.append(f"“{c.sheet}”表没有可计分的票")
            return
        points = sum((Fraction(w) * n[h] for h, w in c.score_weights.items()), Fraction(0))
        e.components[c.sheet] = points / scored * 100
        e.ballots[c.sheet] = int(scored)  # the smaller base: what the published figure rests on
    else:
        e.components[c.sheet] = e.rates[c.sheet] * 100
