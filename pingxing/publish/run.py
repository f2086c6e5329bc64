"""Publish a whole assessment: one folder per (scheme, period), then the run's problem list."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from .. import history
from ..parallel import batch_gc
from ..pipeline import Assessment, Options
from ..storage import upload
from .bundle import write_group
from .tables import write_problems_csv


@batch_gc()
def publish(assessment: Assessment, opts: Options) -> list[Path | str]:
    """Write every group's folder under ``opts.output_dir`` (or build them in a temporary
    folder and copy them to ``opts.output_url``); returns the folders written."""
    options = {
        "input": opts.input_url or str(opts.input_dir), "output": opts.output_url or str(opts.output_dir),
        "scheme": opts.scheme, "period": opts.period,
        "publicity_start": opts.publicity_start.isoformat() if opts.publicity_start else None,
    }
    if not opts.output_url:
        return list(_publish_to(assessment, opts, opts.output_dir, options))
    with tempfile.TemporaryDirectory(prefix="pingxing-out-") as tmp:
        written = _publish_to(assessment, opts, Path(tmp), options)
        upload(Path(tmp), opts.output_url)
        root = opts.output_url.rstrip("/")
        return [f"{root}/{p.relative_to(tmp).as_posix()}" for p in written]


def _publish_to(assessment: Assessment, opts: Options, output_dir: Path, options: dict[str, Any]) -> list[Path]:
    start = opts.publicity_start or date.today()
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for group in assessment.groups:
        done = write_group(group, assessment.records, output_dir, options, start, opts.runner, assessment.timings)
        try:  # the history remembers what was published
            manifest = hashlib.sha256((done.folder / "manifest.json").read_bytes()).hexdigest()
            history.replace_period(opts.history_path, group.scheme.name, group.period, done.records,
                                   group.adjustments, manifest)
        finally:
            done.records.close()
        written.append(done.folder)
    assessment.gather()
    tmp = output_dir / ".problems.csv.tmp"
    write_problems_csv(tmp, assessment.problems)
    tmp.replace(output_dir / "problems.csv")
    return written
