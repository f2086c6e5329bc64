"""PDF beside every Word file: each notice, 公示汇编, the internal document, the 情况汇总.

Made by LibreOffice's own converter (``soffice --headless --convert-to pdf``), with the fonts the
document names embedded (CJK included). Starting LibreOffice costs about a second and each
document it opens some 60 ms more, so the notices are not converted one by one:

* consecutive notices of one template are joined in **batches** of :data:`BATCH` (each a section
  of its own, numbered from 1, with a named destination at its start: :func:`join`), so that
  LibreOffice opens one document per batch;
* the batches go to LibreOffice **while the run goes on** (:class:`PdfStep`) where the machine has
  processors the workers leave free: as soon as a few batches of notices have been rendered, one
  ``soffice`` process converts them all, beside the workers still rendering — at most one process
  per worker at a time, each with a profile of its own (``-env:UserInstallation``, kept for the
  run) — and the rest when the last notice is written (where the workers take every processor, all
  of them then, one process per worker);
* each notice's pages are then taken out of its batch's PDF (:mod:`.pdffile`) — the same pages,
  numbered from ``— 1 —`` as when the notice is converted alone — as soon as LibreOffice has moved
  on to the next batch (beside the conversion, not all once the process ends), and 公示汇编.pdf is
  the batches' pages one after another.

LibreOffice inserts a blank page to keep a section numbered from 1 on a right-hand page; the
export leaves those out (``IsSkipEmptyPages``), as printing does. On Linux, LibreOffice gets
``templates/fonts.conf`` (which installed fonts stand in for 仿宋, 小标宋, 黑体) unless the user
set ``FONTCONFIG_FILE``. A batch LibreOffice cannot convert, or whose PDF is not shaped as
expected, is converted notice by notice instead; what still fails is reported (``pdf-failed``).
Same documents, same bytes: the batches depend only on the notices (never on timing or the number
of workers) and the PDFs are rewritten without dates or counters (:mod:`.pdffile`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pingxing.places import shipped
from pingxing.publish.joining import around_body, end_section, inside_body, mark_start, restarting, section_of
from pingxing.publish.pdffile import PdfFile, PdfShapeError, pdf_text, write_pages
from pingxing.publish.stable import stable_zip

__all__ = ["BATCH", "Batch", "Converted", "PdfStep", "find_converter", "join"]

#: notices joined in one document for LibreOffice (fewer documents: faster; more: larger fonts per PDF;
#: 50: LibreOffice spends ~10 ms a notice, and the last batches share out evenly among the processes)
BATCH = 50
#: the filter: Word documents to PDF, without the blank pages LibreOffice inserts between sections
FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"true"},' \
         '"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
_MARK = "pingxing{:04d}"  # (letters and digits: LibreOffice rewrites other characters in names)
_WINDOWS = (r"C:\Program Files\LibreOffice\program\soffice.exe",
            r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_MAC = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def find_converter() -> str | None:
    """LibreOffice's ``soffice``: ``PINGXING_SOFFICE`` when set (empty: none; a folder or a file that
    cannot be run: none either), else on the PATH or where the installer puts it; None when there is none."""
    named = os.environ.get("PINGXING_SOFFICE")
    if named is not None:
        return named if named and Path(named).is_file() and os.access(named, os.X_OK) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in (*_WINDOWS, _MAC):
        if Path(path).is_file():
            return path
    return None


@dataclass(frozen=True)
class Batch:
    """Documents LibreOffice converts as one: several notices of one template joined (``joined``),
    or one document as it is. ``pdfs``: where each document's PDF goes; ``keep``: where the whole
    batch's PDF is kept for 公示汇编.pdf (or "")."""

    docx: tuple[str, ...]
    pdfs: tuple[str, ...]
    titles: tuple[str, ...]
    joined: bool
    keep: str = ""
    index: int = 0  # its place among the period's batches


@dataclass(frozen=True)
class Converted:
    """What became of a batch: each document's page count (0: no PDF) and why, when it failed."""

    pages: tuple[int, ...]
    failed: tuple[tuple[str, str], ...] = ()  # (docx file name, LibreOffice's words)


