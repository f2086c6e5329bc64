"""公示汇编.docx: every notice of a run in one Word file, each starting on a new page.

For printing everything at once. The notices are joined with docxcompose (styles, numbering
and relationships merged the way Word would), never by splicing XML by hand. The first
notice's page setup and footer (``— 1 —``) serve the whole file, so pages are numbered
through. The result is byte-identical for the same notices: fixed core properties, fixed
zip timestamps (:func:`.stable.rezip`) and a seeded numbering id.

A run builds it with :func:`render_compilation`, from the notices' contexts: the notices that
use the same Word template are rendered into one document by that template with its body in
a loop (parsed once; the template's own docxtpl processing), and those documents — usually
one, two when a 通报 uses ``announcement.docx`` — are joined with docxcompose. Time and
memory grow linearly with the notices. :func:`compile_notices` joins finished ``.docx``
files the same way (one docxcompose append each; docxcompose's renumbering of bookmarks and
drawing ids, a walk over the whole growing document, is done once at the end).

docxcompose binds python-docx's ``cp`` prefix to the custom-properties namespace (it needs
that inside); the core properties are written with the prefix bound to core properties
(:func:`.notices.core_properties_namespace`).
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import jinja2
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap
from docx.text.paragraph import Paragraph
from lxml import etree

from .notices import _clean, _CompiledDocx, _template_errors, _with_defaults, core_properties_namespace
from .stable import FIXED_TIME, rezip

__all__ = ["COMPILATION_NAME", "CompilationJob", "compile_notices", "render_compilation", "write_compilation"]

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

    def docs() -> Iterator[Document]:  # opened one at a time, as they are appended
        for k, n in enumerate(notices):
            doc = docx.Document(io.BytesIO(n) if isinstance(n, bytes) else str(n))
            if k:
                _start_on_new_page(doc)
            yield doc

    return _compose(docs(), title)


@dataclass(frozen=True)
class CompilationJob:
    """What a worker needs to render 公示汇编.docx: the template folder and every notice's context."""

    template_dir: str
    contexts: list[dict[str, Any]]
    title: str = "公示汇编"


def render_compilation(job: CompilationJob) -> bytes:
    """公示汇编.docx rendered from the notices' contexts, in their order (see the module docstring)."""
    if not job.contexts:
        raise ValueError("no notices to compile")
    from .rendering import renderer_for

    renderer = renderer_for(job.template_dir)
    runs: list[tuple[Path, list[dict[str, Any]]]] = []  # consecutive notices sharing a Word template
    for ctx in job.contexts:
        path = renderer._path(ctx, ".docx")
        if runs and runs[-1][0] == path:
            runs[-1][1].append(ctx)
        else:
            runs.append((path, [ctx]))
    return _compose((_rendered_run(renderer._docx(path), ctxs, k > 0) for k, (path, ctxs) in enumerate(runs)),
                    job.title)


_MARK_STYLE = "PingxingNoticeStart"  # an empty paragraph before each notice in the loop; removed again
_MARK = f'<w:p><w:pPr><w:pStyle w:val="{_MARK_STYLE}"/></w:pPr></w:p>'
_LOOPS: dict[tuple[int, tuple[str, ...]], tuple[_CompiledDocx, jinja2.Template]] = {}


def _loop_template(compiled: _CompiledDocx, keys: tuple[str, ...]) -> jinja2.Template:
    """The template's body once per notice: ``{% for n in notices %}{% with title=n['title'] … %}``
    around the body (before its final section properties), compiled once per worker."""
    hit = _LOOPS.get((id(compiled), keys))
    if hit is not None and hit[0] is compiled:
        return hit[1]
    source = compiled._source(compiled.tpl.get_xml())
    start = source.index(">", source.index("<w:body")) + 1
    end = source.rfind("<w:sectPr")
    if end < start:
        end = source.rindex("</w:body>")
    binds = ", ".join(f"{key}=__pingxing_notice[{key!r}]" for key in keys)
    loop = (source[:start] + "{% for __pingxing_notice in __pingxing_notices %}" + _MARK
            + (f"{{% with {binds} %}}" if binds else "") + source[start:end] + ("{% endwith %}" if binds else "")
            + "{% endfor %}" + source[end:])
    with _template_errors(compiled.path):
        template = compiled.body.environment.from_string(loop)
    _LOOPS[(id(compiled), keys)] = (compiled, template)
    return template


