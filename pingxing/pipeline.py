"""The whole job: read forms → validate → aggregate → rate → publish.

:func:`assess` does everything but writing (``check`` uses it); :func:`run` publishes
each (scheme, period) found in the input under ``<output>/<scheme>/<period>/``.
Problems are collected through the whole run, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import periods, schemes
from .aggregate import combine
from .errors import UserError
from .intake import FileRecord, iter_forms
from .problems import Problem, sort_key
from .rate import Rating, rate
from .schemes import Scheme
from .validate import FormData, form_key, validate


@dataclass(frozen=True)
class Options:
    input_dir: Path = Path("input")
    output_dir: Path = Path("output")
    scheme: str | None = None
    period: str | None = None
    publicity_start: date | None = None


@dataclass
class Group:
    """One (scheme, period) found in the input, rated."""

    scheme: Scheme
    period: str
    forms: list[FormData]
    ratings: list[Rating] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def files(self) -> set[str]:
        return {f.file for f in self.forms}


@dataclass
class Assessment:
    groups: list[Group]
    records: list[FileRecord]
    problems: list[Problem]  # every problem of the run, sorted

    @property
    def exit_code(self) -> int:
        incomplete = any(r.status == "incomplete" for g in self.groups for r in g.ratings)
        errors = any(p.severity == "error" for p in self.problems)
        return 3 if incomplete or errors else 0


def assess(opts: Options) -> Assessment:
    if not opts.input_dir.is_dir():
        raise UserError(f"{opts.input_dir}: 找不到输入文件夹，请把收回的表格放进该文件夹，或用 --input 指定")
    override_scheme = schemes.load(opts.scheme) if opts.scheme else None
    override_period = periods.check(opts.period, override_scheme.period) if opts.period and override_scheme else opts.period
    records: list[FileRecord] = []
    problems: list[Problem] = []
    loaded: dict[str, Scheme | None] = {}
    by_key: dict[tuple[str, str], list[FormData]] = {}
    for form in iter_forms(opts.input_dir, records, problems):
        name, period = form_key(form, override_scheme.name if override_scheme else None, override_period)
        if not name or not period:
            problems.append(form.problem(
                "no-meta", "无法确定这份表格属于哪个方案和周期（没有 _meta 隐藏工作表）；"
                "请使用下发的标准表格，或运行时加上 --scheme 和 --period"))
            continue
        if opts.period and form.meta.get("period") and form.meta["period"] != override_period:
            problems.append(form.problem(
                "wrong-period", f"表格属于“{form.meta['period']}”期，与本次指定的 {override_period} 不符，未计入；"
                "请确认是否交错了表格", sheet="_meta", value=form.meta["period"]))
            continue
        if name not in loaded:
            try:
                loaded[name] = override_scheme if override_scheme and override_scheme.name == name else schemes.load(name)
            except UserError:
                loaded[name] = None
        scheme = loaded[name]
        if scheme is None:
            problems.append(form.problem(
                "unknown-scheme", f"表格注明的评星方案“{name}”不存在，未计入；请确认是否为本单位下发的表格",
                sheet="_meta", value=name))
            continue
        data = validate(form, scheme, period, problems)
        if data is not None:
            by_key.setdefault((scheme.name, period), []).append(data)
    if not records:
        raise UserError(f"{opts.input_dir}: 文件夹中没有任何文件，请把收回的表格放进去后再运行")
    groups = []
    for (name, period), forms in sorted(by_key.items()):
        scheme = loaded[name]
        assert scheme is not None
        group_problems: list[Problem] = []
        entities = combine(scheme, forms, group_problems)
        groups.append(Group(scheme, period, forms, rate(scheme, entities), group_problems))
        problems.extend(group_problems)
    claimed = {f for g in groups for f in g.files}
    for g in groups:  # per-file problems go to the group of their file; unplaced ones to every group
        g.problems = sorted(
            {p for p in problems if p.file in g.files or p.file not in claimed}, key=sort_key
        )
    return Assessment(groups, records, sorted(problems, key=sort_key))
