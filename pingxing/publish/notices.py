"""Render publicity notices (公示), announcements (通报) and the internal document to Word and HTML.

The templates are the clerk's: ``templates/notice.docx`` (docxtpl tags, editable in
Word) and ``templates/notice.html`` (Jinja).  Both are rendered in a sandboxed Jinja
environment with ``StrictUndefined``: a field the notice context does not provide
raises :class:`TemplateFieldError` naming the template file and the field.

A :class:`NoticeRenderer` reads and compiles each template once.  For Word it keeps
the template's zip members in memory and lets docxtpl pre-process (``patch_xml``)
the document body, headers, footers and footnotes once; each notice then costs one
Jinja render per part plus one zip write, instead of re-opening the template with
python-docx.  Output is byte-identical for the same context: core properties are
fixed (2000-01-01, revision 1) and zip members carry a fixed timestamp.

Context fields (a plain dict; every one documented in ``docs/templates.md``): kind
(公示/通报/内部), title, intro, unit, branch, period, period_words, level (member/branch), rows,
publicity_days, publicity_start, publicity_end, contact, issuer, issue_date; each row: seq, name,
unit, branch, stars (0-5 or None), stars_text, star_word, star_names, grade, note.  Optional
fields, filled in when absent (:data:`OPTIONAL_FIELDS`, :func:`with_defaults`): the 版头
(red_header, organ, doc_number), the 通报's 主送机关 and 版记 (addressee, cc, print_organ,
print_date), the 公示's 受理 details (contact_person, contact_phone, objection_place,
objection_hours), publicity_words, the lists by section (sections), a 更正's changes and the
notice it replaces (changes, replaces), sealed; and, worked out from the others unless given,
title_lines (the title broken between words, :mod:`.titles`), sign_line / date_line (署名
and 成文日期 placed on the 28-character line, :func:`.signature.sign_block`) and objection_words
(the 受理 details in one paragraph).

Which template: ``<template>.docx`` / ``<template>.html`` when the context names one;
otherwise a 通报 and the internal document use ``announcement.docx`` (GB/T 9704 版头 in red when
``red_header``, 主送机关, lists by section, 版记) and everything else ``notice.docx``; a kind whose
own template is not in the folder falls back to ``notice``.  The HTML side works the same way
(``notice.html`` draws the 版头, the sections and the 版记 itself).
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml.ns import nsmap
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from pingxing.errors import TemplateError
from pingxing.places import shipped
from pingxing.publish.docxtables import fit_tables, fit_tree, out_of_shape
from pingxing.publish.signature import sign_block
from pingxing.publish.stable import FIXED_TIME, stable_zip
from pingxing.publish.titles import break_text, grid_width

__all__ = ["DEFAULT_TEMPLATE_DIR", "OPTIONAL_FIELDS", "NoticeRenderer", "NoticeTemplateError", "objection_words", "prepared_context",
           "TemplateFieldError", "render_docx", "render_html", "stable_zip", "template_stem"]

#: the shipped templates (a run uses :func:`pingxing.places.templates_dir`: the clerk's own first)
DEFAULT_TEMPLATE_DIR = shipped("templates")
DOCX_TEMPLATE = "notice.docx"
HTML_TEMPLATE = "notice.html"
#: the template pair a kind of notice uses by default (``<stem>.docx`` / ``<stem>.html``)
KIND_TEMPLATES = {"通报": "announcement", "内部": "announcement"}
#: fields a template may use that a context need not give, with their defaults; ``organ`` defaults
#: to the issuer, ``publicity_words`` to the publicity period in words (:func:`with_defaults`)
OPTIONAL_FIELDS: dict[str, Any] = {
    "red_header": False, "organ": None, "doc_number": "",  # 版头
    "addressee": "", "cc": "", "print_organ": "", "print_date": "",  # 主送机关, 版记 (抄送, 印发机关, 印发日期)
    "contact_person": "", "contact_phone": "", "objection_place": "", "objection_hours": "",  # 公示: 受理
    "publicity_words": None,  # e.g. 2026年12月8日至12月12日（5天）
    "sections": [],  # the lists by section (通报, internal document): heading, count, columns, rows
    "changes": [], "replaces": "",  # a 更正: what changed, and which notice it replaces
    "sealed": True,  # 署名 and 成文日期 laid out for a seal (GB/T 9704 7.3.5.1) or without one (7.3.5.2)
}
#: fields worked out from the others when the context does not give them
DERIVED_FIELDS = ("title_lines", "sign_line", "date_line", "row_pairs", "two_up", "rating_head", "objection_words")
#: a 公示 longer than this lists two names a line when every entry is short (``two_up``; as the template)
_TWO_UP_FROM, _TWO_UP_NAME = 10, 6.0

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RENDERED_PARTS = (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI,
                   "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")
# characters XML 1.0 forbids (they turn up in Excel cells and would corrupt document.xml)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FIELD_NAME = re.compile(r"^'([^']+)' is undefined$|has no attribute '([^']+)'")
CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_LISTING_CHARS = re.compile("[\t\n\a\f]")
_TAG_DELIMITER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


class NoticeTemplateError(TemplateError):
    """A notice template cannot be used: syntax error or a forbidden operation (a user error:
    the templates are the clerk's)."""


class TemplateFieldError(NoticeTemplateError):
    """A template uses a field that the notice context does not provide."""


def environment(**options: Any) -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined,
                                keep_trailing_newline=True, bytecode_cache=_bytecode_cache(), **options)


