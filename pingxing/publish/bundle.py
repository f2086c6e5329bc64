"""Write one (scheme, period) folder: results, problems, notices, manifest — whole or not at all."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import __version__, schemes
from ..cells import file_stem
from ..intake import FileRecord
from ..parallel import SERIAL, Pending, Runner, aside
from ..problems import Problem
from ..rate import Rating
from ..timing import Clock
from .compilation import COMPILATION_NAME, CompilationJob, render_compilation, write_compilation
from .contexts import notice_contexts
from .internal import internal_context, target_shares
from .rendering import NoticeJob, render_all, render_all_started
from .report import write_report
from .staging import staged, write_atomic
from .tables import write_problems_csv, write_results_csv, write_results_xlsx

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def write_group(group: Any, records: list[FileRecord], output_dir: Path, options: dict[str, Any],
                publicity_start: date, runner: Runner | None = None,
                timings: dict[str, float] | None = None) -> Path:
    scheme = group.scheme
    target = output_dir / scheme.name / group.period
    clock = Clock(timings)
    contexts = notice_contexts(group, publicity_start)  # may add notice-withheld problems
    jobs = [NoticeJob(str(TEMPLATES), file_stem(ctx.pop("file")), ctx) for ctx in contexts]
    runner = runner or SERIAL
    with staged(target) as stage:
        outputs: list[Path] = []
        # Three things at once, each as soon as it can: results.xlsx and 公示汇编 (each in a forked
        # helper when there are local workers; 公示汇编 a Dask task with --dask), the notices (the workers).
        local = runner.workers > 1 and not runner.dask  # forked helpers: nothing to pickle on the way in
        tables = aside(_write_workbook, stage, group, options.get("input"), fork=local)
        compilation = CompilationJob(str(TEMPLATES), [j.ctx for j in jobs])
        compiling = None
        if jobs:
            compiling = aside(render_compilation, compilation) if local else runner.submit(render_compilation, compilation)
        with _closing(tables), _closing(compiling):
            notices = stage / "notices"
            notices.mkdir()
            rendering = render_all_started(jobs, notices, runner)
            write_results_csv(stage / "results.csv", scheme, group.ratings)
            write_problems_csv(stage / "problems.csv", group.problems)
            outputs += [stage / "results.csv", stage / "problems.csv", *tables.result()]
            outputs += rendering.result()
            outputs += write_compilation(stage / COMPILATION_NAME, compiling.result() if compiling else [])
        outputs += write_report(stage, group, jobs)
        internal = internal_context(group, publicity_start)
        if internal is not None:  # never beside the public notices
            outputs += render_all([NoticeJob(str(TEMPLATES), file_stem(internal.pop("file")), internal)],
                                  stage / "internal", runner)
        clock.lap("render")  # the notices, 公示汇编, the results tables (side by side) and the report
        manifest = {
            "tool": "pingxing",
            "version": __version__,
            "scheme": scheme.name,
            "scheme_file_sha256": schemes.file_sha256(scheme),
            "period": group.period,
            "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "options": options,
            "files": [_record(r, group, files) for files in [group.files] for r in records],
            "coercions": [c for f in group.forms for c in f.coercions],
            "counts": _counts(group.ratings, group.problems),
            "target": [{"unit": u, "holders": n, "rated": t, "percent": p, "below_target": b}
                       for u, n, t, p, b in target_shares(group)],
            "outputs": {p.relative_to(stage).as_posix(): _sha(p) for p in sorted(outputs)},
        }
        write_atomic(stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    clock.lap("write")
    return target


def _write_workbook(stage: Path, group: Any, input_dir: str | None) -> list[Path]:
    """results.xlsx (the longest of the tables to write)."""
    write_results_xlsx(stage / "results.xlsx", group.scheme, group.ratings, group.problems, input_dir)
    return [stage / "results.xlsx"]


@contextmanager
def _closing(pending: Pending[Any] | None) -> Iterator[None]:
    try:
        yield
    finally:
        if pending is not None:
            pending.close()


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


def _counts(ratings: list[Rating], problems: list[Problem]) -> dict[str, Any]:
    stars: dict[str, int] = {}
    for r in ratings:
        if r.stars is not None:
            stars[str(r.stars)] = stars.get(str(r.stars), 0) + 1
    return {
        "entities": len(ratings),
        "rated": sum(r.status == "rated" for r in ratings),
        "incomplete": sum(r.status == "incomplete" for r in ratings),
        "disqualified": sum(r.status == "disqualified" for r in ratings),
        "stars": dict(sorted(stars.items())),
        "problems": {"error": sum(p.severity == "error" for p in problems),
                     "warning": sum(p.severity == "warning" for p in problems)},
    }


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()
