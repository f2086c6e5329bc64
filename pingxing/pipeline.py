"""The whole job: read forms → validate → aggregate → rate → publish.

:func:`assess` does everything but writing (``check`` uses it); :func:`run` publishes
each (scheme, period) found in the input under ``<output>/<scheme>/<period>/``.
Problems are collected through the whole run, never raised.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import adjustments, audit, history, periods, schemes
from .aggregate import Entity, combine
from .errors import UserError
from .intake import IGNORED_NAMES, FileRecord, duplicate
from .onefile import FileJob, assess_file, scheme_named
from .parallel import SERIAL, Runner, batch_gc
from .problems import Problem, sort_key
from .rate import Rating, rate
from .schemes import Scheme
from .storage import list_files
from .submissions import keep_latest_periods
from .validate import FormData


@dataclass(frozen=True)
class Options:
    input_dir: Path = Path("input")
    output_dir: Path = Path("output")
    scheme: str | None = None
    period: str | None = None
    publicity_start: date | None = None
    runner: Runner | None = None  # where per-file and per-notice work runs (default: here)
    input_url: str | None = None  # an fsspec URL read instead of input_dir (s3://…)
    output_url: str | None = None  # an fsspec URL the outputs are copied to
    history: Path | None = None  # the history store (default: <output>/history.sqlite)

    @property
    def history_path(self) -> Path:
        return self.history or self.output_dir / "history.sqlite"


@dataclass
class Group:
    """One (scheme, period) found in the input, rated."""

    scheme: Scheme
    period: str
    forms: list[FormData]
    ratings: list[Rating] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    units: dict[str, list[str]] = field(default_factory=dict)  # unit → marks (不得评为优秀 …)
    adjustments: list[history.Adjustment] = field(default_factory=list)  # corrections applied (adjustments.xlsx)
    stages: list[tuple[date | None, list[Rating]]] = field(default_factory=list)  # original, then each revision

    @property
    def files(self) -> set[str]:
        return {f.file for f in self.forms}


@dataclass
class Assessment:
    groups: list[Group]
    records: list[FileRecord]
    problems: list[Problem]  # every problem of the run, sorted
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (bench/)

    @property
    def exit_code(self) -> int:
        incomplete = any(r.status == "incomplete" for g in self.groups for r in g.ratings)
        errors = any(p.severity == "error" for p in self.problems)
        return 3 if incomplete or errors else 0


@batch_gc()
def assess(opts: Options) -> Assessment:
    """Read and validate every file (on ``opts.runner``), then aggregate and rate in order.

    Files are taken in sorted path order and their outcomes combined in that order, so the
    result is the same whatever the number of workers.
    """
    runner = opts.runner or SERIAL
    location = opts.input_url or opts.input_dir
    try:
        sources = list_files(location, IGNORED_NAMES)
    except FileNotFoundError:
        raise UserError(f"{location}: 找不到输入文件夹，请把收回的表格放进该文件夹，或用 --input 指定") from None
    override_scheme = schemes.load(opts.scheme) if opts.scheme else None
    override_period = periods.check(opts.period, override_scheme.period) if opts.period and override_scheme else opts.period
    jobs = [FileJob(source, rel, override_scheme, override_period, bool(opts.period)) for source, rel in sources]
    timings: dict[str, float] = {"read": 0.0, "validate": 0.0}
    records: list[FileRecord] = []
    problems: list[Problem] = []
    by_key: dict[tuple[str, str], list[FormData]] = {}
    first_of: dict[str, str] = {}
    started = time.perf_counter()
    for outcome in runner.map(assess_file, jobs, "读取表格"):
        record, data, found = outcome.record, outcome.data, outcome.problems
        for stage, seconds in outcome.seconds.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
        if record.status == "read":
            if record.sha256 in first_of:  # the later path in sorted order is the duplicate
                record, found = duplicate(record, first_of[record.sha256])
                data = None
            else:
                first_of[record.sha256] = record.file
        records.append(record)
        problems.extend(found)
        if data is not None:
            by_key.setdefault((data.scheme, data.period), []).append(data)
    _split_wall(timings, time.perf_counter() - started)
    problems.extend(keep_latest_periods(by_key))  # last year's form among this year's: not rated
    if not records:
        raise UserError(f"{location}: 文件夹中没有任何文件，请把收回的表格放进去后再运行")
    groups = []
    for (name, period), forms in sorted(by_key.items()):
        scheme = override_scheme if override_scheme and override_scheme.name == name else scheme_named(name)
        assert scheme is not None
        t0 = time.perf_counter()
        group = rate_group(scheme, period, forms, opts.history_path)
        groups.append(group)
        timings["rate"] = timings.get("rate", 0.0) + time.perf_counter() - t0
        problems.extend(group.problems)
    claimed = {f for g in groups for f in g.files}
    own = {p for g in groups for p in g.problems}  # found while rating a group (quota tie …): its own
    for g in groups:  # per-file problems go to the group of their file; unplaced ones to every group
        g.problems = sorted(
            {p for p in problems if p.file in g.files or (p.file not in claimed and p not in own)} | set(g.problems),
            key=sort_key,
        )
    return Assessment(groups, records, sorted(problems, key=sort_key), timings)


def rate_group(scheme: Scheme, period: str, forms: list[FormData], history_path: Path) -> Group:
    """Aggregate and rate one (scheme, period); with corrections, once per correction date.

    The ratings before any correction give the original notices; each correction date gives
    a revision (its notices replace the earlier ones); the last is the final result.
    """
    corrections = [c for f in forms if f.corrections for c in f.corrections]
    rechecks = [c for f in forms if f.rechecks for c in f.rechecks]
    returned = [f for f in forms if f.corrections is None and f.rechecks is None]
    dates = sorted({c.decided_on or date.min for c in corrections})
    stages: list[tuple[date | None, list[Rating]]] = []
    before = history.period_rows(history_path, scheme.name, periods.previous(period))  # read once
    for when in [None, *dates]:
        final = when == (dates[-1] if dates else None)
        found: list[Problem] = []
        units: dict[str, list[str]] = {}
        due = [c for c in corrections if when is not None and (c.decided_on or date.min) <= when]
        applied: list[adjustments.Correction] = []
        patched = adjustments.patch_forms(returned, due, scheme, found, applied)
        entities = combine(scheme, patched, found)
        recall(before, entities)
        ratings = rate(scheme, entities, period, found, units)
        adjustments.apply_after(ratings, due, scheme, found, applied)
        audit.judge(ratings, rechecks, units, found)
        stages.append((when, ratings))
        if final:
            group = Group(scheme, period, forms, ratings, found, units, [
                history.Adjustment(c.entity_id, c.action, c.value, c.reason,
                                   c.decided_on.isoformat() if c.decided_on else "", c.approved_by)
                for c in corrections if c in applied])
    group.stages = stages
    return group


def recall(before: dict[str, history.Record], entities: list[Entity]) -> None:
    """Give each entity its previous period's stars from the history store (动态管理)."""
    for e in entities:
        record = before.get(e.id)
        if record is not None:
            e.has_history, e.prev_stars = True, record.stars


def _split_wall(timings: dict[str, float], wall: float) -> None:
    """Turn the workers' summed read/validate seconds into shares of the stage's wall time."""
    busy = timings["read"] + timings["validate"]
    for stage in ("read", "validate"):
        timings[stage] = wall * timings[stage] / busy if busy else 0.0
