"""Combine the validated forms of one (scheme, period) into one figure set per entity.

A branch's components may arrive in one workbook or in several (the branch, the survey
team, the assessment group). For each branch and component sheet exactly one form must
provide it: two *different* forms are a conflict the clerk resolves (never averaged, never
silently chosen); none is a missing sheet. Expected entities come from the form's
``_roster`` (who was issued the form), so a deleted row is noticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .problems import Problem
from .rounding import mean, trimmed_mean
from .schemes import BallotsComponent, FlagsComponent, ItemsComponent, Scheme, ScoreComponent
from .validate import FormData, Row


@dataclass
class Entity:
    """One rated member or branch with its exact component figures."""

    unit: str
    branch: str
    branch_id: str
    id: str
    name: str
    components: dict[str, Fraction] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)  # "<sheet>.<header>" → text
    reasons: list[str] = field(default_factory=list)  # why incomplete

    @property
    def complete(self) -> bool:
        return not self.reasons


def combine(scheme: Scheme, forms: list[FormData], problems: list[Problem]) -> list[Entity]:
    by_branch: dict[tuple[str, str], list[FormData]] = {}
    for f in sorted(forms, key=lambda f: f.file):
        by_branch.setdefault((f.unit, f.branch), []).append(f)
    entities: list[Entity] = []
    for (unit, branch), group in sorted(by_branch.items()):
        entities.extend(_branch(scheme, unit, branch, group, problems))
    return entities


def _branch(scheme: Scheme, unit: str, branch: str, group: list[FormData],
            problems: list[Problem]) -> list[Entity]:
    where = f"{unit}{branch}"
    sheets: dict[str, dict[str, Row] | None] = {}
    for c in scheme.components:
        providers = [f for f in group if c.sheet in f.sheets]
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
        else:
            problems.append(Problem(
                "missing-sheet", f"{where}没有交来“{c.sheet}”表（{'、'.join(f.file for f in group)} 中都没有），"
                "该支部人员暂不评定；请催交或检查工作表名称", file=group[0].file, sheet=c.sheet,
                sha256=group[0].sha256))
    roster = _expected(group)
    branch_id = next((f.branch_id for f in group if f.branch_id), "")
    out: list[Entity] = []
    for eid, name in roster:
        e = Entity(unit, branch, branch_id, eid, name)
        for c in scheme.components:
            rows = sheets.get(c.sheet, None)
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
            if row.name and name and row.name != name:
                provider = next(f for f in group if c.sheet in f.sheets)
                problems.append(Problem(
                    "name-mismatch", f"编号“{eid}”在名单中是“{name}”，表中写作“{row.name}”，按编号计入；请核对",
                    file=provider.file, sheet=c.sheet, cell=f"B{row.row}", entity=f"{eid} {name}",
                    severity="warning", sha256=provider.sha256))
            if not row.ok:
                e.reasons.append(f"“{c.sheet}”表第 {row.row} 行有错误")
                continue
            _figure(c, row, e)
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


def _figure(c: object, row: Row, e: Entity) -> None:
    values = [Fraction(v) for v in row.numbers if v is not None]
    if isinstance(c, ItemsComponent):
        e.components[c.sheet] = sum(values, Fraction(0))
    elif isinstance(c, ScoreComponent):
        e.components[c.sheet] = mean(values)
    elif isinstance(c, BallotsComponent):
        agg = c.aggregate
        if agg.method == "trimmed_mean" and agg.min_ballots is not None and len(values) >= agg.min_ballots:
            e.components[c.sheet] = trimmed_mean(values, agg.trim)
        else:
            e.components[c.sheet] = mean(values)
    elif isinstance(c, FlagsComponent):
        for col in c.columns:
            text = row.flags.get(col.header, "")
            e.flags[f"{c.sheet}.{col.header}"] = text or (col.default or "")
