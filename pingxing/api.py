"""The front door: the tool's jobs as Python functions (CONTRACT.md "Python API").

Each takes keyword arguments named like its command's options, returns data (never prints,
never exits) and raises :class:`~pingxing.errors.UserError` — one line per mistake, the same
words as the command — for a user's mistake. The command line (:mod:`pingxing.cli`) is these
functions plus printing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pingxing import periods, pipeline
from pingxing import scheme as schemes
from pingxing.engine.pool import Runner, max_jobs
from pingxing.errors import InputError, UserError, user_faults
from pingxing.issue import recheck
from pingxing.issue.workbooks import write_all
from pingxing.places import templates_dir
from pingxing.publish.explain import EXPLAIN_FOLDER, explain_context, write_explanation
from pingxing.record import roster as rosters
from pingxing.record import store
from pingxing.record.explanations import explanation
from pingxing.record.imports import import_file
from pingxing.scheme.model import PERIOD_KINDS
from pingxing.storage import cpu_count, local_path
from pingxing.survey.importing import Imported, import_export
from pingxing.survey.listing import Questions, write_questions

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_OUTPUT = Path("output")


@contextmanager
def _runner(jobs: int | None, dask: str | None, progress: bool) -> Iterator[Runner]:
    runner = Runner(jobs=_jobs(jobs), dask=dask, progress=progress)
    try:
        if dask:
            runner.client()  # connect now: a wrong address or a missing Dask is a one-line error
        yield runner
    finally:
        runner.close()


def _location(value: str | Path) -> tuple[Path, str | None]:
    """A folder given as a path, a file:// URL (both local) or another fsspec URL."""
    local = local_path(value)
    text = str(value)
    return (local, None) if local is not None else (Path(text.rsplit("/", 1)[-1] or "output"), text)


def _date(value: date | str | None, option: str) -> date | None:
    if value is None:
        return value
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InputError(f"{option}: “{value}”不是日期，请写成 2026-12-01 这样的形式") from None
    return periods.check_date(value, option)


def _jobs(jobs: int | None) -> int | None:
    """``--jobs``: None (the machine's cores) or 1 to :func:`~pingxing.engine.pool.max_jobs`."""
    if jobs is not None and not 1 <= jobs <= max_jobs():
        raise InputError(f"--jobs {jobs}：超出范围，同时处理的进程数应在 1 到 {max_jobs()} 之间（本机 {cpu_count()} 核，"
                         "一般不必超过核数）")
    return jobs


def run(*, input: str | Path = "input", output: str | Path = "output", scheme: str | None = None,  # noqa: A002
        period: str | None = None, publicity_start: date | str | None = None, jobs: int | None = None,
        history: str | Path | None = None, dask: str | None = None, progress: bool = False,
        pdf: bool | None = None) -> pipeline.Outcome:
    """Read every returned workbook under ``input``, rate, and write everything under ``output``.
    ``pdf``: a PDF beside every Word file (default: yes, unless the environment variable
    ``PINGXING_NO_PDF`` is set; LibreOffice must be installed)."""
    with user_faults(), _runner(jobs, dask, progress) as runner:
        in_dir, in_url = _location(input)
        out_dir, out_url = _location(output)
        record, moved = store.locate(history)
        opts = pipeline.Options(in_dir, out_dir, scheme, period, _date(publicity_start, "--publicity-start"),
                                runner, in_url, out_url, record, moved)
        if pdf is not None:
            opts = dataclasses.replace(opts, pdf=pdf)
        return pipeline.run(opts)


def check(*, input: str | Path = "input", scheme: str | None = None, period: str | None = None,  # noqa: A002
          jobs: int | None = None, history: str | Path | None = None, progress: bool = False) -> pipeline.Outcome:
    """Validate the returned workbooks and rate them, writing nothing: the problems and the counts."""
    with user_faults(), _runner(jobs, None, progress) as runner, store.for_reading(history) as (record, named):
        opts = pipeline.Options(Path(input), DEFAULT_OUTPUT, scheme, period, runner=runner, history=record,
                                record_shown=str(named))
        return pipeline.check(opts)