@functools.lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates, in its per-user folder under the system's
    temporary directory (created private, refused if another user owns it): templates loaded
    from files (report.html, the HTML notices) are compiled once, not at every run. Keyed by
    the template's path and checked against its source, so an edited template is compiled
    again. None (compile every time) where that folder cannot be made."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def template_stem(ctx: Mapping[str, Any]) -> str:
    """The template pair for a notice: the context's ``template``, else by ``kind``."""
    return str(ctx.get("template") or KIND_TEMPLATES.get(str(ctx.get("kind", "")), "notice"))


def objection_words(ctx: Mapping[str, Any]) -> str:
    """A 公示's 受理 details in one paragraph (受理地点：…；受理时间：…；联系人：…；联系电话：…。), so that
    they take two or three lines, not four, and a branch's list with its 署名 stays on one page."""
    said = [f"{label}：{str(ctx.get(key) or '').strip().rstrip('。；;')}"
            for label, key in (("受理地点", "objection_place"), ("受理时间", "objection_hours"),
                               ("联系人", "contact_person"), ("联系电话", "contact_phone"))
            if str(ctx.get(key) or "").strip()]
    return "；".join(said) + "。" if said else ""


def with_defaults(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """The context with every optional field (:data:`OPTIONAL_FIELDS`) and the derived ones
    (:data:`DERIVED_FIELDS`): the title's lines (kept when given and still the title's), the
    署名 and 成文日期 lines from ``issuer``, ``issue_date`` and ``sealed``."""
    out = {key: value for key, value in OPTIONAL_FIELDS.items() if key not in ctx}
    if "organ" in out:
        out["organ"] = ctx.get("issuer", "")
    out.update(ctx)
    if not out.get("publicity_words"):  # (absent, or empty where the context has no words for it)
        out["publicity_words"] = (f"{ctx.get('publicity_start', '')}至{ctx.get('publicity_end', '')}"
                                  f"（共{ctx.get('publicity_days', '')}天）") if ctx.get("publicity_start") else ""
    if "objection_words" not in ctx:
        out["objection_words"] = objection_words(out)
    title = str(out.get("title", ""))
    lines = out.get("title_lines")
    if not isinstance(lines, (list, tuple)) or "".join(map(str, lines)) != title:
        out["title_lines"] = break_text(title)
    rows = list(out.get("rows") or [])
    if "row_pairs" not in ctx:  # two names a line: the first half down the left, the second down the right
        half = (len(rows) + 1) // 2
        out["row_pairs"] = [(rows[i], rows[i + half] if i + half < len(rows) else None) for i in range(half)]
    if "rating_head" not in ctx:  # the list's third column: 星级, or 等次 where nobody has a star level
        out["rating_head"] = "等次" if rows and not any(
            isinstance(r, Mapping) and (r.get("star_word") or r.get("stars_text")) for r in rows) else "星级"
    if "two_up" not in ctx:  # only names of at most 6 characters and plain star levels go two a line
        out["two_up"] = len(rows) > _TWO_UP_FROM and all(
            isinstance(r, Mapping) and not (r.get("star_names") or r.get("grade") or r.get("note"))
            and grid_width(str(r.get("name", ""))) <= _TWO_UP_NAME for r in rows)
    if ("sign_line" not in ctx or "date_line" not in ctx) and "issuer" in out and "issue_date" in out:
        sign, day = sign_block(str(out["issuer"]), str(out["issue_date"]), bool(out["sealed"]))
        out.setdefault("sign_line", sign)
        out.setdefault("date_line", day)
    return out


def clean_context(value: Any) -> Any:
    """Copy of the context with characters illegal in XML removed from every string (a printable
    string has none: taken as it is, the common case, without the pattern). The plain dicts, lists
    and strings of a notice context are told by their type first (quicker than ``isinstance`` with
    an abstract class, on every value of every notice)."""
    kind = type(value)
    if kind is str:
        return value if value.isprintable() else _ILLEGAL_XML.sub("", value)
    if kind is dict:
        return {key: clean_context(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [clean_context(item) for item in value]
    if value is None or kind is int:
        return value
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if isinstance(value, Mapping):
        return {key: clean_context(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_context(item) for item in value]
    return value


def prepared_context(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """A notice's context as the templates take it: every field (:func:`with_defaults`), no
    character XML cannot hold (:func:`clean_context`)."""
    return clean_context(with_defaults(ctx))


@contextmanager
def template_errors(template: Path, ctx: Mapping[str, Any] | None = None) -> Iterator[None]:
    """Turn Jinja errors into one-line messages that name the template file."""
    try:
        yield
    except jinja2.UndefinedError as exc:
        match = _FIELD_NAME.search(exc.message or "")
        field = next((g for g in match.groups() if g), None) if match else None
        known = f"（可用：{'、'.join(sorted(ctx))}）" if ctx else ""
        what = f"“{field}”" if field else f"（{exc.message}）"
        raise TemplateFieldError(f"{template}: 模板中的字段{what}不存在；请改为可用的字段后重新运行{known}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise NoticeTemplateError(f"{template}: 模板语法错误（{exc.message}），请检查 {{{{ }}}} 和 {{% %}} 是否成对、拼写是否正确") from exc
    except jinja2.TemplateNotFound as exc:
        raise NoticeTemplateError(f"{template}: 模板不能引用其他文件（TemplateNotFound: {exc.message}），请删去 include、import 或 extends") from exc
    except jinja2.TemplateError as exc:  # the sandbox's SecurityError, ...
        raise NoticeTemplateError(f"{template}: 模板中有不允许的写法（{type(exc).__name__}: {exc.message}），请删去") from exc


@contextmanager
def core_properties_namespace() -> Iterator[None]:
    """python-docx's ``cp`` prefix bound to the core-properties namespace for the block.

    docxtpl imports docxcompose, which rebinds ``cp`` to the custom-properties namespace for
    the whole process; python-docx would then write ``cp:revision`` and ``cp:lastModifiedBy``
    into the wrong namespace of ``docProps/core.xml``.
    """
    saved = nsmap.get("cp")
    nsmap["cp"] = CORE_PROPERTIES_NS
    try:
        yield
    finally:
        if saved is not None:
            nsmap["cp"] = saved


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)


def tables_to_fix(tree: etree._Element) -> bool:
    """Whether the table fitting (``fix_tables``: :func:`.docxtables.fit_tables`) could change anything: a merged cell, a table in a table, a
    table without grid or rows, or a row whose cells do not match its grid (:func:`.docxtables.out_of_shape`). (Only then is it
    run over a whole 公示汇编: it looks at every cell.)"""
    if next(tree.iter(f"{_W}gridSpan"), None) is not None:
        return True
    for table in tree.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None or next(table.iterancestors(f"{_W}tbl"), None) is not None:
            return True
        if table.find(f"{_W}tr") is None or out_of_shape(table):
            return True
    return False


def _check_tags(template: Path, xml: bytes) -> None:
    """A tag broken within a paragraph (``{{ intro }``) makes docxtpl drop text silently: refuse."""
    for para in etree.fromstring(xml).iter(f"{_W}p"):
        text = "".join(t.text or "" for t in para.iter(f"{_W}t"))
        if _TAG_DELIMITER.search(_TAG.sub("", text)):
            raise NoticeTemplateError(f"{template}: 模板语法错误：段落“{text}”中有不完整的标记（如少了一个括号），请在 Word 中改正")


class CompiledDocx:
    """A Word template loaded once: zip members in memory, parts pre-compiled for Jinja."""

    def __init__(self, path: Path, env: SandboxedEnvironment) -> None:
        self.path = path
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.members = [(name, zf.read(name)) for name in zf.namelist()]
        self.tpl = DocxTemplate(io.BytesIO(data))
        self.tpl.init_docx()
        self.tpl.fix_tables = fit_tables  # columns fitted to what they hold
        main, members = self.tpl.docx.part, dict(self.members)
        self.main_name = str(main.partname).lstrip("/")
        parts = [rel.target_part for rel in main.rels.values()
                 if rel.reltype in _RENDERED_PARTS and not rel.is_external]
        for name in [self.main_name] + [str(part.partname).lstrip("/") for part in parts]:
            _check_tags(path, members[name])
        with template_errors(path):
            self.body = self._compiled(env, self.main_name, self._source(self.tpl.get_xml()))
            self.parts = {str(part.partname).lstrip("/"):
                          self._compiled(env, str(part.partname).lstrip("/"), self._source(self.tpl.get_part_xml(part)))
                          for part in parts}
            # core properties with fixed dates; rendered too (title…), as docxtpl does
            self.core = (self._compiled(env, "docProps/core.xml", self._fixed_core().decode("utf-8"))
                         if "docProps/core.xml" in members else None)
        self.skeleton = etree.fromstring(members[self.main_name])
        body = self.skeleton.find(f"{_W}body")
        self.body_index = self.skeleton.index(body)
        self.skeleton.remove(body)

    def _compiled(self, env: SandboxedEnvironment, part: str, source: str) -> jinja2.Template:
        """One part's Jinja template, through the environment's loader (a dict of this file's
        parts, nothing else) so that Jinja's bytecode cache serves it on the next run."""
        name = f"{self.path.resolve()}::{part}"
        env.loader.mapping[name] = source  # type: ignore[union-attr]
        return env.get_template(name)

    def _source(self, xml: str) -> str:
        """docxtpl's own pre-processing (as in ``DocxTemplate.render_xml_part``)."""
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", self.tpl.patch_xml(xml))

    def _finish(self, xml: str, skip_idle_listing: bool = False) -> str:
        """docxtpl's own post-processing (as in ``DocxTemplate.render_xml_part``). Its listing
        pass only acts on tab, newline, BEL and form-feed characters: with ``skip_idle_listing``
        (公示汇编, a whole run's notices in one body) it is skipped when there are none."""
        if skip_idle_listing:  # the same as the regex below, without a call back per paragraph
            xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        else:
            xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if skip_idle_listing and _LISTING_CHARS.search(xml) is None:
            return xml
        return self.tpl.resolve_listing(xml)

    def _whole(self, body: str) -> etree._Element:
        """The document with this rendered body, parsed in one piece: moving a whole run's body
        into the skeleton (as for one notice) would make lxml walk every node again."""
        if not hasattr(self, "_around"):
            root = copy.deepcopy(self.skeleton)
            root.insert(self.body_index, etree.Element(f"{_W}body"))
            head, _, tail = etree.tostring(root, encoding="unicode").partition("<w:body/>")
            declared = {f'xmlns:{k}="{v}"' for k, v in root.nsmap.items() if k}
            self._around = (head, tail, declared)
        head, tail, declared = self._around
        opening = body[:body.index(">") + 1]  # <w:body xmlns:w="…" …>: already declared on the document
        if (re.sub(r'\s+xmlns:\w+="[^"]*"', "", opening) == "<w:body>"
                and set(re.findall(r'xmlns:\w+="[^"]*"', opening)) <= declared):
            body = "<w:body>" + body[len(opening):]
        xml = head + body + tail
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))  # as fix_tables parses
        if tables_to_fix(tree):
            fit_tree(tree)  # (else it would change nothing: not run over every table)
        self.tpl.docx_ids_index = 1000
        self.tpl.fix_docpr_ids(tree)
        return tree

    def _fixed_core(self) -> bytes:
        with core_properties_namespace():
            props = self.tpl.docx.core_properties
            props.created = props.modified = FIXED_TIME
            if props.last_printed is not None:
                props.last_printed = FIXED_TIME
            props.last_modified_by, props.revision = "", 1
            buf = io.BytesIO()
            self.tpl.docx.save(buf)
        with zipfile.ZipFile(buf) as zf:
            return zf.read("docProps/core.xml")

    def render(self, ctx: Mapping[str, Any], many: tuple[jinja2.Template, Mapping[str, Any]] | None = None) -> bytes:
        """One notice; ``many``: another template for the body and its context (公示汇编 renders
        every notice's body in one loop, with the first notice's header, footer and properties)."""
        with template_errors(self.path, ctx):
            if many is not None:
                body = self._finish(many[0].render(many[1]), skip_idle_listing=True)
            else:
                body = self._finish(self.body.render(ctx))
            parts = {name: self._finish(tpl.render(ctx)) for name, tpl in self.parts.items()}
            core = self.core.render(ctx).encode("utf-8") if self.core is not None else None
        if many is not None:
            root = self._whole(body)
        else:
            tree = self.tpl.fix_tables(body)
            self.tpl.docx_ids_index = 1000
            self.tpl.fix_docpr_ids(tree)
            root = copy.deepcopy(self.skeleton)
            root.insert(self.body_index, tree)
        out = {self.main_name: _xml_bytes(root), "docProps/core.xml": core}
        for name, xml in parts.items():
            try:
                out[name] = _xml_bytes(etree.fromstring(xml.encode("utf-8")))
            except etree.XMLSyntaxError as exc:
                raise NoticeTemplateError(f"{self.path}: 模板的 {name} 部分填入内容后不是有效的文档（{exc}），请检查该部分的标记") from exc
        return stable_zip((name, out.get(name) or data) for name, data in self.members)


class NoticeRenderer:
    """Renders many notices from one template directory; each template is read once (lazily)."""

    def __init__(self, template_dir: str | Path = DEFAULT_TEMPLATE_DIR,
                 docx_name: str = DOCX_TEMPLATE, html_name: str = HTML_TEMPLATE) -> None:
        self.template_dir = Path(template_dir)
        self.docx_path = self.template_dir / docx_name
        self.html_path = self.template_dir / html_name
        self._docx_cache: dict[Path, CompiledDocx] = {}
        self._html_cache: dict[Path, jinja2.Template] = {}

    def _path(self, ctx: Mapping[str, Any], suffix: str) -> Path:
        default = self.docx_path if suffix == ".docx" else self.html_path
        stem = template_stem(ctx)
        if stem == "notice":
            return default
        path = self.template_dir / f"{stem}{suffix}"
        if path.is_file():
            return path
        if ctx.get("template"):  # named by the scheme or the caller: it must be there
            raise NoticeTemplateError(f"{path}: 找不到模板文件（方案要求使用模板“{stem}”），请把该模板放进模板文件夹，或改正方案中的 template")
        return default

    def _docx(self, path: Path) -> CompiledDocx:
        if path not in self._docx_cache:
            # no templates to include: {% include %} / {% import %} fail instead of reading files
            self._docx_cache[path] = CompiledDocx(path, environment(loader=jinja2.DictLoader({})))
        return self._docx_cache[path]

    def _html(self, path: Path) -> jinja2.Template:
        if path not in self._html_cache:
            env = environment(loader=jinja2.FileSystemLoader(self.template_dir))
            with template_errors(path):
                self._html_cache[path] = env.get_template(path.name)
        return self._html_cache[path]

    def docx_bytes(self, ctx: Mapping[str, Any]) -> bytes:
        """The rendered .docx file as bytes."""
        return self._docx_of(ctx, prepared_context(ctx))

    def html_text(self, ctx: Mapping[str, Any]) -> str:
        """The rendered HTML page."""
        return self._html_of(ctx, prepared_context(ctx))

    def both(self, ctx: Mapping[str, Any]) -> tuple[bytes, str]:
        """The .docx and the HTML of one notice, its context prepared once for both."""
        prepared = prepared_context(ctx)
        return self._docx_of(ctx, prepared), self._html_of(ctx, prepared)

    def _docx_of(self, ctx: Mapping[str, Any], prepared: dict[str, Any]) -> bytes:
        return self._docx(self._path(ctx, ".docx")).render(prepared)

    def _html_of(self, ctx: Mapping[str, Any], prepared: dict[str, Any]) -> str:
        path = self._path(ctx, ".html")
        template = self._html(path)
        with template_errors(path, prepared):
            return template.render(prepared)

    def render_docx(self, ctx: Mapping[str, Any], out_path: str | Path) -> Path:
        return _write(Path(out_path), self.docx_bytes(ctx))

    def render_html(self, ctx: Mapping[str, Any], out_path: str | Path) -> Path:
        return _write(Path(out_path), self.html_text(ctx).encode("utf-8"))


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@functools.lru_cache(maxsize=8)
def _renderer(template_dir: Path) -> NoticeRenderer:
    return NoticeRenderer(template_dir)


def render_docx(ctx: Mapping[str, Any], out_path: str | Path,
                template_dir: str | Path = DEFAULT_TEMPLATE_DIR) -> Path:
    """Render the Word notice for ``ctx`` to ``out_path`` (templates cached per directory)."""
    return _renderer(Path(template_dir).resolve()).render_docx(ctx, out_path)


def render_html(ctx: Mapping[str, Any], out_path: str | Path,
                template_dir: str | Path = DEFAULT_TEMPLATE_DIR) -> Path:
    """Render the HTML notice for ``ctx`` to ``out_path`` (templates cached per directory)."""
    return _renderer(Path(template_dir).resolve()).render_html(ctx, out_path)
