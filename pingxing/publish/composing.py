"""Word documents joined with docxcompose, reproducibly: the finished notices into one 公示汇编.

:func:`compile_notices` joins finished ``.docx`` files (one docxcompose append each, its
renumbering once at the end, :func:`linear`), each from a new page (:func:`start_on_new_page`).
:func:`composing` is docxcompose set up for that and for :class:`.compilation.CompilationWriter`,
which appends another template's notice with it: docxcompose binds python-docx's ``cp`` prefix to
the custom-properties namespace (it needs that inside) and draws list ids at random (seeded here).
:func:`save_fixed` saves a joined document with fixed core properties, written with ``cp`` bound to
core properties (:func:`.notices.core_properties_namespace`).
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap

from pingxing.publish.notices import core_properties_namespace
from pingxing.publish.stable import FIXED_TIME

__all__ = ["compile_notices", "composing", "linear", "save_fixed", "start_on_new_page"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@contextmanager
def composing() -> Iterator[Any]:
    """docxcompose's Composer class, with python-docx's namespace map as docxcompose needs it
    inside and as python-docx needs it outside; random numbers seeded (list ids)."""
    from docxcompose.composer import Composer
    from docxcompose.utils import NS

    state, saved = random.getstate(), nsmap.get("cp")
    nsmap.update(NS)
    random.seed(0)  # docxcompose draws list ids (w:nsid) at random: keep them reproducible
    try:
        yield Composer
    finally:
        if saved is not None:
            nsmap["cp"] = saved
        random.setstate(state)


def compile_notices(notices: Sequence[bytes | Path], title: str = "公示汇编") -> bytes:
    """The notices (``.docx`` bytes or paths) joined into one document, a page break between."""
    if not notices:
        raise ValueError("no notices to compile")

    def docs() -> Iterator[Document]:  # opened one at a time, as they are appended
        for k, n in enumerate(notices):
            doc = docx.Document(io.BytesIO(n) if isinstance(n, bytes) else str(n))
            if k:
                start_on_new_page(doc)
            yield doc

    return _compose(docs(), title)


def _compose(docs: Iterable[Document], title: str) -> bytes:
    """The documents joined with docxcompose (each from a new page), properties fixed."""
    docs = iter(docs)
    master = next(docs)
    with composing() as composer_class:
        composer = linear(composer_class)(master)
        appended = False
        for doc in docs:
            composer.append(doc)
            appended = True
        if appended:
            composer.renumber()
    return save_fixed(master, title)


def save_fixed(doc: Document, title: str) -> bytes:
    """The document saved with the compilation's core properties, dates fixed (reproducible)."""
    out = io.BytesIO()
    with core_properties_namespace():
        props = doc.core_properties
        props.title, props.subject, props.author = title, "公示汇编", "pingxing"
        props.created = props.modified = FIXED_TIME
        props.last_modified_by, props.revision = "", 1
        doc.save(out)
    return out.getvalue()


def linear(composer_class: Any) -> Any:
    """docxcompose's Composer renumbering bookmarks and drawing ids once, after the last
    document (:meth:`renumber`), instead of after every append: each pass walks the whole
    document so far, which made joining n notices take time in n². The ids come out the same."""

    class Linear(composer_class):
        def renumber_bookmarks(self) -> None:
            pass

        def renumber_docpr_ids(self) -> None:
            pass

        def renumber_nvpicpr_ids(self) -> None:
            pass

        def renumber(self) -> None:
            composer_class.renumber_bookmarks(self)
            composer_class.renumber_docpr_ids(self)
            composer_class.renumber_nvpicpr_ids(self)

    return Linear


def start_on_new_page(doc: Document) -> None:
    """Page break before the notice's first paragraph (or a break paragraph before a table)."""
    body = doc.element.body
    first = next((el for el in body if el.tag in (f"{_W}p", f"{_W}tbl")), None)
    if first is None or first.tag != f"{_W}p":
        body.insert(0, OxmlElement("w:p"))
    doc.paragraphs[0].paragraph_format.page_break_before = True