def forms(*, scheme: str, roster: str | Path, period: str, output: str | Path = "forms",
          history: str | Path | None = None) -> list[Path]:
    """Write the blank standard workbooks for every branch (member schemes) or unit (branch schemes),
    the corrections and settings workbooks, and record the campaign (what was sent out)."""
    with user_faults():
        s = schemes.load(scheme)
        p = periods.check(period, s.period_kinds)
        members = rosters.read(Path(roster))
        return write_all(s, rosters.branches(members), p, Path(output), record_file(history))


def register(*, scheme: str, roster: str | Path, period: str, history: str | Path | None = None) -> list[str]:
    """Record a campaign whose forms were issued before (by an earlier version, or elsewhere), without
    writing workbooks; returned forms are then matched by scheme, period, unit and branch. The names
    of the workbooks recorded."""
    with user_faults():
        s = schemes.load(scheme)
        p = periods.check(period, s.period_kinds)
        members = rosters.read(Path(roster))
        branches = rosters.branches(members)
        return [path.name for path in write_all(s, branches, p, Path("."), record_file(history), write=False)]


def survey_questions(*, scheme: str, period: str, sheet: str, roster: str | Path, output: str | Path = "forms",
                     history: str | Path | None = None) -> Questions:
    """The questions of an online survey (问卷星, 腾讯问卷) of one sheet: one per member or branch of the
    roster, written as text for the platform's text import (``问卷题目-<scheme>-<period>-<sheet>.txt`` in
    ``output``) and recorded in the campaign record."""
    with user_faults():
        return write_questions(scheme, period, sheet, Path(roster), Path(output), record_file(history))


def survey_import(file: str | Path, *, scheme: str, period: str, sheet: str, output: str | Path = "input",
                  history: str | Path | None = None) -> Imported:
    """A survey platform's export (问卷星 "按选项文本"/"按选项序号", 腾讯问卷; .xlsx, .xls or .csv) turned
    into the standard workbook of ``sheet``, one per issued workbook it stands in for, written into
    ``output`` for ``run``. Answer sheets not counted (duplicates, too fast) are in ``problems``."""
    with user_faults():
        return import_export(Path(file), scheme, period, sheet, Path(output), record_file(history))


def load_scheme(scheme: str) -> schemes.Scheme:
    """A scheme by name (a file in ``schemes/``) or path, checked."""
    return schemes.load(scheme)


def describe(*, scheme: str) -> dict[str, Any]:
    """The scheme's components, sheets and columns (the ``describe --json`` shape)."""
    return schemes.load(scheme).describe()


def available_schemes() -> list[schemes.Scheme]:
    """Every scheme in ``schemes/``, loaded."""
    with user_faults():
        return [schemes.load(str(path)) for path in schemes.available()]


def import_history(file: str | Path, *, scheme: str, period: str, history: str | Path | None = None) -> int:
    """Bring a period's results kept before this tool into the record; the number of rows."""
    with user_faults():
        return import_file(Path(file), schemes.load(scheme), period, record_file(history))


def entity_history(*, scheme: str, entity: str | None = None, history: str | Path | None = None) -> list[store.Record]:
    """Every recorded period of one entity (by 编号 or name), or of everyone."""
    with user_faults():
        return store.entity_rows(record_file(history), schemes.load(scheme).name, entity)


