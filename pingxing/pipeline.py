"""The whole run, in order — read this first.

:func:`run` is the clerk's one command, top to bottom:

0. the templates are checked (:func:`~pingxing.publish.samples.check_templates`): a field a clerk
   mistyped stops the run before anything is read;
1. **read** (:func:`read_input`): every file under the input folder is found, recognised by its
   content, read once and validated against its scheme — on the workers, one file at a time;
   each form's sheets wait on disk (the run's spool); the forms are sorted into one
   :class:`~pingxing.engine.shards.Group` per (scheme, period).
2. **rate** (:func:`rated_shards`): each group is rated shard by shard — a branch, a unit or the
   whole period, as its rules allow — its forms read back from the spool, combined into
   entities, compared with the previous period in the record, rated, corrected.
3. **publish** (:func:`publish_group`): each shard's rows go to the period's folder as they are
   rated, its notices to the workers (rendering overlaps the rating of the next shard); what
   needs every shard (the 通报, the internal document, the 情况汇总) comes last, then a PDF beside
   every Word file (LibreOffice, a job per worker: :mod:`~pingxing.publish.pdf`), then the
   problems, the report and the manifest; the folder is put in place whole or not at all.
4. **record** (:func:`remember`): the record keeps what was published, in one transaction.

:func:`check` does steps 1 and 2 and writes nothing. Problems are collected through the whole
run as data, never raised; only a user's mistake that stops the run raises
(:class:`~pingxing.errors.UserError`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pingxing import periods
from pingxing import scheme as schemes
from pingxing.engine.pool import SERIAL, Runner, batch_gc
from pingxing.engine.reading import assess_spilled
from pingxing.engine.shards import ALL, Group, Shard
from pingxing.engine.spool import Batches, Spool
from pingxing.engine.timing import Clock
from pingxing.errors import UserError
from pingxing.intake.read import IGNORED_NAMES, FileRecord, duplicate
from pingxing.places import templates_dir
from pingxing.problems import Problem, problem, sort_key
from pingxing.publish import chase
from pingxing.publish.calendar import publishing
from pingxing.publish.contexts import Announcement, stage_contexts
from pingxing.publish.explain import notice_key, objection_facts
from pingxing.publish.folder import PeriodFolder
from pingxing.publish.pdf import find_converter
from pingxing.publish.rendering import NoticeJob, render_notice
from pingxing.publish.samples import check_templates
from pingxing.publish.tables import write_problems_csv
from pingxing.rate.rating import Rating
from pingxing.rate.stages import rate_shard
from pingxing.rate.summary import Summary
from pingxing.record import store as history
from pingxing.record.campaign import Workbook, campaigns, issued_schemes, recorded_starts
from pingxing.record.store import DEFAULT_RECORD
from pingxing.storage import PROBLEMS_CSV, PROBLEMS_PART, list_files, upload
from pingxing.validate.corrections import Correction
from pingxing.validate.formdata import FormData
from pingxing.validate.issued import judge
from pingxing.validate.onefile import FileJob, scheme_named
from pingxing.validate.submissions import keep_current_periods
from pingxing.validate.surveyed import once, yielded


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
    history: Path | None = None  # the campaign record (default: 评星记录.sqlite in the working folder)
    record_moved_from: str = ""  # an earlier version's record, copied to the default place this time
    # a PDF beside every Word file when LibreOffice is installed (default: yes, unless PINGXING_NO_PDF is set)
    pdf: bool = field(default_factory=lambda: not os.environ.get("PINGXING_NO_PDF"))
    record_shown: str = ""  # the record as messages name it, when ``history`` is a copy read in its stead (check)

    @property
    def history_path(self) -> Path:
        return self.history or DEFAULT_RECORD

    @property
    def record_words(self) -> str:
        """The record as a message names it (the user's file, never a copy read in its stead)."""
        return self.record_shown or str(self.history_path)


@dataclass
class Found:
    """What reading the input found: the groups to rate, what became of every file, the
    problems so far (each group's own are in the group)."""

    groups: list[Group]
    files: list[FileRecord]
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (bench/)
    spool: Spool | None = None

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


@dataclass(frozen=True)
class PeriodResult:
    scheme: str
    period: str
    summary: Summary
    folder: Path | str | None = None  # where it was published (None for ``check``)
    owed: tuple[Workbook, ...] = ()  # the workbooks issued and not back (催交), in the order issued
    title: str = ""  # the scheme's title (党员评星定级 …), for the clerk's eyes


@dataclass(frozen=True)
class Outcome:
    """What a run (or a check) comes to: one result per (scheme, period), every file, every problem."""

    periods: list[PeriodResult]
    files: list[FileRecord]
    problems: list[Problem]
    timings: dict[str, float]

    @property
    def exit_code(self) -> int:
        """0 everyone rated; 3 someone incomplete or a file with an error (CONTRACT.md)."""
        incomplete = any(p.summary.incomplete for p in self.periods)
        errors = any(p.severity == "error" for p in self.problems)
        return 3 if incomplete or errors else 0


# ------------------------------------------------------------------------------ the run


@batch_gc()
def run(opts: Options) -> Outcome:
    """Read → validate → rate → publish → record, one (scheme, period) at a time."""
    check_templates(templates_dir())  # a clerk's mistyped template field stops the run before anything is read
    found = read_input(opts)  # 1. every file read and validated, on the workers
    if opts.pdf and find_converter() is None:  # said once for the run, not for every file
        missing = problem("no-pdf-converter")
        found.problems.append(missing)
        for group in found.groups:
            group.problems.append(missing)
    try:
        options = _options(opts)
        start = opts.publicity_start or date.today()
        if opts.output_url:  # built here, then copied over
            with tempfile.TemporaryDirectory(prefix="pingxing-out-") as tmp:
                results = _publish_all(found, opts, Path(tmp), start, options)
                upload(Path(tmp), opts.output_url)
                root = opts.output_url.rstrip("/")
                results = [_moved(r, f"{root}/{Path(str(r.folder)).relative_to(tmp).as_posix()}") for r in results]
        else:
            results = _publish_all(found, opts, opts.output_dir, start, options)
    finally:
        found.close()
    return Outcome(results, found.files, _gathered(found), found.timings)


def _publish_all(found: Found, opts: Options, output_dir: Path, start: date, options: dict[str, Any]) -> list[PeriodResult]:
    output_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for group in found.groups:
        folder, kept = publish_group(group, found, opts, output_dir, start, options)  # 2 + 3. rated as written
        try:
            remember(group, folder, kept, opts.history_path)  # 4. the record keeps what was published
        finally:
            kept.close()
        assert group.summary is not None
        results.append(PeriodResult(group.scheme.name, group.period, group.summary, folder, _owed(group),
                                    group.scheme.title))
    problems = _gathered(found)
    tmp = output_dir / PROBLEMS_PART  # the run's problems, beside the periods' folders
    write_problems_csv(tmp, problems)
    tmp.replace(output_dir / PROBLEMS_CSV)
    return results


@batch_gc()
def check(opts: Options) -> Outcome:
    """Read, validate and rate everything; write nothing (the problems and the counts)."""
    found = read_input(opts)
    try:
        for group in found.groups:
            for _ in rated_shards(group, opts.history_path, opts.record_words):
                pass
    finally:
        found.close()
    results = [PeriodResult(g.scheme.name, g.period, g.summary, owed=_owed(g), title=g.scheme.title) for g in found.groups
               if g.summary is not None]
    return Outcome(results, found.files, _gathered(found), found.timings)


# ------------------------------------------------------------------------------ 1. read


def read_input(opts: Options) -> Found:
    """Read and validate every file (on ``opts.runner``) and sort the forms into groups.

    Files are taken in sorted path order and their outcomes combined in that order, so the
    result is the same whatever the number of workers. Each form's sheets go to a spool on
    disk as they arrive.
    """
    runner = opts.runner or SERIAL
    location = opts.input_url or opts.input_dir
    if opts.history_path.exists():  # a damaged or newer record (or a folder) stops the run now, before anything is read
        history.open_store(opts.history_path).close()
    try:
        sources = list_files(location, IGNORED_NAMES, (opts.output_dir, opts.history_path))  # never its own outputs
    except FileNotFoundError:
        raise UserError(f"{location}: 找不到输入文件夹，请把收回的表格放进该文件夹，或用 --input 指定") from None
    override_scheme = schemes.load(opts.scheme) if opts.scheme else None
    override_period = periods.check(opts.period, override_scheme.period_kinds) if opts.period and override_scheme else opts.period
    sent = issued_schemes(opts.history_path)  # the campaigns recorded, each with its scheme as issued
    issued = as_issued(sent, opts.history_path)  # schemes as issued, where they differ from their files now
    as_sent = tuple((n, p, s) for (n, p), s in issued.items())
    jobs = [FileJob(source, rel, override_scheme, override_period, bool(opts.period), as_sent) for source, rel in sources]
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
    problems.extend(keep_current_periods(by_key, set(sent)))  # a stray form of another period: not rated
    if not records:
        spool.close()
        raise UserError(f"{location}: 文件夹中没有任何文件，请把收回的表格放进去后再运行")
    if opts.record_moved_from:
        problems.append(problem("record-migrated", old=opts.record_moved_from, new=opts.history_path))
    recorded = campaigns(opts.history_path, by_key)  # what was sent out for the periods returned
    groups = []
    own: list[list[Problem]] = []  # each group's problems from the record (not-returned, not-issued …): its alone
    blank: set[tuple[str, str]] = set()
    for (name, period), forms in sorted(by_key.items()):
        scheme = issued.get((name, period)) or (
            override_scheme if override_scheme and override_scheme.name == name else scheme_named(name))
        assert scheme is not None
        counted, found, roll = judge(scheme, period, forms, recorded.get((name, period)), opts.record_words)
        blank |= yielded(counted, scheme, roll is not None)  # blank copies beside filled ones
        if (name, period) in issued:
            found.append(problem("scheme-changed", entity=scheme.title, file=_scheme_file(name),
                                 period_words=periods.in_words(period)))
        problems.extend(found)
        own.append(found)
        groups.append(Group(scheme, period, counted, spool, {f.file: refs[f.file] for f in counted if f.file in refs},
                            roll=roll))
    problems = once([p for p in problems if (p.file, p.sheet) not in blank])  # a copy that yields is not read
    claimed = {f for g in groups for f in g.files}
    owned = {p for found in own for p in found}
    kept = set(problems)
    for g, found in zip(groups, own, strict=True):  # a group's own problems, those of its files; unplaced ones to all
        g.problems = sorted({p for p in problems if p.file in g.files or (p.file not in claimed and p not in owned)}
                            | (kept & set(found)), key=sort_key)
    return Found(groups, records, sorted(problems, key=sort_key), timings, spool)


# ------------------------------------------------------------------------------ 2. rate


def rated_shards(group: Group, history_path: Path, record_words: str = "") -> Iterator[Shard]:
    """Rate ``group`` shard by shard, in order; each shard's forms are read back from the spool
    and let go with it. Once the last shard is rated, the group holds every problem, the unit
    marks, the corrections applied and the :class:`~pingxing.rate.summary.Summary`.
    ``record_words``: the record as a message names it (default: ``history_path``)."""
    scheme, period = group.scheme, group.period
    summary = Summary(scheme.level)
    found: list[Problem] = []
    units: dict[str, list[str]] = {}
    applied: list[Correction] = []
    corrections, rechecks = group.corrections, group.rechecks
    excluded: set[str] = set()
    placed: dict[str, str] = {}  # 编号 → where rated
    lookup = history.PeriodLookup(history_path, scheme.name, periods.previous(period))
    if scheme.compares_periods and not lookup.any:  # 动态管理 needs last period's stars or grades
        previous = periods.previous(period)
        found.append(problem("no-previous-period", entity=scheme.title, record=record_words or str(history_path),
                             scheme=scheme.title,
                             previous=periods.in_words(previous)))
    try:
        for key, headers, books in group.parts():
            t0 = time.perf_counter()
            forms = [group.load(f) for f in headers]
            stages = rate_shard(scheme, period, forms, corrections, rechecks, lookup, found, units, applied,
                                group.roll, books)
            del forms
            stages = _once(stages, placed, found)  # nobody is rated twice in a period
            summary.add(stages[-1][1])
            excluded.update(r.entity.id for r in stages[-1][1] if r.status == "excluded")
            group.timings["rate"] = group.timings.get("rate", 0.0) + time.perf_counter() - t0
            yield Shard(key, stages)
    finally:
        lookup.close()
    group.problems = sorted({p for p in set(group.problems) | set(found) if not _about(p, excluded)}, key=sort_key)
    group.units = units
    group.adjustments = [
        history.Adjustment(c.entity_id, c.action, c.value, c.reason,
                           c.decided_on.isoformat() if c.decided_on else "", c.approved_by)
        for c in corrections if c in applied]
    group.summary = summary


def rate_whole(group: Group, history_path: Path) -> list[Rating]:
    """Every rating of a group at once (for tests, small inputs and the benchmark's floor)."""
    return [r for shard in rated_shards(group, history_path) for r in shard.ratings]


def history_columns(group: Group, history_path: Path) -> bool:
    """Whether the results show 上期星级/升降/结果运用: there is a previous period in the
    record, or a rule or a correction can give actions."""
    lookup = history.PeriodLookup(history_path, group.scheme.name, periods.previous(group.period))
    try:
        found = lookup.any
    finally:
        lookup.close()
    acting = any(r.kind in ("lists", "unit_limit") for r in group.scheme.rules)
    return found or acting or bool(group.corrections or group.rechecks)


# ------------------------------------------------------------------------------ 3. publish


@dataclass
class Kept:
    """What the record keeps of a published (scheme, period), on disk until it is stored: the history
    row and the facts of the 评定计算明细 of each final rating, and what each 公示 says about objections."""

    rows: Batches = field(default_factory=Batches)
    facts: Batches = field(default_factory=Batches)
    notices: dict[str, dict[str, str]] = field(default_factory=dict)  # notice_key → objection_facts

    def add(self, scheme: str, period: str, ratings: list[Rating]) -> None:
        self.rows.add([record_of(scheme, period, r) for r in ratings])
        self.facts.add([(r.entity.id, r.explanation.as_json()) for r in ratings if r.explanation is not None])

    def close(self) -> None:
        self.rows.close()
        self.facts.close()


def publish_group(group: Group, found: Found, opts: Options, output_dir: Path, start: date,
                  options: dict[str, Any]) -> tuple[Path, Kept]:
    """Rate ``group`` shard by shard and write its folder as the shards come: rows to the
    results, notices to the workers (at most a window in flight, rendered beside the rating) and
    to 公示汇编; the 通报, problems, report, internal document and manifest after the last shard.
    Returns the folder and what the record keeps of the final ratings (on disk)."""
    scheme, period = group.scheme, group.period
    runner = opts.runner or SERIAL
    timings = found.timings
    started, rated_before = time.perf_counter(), group.timings.get("rate", 0.0)
    kept = Kept()
    try:
        soffice = find_converter() if opts.pdf else None  # LibreOffice makes the PDFs as the notices come
        with PeriodFolder(output_dir, scheme, period, options, history_columns(group, opts.history_path),
                          templates_dir(), workers_write=not runner.dask, soffice=soffice,
                          slots=runner.workers, issued=start, owed=chase.owed(_owed(group))) as folder:
            whole = group.scope == ALL  # one shard: its notices include the 通报 and the revisions
            announcement = Announcement(scheme, period)
            pub = publishing(scheme, group.settings, opts.publicity_start,
                             recorded_starts(opts.history_path, scheme.name, period), start)

            def notices() -> Iterator[NoticeJob]:
                for shard in rated_shards(group, opts.history_path):
                    folder.add(shard.ratings)
                    if not whole:
                        announcement.add(shard.ratings)
                    kept.add(scheme.name, period, shard.ratings)
                    for ctx in stage_contexts(scheme, period, shard.stages, pub, group.problems, whole):
                        if ctx["kind"] == "公示":  # the latest (a 更正 after the first) is what an objection answers
                            kept.notices[notice_key(ctx["unit"], ctx["branch"])] = objection_facts(ctx)
                        yield folder.notice(ctx)
                if not whole:
                    closing = announcement.context(pub, group.problems)
                    if closing is not None:
                        yield folder.notice(closing)
                group.problems.extend(problem("redated", entity=notice, notice=notice, was=periods.date_words(was),
                                              now=periods.date_words(now)) for notice, was, now in pub.redated)
                folder.close_tables(group)  # while the workers render the last notices

            expected = None if whole else len(group.parts())  # a 公示 per shard (the progress bar's total)
            for rendered in runner.imap(render_notice, notices(), "生成公示", total=expected):
                folder.write_notice(*rendered)
            # the lists go out with the 通报, after publicity: dated as it is (kept from run to run)
            internal = folder.internal_notice(group, pub.announced(pub.today))
            if internal is not None:
                for rendered in runner.map(render_notice, [internal]):
                    folder.write_notice(*rendered, folder="internal", title=internal.ctx["title"])
            folder.write_summary(group, start)  # 情况汇总 for the leader
            rated = group.timings.get("rate", 0.0) - rated_before  # the notices, tables and report, rating aside
            timings["render"] = timings.get("render", 0.0) + time.perf_counter() - started - rated
            clock = Clock(timings)
            folder.finish_pdfs(group.problems)  # the last PDFs, 公示汇编.pdf
            clock.lap("pdf")
            folder.finish(group)  # problems.csv and report.html, which links the PDFs
            clock.lap("render")
            folder.write_manifest(group, found.files)
        clock.lap("write")
    except BaseException:
        kept.close()
        raise
    group.starts = {notice: when.isoformat() for notice, when in pub.used.items()}
    return folder.target, kept


def record_of(scheme: str, period: str, r: Rating) -> history.Record:
    """A rating as the record keeps it (the manifest's hash is added when it is stored)."""
    e = r.entity
    return history.Record(
        scheme=scheme, period=period, entity_id=e.id, name=e.name, unit=e.unit, branch=e.branch,
        score=str(r.score) if r.score is not None else None, stars=r.stars, star_names="、".join(r.star_names),
        grade=r.grade, status=r.status, reason=r.reason, actions="、".join(r.actions))


# ------------------------------------------------------------------------------ 4. record


def remember(group: Group, folder: Path, kept: Kept, history_path: Path) -> None:
    """The record replaces the (scheme, period) with what was just published, in one transaction."""
    manifest = hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    explained = history.Explained(group.scheme.text, json.dumps(kept.notices, ensure_ascii=False, sort_keys=True))
    history.replace_period(history_path, group.scheme.name, group.period, kept.rows, group.adjustments, manifest,
                           group.starts, kept.facts, explained)


# ------------------------------------------------------------------------------ helpers


def _gathered(found: Found) -> list[Problem]:
    """Every problem of the run, sorted; the groups' timings added to the run's. Once there are groups,
    each file's problems are in its group's (or, unplaced, in every group's), where those about someone
    不参评 are dropped: they are not taken again from the run's own list."""
    every = {p for g in found.groups for p in g.problems} | (set() if found.groups else set(found.problems))
    for g in found.groups:
        for stage, seconds in g.timings.items():
            found.timings[stage] = found.timings.get(stage, 0.0) + seconds
        g.timings.clear()
    return sorted(every, key=sort_key)


def _owed(group: Group) -> tuple[Workbook, ...]:
    """What the group's branches still owe (催交): nothing known without a recorded campaign."""
    return tuple(group.roll.owed()) if group.roll is not None else ()


def _once(stages: list[tuple[date | None, list[Rating]]], placed: dict[str, str],
          found: list[Problem]) -> list[tuple[date | None, list[Rating]]]:
    """Each stage's ratings without anyone already rated elsewhere in the period (a person on two
    branches' forms without a record to say where they belong): kept where first met, a problem."""
    final = stages[-1][1]
    for r in final:
        e = r.entity
        where = f"{e.unit}{e.branch}"
        if placed.setdefault(e.id, where) != where:
            found.append(problem("listed-twice", entity=f"{e.id} {e.name}", id=e.id, name=e.name,
                                 first=placed[e.id], second=where))
    twice = {r.entity.id for r in final if placed[r.entity.id] != f"{r.entity.unit}{r.entity.branch}"}
    if not twice:
        return stages
    return [(when, [r for r in ratings if r.entity.id not in twice]) for when, ratings in stages]


def _about(p: Problem, ids: set[str]) -> bool:
    """Whether ``p`` is about a row of someone 不参评 (its blanks no longer matter)."""
    return bool(ids) and p.sheet != "" and p.entity.split(" ", 1)[0] in ids and not p.code.startswith("adjustment")


def _options(opts: Options) -> dict[str, Any]:
    """The options as the manifest records them."""
    return {
        "input": opts.input_url or str(opts.input_dir), "output": opts.output_url or str(opts.output_dir),
        "scheme": opts.scheme, "period": opts.period,
        "publicity_start": opts.publicity_start.isoformat() if opts.publicity_start else None,
        **({} if opts.pdf else {"pdf": False}),
    }


def _moved(result: PeriodResult, folder: str) -> PeriodResult:
    return dataclasses.replace(result, folder=folder)


def as_issued(sent: dict[tuple[str, str], tuple[str, str]], record: Path) -> dict[tuple[str, str], schemes.Scheme]:
    """The schemes as issued whose files have changed since (usually none): a campaign is rated by
    the scheme it was issued with until it is registered again."""
    out = {}
    for (name, period), (text, sha256) in sent.items():
        current = scheme_named(name)  # (loaded once per file version; None: gone or broken, the scheme as issued rates)
        if current is None or schemes.file_sha256(current) != sha256:
            out[name, period] = schemes.parse(text, f"{record}（{name} {period} 下发时的方案）")
    return out


def _scheme_file(name: str) -> str:
    try:
        return str(schemes.resolve(name))
    except UserError:
        return f"{name}.yaml"


def _split_wall(timings: dict[str, float], wall: float) -> None:
    """Turn the workers' summed read/validate seconds into shares of the stage's wall time."""
    busy = timings["read"] + timings["validate"]
    for stage in ("read", "validate"):
        timings[stage] = wall * timings[stage] / busy if busy else 0.0
