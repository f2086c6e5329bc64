"""公示汇编.docx: every notice of a run in one Word file, each starting on a new page.

For printing everything at once. The notices are joined with docxcompose (styles, numbering
and relationships merged the way Word would), never by splicing XML by hand. The first
notice's page setup and footer (``— 1 —``) serve the whole file, so pages are numbered
through. The result is byte-identical for the same notices: fixed core properties, fixed
zip timestamps (:func:`.stable.rezip`) and a seeded numbering id.

docxcompose binds python-docx's ``cp`` prefix to the custom-properties namespace (it needs
that inside); the core properties are written with the prefix bound to core properties
(:func:`.notices.core_properties_namespace`).
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap

from .notices import core_properties_namespace
from .stable import FIXED_TIME, rezip

__all__ = ["COMPILATION_NAME", "compile_notices", "write_compilation"]

COMPILATION_NAME = "公示汇编.docx"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@contextmanager
def _composing() -> Iterator[Any]:
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
    docs = [docx.Document(io.BytesIO(n) if isinstance(n, bytes) else str(n)) for n in notices]
    master = docs[0]
    with _composing() as composer_class:
        composer = composer_class(master)
        for doc in docs[1:]:
            _start_on_new_page(doc)
            composer.append(doc)
    out = io.BytesIO()
    with core_properties_namespace():
        props = master.core_properties
        props.title, props.subject, props.author = title, "公示汇编", "pingxing"
        props.created = props.modified = FIXED_TIME
        props.last_modified_by, props.revision = "", 1
        master.save(out)
    return out.getvalue()


def write_compilation(path: Path, notices: Sequence[Path], title: str = "公示汇编") -> list[Path]:
    """Write ``path`` from the given ``.docx`` notices (in that order); ``[]`` when there are none."""
    if not notices:
        return []
    path.write_bytes(compile_notices(notices, title))
    rezip(path)
    return [path]


def _start_on_new_page(doc: Document) -> None:
    """Page break before the notice's first paragraph (or a break paragraph before a table)."""
    body = doc.element.body
    first = next((el for el in body if el.tag in (f"{_W}p", f"{_W}tbl")), None)
    if first is None or first.tag != f"{_W}p":
        body.insert(0, OxmlElement("w:p"))
    doc.paragraphs[0].paragraph_format.page_break_before = True
