"""The superior's re-check (复查, DOMAIN.md § 7): draw a sample and write its workbook.

``audit draw`` takes at least ``share`` (rounded up) of each unit's passing branches from the
record of a run, reproducibly (the seed is recorded in the workbook), and writes the re-check
workbook. The filled workbook comes back in ``input/`` (:mod:`pingxing.validate.recheck`) and
each unit is judged by it (:mod:`pingxing.rate.recheck`).
"""

from __future__ import annotations

import math
import random
import secrets
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from pingxing import periods
from pingxing.errors import UserError
from pingxing.issue.style import FILL, UNLOCKED, protect, text_cell, validation, write_header, write_meta, write_title
from pingxing.record import store as history
from pingxing.rounding import publish
from pingxing.scheme.components import Column
from pingxing.scheme.model import Scheme
from pingxing.scheme.rules import GradesRule

SHEET = "复查"


HEADERS = ("编号", "支部", "单位", "上报等次", "复查等次", "隐瞒", "说明")


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
    pass

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
        otherwise_grade(scheme)])), f"E4:E{last}"))
    ws.add_data_validation(validation(Column("隐瞒", "choice", choices=("是", "否")), f"F4:F{last}"))
    for letter, width in zip("ABCDEFG", (12, 22, 22, 10, 10, 8, 30), strict=True):
        ws.column_dimensions[letter].width = width
    protect(ws)
    write_meta(wb, (("scheme", scheme.name), ("period", period), ("kind", "audit"), ("seed", str(seed)),
                    ("share", str(share)), ("form_version", scheme.form_version()),
                    ("generated_at", datetime.now().replace(microsecond=0).isoformat())))
    path = out_dir / f"复查-{scheme.name}-{period}.xlsx"
    wb.save(path)
    return path


def otherwise_grade(scheme: Scheme) -> str:
    rule = next(r for r in scheme.rules if isinstance(r, GradesRule))
    return rule.otherwise or "未达标"
