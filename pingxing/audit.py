"""Superior re-check (复查, DOMAIN.md § 7): draw a sample, then judge each unit by it.

``audit draw`` takes at least ``share`` (rounded up) of each unit's passing branches from
the history of a run, reproducibly (the seed is recorded in the workbook), and writes the
re-check workbook. When the filled workbook comes back in ``input/``, each unit's error
rate is (re-check grade ≠ reported grade) ÷ branches re-checked; a unit above the limit
(15 %), or with 隐瞒 marked, has every branch marked 推倒重来.
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from . import history, periods
from .cells import clean_text, normalize_header, normalize_id, normalize_text
from .components import Column
from .errors import UserError
from .intake import Form
from .problems import Problem
from .rounding import publish
from .rule_models import GradesRule
from .schemes import Scheme

SHEET = "复查"
HEADERS = ("编号", "支部", "单位", "上报等次", "复查等次", "隐瞒", "说明")
LIMIT = Fraction(15, 100)


@dataclass(frozen=True)
class Recheck:
    file: str
    row: int
    entity_id: str
    unit: str
    grade: str  # the re-check's grade
    concealed: bool


def passing_grades(scheme: Scheme) -> list[str]:
    rule = next((r for r in scheme.rules if isinstance(r, GradesRule)), None)
    if rule is None:
        raise UserError(f"方案“{scheme.name}”不评等次，无法抽查复核")
    return [g.grade for g in rule.grades if g.grade != rule.otherwise]


def draw(scheme: Scheme, period: str, store: Path, share: Fraction, seed: int | None
         ) -> tuple[int, list[history.Record]]:
    """(seed, the branches drawn) — ceil(share × passing) per unit, the same for the same seed."""
    rows = history.period_rows(store, scheme.name, period)
    if not rows:
        raise UserError(f"{store}: 没有方案“{scheme.name}” {period} 期的评定结果，请先运行 run 再抽查")
    grades = passing_grades(scheme)
    seed = secrets.randbelow(10**6) if seed is None else seed
    rng = random.Random(seed)
    units: dict[str, list[history.Record]] = {}
    for r in sorted(rows.values(), key=lambda r: (r.unit, r.entity_id)):
        if r.status == "rated" and r.grade in grades:
            units.setdefault(r.unit, []).append(r)
    drawn: list[history.Record] = []
    for unit in sorted(units):
        n = math.ceil(share * len(units[unit]))
        drawn += sorted(rng.sample(units[unit], n), key=lambda r: r.entity_id)
    return seed, drawn


def write_workbook(scheme: Scheme, period: str, seed: int, share: Fraction, drawn: list[history.Record],
                   out_dir: Path) -> Path:
    from .forms import FILL, UNLOCKED, write_header, protect, write_title, validation, text_cell

    out_dir.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_title(ws, f"{scheme.title}{periods.in_words(period)}抽查复核表",
           f"随机抽取各单位达标支部的 {publish(share * 100, 0)}%（随机种子 {seed}）。请逐一复核，填写复查等次；"
           "发现隐瞒、弄虚作假的，在“隐瞒”栏选“是”并说明。", get_column_letter(len(HEADERS)))
    write_header(ws, 3, list(HEADERS))
    for i, r in enumerate(drawn, 4):
        for j, value in enumerate((r.entity_id, r.name, r.unit, r.grade), 1):
            text_cell(ws, i, j, value)
        for j in (5, 6, 7):
            ws.cell(i, j).protection, ws.cell(i, j).fill = UNLOCKED, FILL
    last = 3 + max(len(drawn), 1)
    ws.add_data_validation(validation(Column("复查等次", "choice", choices=tuple(passing_grades(scheme) + [
        _otherwise(scheme)])), f"E4:E{last}"))
    ws.add_data_validation(validation(Column("隐瞒", "choice", choices=("是", "否")), f"F4:F{last}"))
    for letter, width in zip("ABCDEFG", (12, 22, 22, 10, 10, 8, 30)):
        ws.column_dimensions[letter].width = width
    protect(ws)
    meta = wb.create_sheet("_meta")
    for row in (("key", "value"), ("scheme", scheme.name), ("period", period), ("kind", "audit"),
                ("seed", str(seed)), ("share", str(share)), ("form_version", scheme.form_version()),
                ("generated_at", datetime.now().replace(microsecond=0).isoformat())):
        meta.append(row)
    meta.sheet_state = "hidden"
    path = out_dir / f"复查-{scheme.name}-{period}.xlsx"
    wb.save(path)
    return path


def _otherwise(scheme: Scheme) -> str:
    rule = next(r for r in scheme.rules if isinstance(r, GradesRule))
    return rule.otherwise or "未达标"


def read(form: Form, scheme: Scheme, problems: list[Problem]) -> list[Recheck]:
    rows = form.rows.get(SHEET) or []
    at = next((i for i, row in enumerate(rows[:30]) if [normalize_header(c) for c in row[:2]] == ["编号", "支部"]), None)
    if at is None:
        problems.append(form.problem("missing-header", "复查表找不到表头行（编号、支部……），请勿修改表头", sheet=SHEET))
        return []
    col = {normalize_header(c): j for j, c in enumerate(rows[at])}
    allowed = passing_grades(scheme) + [_otherwise(scheme)]
    out = []
    for r in range(at + 1, len(rows)):
        row = rows[r]
        get = lambda h: row[col[h]] if h in col and col[h] < len(row) else ""  # noqa: E731
        eid = normalize_id(get("编号"))
        if not eid:
            continue
        grade = normalize_text(get("复查等次"))
        if grade not in allowed:
            problems.append(form.problem(
                "blank-cell" if not grade else "invalid-choice",
                f"复查等次{'未填写' if not grade else f'“{grade}”无效'}，请填写 {'/'.join(allowed)}",
                sheet=SHEET, cell=f"{get_column_letter(col['复查等次'] + 1)}{r + 1}", entity=eid))
            continue
        out.append(Recheck(form.file, r + 1, eid, clean_text(get("单位")), grade, normalize_text(get("隐瞒")) == "是"))
    return out


def judge(ratings: list[Any], rechecks: list[Recheck], units: dict[str, list[str]], problems: list[Problem]) -> None:
    """Each unit's error rate; above 15 % or any concealment → every branch of it 推倒重来."""
    by_id = {r.entity.id: r for r in ratings}
    per_unit: dict[str, list[tuple[Recheck, Any]]] = {}
    for c in rechecks:
        r = by_id.get(c.entity_id)
        if r is None:
            problems.append(Problem("unknown-member", f"复查表中的编号“{c.entity_id}”不在本期评定结果中，请核对",
                                    file=c.file, sheet=SHEET, cell=f"A{c.row}", entity=c.entity_id))
            continue
        per_unit.setdefault(r.entity.unit, []).append((c, r))
    for unit, pairs in sorted(per_unit.items()):
        wrong = sum(c.grade != r.grade for c, r in pairs)
        concealed = [r.entity.name for c, r in pairs if c.concealed]
        rate = Fraction(wrong, len(pairs))
        if rate <= LIMIT and not concealed:
            continue
        why = f"抽查{len(pairs)}个支部，等次不符{wrong}个，差错率{publish(rate * 100, 1)}%" + (
            f"，发现隐瞒（{'、'.join(concealed)}）" if concealed else "")
        units.setdefault(unit, []).append(f"推倒重来（{why}）")
        for r in ratings:
            if r.entity.unit == unit and "推倒重来" not in r.actions:
                r.actions.append("推倒重来")
        problems.append(Problem("audit-redo", f"{unit}{why}，超过15%或存在隐瞒，该单位全部支部须重新评定（推倒重来）",
                                file=pairs[0][0].file, sheet=SHEET, entity=unit))
