"""The whole job: read forms → validate → aggregate → rate → publish.

:func:`assess` reads and validates every file (on the workers) and sorts the forms into
groups, one per (scheme, period), their sheets kept on disk; each group is then rated shard
by shard (:meth:`Group.shards`) — ``publish`` writes each shard's results and notices as it
comes, so memory does not grow with the number of branches; ``check`` only counts.
Problems are collected through the whole run, never raised.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import adjustments, audit, history, periods, schemes
from .aggregate import Entity, combine
from .errors import UserError
from .formdata import FormData
from .intake import IGNORED_NAMES, FileRecord, duplicate
from .onefile import FileJob, assess_spilled, scheme_named
from .parallel import SERIAL, Runner, batch_gc
from .problems import Problem, sort_key
from .rate import Rating, rate
from .schemes import Scheme
from .spool import Spool
from .storage import list_files
from .submissions import keep_latest_periods
from .summary import Summary


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


#: how far a scheme's rules look across entities: a shard is rated on its own
BRANCH, UNIT, ALL = "branch", "unit", "all"


def shard_scope(scheme: Scheme, corrections: bool = False) -> str:
    """The smallest part of a (scheme, period) that can be rated on its own.

    Most rules look at one entity (bands, veto, named stars …): a member scheme is rated
    branch by branch, one branch's forms in memory at a time. A rule that compares the branches
    of a unit (a unit quota, 不得评为优秀) — and every branch scheme, whose 公示 lists a unit —
    needs a unit at a time; a rule over everyone (a city-wide quota, a single award) and
    corrections or re-checks (which name entities anywhere and re-issue changed notices) need
    the whole period at once.
    """
    kinds = {rule.kind for rule in scheme.rules}
    if corrections or "award" in kinds or any(getattr(r, "scope", None) == "all" for r in scheme.rules):
        return ALL
    if scheme.level != "member" or "unit_limit" in kinds or "quota" in kinds:
        return UNIT
    return BRANCH


@dataclass
class Shard:
    key: tuple[str, str]  # (unit, branch), (unit, "") or ("", "")
    stages: list[tuple[date | None, list[Rating]]]  # original, then each revision (corrections)

    @property
    def ratings(self) -> list[Rating]:
        return self.stages[-1][1]


@dataclass
class Group:
    """One (scheme, period) found in the input; rated shard by shard (:meth:`shards`)."""

    scheme: Scheme
    period: str
    forms: list[FormData]  # every form's header; its sheets wait in the run's spool
    history_path: Path = Path("history.sqlite")
    spool: Spool | None = None
    refs: dict[str, tuple[int, int]] = field(default_factory=dict)  # form file → where its sheets are in the spool
    problems: list[Problem] = field(default_factory=list)
    units: dict[str, list[str]] = field(default_factory=dict)  # unit → marks (不得评为优秀 …)
    adjustments: list[history.Adjustment] = field(default_factory=list)  # corrections applied (adjustments.xlsx)
    summary: Summary | None = None  # the counts of the ratings, once rated
    timings: dict[str, float] = field(default_factory=dict)
    _materialised: list[Shard] | None = field(default=None, repr=False)

    @property
    def files(self) -> set[str]:
        return {f.file for f in self.forms}

    @property
    def corrections(self) -> list[adjustments.Correction]:
        return [c for f in self.forms if f.corrections for c in f.corrections]

    @property
    def rechecks(self) -> list[audit.Recheck]:
        return [c for f in self.forms if f.rechecks for c in f.rechecks]

    @property
    def scope(self) -> str:
        return shard_scope(self.scheme, bool(self.corrections or self.rechecks))

    @property
    def rated(self) -> bool:
        return self.summary is not None

    @property
    def history_columns(self) -> bool:
        """Whether the results show 上期星级/升降/结果运用: there is a previous period in the
        history, or a rule or a correction can give actions."""
        lookup = history.PeriodLookup(self.history_path, self.scheme.name, periods.previous(self.period))
        try:
            found = lookup.any
        finally:
            lookup.close()
        acting = any(r.kind in ("lists", "unit_limit") for r in self.scheme.rules)
        return found or acting or bool(self.corrections or self.rechecks)

    def shards(self) -> Iterator[Shard]:
        """Rate the group shard by shard, in order; each shard's forms are read back from the
        spool and let go with it. The first full pass records the group's problems, unit
        marks, corrections applied and :attr:`summary`; a later pass gives the same ratings."""
        if self._materialised is not None:
            yield from self._materialised
            return
        first = not self.rated
        summary = Summary(self.scheme.level)
        found: list[Problem] = []
        units: dict[str, list[str]] = {}
        applied: list[adjustments.Correction] = []
        corrections, rechecks = self.corrections, self.rechecks
        lookup = history.PeriodLookup(self.history_path, self.scheme.name, periods.previous(self.period))
        try:
            for key, headers in self.parts():
                t0 = time.perf_counter()
                forms = [self._load(f) for f in headers]
                stages = rate_shard(self.scheme, self.period, forms, corrections, rechecks, lookup,
                                    found, units, applied)
                del forms
                summary.add(stages[-1][1])
                self.timings["rate"] = self.timings.get("rate", 0.0) + time.perf_counter() - t0
                yield Shard(key, stages)
        finally:
            lookup.close()
        if first:
            self.problems = sorted(set(self.problems) | set(found), key=sort_key)
            self.units = units
            self.adjustments = [
                history.Adjustment(c.entity_id, c.action, c.value, c.reason,
                                   c.decided_on.isoformat() if c.decided_on else "", c.approved_by)
                for c in corrections if c in applied]
            self.summary = summary

    def rate(self) -> None:
        """Rate every shard (for ``check``: the problems and counts, nothing kept)."""
        if not self.rated:
            for _ in self.shards():
                pass

    def parts(self) -> list[tuple[tuple[str, str], list[FormData]]]:
        """The shards to rate, in order: their keys and the headers of their forms."""
        scope = self.scope
        parts: dict[tuple[str, str], list[FormData]] = {}
        for f in self.forms:
            if f.corrections is not None or f.rechecks is not None:
                continue
            key = ("", "") if scope == ALL else (f.unit, "") if scope == UNIT else (f.unit, f.branch)
            parts.setdefault(key, []).append(f)
        return sorted(parts.items())

    def _load(self, header: FormData) -> FormData:
        ref = self.refs.get(header.file)
        if ref is None or self.spool is None:
            return header
        form: FormData = pickle.loads(self.spool.get(ref))
        return form

    # -- the whole group at once: for tests, small inputs and the benchmark's floor

    def _all(self) -> list[Shard]:
        if self._materialised is None:
            self._materialised = list(self.shards())
        return self._materialised

    @property
    def ratings(self) -> list[Rating]:
        return [r for shard in self._all() for r in shard.ratings]

    @property
    def stages(self) -> list[tuple[date | None, list[Rating]]]:
        shards = self._all()
        if len(shards) == 1:
            return shards[0].stages
        return [(None, self.ratings)]


@dataclass
class Assessment:
    groups: list[Group]
    records: list[FileRecord]
    problems: list[Problem]  # every problem of the run, sorted (complete once every group is rated)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (bench/)
    spool: Spool | None = None

    def rate(self) -> None:
        """Rate every group not yet rated and gather every problem."""
        for g in self.groups:
            g.rate()
        self.gather()

    def gather(self) -> None:
        every = {p for g in self.groups for p in g.problems} | set(self.problems)
        self.problems = sorted(every, key=sort_key)
        for g in self.groups:
            for stage, seconds in g.timings.items():
                self.timings[stage] = self.timings.get(stage, 0.0) + seconds
            g.timings.clear()

    @property
    def exit_code(self) -> int:
        self.rate()
        incomplete = any(g.summary is not None and g.summary.incomplete for g in self.groups)
        errors = any(p.severity == "error" for p in self.problems)
        return 3 if incomplete or errors else 0

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


@batch_gc()
def assess(opts: Options) -> Assessment:
    """Read and validate every file (on ``opts.runner``) and sort the forms into groups.

    Files are taken in sorted path order and their outcomes combined in that order, so the
    result is the same whatever the number of workers. Each form's sheets go to a spool on
    disk as they arrive; the groups are rated later, shard by shard (:meth:`Group.shards`:
    ``publish`` does it while writing, :meth:`Assessment.rate` for ``check``).
    """
    runner = opts.runner or SERIAL
    location = opts.input_url or opts.input_dir
    if opts.history_path.is_file():  # a damaged or newer history stops the run now, before anything is read
        history.open_store(opts.history_path).close()
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
    refs: dict[str, tuple[int, int]] = {}
    first_of: dict[str, str] = {}
    spool = Spool()
    started = time.perf_counter()
    for outcome in runner.map(assess_spilled, jobs, "读取表格"):
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
            if outcome.blob is not None:
                refs[data.file] = spool.put(outcome.blob)
    _split_wall(timings, time.perf_counter() - started)
    problems.extend(keep_latest_periods(by_key))  # last year's form among this year's: not rated
    if not records:
        spool.close()
        raise UserError(f"{location}: 文件夹中没有任何文件，请把收回的表格放进去后再运行")
    groups = []
    for (name, period), forms in sorted(by_key.items()):
        scheme = override_scheme if override_scheme and override_scheme.name == name else scheme_named(name)
        assert scheme is not None
        groups.append(Group(scheme, period, forms, opts.history_path, spool,
                            {f.file: refs[f.file] for f in forms if f.file in refs}))
    claimed = {f for g in groups for f in g.files}
    for g in groups:  # per-file problems go to the group of their file; unplaced ones to every group
        g.problems = sorted({p for p in problems if p.file in g.files or p.file not in claimed}, key=sort_key)
    return Assessment(groups, records, sorted(problems, key=sort_key), timings, spool)


def rate_shard(scheme: Scheme, period: str, forms: list[FormData], corrections: list[adjustments.Correction],
               rechecks: list[audit.Recheck], lookup: history.PeriodLookup, found: list[Problem],
               units: dict[str, list[str]], applied: list[adjustments.Correction]
               ) -> list[tuple[date | None, list[Rating]]]:
    """Aggregate and rate one shard; with corrections, once per correction date.

    The ratings before any correction give the original notices; each correction date gives
    a revision (its notices replace the earlier ones); the last is the final result.
    Problems, unit marks and the corrections applied of the final stage are added to
    ``found``, ``units`` and ``applied``.
    """
    dates = sorted({c.decided_on or date.min for c in corrections})
    stages: list[tuple[date | None, list[Rating]]] = []
    before: dict[str, history.Record] | None = None
    for when in [None, *dates]:
        final = when == (dates[-1] if dates else None)
        stage_found: list[Problem] = []
        stage_units: dict[str, list[str]] = {}
        stage_applied: list[adjustments.Correction] = []
        due = [c for c in corrections if when is not None and (c.decided_on or date.min) <= when]
        patched = adjustments.patch_forms(forms, due, scheme, stage_found, stage_applied)
        entities = combine(scheme, patched, stage_found)
        if before is None:  # read once per shard
            before = lookup.records(e.id for e in entities)
        recall(before, entities)
        ratings = rate(scheme, entities, period, stage_found, stage_units)
        adjustments.apply_after(ratings, due, scheme, stage_found, stage_applied)
        audit.judge(ratings, rechecks, stage_units, stage_found)
        stages.append((when, ratings))
        if final:
            found.extend(stage_found)
            for unit, marks in stage_units.items():
                units.setdefault(unit, []).extend(marks)
            applied.extend(stage_applied)
    return stages


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
