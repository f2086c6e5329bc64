"""Render many notices on many workers; each worker compiles the templates once.

:func:`render_notice` is a pure function of a picklable :class:`NoticeJob` and returns the
finished files' bytes; :func:`render_all` writes them as they come back, in the order of
the notices, so no more than a few rendered documents are in memory at a time.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
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


def render_all(jobs: Iterable[NoticeJob], folder: Path, runner: Runner | None = None) -> list[Path]:
    """Render every notice to ``folder/<stem>.docx`` and ``.html``; the paths written, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    return _write_all((runner or SERIAL).map(render_notice, list(jobs), "生成公示"), folder)


def render_all_started(jobs: Iterable[NoticeJob], folder: Path, runner: Runner | None = None) -> Future[list[Path]]:
    """:func:`render_all`, started now: the workers render (and a thread of this process writes
    the files as they come back) while the caller goes on — with the results tables, say.
    ``.result()`` waits and gives the paths. With one worker it all happens in ``.result()``."""
    runner = runner or SERIAL
    jobs = list(jobs)
    folder.mkdir(parents=True, exist_ok=True)
    if not runner.dask and min(runner.workers, len(jobs)) <= 1:
        later: Future[list[Path]] = Future()
        later.result = lambda timeout=None: render_all(jobs, folder, runner)  # type: ignore[method-assign]
        return later
    if not runner.dask:  # the workers see this folder: each writes its notices (nothing sent back)
        jobs = [dataclasses.replace(job, folder=str(folder)) for job in jobs]
    results = runner.start(render_notice, jobs, "生成公示")  # handed out now, from this thread
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notices")
    done = writer.submit(_write_all, results, folder)
    writer.shutdown(wait=False)
    return done


def _write_all(results: Iterable[tuple[str, bytes | None, bytes | None]], folder: Path) -> list[Path]:
    written: list[Path] = []
    for stem, docx, html in results:
        for path, data in ((folder / f"{stem}.docx", docx), (folder / f"{stem}.html", html)):
            if data is not None:
                path.write_bytes(data)
            written.append(path)
    return written
