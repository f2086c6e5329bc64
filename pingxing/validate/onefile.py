"""One returned file, start to finish: hash → recognise → read → validate.

:func:`assess_file` is the per-file step of the pipeline as a pure function of a
picklable :class:`FileJob`: it runs in this process, in a process pool or on a Dask
worker and gives the same :class:`FileOutcome` wherever it runs. Nothing here depends on
other files: the duplicate rule (identical sha256 counts once) needs every file's hash
and is applied afterwards by :func:`pingxing.pipeline.assess`, in sorted path order.

Only the validated :class:`~pingxing.formdata.FormData` comes back, never the raw rows of
a workbook, so a run holds one workbook at a time per worker.
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pingxing import scheme as schemes
from pingxing import storage
from pingxing.errors import UserError
from pingxing.intake.read import FileRecord, Form, open_file, sha256_of
from pingxing.problems import Problem, problem
from pingxing.scheme.model import Scheme
from pingxing.validate.compact import slim
from pingxing.validate.form import form_key, validate
from pingxing.validate.formdata import FormData


@dataclass(frozen=True)
class FileJob:
    """What a worker needs to assess one file."""

    source: str  # a local path or an fsspec URL
    rel: str  # path relative to the input folder, POSIX style: how problems name the file
    scheme: Scheme | None = None  # --scheme, loaded (for workbooks without _meta)
    period: str | None = None  # --period, checked against the scheme
    period_given: bool = False  # --period was given: a form of another period is not counted
    issued: tuple[tuple[str, str, Scheme], ...] = ()  # (name, period, the scheme as issued) where it differs from its file


@dataclass
class FileOutcome:
    record: FileRecord
    data: FormData | None  # from :func:`assess_spilled`: without its sheets and roster (see ``blob``)
    problems: list[Problem]
    seconds: dict[str, float] = field(default_factory=dict)  # CPU-side wall time: read, validate
    blob: bytes | None = None  # its sheets and roster, pickled: kept on disk until its shard is rated


def scheme_named(name: str) -> Scheme | None:
    """A scheme by its name (never a path: a returned form cannot point the tool at a file), loaded
    once per process and file version (a clerk who edits the file between two runs of one process —
    a notebook — gets the edit); None when it does not exist or is invalid."""
    try:
        path = schemes.resolve(name) if schemes.plain_name(name) else None
        stat = path.stat() if path is not None else None
    except (UserError, OSError):
        return None
    return _scheme_named(name, str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


@functools.lru_cache(maxsize=64)
def _scheme_named(name: str, path: str, mtime_ns: int, size: int) -> Scheme | None:
    try:
        return schemes.load_named(name)
    except UserError:
        return None


def assess_file(job: FileJob) -> FileOutcome:
    t0 = time.perf_counter()
    with storage.local_copy(job.source) as path:
        try:
            record, form, problems = open_file(path, job.rel)
            t1 = time.perf_counter()
            data = _validated(job, form, problems) if form is not None else None
        except Exception as e:  # a damaged part the reader tolerated (bad XML, ...): this file only
            if os.environ.get("PINGXING_DEBUG"):
                raise
            record, data, problems = unreadable(path, job.rel, e)
            t1 = time.perf_counter()
    t2 = time.perf_counter()
    return FileOutcome(record, data, problems, {"read": t1 - t0, "validate": t2 - t1})


def unreadable(path: Path, rel: str, error: Exception) -> tuple[FileRecord, None, list[Problem]]:
    """A file that failed past recognition: rejected as damaged, and the run goes on."""
    try:
        digest = sha256_of(path)
    except OSError:
        digest = ""
    message = "文件内容无法读取，请在 Excel 中打开后另存为 .xlsx 再发送；另存后仍出现此提示的，请把文件交维护人员"
    return (FileRecord(rel, digest, "rejected", message), None,
            [problem("damaged-file", "content", file=rel, value=type(error).__name__, sha256=digest)])


def _validated(job: FileJob, form: Form, problems: list[Problem]) -> FormData | None:
    override = job.scheme
    name, period = form_key(form, override.name if override else None, job.period)
    if not name or not period:
        problems.append(form.problem("no-meta"))
        return None
    if job.period_given and form.meta.get("period") and form.meta["period"] != job.period:
        problems.append(form.problem("wrong-period", sheet="_meta", value=form.meta["period"],
                                     period=form.meta["period"], expected=job.period))
        return None
    if override and form.meta.get("scheme") and form.meta["scheme"] != override.name:
        problems.append(form.problem("wrong-scheme", sheet="_meta", value=form.meta["scheme"],
                                     scheme=form.meta["scheme"], expected=override.name))
        return None
    as_issued = next((s for n, p, s in job.issued if (n, p) == (name, period)), None)
    scheme = as_issued or (override if override and override.name == name else scheme_named(name))
    if scheme is None:
        problems.append(form.problem("unknown-scheme", sheet="_meta", value=name, scheme=name))
        return None
    data = validate(form, scheme, period, problems)
    form.rows.clear()  # the raw cells are not needed past validation
    if data is not None:
        slim(scheme, data)  # so that thousands of forms fit in little memory
    return data
