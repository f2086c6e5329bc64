"""Corrections after publicity (更正): objections found valid, stars revoked, flags withdrawn.

The committee records each decision in the adjustments workbook that ``forms`` writes
(``更正`` sheet: 编号, 名称, 操作, 值, 理由, 日期, 批准人; ``_meta`` kind ``adjustments``)
and drops it into ``input/`` with the returned forms. Actions:

- ``更正项目`` — value ``<工作表>.<列>=<新值>``: the cell is corrected before rating;
- ``更正分数`` — value: the published score; stars follow from the bands;
- ``摘星`` (to 无星), ``降星`` (value: how many, default 1), ``撤旗`` (the grade is withdrawn),
  ``取消资格`` (disqualified);
- ``调出`` — transferred out or exempt (不参评): before rating, the person is ``excluded``: not
  rated, on no notice, in no share or quota base; the reason is kept.

Each correction is kept in the results' ``reason`` and in the history with its reason.
A correction naming an unknown entity or contradicting the scheme is a problem.
"""

from __future__ import annotations

import copy
import dataclasses
from fractions import Fraction
from typing import Any

from pingxing.cells import clean_text, fmt_decimal, normalize_text, parse_number
from pingxing.issue.corrections import SHEET
from pingxing.problems import Problem, problem
from pingxing.rate.anonymity import correction_value
from pingxing.rate.rules import bands
from pingxing.rounding import publish
from pingxing.scheme.model import Scheme
from pingxing.scheme.rules import BandsRule
from pingxing.validate.corrections import Correction


def patch_forms(forms: list[Any], corrections: list[Correction], scheme: Scheme, problems: list[Problem],
                applied: list[Correction]) -> list[Any]:
    """Apply every 更正项目 to copies of the validated forms (the cells as if typed right)."""
    items = [c for c in corrections if c.action == "更正项目"]
    if not items:
        return forms
    forms = copy.deepcopy(forms)
    for c in items:
        ref, _, raw = c.value.partition("=")
        sheet, _, header = ref.strip().partition(".")
        comp = next((x for x in scheme.components if x.sheet == sheet), None)
        col = next((x for x in comp.fill_columns() if x.header == header), None) if comp else None
        if col is None:
            _problem(problems, c, "not_a_column", ref=ref)
            continue
        rows = [f.sheets[sheet].rows[c.entity_id] for f in forms if sheet in f.sheets
                and c.entity_id in f.sheets[sheet].rows]
        if not rows:
            _problem(problems, c, "no_row", table=sheet, id=c.entity_id)
            continue
        row = rows[0]
        if col.type == "choice":
            value: Any = normalize_text(raw)
            if value not in col.choices:
                _problem(problems, c, "not_a_choice", raw=raw, header=header, choices="/".join(col.choices))
                continue
            row.flags[header] = value
        elif col.type == "text":  # 否决事由 and other free text
            value = row.flags[header] = clean_text(raw)
        elif col.type == "date":
            _problem(problems, c, "not_a_column", ref=ref)
            continue
        else:  # checked as a form's cell is: a number within the column's range, a count whole and ≥ 0
            n = parse_number(raw)
            if col.type == "count" and (n.state != "ok" or n.value is None or n.value < 0
                                        or n.value != n.value.to_integral_value()):
                _problem(problems, c, "bad_count", raw=raw)
                continue
            if n.state != "ok" or n.value is None or n.value < 0 or (col.max is not None and n.value > col.max):
                _problem(problems, c, "bad_value", raw=raw, max=fmt_decimal(col.max) if col.max is not None else "…")
                continue
            value = n.value
            numeric = [x.header for x in comp.fill_columns() if x.type in ("number", "count")]  # type: ignore[union-attr]
            numbers = list(row.numbers)  # (a tuple once validated)
            numbers[numeric.index(header)] = value
            row.numbers, row.figure = numbers, None  # the component's number is worked out again
        row.values[header] = value
        applied.append(c)
    return forms


