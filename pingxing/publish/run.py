"""Publish a whole assessment: one folder per (scheme, period), then the run's problem list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..pipeline import Assessment, Options
from ..problems import sort_key
from .bundle import write_group
from .tables import write_problems_csv


def publish(assessment: Assessment, opts: Options) -> list[Path]:
    options = {
        "input": str(opts.input_dir), "output": str(opts.output_dir),
        "scheme": opts.scheme, "period": opts.period,
        "publicity_start": opts.publicity_start.isoformat() if opts.publicity_start else None,
    }
    start = opts.publicity_start or date.today()
    opts.output_dir.mkdir(parents=True, exist_ok=True)
    written = [write_group(g, assessment.records, opts.output_dir, options, start) for g in assessment.groups]
    every = {p for g in assessment.groups for p in g.problems} | set(assessment.problems)
    assessment.problems = sorted(every, key=sort_key)
    tmp = opts.output_dir / ".problems.csv.tmp"
    write_problems_csv(tmp, assessment.problems)
    tmp.replace(opts.output_dir / "problems.csv")
    return written
