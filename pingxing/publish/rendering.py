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
    docx, html = renderer.docx_bytes(job.ctx), renderer.html_text(job.ctx).encode("utf-8")
    if job.folder is None:
        return job.stem, docx, html
    folder = Path(job.folder)
    (folder / f"{job.stem}.docx").write_bytes(docx)
    (folder / f"{job.stem}.html").write_bytes(html)
    return job.stem, None, None


def check_templates(template_dir: str | Path) -> None:
    """Render a made-up 公示, 通报 and internal document, and the report, with every template of
    ``template_dir``: a field a clerk mistyped stops the run before anything is read or written
    (a :class:`~pingxing.errors.TemplateError` naming the file and the field)."""
    from pingxing.publish.report import render_report, report_context
    from pingxing.publish.samples import sample_contexts, sample_group

    renderer = NoticeRenderer(template_dir)
    for ctx in sample_contexts():
        renderer.docx_bytes(ctx)
        renderer.html_text(ctx)
    render_report(report_context(sample_group()), template_dir)
