"""Write one (scheme, period) folder: results, problems, notices, manifest — whole or not at all."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import __version__, history, schemes
from ..cells import file_stem
from ..intake import FileRecord
from ..parallel import SERIAL, Runner
from ..pipeline import ALL
from ..problems import Problem, sort_key
from ..rate import Rating
from ..spool import Batches
from ..summary import Summary
from ..timing import Clock
from .compilation import COMPILATION_NAME, CompilationWriter
from .contexts import Announcement, notice_contexts, stage_contexts  # noqa: F401  (notice_contexts: bench/)
from .internal import internal_context, listed, target_shares
from .rendering import NoticeJob, render_all, render_notice
from .report import write_report
from .staging import staged, write_atomic
from .tables import ResultsCsv, write_problems_csv
from .workbook import ResultsWorkbook

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


@dataclass(frozen=True)
class Written:
    folder: Path
    records: Batches  # the history rows of the final ratings, without the manifest's hash


@dataclass(frozen=True)
class _Link:  # what report.html needs of a notice
    stem: str
    ctx: dict[str, str]


def write_group(group: Any, records: list[FileRecord], output_dir: Path, options: dict[str, Any],
                publicity_start: date, runner: Runner | None = None,
                timings: dict[str, float] | None = None) -> Written:
    """Rate ``group`` shard by shard and write its folder as the shards come: each shard's rows
    go to results.csv/.xlsx and the history spool, its notices to the workers (rendered beside
    the rating, at most a window of them in flight) and to 公示汇编; what needs every shard
    (the 通报, problems, report, internal list, manifest) is written after the last."""
    scheme, period = group.scheme, group.period
    target = output_dir / scheme.name / period
    runner = runner or SERIAL
    started, rated_before = time.perf_counter(), group.timings.get("rate", 0.0)
    history_rows = Batches()
    with _closed_on_error(history_rows), staged(target) as stage:
        notices_dir = stage / "notices"
        notices_dir.mkdir()
        whole = group.scope == ALL  # one shard: its notices include the 通报 and the revisions
        announcement = Announcement(scheme, period)
        internal: list[Any] = []
        links: list[_Link] = []
        local = None if runner.dask else str(notices_dir)  # local workers write the files themselves
        csv_out = ResultsCsv(stage / "results.csv", scheme)
        xlsx = ResultsWorkbook(stage / "results.xlsx", scheme, options.get("input"), group.history_columns)
        with CompilationWriter(stage / COMPILATION_NAME, str(TEMPLATES)) as compilation:

            def job(ctx: dict[str, Any]) -> NoticeJob:
                stem = file_stem(ctx.pop("file"))
                compilation.add(ctx)
                links.append(_Link(stem, {"title": ctx["title"], "kind": ctx["kind"]}))
                return NoticeJob(str(TEMPLATES), stem, ctx, local)

            outputs: list[Path] = []

            def jobs() -> Iterator[NoticeJob]:
                for shard in group.shards():
                    ratings = shard.ratings
                    csv_out.add(ratings)
                    xlsx.add(ratings)
                    if not whole:
                        announcement.add(ratings)
                    internal.extend(listed(scheme, ratings))
                    history_rows.add([record_of(scheme.name, period, r) for r in ratings])
                    for ctx in stage_contexts(scheme, period, shard.stages, publicity_start, group.problems, whole):
                        yield job(ctx)
                if not whole:
                    ctx = announcement.context(publicity_start, group.problems)
                    if ctx is not None:
                        yield job(ctx)
                finish()  # while the workers render the last notices

            def finish() -> None:
                group.problems.sort(key=sort_key)  # every problem is known once the last shard is rated
                csv_out.close()
                xlsx.close(group.problems)
                outputs.extend([stage / "results.csv", stage / "results.xlsx", *compilation.close()])
                write_problems_csv(stage / "problems.csv", group.problems)
                outputs.append(stage / "problems.csv")
                outputs.extend(write_report(stage, group, links))

            expected = None if whole else len(group.parts())  # a 公示 per shard (the progress bar's total)
            for stem, docx, html in runner.imap(render_notice, jobs(), "生成公示", total=expected):
                for path, data in ((notices_dir / f"{stem}.docx", docx), (notices_dir / f"{stem}.html", html)):
                    if data is not None:
                        path.write_bytes(data)
                    outputs.append(path)
        context = internal_context(group, publicity_start, internal)
        if context is not None:  # never beside the public notices
            outputs += render_all([NoticeJob(str(TEMPLATES), file_stem(context.pop("file")), context)],
                                  stage / "internal", runner)
        if timings is not None:  # the notices, 公示汇编, the results tables and the report (rating aside)
            rated = group.timings.get("rate", 0.0) - rated_before
            timings["render"] = timings.get("render", 0.0) + time.perf_counter() - started - rated
        clock = Clock(timings)
        manifest = {
            "tool": "pingxing",
            "version": __version__,
            "scheme": scheme.name,
            "scheme_file_sha256": schemes.file_sha256(scheme),
            "period": period,
            "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "options": options,
            "files": [_record(r, group, files) for files in [group.files] for r in records],
            "coercions": [c for f in group.forms for c in f.coercions],
            "counts": _counts(group.summary, group.problems),
            "target": [{"unit": u, "holders": n, "rated": t, "percent": p, "below_target": b}
                       for u, n, t, p, b in target_shares(group)],
            "outputs": {p.relative_to(stage).as_posix(): _sha(p) for p in sorted(outputs)},
        }
        write_atomic(stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    clock.lap("write")
    return Written(target, history_rows)


@contextmanager
def _closed_on_error(spool: Batches) -> Iterator[None]:
    try:
        yield
    except BaseException:
        spool.close()
        raise


def record_of(scheme: str, period: str, r: Rating) -> history.Record:
    """A rating as the history keeps it (the manifest's hash is added when it is stored)."""
    e = r.entity
    return history.Record(
        scheme=scheme, period=period, entity_id=e.id, name=e.name, unit=e.unit, branch=e.branch,
        score=str(r.score) if r.score is not None else None, stars=r.stars, star_names="、".join(r.star_names),
        grade=r.grade, status=r.status, reason=r.reason, actions="、".join(r.actions))


def _record(r: FileRecord, group: Any, files: set[str]) -> dict[str, str]:
    d = {"file": r.file, "sha256": r.sha256, "status": r.status}
    if r.why:
        d["why"] = r.why
    if r.duplicate_of:
        d["duplicate_of"] = r.duplicate_of
    if r.status == "read" and r.file not in files:
        refused = next((p.message for p in group.problems if p.file == r.file and p.severity == "error"), "")
        d["status"], d["why"] = ("rejected", refused) if refused else ("read", "属于另一方案或周期，见其输出文件夹")
    return d


def _counts(summary: Summary, problems: list[Problem]) -> dict[str, Any]:
    return {
        "entities": summary.entities,
        "rated": summary.status["rated"],
        "incomplete": summary.status["incomplete"],
        "disqualified": summary.status["disqualified"],
        "stars": {str(k): v for k, v in sorted(summary.stars.items())},
        "problems": {"error": sum(p.severity == "error" for p in problems),
                     "warning": sum(p.severity == "warning" for p in problems)},
    }


def _sha(p: Path) -> str:
    with p.open("rb") as f:  # in chunks: 公示汇编 of a province is large
        return hashlib.file_digest(f, "sha256").hexdigest()
