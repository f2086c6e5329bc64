"""公示汇编.docx: every notice of a run in one Word file, each starting on a new page.

For printing everything at once. Each notice is a section of its own whose pages are numbered from
``— 1 —`` again, so that every notice printed from it reads as it does alone (and 公示汇编.pdf is
the notices' own pages, :mod:`.pdf`); the first notice's page setup, header and footers serve
every section (:mod:`.joining`). Byte-identical for the same notices: fixed core properties, fixed
zip timestamps, a seeded numbering id.

A run writes it with :class:`CompilationWriter`, one notice context at a time as the notices are
produced; memory stays flat in their number (no context, no rendered body and no tree of the
whole document is kept):

* Notices from the first notice's Word template (the 公示) are rendered by that template's own
  compiled machinery (:class:`.notices._CompiledDocx`: the docxtpl-patched body as Jinja, docxtpl's
  post-processing, its ``fix_tables`` when the template's tables can change shape). What lies
  between ``<w:body>`` and the template's ``w:sectPr`` goes to a nameless temporary file beside the
  output, each notice but the last ending in a section break (the template's section properties,
  page numbers from 1); one notice is held back until the next arrives to know that.
* A notice from another template (the 通报, ``announcement.docx``, its own styles) is joined by
  docxcompose, never by splicing XML by hand: rendered whole and appended to a *stand-in* master,
  the first notice's package with nothing in its body but the section properties. docxcompose
  merges styles, numbering, relationships and parts into the stand-in; the appended body XML goes
  to the temporary file and out of the stand-in again, which so stays one empty page.
* :meth:`CompilationWriter.close` saves the stand-in (every part but the body) and zips it member by
  member; ``word/document.xml`` is the stand-in's document element around the streamed bodies,
  copied in in chunks. Drawing and bookmark ids are numbered through as the bodies stream by (what
  docxcompose's ``renumber_*`` do over a tree).

:func:`render_compilation` is the writer over a list of contexts, as bytes. :func:`compile_notices`
(from :mod:`.composing`, with docxcompose's set-up) joins finished ``.docx`` files instead;
:func:`write_compilation` writes either.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import docx
from docx.document import Document
from lxml import etree

from pingxing.publish.composing import compile_notices, composing, empty_body, linear, restart_numbering, save_fixed
from pingxing.publish.docxtables import fit_tree
from pingxing.publish.joining import around_body, end_section, inside_body, restarting, section_of
from pingxing.publish.notices import CompiledDocx, prepared_context, tables_to_fix, template_errors
from pingxing.publish.rendering import renderer_for
from pingxing.publish.stable import ZIP_TIME, rezip

__all__ = ["COMPILATION_NAME", "COMPILATION_PDF", "CompilationJob", "CompilationWriter", "compile_notices", "render_compilation",
           "write_compilation"]

COMPILATION_NAME = "公示汇编.docx"
COMPILATION_PDF = "公示汇编.pdf"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class CompilationWriter:
    """公示汇编.docx written as the notices come (see the module docstring)::

        with CompilationWriter(stage / COMPILATION_NAME, template_dir) as w:
            for ctx in contexts:
                w.add(ctx)
        written = w.close()  # [path], or [] when no notice was added (and no file written)

    On an exception inside the ``with`` block (or :meth:`discard`) nothing is left at ``path``.
    """

    def __init__(self, path: Path, template_dir: str | Path, title: str = "公示汇编") -> None:
        self.path = Path(path)
        self.title = title
        self._renderer = renderer_for(str(template_dir))
        self._master: Path | None = None  # the first notice's template: its notices are streamed
        self._reshapes = False  # whether its tables can change shape (docxtpl's fix_tables then)
        self._stand_in: Document | None = None  # the first notice's package, body emptied
        self._composer: Any = None  # docxcompose, appending other templates' notices to the stand-in
        self._random: Any = None  # docxcompose's random state between appends
        self._body: IO[bytes] | None = None  # the streamed body XML (a nameless temporary file)
        self._ids = _Ids()
        self._count = 0
        self._result: list[Path] | None = None
        self._held = ""  # the last notice's body, written once it is known whether another follows
        self._break = ""  # the section break that ends a notice (the master's section, numbered from 1)

    def __enter__(self) -> CompilationWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.discard()

    def add(self, ctx: dict[str, Any]) -> None:
        """The next notice: rendered now, its body XML written out; nothing of it is kept."""
        if self._result is not None:
            raise ValueError(f"{self.path.name}: the compilation is already closed")
        template = self._renderer._path(ctx, ".docx")
        compiled = self._renderer._docx(template)
        clean = prepared_context(ctx)
        if self._master is None:
            self._start(template, compiled, clean)
        if template == self._master:
            xml = _body_xml(compiled, clean, self._reshapes)
        else:
            xml = self._composed(compiled, clean)
        assert self._body is not None
        if self._count:  # the notice before ends in a section break: this one starts a page, numbered 1
            self._body.write(self._ids.renumber(end_section(self._held, self._break)).encode("utf-8"))
        self._held = xml
        self._count += 1

    def close(self) -> list[Path]:
        """Write ``path`` (``[path]``), or nothing when no notice was added (``[]``)."""
        if self._result is not None:
            return self._result
        if self._stand_in is None or self._body is None:
            self._result = []
            return self._result
        self._body.write(self._ids.renumber(self._held).encode("utf-8"))
        self._held = ""
        partial = self.path.with_name(f".{self.path.name}.part")
        try:
            _write_docx(partial, self._package(), str(self._stand_in.part.partname).lstrip("/"), self._body)
            os.replace(partial, self.path)
        finally:
            partial.unlink(missing_ok=True)
            self.discard()
        self._result = [self.path]
        return self._result

    def discard(self) -> None:
        """Give up: the streamed bodies are dropped, nothing is written."""
        if self._body is not None:
            self._body.close()
        self._body = self._stand_in = self._composer = None
        if self._result is None:
            self._result = []

    def _start(self, template: Path, compiled: CompiledDocx, ctx: dict[str, Any]) -> None:
        """The first notice: its template is the master; the stand-in is its rendered package."""
        self._stand_in = docx.Document(io.BytesIO(compiled.render(ctx)))
        empty_body(self._stand_in)
        restart_numbering(self._stand_in)
        self._break = restarting(section_of(etree.tostring(self._stand_in.element.body, encoding="unicode")))
        self._master, self._reshapes = template, _reshapes_tables(compiled)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._body = tempfile.TemporaryFile(dir=self.path.parent, prefix=".compilation-")  # beside: not in RAM

    def _composed(self, compiled: CompiledDocx, ctx: dict[str, Any]) -> str:
        """A notice from another template, appended by docxcompose to the stand-in: its body XML."""
        doc = docx.Document(io.BytesIO(compiled.render(ctx)))
        assert self._stand_in is not None
        try:
            with composing() as composer_class:
                if self._composer is None:
                    self._composer = linear(composer_class)(self._stand_in)
                else:
                    random.setstate(self._random)
                self._composer.append(doc)
                self._random = random.getstate()
            return inside_body(etree.tostring(self._stand_in.element.body, encoding="unicode"))
        finally:
            empty_body(self._stand_in)  # the stand-in keeps the merged parts, never a body

    def _package(self) -> bytes:
        """The stand-in saved: every part of the file but the body, properties fixed."""
        assert self._stand_in is not None
        self._ids.renumber_parts(self._stand_in)
        return save_fixed(self._stand_in, self.title)


def _body_xml(compiled: CompiledDocx, ctx: dict[str, Any], reshapes: bool) -> str:
    """One notice's body rendered by its template (the template's Jinja body, docxtpl's own
    post-processing), without the ``<w:body>`` element and the template's ``w:sectPr``."""
    with template_errors(compiled.path, ctx):
        xml = compiled._finish(compiled.body.render(ctx), skip_idle_listing=True)
    if reshapes:  # as a single notice: docxtpl's fix_tables when a table changed shape
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        if tables_to_fix(tree):
            xml = etree.tostring(fit_tree(tree), encoding="unicode")
    return inside_body(xml)


