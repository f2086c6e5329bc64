"""Superior re-check (复查, DOMAIN.md § 7): draw a sample, then judge each unit by it.

``audit draw`` takes at least ``share`` (rounded up) of each unit's passing branches from
the history of a run, reproducibly (the seed is recorded in the workbook), and writes the
re-check workbook. When the filled workbook comes back in ``input/``, each unit's error
rate is (re-check grade ≠ reported grade) ÷ branches re-checked; a unit above the limit
(15 %), or with 隐瞒 marked, has every branch marked 推倒重来.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pingxing.issue.recheck import SHEET
from pingxing.problems import Problem, problem
from pingxing.rounding import publish
from pingxing.validate.recheck import Recheck

LIMIT = Fraction(15, 100)


def judge(ratings: list[Any], rechecks: list[Recheck], units: dict[str, list[str]], problems: list[Problem]) -> None:
    """Each unit's error rate; above 15 % or any concealment → every branch of it 推倒重来."""
    by_id = {r.entity.id: r for r in ratings}
    per_unit: dict[str, list[tuple[Recheck, Any]]] = {}
    for c in rechecks:
        r = by_id.get(c.entity_id)
        if r is None:
            problems.append(problem("unknown-member", "recheck", file=c.file, sheet=SHEET, cell=f"A{c.row}",
                                    entity=c.entity_id, id=c.entity_id))
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
        problems.append(problem("audit-redo", file=pairs[0][0].file, sheet=SHEET, entity=unit, unit=unit, why=why))