@dataclass
class _Launch:
    process: subprocess.Popen[bytes]
    batches: list[tuple[Batch, Path]]  # each batch and the document LibreOffice converts
    out: Path
    slot: int
    log: IO[bytes]
    started: float
    collected: int = 0  # its first batches already split (:meth:`PdfStep._split_ready`)
    deferred: bool = False  # a batch did not read right while it ran: the rest once it has ended


class PdfStep:
    """The PDFs of one period's folder, made while it is written::

        with PdfStep(soffice, scratch, slots) as step:
            step.add(docx, pdf, title, template, compiled=True)   # each notice, in order, once written
            …
            step.add(internal_docx, …)                            # then the other Word files
            results = step.finish()

    ``compiled``: the notice is part of 公示汇编 (its batch's whole PDF is kept for
    :meth:`merge`). Batches are made as the notices come; a LibreOffice process is started for the
    batches waiting once there are ``launch_at`` of them (by default :func:`_launch_at`: 300 notices
    where processors are free, a process costing about a second to start) and a slot is free
    (``slots``: at most that many processes at a time); :meth:`finish` shares the rest out among the
    slots as they free. Each batch is split into its notices' PDFs once LibreOffice has moved on to
    the next (:meth:`_split_ready`), the rest as each process ends, whichever ends first."""

    def __init__(self, soffice: str, scratch: Path, slots: int, launch_at: int | None = None) -> None:
        self.soffice, self.scratch, self.slots = soffice, scratch, max(1, slots)
        self.launch_at = _launch_at(self.slots) if launch_at is None else launch_at
        self._run: list[tuple[str, str, str, str, bool]] = []
        self._pending: list[tuple[Batch, Path]] = []
        self._running: list[_Launch] = []
        self._done: list[tuple[Batch, Converted]] = []
        self._kept: dict[int, PdfFile] = {}  # batch index → its PDF as read (its fonts cleaned once)
        self._count = 0
        self._launches = 0
        self.busy = 0.0  # seconds LibreOffice processes ran, all together (for the bench)

    def __enter__(self) -> PdfStep:
        self.scratch.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        for launch in self._running:  # (an error elsewhere: nothing is left running)
            launch.process.kill()
            launch.process.wait()
            launch.log.close()
        self._running.clear()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def add(self, docx: str, pdf: str, title: str, template: str, compiled: bool = False) -> None:
        """The next Word file (written already). Notices of one template, in a row, share batches."""
        if self._run and (template != self._run[-1][3] or compiled != self._run[-1][4] or len(self._run) >= BATCH):
            self._seal()
        self._run.append((docx, pdf, title, template, compiled))
        self._step()
        if len(self._pending) >= self.launch_at:
            self._launch(len(self._pending))

    def finish(self) -> list[tuple[Batch, Converted]]:
        """Every batch converted (in the order of the documents): what became of each."""
        self._seal()
        share = -(-len(self._pending) // self.slots)  # the rest shared out among the slots, as they free
        while self._pending or self._running:
            if self._pending and len(self._running) < self.slots:
                self._launch(share)
            elif not self._step():
                time.sleep(0.02)
        return sorted(self._done, key=lambda item: item[0].index)

    def merge(self, target: Path, title: str) -> int:
        """公示汇编.pdf from the kept batches, in order; the page count (0: none kept). A batch
        converted whole is still in memory, its fonts already cleaned for its notices' PDFs."""
        parts = []
        for batch, _ in sorted(self._done, key=lambda item: item[0].index):
            pdf = self._kept.get(batch.index)
            if pdf is None and batch.keep and Path(batch.keep).is_file():  # (converted notice by notice)
                pdf = PdfFile.read(Path(batch.keep))
            if pdf is not None:
                parts.append((pdf, range(len(pdf.pages))))
        return write_pages(target, parts, pdf_text(title)) if parts else 0

    def _seal(self) -> None:
        if not self._run:
            return
        run, self._run = self._run, []
        index = self._count
        self._count += 1
        keep = str(self.scratch / f"kept-{index:04d}.pdf") if run[0][4] else ""
        batch = Batch(tuple(r[0] for r in run), tuple(r[1] for r in run), tuple(r[2] for r in run), len(run) > 1,
                      keep, index)
        source = self.scratch / f"b{index:04d}.docx"
        if batch.joined:
            source.write_bytes(join([Path(p) for p in batch.docx]))
        else:
            shutil.copyfile(batch.docx[0], source)
        self._pending.append((batch, source))

    def _launch(self, count: int) -> None:
        """A LibreOffice process for the next ``count`` waiting batches, when a slot is free."""
        used = {launch.slot for launch in self._running}
        slot = next((k for k in range(self.slots) if k not in used), None)
        if slot is None:
            return
        batches, self._pending = self._pending[:count], self._pending[count:]
        self._launches += 1
        out = self.scratch / f"out-{self._launches:03d}"
        log = (self.scratch / f"{out.name}.log").open("wb")
        try:
            process = subprocess.Popen(_command(self.soffice, [src for _, src in batches], out,
                                                self.scratch / f"profile-{slot}"),
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=_environment())
        except OSError as exc:  # LibreOffice would not start: as a batch it would not convert (pdf-failed, said why)
            log.close()
            for batch, _ in batches:
                again = self.scratch / f"again-{batch.index:04d}"
                self._done.append((batch, _one_by_one(self.soffice, batch, again, f"{type(exc).__name__}: {exc}")))
            return
        self._running.append(_Launch(process, batches, out, slot, log, time.perf_counter()))

    def _step(self) -> bool:
        """What LibreOffice has done so far taken in: the launches that ended collected, each
        batch a running process has finished split; a process past its time stopped. False when
        there was nothing to take (wait a moment)."""
        took = False
        for launch in list(self._running):
            if launch.process.poll() is None and time.perf_counter() - launch.started > _allowed(launch):
                launch.process.kill()  # (its batches then converted one by one, or reported)
                launch.process.wait()
            if launch.process.poll() is not None:
                self._collect(launch)
                took = True
            else:
                took = self._split_ready(launch) or took
        return took

    def _split_ready(self, launch: _Launch) -> bool:
        """The batches of a running process that LibreOffice has finished, split now (beside the
        conversion of the next) rather than all once it ends: a batch is finished once the next
        one's PDF has appeared (LibreOffice converts the documents it is given one after another).
        A batch that does not read right yet is left for when the process has ended."""
        took = False
        while not launch.deferred and launch.collected + 1 < len(launch.batches):
            batch, source = launch.batches[launch.collected]
            if not (launch.out / f"{launch.batches[launch.collected + 1][1].stem}.pdf").exists():
                break
            try:
                self._store(batch, *_split(batch, launch.out / f"{source.stem}.pdf"))
            except (OSError, PdfShapeError):
                launch.deferred = True
                break
            launch.collected += 1
            took = True
        return took

    def _collect(self, launch: _Launch) -> None:
        """A process that has ended: its batches not split yet, split (or converted one by one)."""
        self._running.remove(launch)
        self.busy += time.perf_counter() - launch.started
        launch.log.close()
        words = _last_words(Path(launch.log.name), launch.process.returncode)
        for batch, source in launch.batches[launch.collected:]:
            try:
                self._store(batch, *_split(batch, launch.out / f"{source.stem}.pdf"))
            except (OSError, PdfShapeError):
                again = _one_by_one(self.soffice, batch, self.scratch / f"again-{batch.index:04d}", words)
                self._done.append((batch, again))

    def _store(self, batch: Batch, converted: Converted, whole: PdfFile) -> None:
        if batch.keep:
            self._kept[batch.index] = whole
        self._done.append((batch, converted))


def _allowed(launch: _Launch) -> float:
    """Seconds a LibreOffice process may take for its batches before it is stopped."""
    return 120.0 + 10 * len(launch.batches)


def _launch_at(slots: int) -> int:
    """How many batches wait before a LibreOffice process starts while the notices are still being
    rendered: 6 (300 notices) where the machine has processors beside the workers; where the workers
    take every processor, none — LibreOffice would only slow the workers down, and each process it
    starts costs a second more (at 830 branches on 2 processors: 2.0× the run without PDFs, 2.1×
    started early)."""
    return 6 if (os.cpu_count() or 1) > slots else sys.maxsize


def join(paths: Sequence[Path]) -> bytes:
    """Notices rendered from one template in one Word document: each in a section of its own
    numbered from 1, with a named destination (``pingxing0001`` …) where it starts."""
    main = "word/document.xml"
    with zipfile.ZipFile(paths[0]) as zf:
        members = [(name, zf.read(name)) for name in zf.namelist()]
    first = dict(members)[main]
    document = first.decode("utf-8")
    own = section_of(document)  # the body's own section properties: every notice's section break
    ending = restarting(own)
    bodies = []
    for k, path in enumerate(paths):
        if k:
            with zipfile.ZipFile(path) as zf:
                body = inside_body(zf.read(main).decode("utf-8"))
        else:  # (the first notice's package, read above)
            body = inside_body(document)
        body = mark_start(body, _MARK.format(k + 1), 900000 + k)
        bodies.append(end_section(body, ending) if k < len(paths) - 1 else body)
    head = around_body(first)[0]
    tail = document[document.rindex(own):] if own else "</w:body></w:document>"
    joined = head + "".join(bodies).encode("utf-8") + tail.replace(own, ending, 1).encode("utf-8")
    return stable_zip((name, joined if name == main else data) for name, data in members)


def _split(batch: Batch, made: Path) -> tuple[Converted, PdfFile]:
    """Each document's pages out of the batch's PDF (rewritten: no dates, no counters); the batch's
    PDF as read."""
    pdf = PdfFile.read(made)
    if batch.joined:
        ranges = pdf.page_ranges([_MARK.format(k + 1) for k in range(len(batch.docx))])
    else:
        ranges = [range(len(pdf.pages))]
    for target, title, pages in zip(batch.pdfs, batch.titles, ranges, strict=True):
        write_pages(Path(target), [(pdf, pages)], pdf_text(title))
    return Converted(tuple(len(r) for r in ranges)), pdf


def _one_by_one(soffice: str, batch: Batch, scratch: Path, words: str) -> Converted:
    """A batch LibreOffice would not convert whole: each document on its own."""
    scratch.mkdir(parents=True, exist_ok=True)
    inputs = []
    for k, doc in enumerate(batch.docx):
        inputs.append(scratch / f"d{k:04d}.docx")
        shutil.copyfile(doc, inputs[-1])
    words = _soffice(soffice, inputs, scratch / "out", scratch / "profile") or words
    pages, failed, parts = [], [], []
    for k, (doc, target, title) in enumerate(zip(batch.docx, batch.pdfs, batch.titles, strict=True)):
        made = scratch / "out" / f"d{k:04d}.pdf"
        try:
            pdf = PdfFile.read(made)
        except (OSError, PdfShapeError) as exc:
            pages.append(0)
            failed.append((Path(doc).name, words or str(exc)))
            continue
        pages.append(write_pages(Path(target), [(pdf, range(len(pdf.pages)))], pdf_text(title)))
        parts.append((pdf, range(len(pdf.pages))))
    if batch.keep and parts:
        write_pages(Path(batch.keep), parts)
    return Converted(tuple(pages), tuple(failed))


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    fonts = shipped("templates") / "fonts.conf"
    if sys.platform not in ("win32", "darwin") and "FONTCONFIG_FILE" not in env and fonts.is_file():
        env["FONTCONFIG_FILE"] = str(fonts)
    return env


def _command(soffice: str, inputs: Sequence[Path], out: Path, profile: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    return [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", FILTER, "--outdir", str(out), *map(str, inputs)]


def _last_words(log: Path, code: int | None) -> str:
    """What LibreOffice said last when it failed ("" when it did not)."""
    if not code:
        return ""
    try:
        said = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        said = ""
    return _last_line(said, code)


def _last_line(said: str, code: int) -> str:
    """The last line LibreOffice wrote, or its exit code when it wrote nothing."""
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    return lines[-1] if lines else f"exit {code}"


def _soffice(soffice: str, inputs: Sequence[Path], out: Path, profile: Path) -> str:
    """Run LibreOffice once over ``inputs``; what it said when it failed ("" when it did not)."""
    try:
        done = subprocess.run(_command(soffice, inputs, out, profile), capture_output=True, text=True,
                              timeout=120 + 10 * len(inputs), env=_environment(), check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{type(exc).__name__}: {exc}"
    return _last_line(done.stderr or done.stdout, done.returncode) if done.returncode else ""
