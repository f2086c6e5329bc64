"""Render many notices on many workers; each worker compiles the templates once.

:func:`render_notice` is a pure function of a picklable :class:`NoticeJob`: it writes the
files into ``job.folder`` (a local worker) or returns their bytes (a Dask worker);
the pipeline hands them out as its shards are rated (``Runner.imap``) and the period's folder
(:class:`.folder.PeriodFolder`) writes what comes back, in the order of the notices.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pingxing.publish.notices import NoticeRenderer


@dataclass(frozen=True)
class NoticeJob:
    template_dir: str
    stem: str  # file name without extension
    ctx: dict[str, Any]
    folder: str | None = None  # a local folder: the worker writes the files there itself


@functools.lru_cache(maxsize=8)
def renderer_for(template_dir: str) -> NoticeRenderer:
    """One renderer per process and template folder: templates are parsed once per worker."""
    return NoticeRenderer(template_dir)


def render_notice(job: NoticeJob) -> tuple[str, bytes | None, bytes | None]:
    """The notice's .docx and .html; with ``job.folder``, written there (and None, None returned)."""
    renderer = renderer_for(job.template_dir)
    docx, text = renderer.both(job.ctx)
    html = text.encode("utf-8")
    if job.folder is None:
        return job.stem, docx, html
    folder = Path(job.folder)
    (folder / f"{job.stem}.docx").write_bytes(docx)
    (folder / f"{job.stem}.html").write_bytes(html)
    return job.stem, None, None

