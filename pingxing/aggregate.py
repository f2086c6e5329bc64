"""Combine the validated forms of one (scheme, period) into one figure set per entity.

A branch's components may arrive in one workbook or in several (the branch, the survey
team, the assessment group). For each branch and component sheet exactly one form must
provide it: two *different* forms are a conflict the clerk resolves (never averaged, never
silently chosen); none is a missing sheet. Expected entities come from the form's
``_roster`` (who was issued the form), so a deleted row is noticed.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from .cells import normalize_text
from .components import TALLY_HEADERS
from .formdata import FormData, Row
from .problems import Problem
from .rounding import EXACT, Shared, exact_mean, exact_sum, fraction
from .schemes import (
    BallotsComponent,
    BonusComponent,
    ChecklistComponent,
    FlagsComponent,
    ItemsComponent,
    LedgerComponent,
    Scheme,
    ScoreComponent,
    TallyComponent,
    VotesComponent,
)


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
    reasons: list[str] = field(default_factory=list)  # why incomplete

    @property
    def complete(self) -> bool:
        return not self.reasons


def combine(scheme: Scheme, forms: list[FormData], problems: list[Problem]) -> list[Entity]:
    by_branch: dict[tuple[str, str], list[FormData]] = {}
    for f in sorted(forms, key=lambda f: f.file):
        by_branch.setdefault((f.unit, f.branch), []).append(f)
    entities: list[Entity] = []
    kept = _kept(scheme)
    for (unit, branch), group in sorted(by_branch.items()):
        entities.extend(_branch(scheme, unit, branch, group, problems, kept))
    return entities


class _Kept:
    """Which of a row's values an entity keeps: the text of choice/text columns (flags), and
    of the numbers only those a rule names (``column: <sheet>.<header>`` with a minimum, a
    tie-breaker) — not a Fraction per cell."""

    def __init__(self, scheme: Scheme) -> None:
        named = set(_columns_named(scheme.rules))
        self.text: dict[str, list[tuple[str, str]]] = {}
        self.numbers: dict[str, list[tuple[str, str]]] = {}
        for c in scheme.components:
            cols = c.fill_columns()
            self.text[c.sheet] = [(h.header, f"{c.sheet}.{h.header}") for h in cols if h.type in ("choice", "text")]
            self.numbers[c.sheet] = [(h.header, f"{c.sheet}.{h.header}") for h in cols
                                     if h.type in ("number", "count") and f"{c.sheet}.{h.header}" in named]


_KEPT: dict[int, tuple[Scheme, _Kept]] = {}


def _kept(scheme: Scheme) -> _Kept:
    """:class:`_Kept` of a scheme, made once per process."""
    hit = _KEPT.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = _KEPT[id(scheme)] = (scheme, _Kept(scheme))
    return hit[1]


def _columns_named(node: object) -> list[str]:
    """Every ``column`` a rule (or a condition or tie-breaker inside it) names."""
    if isinstance(node, (list, tuple)):
        return [c for item in node for c in _columns_named(item)]
    if isinstance(node, dict):
        return [c for item in node.values() for c in _columns_named(item)]
    fields = getattr(type(node), "model_fields", None)
    if fields is None:
        return []
    found = [node.column] if isinstance(getattr(node, "column", None), str) else []  # type: ignore[attr-defined]
    return found + [c for name in fields for c in _columns_named(getattr(node, name))]


def _branch(scheme: Scheme, unit: str, branch: str, group: list[FormData],
            problems: list[Problem], kept: _Kept | None = None) -> list[Entity]:
    kept = kept or _Kept(scheme)
    where = f"{unit}{branch}"
    sheets: dict[str, dict[str, Row] | None] = {}
    ledgers: dict[str, dict[str, list[Row]]] = {}
    for c in scheme.components:
        providers = [f for f in group if c.sheet in f.sheets]
        if len(providers) > 1 and all(f.sheets[c.sheet] == providers[0].sheets[c.sheet] for f in providers):
            providers = providers[:1]  # the same sheet, cell for cell, in two workbooks: not a conflict
        if len(providers) > 1:
            names = "、".join(f.file for f in providers)
            for f in providers:
                problems.append(Problem(
                    "conflicting-submission",
                    f"{where}的“{c.sheet}”表收到 {len(providers)} 份内容不同的文件（{names}），"
                    "不会取平均，也不会任选其一；请删除错误的一份后重新运行",
                    file=f.file, sheet=c.sheet, sha256=f.sha256))
            sheets[c.sheet] = None
        elif providers:
            sheets[c.sheet] = providers[0].sheets[c.sheet].rows
            if isinstance(c, LedgerComponent):
                ledgers[c.sheet] = providers[0].sheets[c.sheet].ledger
        elif not any(c.sheet in f.sheet_names for f in group):  # present but unreadable: validate said why
            problems.append(Problem(
                "missing-sheet", f"{where}没有交来“{c.sheet}”表（{'、'.join(f.file for f in group)} 中都没有；"
                f"表中的工作表为：{'、'.join(dict.fromkeys(n for f in group for n in f.sheet_names)) or '无'}），"
                f"{'该支部人员' if scheme.level == 'member' else '这些支部'}暂不评定；请催交或检查工作表名称", file=group[0].file, sheet=c.sheet,
                sha256=group[0].sha256))
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
                problems.append(Problem(
                    "missing-member", f"名单中的“{eid} {name}”在“{c.sheet}”表中没有对应行，该人员暂不评定；请补上该行",
                    file=provider.file, sheet=c.sheet, entity=f"{eid} {name}", sha256=provider.sha256))
                e.reasons.append(f"“{c.sheet}”表中没有此人")
                continue
            if row.name and name and row.name != name and (
                    normalize_text(row.name).replace(" ", "") != normalize_text(name).replace(" ", "")):
                provider = next(f for f in group if c.sheet in f.sheets)
                problems.append(Problem(
                    "name-mismatch", f"编号“{eid}”在名单中是“{name}”，表中写作“{row.name}”，按编号计入；请核对",
                    file=provider.file, sheet=c.sheet, cell=f"B{row.row}", entity=f"{eid} {name}",
                    severity="warning", sha256=provider.sha256))
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
                problems.append(Problem(
                    "unknown-member", f"编号“{eid}”（{row.name}）不在下发的名单中，未计入；如确需参评，请先报组织部门补入名册",
                    file=provider.file, sheet=c.sheet, cell=f"A{row.row}", entity=f"{eid} {row.name}",
                    sha256=provider.sha256))
    for sheet, activities in ledgers.items():  # a ledger row of a branch not on the roster is not dropped silently
        provider = next(f for f in group if sheet in f.sheets)
        for eid, rows in activities.items():
            if eid not in known:
                lines = "、".join(str(a.row) for a in rows)
                problems.append(Problem(
                    "unknown-member", f"编号“{eid}”（{rows[0].name}）不在下发的名单中，第 {lines} 行的记录未计入；"
                    "请按下拉列表选择支部编号", file=provider.file, sheet=sheet, cell=f"A{rows[0].row}",
                    entity=f"{eid} {rows[0].name}", sha256=provider.sha256))
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


def _figure(c: object, row: Row, e: Entity, kept: _Kept) -> None:
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
    elif isinstance(c, ChecklistComponent):
        pass  # the 是/否 values are in e.flags


def figure_of(c: ItemsComponent | ScoreComponent | BallotsComponent, row: Row) -> Fraction:
    """The component's number from a row's numbers: the items' sum, the scores' mean, the
    ballots' (trimmed) mean — exact. Workers work it out for each valid row (``Row.figure``)."""
    values = [v for v in row.numbers if v is not None]  # Decimals: summed exactly, then one Fraction
    if isinstance(c, ItemsComponent):
        return exact_sum(values)
    if isinstance(c, BallotsComponent):
        agg = c.aggregate
        if agg.method == "trimmed_mean" and agg.min_ballots is not None and len(values) >= agg.min_ballots:
            return exact_mean(sorted(values)[agg.trim:len(values) - agg.trim])
    return exact_mean(values)