def draw_recheck(*, scheme: str, period: str, share: Fraction | float | str = Fraction(3, 10), seed: int | None = None,
                 history: str | Path | None = None, output: str | Path = "forms") -> tuple[int, list[store.Record], Path]:
    """The superior's re-check: (the seed, the branches drawn, the re-check workbook written)."""
    with user_faults():
        s = schemes.load(scheme)
        p = periods.check(period, s.period_kinds)
        try:
            fraction = Fraction(str(share))
        except (ValueError, ZeroDivisionError):  # ("1/0" too)
            fraction = Fraction(-1)
        if not 0 < fraction <= 1:
            raise InputError(f"--share {share}：抽取比例应大于 0、不超过 1，如 0.3")
        used, drawn = recheck.draw(s, p, record_file(history), fraction, seed)
        return used, drawn, recheck.write_workbook(s, p, used, fraction, drawn, Path(output))


def explain(*, scheme: str, period: str, entity: str, output: str | Path | None = None,
            history: str | Path | None = None) -> list[Path]:
    """Write 评定计算明细 of one rated entity (编号, or a name only one entity has) — ``.docx`` and ``.html``,
    one page, to answer an objection — from what ``run`` kept in the record; never a ballot. The two
    files written (into ``output``, default ``output/<scheme>/<period>/计算明细/``)."""
    with user_faults():
        name, kinds = _named(scheme)
        p = periods.check(period, kinds)
        record = record_file(history)
        found = explanation(record, name, p, entity.strip())
        rated = schemes.parse(found.period.scheme_text, f"{record}（{name} {p} 评定时的方案）")
        ctx = explain_context(rated, p, found.record, json.loads(found.facts), json.loads(found.period.notices))
        folder = Path(output) if output else DEFAULT_OUTPUT / name / p / EXPLAIN_FOLDER
        return write_explanation(ctx, folder, templates_dir())


def _named(scheme: str) -> tuple[str, list[str]]:
    """A scheme's name and period kinds; a name whose file is gone or broken now is taken as it is (the
    record keeps the scheme as it was rated)."""
    try:
        s = schemes.load(scheme)
        return s.name, s.period_kinds
    except UserError:
        if not schemes.plain_name(scheme):  # a file's path (or no name at all): its own words
            raise
        return scheme, list(PERIOD_KINDS)


def results(folder: str | Path) -> pd.DataFrame:
    """A ``results.csv`` (the file, or the ``<scheme>/<period>`` folder holding it) as a DataFrame:
    every column as text, ``score`` as published (exact Decimals), ``stars`` and ``prev_stars`` as
    nullable integers."""
    import pandas as pd

    path = Path(folder)
    path = path / "results.csv" if path.is_dir() else path
    if not path.is_file():
        raise InputError(f"{path}: 找不到 results.csv，请给出 run 写出的 <方案>/<周期> 文件夹")
    with user_faults():
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")
    return _typed(frame, ["score"], ["stars", "prev_stars"])


def history(path: str | Path | None = None, *, scheme: str | None = None) -> pd.DataFrame:
    """Every recorded period (of one scheme, or of all) as one DataFrame, for year-over-year analysis."""
    import pandas as pd

    record = record_file(path)
    with user_faults():
        rows = store.all_rows(record, schemes.load(scheme).name if scheme else None)
    columns = list(store.Record.__dataclass_fields__)
    frame = pd.DataFrame({c: pd.Series([getattr(r, c) for r in rows], dtype=object) for c in columns})
    return _typed(frame, ["score"], ["stars"])


def _typed(frame: pd.DataFrame, exact: list[str], whole: list[str]) -> pd.DataFrame:
    import pandas as pd

    def blank(v: Any) -> bool:
        return v is None or v == "" or (isinstance(v, float) and v != v)

    for c in exact:
        if c in frame:
            frame[c] = pd.Series([None if blank(v) else Decimal(str(v)) for v in frame[c]], dtype=object)
    for c in whole:
        if c in frame:
            frame[c] = pd.array([None if blank(v) else int(v) for v in frame[c]], dtype="Int64")
    return frame


def record_file(path: str | Path | None = None) -> Path:
    """The campaign record's file: ``path``, else the default in the working folder."""
    return store.locate(path)[0]