_CELL_LOOP = re.compile(r"%\}\s*<w:tc[ >]|</w:tc>\s*\{%")  # {%tc for … %}: cells made by a loop


def _reshapes_tables(compiled: CompiledDocx) -> bool:
    """Whether a rendered notice's tables could need docxtpl's fix_tables: cells in a loop or merged
    (``{%tc %}``, ``{% colspan %}``, ``{% hm %}``), or tables the template has out of shape already."""
    source = compiled._source(compiled.tpl.get_xml())
    tree = etree.fromstring(compiled.tpl.get_xml().encode("utf-8"), parser=etree.XMLParser(recover=True))
    return "gridSpan" in source or _CELL_LOOP.search(source) is not None or tables_to_fix(tree)


class _Ids:
    """Drawing ids (``wp:docPr``, ``pic:cNvPr``) and bookmark ids numbered through the whole body
    as it streams by, then on through headers and footers: what docxcompose's ``renumber_*`` do
    over a document tree (each notice's template numbers its own from the same start)."""

    _ID = re.compile(r'(<(?:wp:docPr|pic:cNvPr|w:bookmarkStart|w:bookmarkEnd)\s[^>]*?\b(?:w:)?id=")\d+"')

    def __init__(self) -> None:
        self.next = {"wp:docPr": 1, "pic:cNvPr": 1, "w:bookmarkStart": 0, "w:bookmarkEnd": 0}

    def renumber(self, xml: str) -> str:
        if "docPr" not in xml and "cNvPr" not in xml and "w:bookmark" not in xml:
            return xml
        return self._ID.sub(self._next, xml)

    def _next(self, match: re.Match[str]) -> str:
        kind = match.group(1)[1:].split(None, 1)[0]
        number = self.next[kind]
        self.next[kind] = number + 1
        return f'{match.group(1)}{number}"'

    def renumber_parts(self, doc: Document) -> None:
        for rel in doc.part.rels.values():
            if rel.reltype.endswith(("/header", "/footer")) and not rel.is_external:
                for kind, attribute in (("wp:docPr", "id"), ("pic:cNvPr", "id")):
                    for el in rel.target_part.element.xpath(f".//{kind}"):
                        el.set(attribute, str(self.next[kind]))
                        self.next[kind] += 1