def slim(scheme: Scheme, data: FormData) -> None:
    """Make a validated form compact for the trip to the main process and its stay there: no raw
    cells; for items/score/ballots sheets the component's number worked out here, the numbers
    as a tuple, and of ``values`` only what a rule names (the rest is in ``numbers``). Rows with no
    blank cells (and the rows of other sheets, which hold no ``numbers``) share one empty list: nothing
    changes them past validation, and each list is an object the garbage collector would visit."""
    kept = _kept(scheme)
    empty: list[Any] = []
    for c in scheme.components:
        sheet = data.sheets.get(c.sheet)
        if sheet is None:
            continue
        figures = isinstance(c, (ItemsComponent, ScoreComponent, BallotsComponent))  # numeric columns only
        named = [header for header, _ in kept.numbers.get(c.sheet, ())]
        if figures:
            _figures(c, sheet.rows.values())  # type: ignore[arg-type]
        for row in sheet.rows.values():
            row.raw = ()
            if not row.blank:
                row.blank = empty
            if not figures:
                if not row.numbers and type(row.numbers) is list:
                    row.numbers = empty
                continue
            row.numbers = tuple(row.numbers)
            if named:
                got = row.values
                row.values = {h: got[h] for h in named if got.get(h) is not None}
            elif row.values:
                row.values = {}
        for rows in sheet.ledger.values():
            for row in rows:
                row.raw = ()


_NOT_NONE = functools.partial(operator.is_not, None)
#: Figures by (numerator, denominator) as summed: sums and means of scores repeat (85.8, 89.4 …),
#: so equal ones share one (immutable) Fraction, in a form and across the forms a process reads.
_FIGURES = Shared(lambda key: Fraction(*key))  # one Fraction per figure


def _figures(c: ItemsComponent | ScoreComponent | BallotsComponent, rows: Iterable[Row]) -> None:
    """``row.figure = figure_of(c, row)`` for each valid row with a number, in one exact decimal
    context for the whole sheet (see :func:`pingxing.rounding.exact_sum`): the same Fractions."""
    items = isinstance(c, ItemsComponent)
    agg = c.aggregate if isinstance(c, BallotsComponent) else None
    trim = agg.trim if agg is not None and agg.method == "trimmed_mean" and agg.min_ballots is not None else None
    least = agg.min_ballots if trim is not None else None
    zero = Decimal(0)
    with localcontext(EXACT):
        for row in rows:
            if not row.ok:
                continue
            values = list(filter(_NOT_NONE, row.numbers))
            if not values:
                continue
            if trim is not None and least is not None and len(values) >= least:
                values = sorted(values)[trim:len(values) - trim]
            numerator, denominator = sum(values, zero).as_integer_ratio()
            if not items:
                denominator *= len(values)
            row.figure = _FIGURES[numerator, denominator]


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
