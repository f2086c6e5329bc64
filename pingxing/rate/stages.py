"""Rate one shard: combine its forms into entities, recall the previous period, rate, then
apply the committee's corrections (once per correction date) and the superior's re-check."""

from __future__ import annotations

from datetime import date

from pingxing import periods
from pingxing.cells import same_name
from pingxing.problems import Problem, problem
from pingxing.rate.corrections import apply_after, exclude, patch_forms
from pingxing.rate.entities import Entity, combine
from pingxing.rate.explain import as_rated, explain
from pingxing.rate.rating import Rating, Snapshot, rate
from pingxing.rate.recheck import judge
from pingxing.record.campaign import Workbook
from pingxing.record.store import PeriodLookup, Record
from pingxing.scheme.model import Scheme
from pingxing.validate.corrections import Correction
from pingxing.validate.formdata import FormData
from pingxing.validate.issued import Roll
from pingxing.validate.recheck import Recheck


def rate_shard(scheme: Scheme, period: str, forms: list[FormData], corrections: list[Correction],
               rechecks: list[Recheck], lookup: PeriodLookup, found: list[Problem],
               units: dict[str, list[str]], applied: list[Correction], roll: Roll | None = None,
               books: list[Workbook] | None = None) -> list[tuple[date | None, list[Rating]]]:
    """Aggregate and rate one shard; with corrections, once per correction date.

    The ratings before any correction give the original notices; each correction date gives
    a revision (its notices replace the earlier ones); the last is the final result.
    Problems, unit marks and the corrections applied of the final stage are added to
    ``found``, ``units`` and ``applied``.
    """
    dates = sorted({c.decided_on or date.min for c in corrections})
    stages: list[tuple[date | None, list[Rating]]] = []
    before: dict[str, Record] | None = None
    for when in [None, *dates]:
        final = when == (dates[-1] if dates else None)
        stage_found: list[Problem] = []
        stage_units: dict[str, list[str]] = {}
        stage_applied: list[Correction] = []
        due = [c for c in corrections if when is not None and (c.decided_on or date.min) <= when]
        patched = patch_forms(forms, due, scheme, stage_found, stage_applied)
        entities = combine(scheme, patched, stage_found, roll, books)
        if before is None:  # read once per shard
            before = lookup.records(e.id for e in entities)
        recall(before, entities, stage_found)
        exclude(entities, due, stage_applied)
        trace: list[list[Snapshot]] | None = [] if final else None  # the final ratings are explained
        ratings = rate(scheme, entities, period, stage_found, stage_units, trace)
        rated = as_rated(scheme, ratings, trace) if trace is not None else None  # (before 更正分数 changes a score)
        apply_after(ratings, due, scheme, stage_found, stage_applied)
        judge(ratings, rechecks, stage_units, stage_found)
        stages.append((when, ratings))
        if final:
            assert trace is not None and rated is not None
            explain(scheme, ratings, trace, stage_applied, rated)
            found.extend(stage_found)
            for unit, marks in stage_units.items():
                units.setdefault(unit, []).extend(marks)
            applied.extend(stage_applied)
    return stages


def recall(before: dict[str, Record], entities: list[Entity], found: list[Problem]) -> None:
    """Give each entity its previous period's stars and grade from the history store (动态管理) — when
    the record's name for the 编号 is this period's: a reused 编号 or a record of another campaign
    never drives 升降星 or a list (a ``history-name-differs`` warning names both)."""
    for e in entities:
        record = before.get(e.id)
        if record is None:
            continue
        if record.name and e.name and not same_name(record.name, e.name):
            found.append(problem("history-name-differs", entity=f"{e.id} {e.name}", id=e.id, old=record.name,
                                 new=e.name, previous=periods.in_words(record.period)))
            continue
        e.has_history, e.prev_stars, e.prev_grade = True, record.stars, record.grade