def _rendered_run(compiled: _CompiledDocx, contexts: list[dict[str, Any]], break_first: bool) -> Document:
    """One template's notices in one document (header, footer and properties of the first)."""
    clean = [_cleaned(_with_defaults(ctx)) for ctx in contexts]
    keys = tuple(sorted({key for ctx in clean for key in ctx if key.isidentifier()}))
    data = compiled.render(clean[0], (_loop_template(compiled, keys), {"__pingxing_notices": clean}))
    doc = docx.Document(io.BytesIO(data))
    body = doc.element.body
    marks = _MARKS(body)
    for k, mark in enumerate(marks):
        if k == 0 and not break_first:
            body.remove(mark)
            continue
        first = mark.getnext()  # as _start_on_new_page: the notice's first paragraph, or a new one before its table
        while first is not None and first.tag not in (f"{_W}p", f"{_W}tbl"):
            first = first.getnext()
        if first is None or first.tag != f"{_W}p" or _is_mark(first):
            first = OxmlElement("w:p")
            mark.addprevious(first)
        body.remove(mark)
        Paragraph(first, None).paragraph_format.page_break_before = True
    return doc


_MARKS = etree.XPath(f'w:p[w:pPr/w:pStyle/@w:val="{_MARK_STYLE}"]', namespaces={"w": _W[1:-1]})


def _cleaned(value: Any) -> Any:
    """:func:`.notices._clean` (characters illegal in XML dropped), quicker on the plain dicts,
    lists and strings of notice contexts: a printable string has none of those characters."""
    kind = type(value)
    if kind is str:
        return value if value.isprintable() else _clean(value)
    if kind is dict:
        return {key: _cleaned(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_cleaned(item) for item in value]
    return _clean(value)


def _is_mark(el: Any) -> bool:
    style = el.find(f"{_W}pPr/{_W}pStyle")
    return style is not None and style.get(f"{_W}val") == _MARK_STYLE


def _compose(docs: Iterable[Document], title: str) -> bytes:
    """The documents joined with docxcompose (each from a new page), properties fixed."""
    docs = iter(docs)
    master = next(docs)
    with _composing() as composer_class:
        composer = _linear(composer_class)(master)
        appended = False
        for doc in docs:
            composer.append(doc)
            appended = True
        if appended:
            composer.renumber()
    out = io.BytesIO()
    with core_properties_namespace():
        props = master.core_properties
        props.title, props.subject, props.author = title, "公示汇编", "pingxing"
        props.created = props.modified = FIXED_TIME
        props.last_modified_by, props.revision = "", 1
        master.save(out)
    return out.getvalue()


def write_compilation(path: Path, notices: Sequence[Path] | bytes, title: str = "公示汇编") -> list[Path]:
    """Write ``path`` from the given ``.docx`` notices (in that order), or the bytes
    :func:`render_compilation` made; ``[]`` when there are none."""
    if not notices:
        return []
    path.write_bytes(notices if isinstance(notices, bytes) else compile_notices(notices, title))
    rezip(path)
    return [path]


def _linear(composer_class: Any) -> Any:
    """docxcompose's Composer renumbering bookmarks and drawing ids once, after the last
    document (:meth:`renumber`), instead of after every append: each pass walks the whole
    document so far, which made joining n notices take time in n². The ids come out the same."""

    class Linear(composer_class):  # type: ignore[misc, valid-type]
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


def _start_on_new_page(doc: Document) -> None:
    """Page break before the notice's first paragraph (or a break paragraph before a table)."""
    body = doc.element.body
    first = next((el for el in body if el.tag in (f"{_W}p", f"{_W}tbl")), None)
    if first is None or first.tag != f"{_W}p":
        body.insert(0, OxmlElement("w:p"))
    doc.paragraphs[0].paragraph_format.page_break_before = True
