"""Word documents joined with docxcompose, reproducibly: the finished notices into one 公示汇编.

:func:`compile_notices` joins finished ``.docx`` files (one docxcompose append each, its
renumbering once at the end, :func:`linear`), each in a section of its own numbered from 1
(:func:`restart_numbering`; the sections end as in :mod:`.joining`).
:func:`composing` is docxcompose set up for that and for :class:`.compilation.CompilationWriter`,
which appends another template's notice with it: docxcompose binds python-docx's ``cp`` prefix to
the custom-properties namespace (it needs that inside) and draws list ids at random (seeded here).
:func:`save_fixed` saves a joined document with fixed core properties, written with ``cp`` bound to
core properties (:func:`.notices.core_properties_namespace`).
"""

from __future__ import annotations

import copy
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

from pingxing.publish.joining import AFTER_PAGE_NUMBERS
from pingxing.publish.notices import core_properties_namespace
from pingxing.publish.stable import FIXED_TIME

__all__ = ["compile_notices", "composing", "empty_body", "linear", "restart_numbering", "save_fixed"]

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
        for n in notices:
            yield docx.Document(io.BytesIO(n) if isinstance(n, bytes) else str(n))

    return _compose(docs(), title)


def _compose(docs: Iterable[Document], title: str) -> bytes:
    """The documents joined with docxcompose, each but the last ending in a section break (the
    first's section, pages numbered from 1), properties fixed."""
    docs = iter(docs)
    master = next(docs)
    restart_numbering(master)
    ending = master.element.body.find(f"{_W}sectPr")
    with composing() as composer_class:
        composer = linear(composer_class)(master)
        appended = False
        for doc in docs:
            _end_section(master, ending)
            composer.append(doc)
            appended = True
        if appended:
            composer.renumber()
    return save_fixed(master, title)


def save_fixed(doc: Document, title: str, subject: str = "公示汇编") -> bytes:
    """The document saved with fixed core properties (``title``, ``subject``; dates fixed: reproducible)."""
    out = io.BytesIO()
    with core_properties_namespace():
        props = doc.core_properties
        props.title, props.subject, props.author = title, subject, "pingxing"
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


def restart_numbering(doc: Document) -> None:
    """The document's own section numbers its pages from 1 (``w:pgNumType w:start="1"``)."""
    sect = doc.element.body.find(f"{_W}sectPr")
    if sect is None:
        return
    number = sect.find(f"{_W}pgNumType")
    if number is None:
        number = OxmlElement("w:pgNumType")
        later = next((el for el in sect if el.tag in {f"{_W}{t}" for t in AFTER_PAGE_NUMBERS}), None)
        if later is None:
            sect.append(number)
        else:
            later.addprevious(number)
    number.set(f"{_W}start", "1")


def _end_section(doc: Document, sect: Any) -> None:
    """The body's last paragraph ends a section with a copy of ``sect`` (after a closing table, a
    paragraph of its own)."""
    if sect is None:
        return
    body = doc.element.body
    last = next((el for el in reversed(body) if el.tag != f"{_W}sectPr"), None)
    if last is None or last.tag != f"{_W}p":
        last = OxmlElement("w:p")
        body.sectPr.addprevious(last) if body.find(f"{_W}sectPr") is not None else body.append(last)
    ppr = last.find(f"{_W}pPr")
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        last.insert(0, ppr)
    for old in ppr.findall(f"{_W}sectPr"):
        ppr.remove(old)
    change = ppr.find(f"{_W}pPrChange")
    copied = copy.deepcopy(sect)
    if change is not None:
        change.addprevious(copied)
    else:
        ppr.append(copied)


def empty_body(doc: Document) -> None:
    """Everything out of the body but its section properties.

    The body is cleared at once and its ``w:sectPr`` put back: lxml's ``remove`` moves each element
    out with its whole subtree, reconciling namespaces node by node, which took time in the square of
    a notice's size (70 s for a branch of 10,000 members; ``clear`` frees the subtree in one pass)."""
    body = doc.element.body
    keep = [el for el in body if el.tag == f"{_W}sectPr"]
    attributes = dict(body.attrib)
    body.clear()
    body.attrib.update(attributes)
    body.extend(keep)
