"""Render many notices on many workers; each worker compiles the templates once.

:func:`render_notice` is a pure function of a picklable :class:`NoticeJob` and returns the
finished files' bytes; :func:`render_all` writes them as they come back, in the order of
the notices, so no more than a few rendered documents are in memory at a time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..parallel import SERIAL, Runner
from .notices import NoticeRenderer


@dataclass(frozen=True)
class NoticeJob:
    template_dir: str
    stem: str  # file name without extension
    ctx: dict[str, Any]


@functools.lru_cache(maxsize=8)
def renderer_for(template_dir: str) -> NoticeRenderer:
    """One renderer per process and template folder: templates are parsed once per worker."""
    return NoticeRenderer(template_dir)


def render_notice(job: NoticeJob) -> tuple[str, bytes, bytes]:
    renderer = renderer_for(job.template_dir)
    return job.stem, renderer.docx_bytes(job.ctx), renderer.html_text(job.ctx).encode("utf-8")


def render_all(jobs: Iterable[NoticeJob], folder: Path, runner: Runner | None = None) -> list[Path]:
    """Render every notice to ``folder/<stem>.docx`` and ``.html``; the paths written, in order."""
    written: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    for stem, docx, html in (runner or SERIAL).map(render_notice, list(jobs), "生成公示"):
        for path, data in ((folder / f"{stem}.docx", docx), (folder / f"{stem}.html", html)):
            path.write_bytes(data)
            written.append(path)
    return written