def _write_docx(target: Path, package: bytes, main: str, body: IO[bytes]) -> None:
    """The stand-in's members with the streamed body put into its document part, zipped member by
    member in the stand-in's order with a fixed timestamp (as :func:`.stable.stable_zip`)."""
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = src.read(name)
            if name != main:
                zf.writestr(info, data)
                continue
            head, tail = around_body(data)
            body.flush()
            info.file_size = len(head) + body.seek(0, io.SEEK_END) + len(tail)  # zip64 when it must
            body.seek(0)
            with zf.open(info, "w") as out:
                out.write(head)
                shutil.copyfileobj(body, out, 1 << 18)  # (256 kB at a time: memory flat in the notices)
                out.write(tail)


@dataclass(frozen=True)
class CompilationJob:
    """What a worker needs to render 公示汇编.docx: the template folder and every notice's context."""

    template_dir: str
    contexts: list[dict[str, Any]]
    title: str = "公示汇编"


def render_compilation(job: CompilationJob) -> bytes:
    """公示汇编.docx from the notices' contexts, in their order: :class:`CompilationWriter`'s file."""
    if not job.contexts:
        raise ValueError("no notices to compile")
    with tempfile.TemporaryDirectory(prefix="pingxing-") as folder:
        path = Path(folder) / COMPILATION_NAME
        with CompilationWriter(path, job.template_dir, job.title) as writer:
            for ctx in job.contexts:
                writer.add(ctx)
        return path.read_bytes()


def write_compilation(path: Path, notices: Sequence[Path] | bytes, title: str = "公示汇编") -> list[Path]:
    """Write ``path`` from the given ``.docx`` notices (in that order), or the bytes
    :func:`render_compilation` made (already reproducible); ``[]`` when there are none."""
    if not notices:
        return []
    if isinstance(notices, bytes):
        path.write_bytes(notices)
        return [path]
    path.write_bytes(compile_notices(notices, title))
    rezip(path)
    return [path]