def exclude(entities: list[Any], corrections: list[Correction], applied: list[Correction]) -> None:
    """Every 调出, before rating: the entity is 不参评 (``excluded``), with its reason."""
    by_id = {e.id: e for e in entities}
    for c in corrections:
        e = by_id.get(c.entity_id)
        if c.action == "调出" and e is not None:
            e.excluded = f"不参评（调出：{c.reason}{'；' + c.approval if c.approval else ''}）"
            applied.append(c)


def apply_after(ratings: list[Any], corrections: list[Correction], scheme: Scheme, problems: list[Problem],
                applied: list[Correction]) -> None:
    """Every other action, after rating, each noted in ``reason`` (and 摘星/撤旗 in ``actions``)."""
    by_id = {r.entity.id: r for r in ratings}
    for c in corrections:
        r = by_id.get(c.entity_id)
        if r is None:
            _problem(problems, c, code="adjustment-unknown-entity", id=c.entity_id)
            continue
        if c.action == "更正项目":
            if c in applied:
                r.reasons.append(shown_note(c, scheme, r.entity))
            continue
        if c.action == "调出":  # applied before rating (:func:`exclude`)
            continue
        if _apply(r, c, scheme, problems):
            r.reasons.append(shown_note(c, scheme, r.entity))
            applied.append(c)


def shown_note(c: Correction, scheme: Scheme, entity: Any) -> str:
    """What a correction adds to a rating's reason: :attr:`Correction.note`, its value as
    :func:`.anonymity.correction_value` shows it (never a ballot; the record keeps the value)."""
    return dataclasses.replace(c, value=correction_value(c, scheme, entity)).note


def _apply(r: Any, c: Correction, scheme: Scheme, problems: list[Problem]) -> bool:
    if c.action == "取消资格":
        r.status, r.stars = "disqualified", None
        return True
    if r.status != "rated":
        _problem(problems, c, "not_rated", name=r.entity.name, action=c.action,
                 state="未完成评定" if r.status == "incomplete" else "已取消资格")
        return False
    if c.action == "更正分数":
        n = parse_number(c.value)
        rule = next((x for x in scheme.rules if isinstance(x, BandsRule)), None)
        if rule is None or n.state == "blank":
            _problem(problems, c, "no_score" if rule else "no_bands")
            return False
        top = scheme.highest_total()
        if n.state != "ok" or n.value is None or n.value < 0 or (top is not None and n.value > top):
            _problem(problems, c, "bad_score", raw=c.value, max=fmt_decimal(top) if top is not None else "…")
            return False
        r.total = Fraction(n.value)
        r.score = publish(r.total, scheme.decimals)  # half away from zero, as every published figure
        r.stars = None
        kept = list(r.reasons)
        bands.apply(rule, None, [r])
        r.reasons = kept + r.reasons[len(kept):]
        return True
    if c.action in ("摘星", "降星"):
        if r.stars is None:
            _problem(problems, c, "no_stars")
            return False
        if c.action == "降星" and r.stars == 0:
            _problem(problems, c, "at_zero", name=r.entity.name)
            return False
        steps = parse_number(c.value or "1")
        if c.action == "降星" and (steps.state != "ok" or steps.value is None or not 1 <= steps.value <= r.stars
                                   or steps.value != steps.value.to_integral_value()):  # never below 无星, whole stars
            _problem(problems, c, "bad_steps", value=c.value, raw=c.value, stars=r.stars)
            return False
        r.stars = 0 if c.action == "摘星" else r.stars - int(steps.value)  # type: ignore[arg-type]
        if c.action == "摘星" and "摘星" not in r.actions:
            r.actions.append("摘星")
        return True
    if c.action == "撤旗":
        if not r.grade:
            _problem(problems, c, "no_title", name=r.entity.name)
            return False
        r.grade = ""
        if "撤旗" not in r.actions:
            r.actions.append("撤旗")
        return True
    return False


def _problem(problems: list[Problem], c: Correction, variant: str = "", code: str = "adjustment-invalid",
             **fields: Any) -> None:
    problems.append(problem(code, variant, file=c.file, sheet=SHEET, cell=c.cell, entity=c.entity_id, **fields))
