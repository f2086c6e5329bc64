"""公示汇编.docx: every notice of a run in one Word file, each in a section of its own (a new page,
numbered from — 1 — again), same bytes every run."""

from __future__ import annotations

import base64
import io
import json
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from clerk import list_rows
from click.testing import CliRunner
from test_notices import make_ctx
from viewer import INSTALL, POPPLER, SOFFICE, page_sizes, pdf_text, squeeze, to_pdf

from pingxing.publish.compilation import COMPILATION_NAME, CompilationWriter, compile_notices, write_compilation
from pingxing.publish.notices import NoticeRenderer, TemplateFieldError
from process import cli

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = str(ROOT / "templates")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def notices(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("notices")
    renderer = NoticeRenderer(ROOT / "templates")
    contexts = [make_ctx(3, title="甲支部公示"), make_ctx(20, title="乙支部公示"),
                make_ctx(2, kind="通报", contact="", title="表彰通报", red_header=True, organ="中共某某委员会")]
    paths = []
    for i, ctx in enumerate(contexts):
        paths.append(folder / f"{i}.docx")
        paths[-1].write_bytes(renderer.docx_bytes(ctx))
    return paths


def titles_of(document: docx.document.Document) -> list[str]:
    """Every title, its lines (a paragraph each) joined."""
    out: list[str] = []
    before = False
    for p in document.paragraphs:
        title = p.style.style_id == "Title"
        if title:
            out[-1:] = [out[-1] + p.text] if before else [*out[-1:], p.text]
        before = title
    return out


def sections_start_at_one(document: docx.document.Document) -> list[str]:
    """Each section's first page number (every one must be "1"), in order."""
    return [s._sectPr.find(f"{W}pgNumType").get(f"{W}start") for s in document.sections]


def notice_starts(document: docx.document.Document) -> list[str]:
    """The text of the first paragraph of each section after the first (where a notice starts)."""
    body = list(document.element.body.iterchildren(f"{W}p", f"{W}tbl"))
    out = []
    for k, el in enumerate(body[:-1]):
        if el.find(f"{W}pPr/{W}sectPr") is not None:
            after = body[k + 1]
            out.append("".join(t.text or "" for t in after.iter(f"{W}t")))
    return out


def test_every_notice_in_order_each_in_a_section_numbered_from_one(notices: list[Path]) -> None:
    document = docx.Document(io.BytesIO(compile_notices(notices)))
    titles = [p for p in document.paragraphs if p.text in ("甲支部公示", "乙支部公示", "中共某某委员会")]
    assert [p.text for p in titles] == ["甲支部公示", "乙支部公示", "中共某某委员会"]
    assert notice_starts(document) == ["乙支部公示", "中共某某委员会"]
    assert "表彰通报" in [p.text for p in document.paragraphs]
    assert len(list_rows(document)) == 4 + 21 + 3  # heading and names: 3, 20 (long names: one a line), 2
    assert sections_start_at_one(document) == ["1", "1", "1"]  # each notice's pages from — 1 —
    assert document.sections[0].footer.paragraphs[0].text == "— 1 —"
    assert document.sections[0].top_margin.mm == pytest.approx(37, abs=0.1)


def _same_bytes_twice(make: Callable[[Path], list[Path]], tmp_path: Path) -> bytes:
    """Made twice, a second apart: the same bytes, fixed zip times and document dates."""
    first = make(tmp_path / "a.docx")[0].read_bytes()
    time.sleep(1.1)
    assert make(tmp_path / "b.docx")[0].read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(first)).core_properties
    assert props.title == "公示汇编" and props.created == props.modified == datetime(2000, 1, 1, tzinfo=UTC)
    return first


def test_byte_identical_with_fixed_properties(notices: list[Path], tmp_path: Path) -> None:
    _same_bytes_twice(lambda path: write_compilation(path, notices), tmp_path)


def test_nothing_to_compile_writes_nothing(tmp_path: Path) -> None:
    assert write_compilation(tmp_path / "x.docx", []) == []
    assert not (tmp_path / "x.docx").exists()


def test_a_run_writes_the_compilation_and_lists_it(tmp_path: Path) -> None:
    out = tmp_path / "output"
    result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "examples" / "input" / "member-weighted"), "--output",
                                      str(out), "--publicity-start", "2026-12-01", "--quiet"])
    assert result.exit_code == 0, result.output
    folder = out / "member-weighted" / "2026Q4"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "公示汇编.docx" in manifest["outputs"] and "report.html" in manifest["outputs"]
    notices = sorted((folder / "notices").glob("*.docx"))
    compiled = docx.Document(str(folder / "公示汇编.docx"))
    titles = {docx.Document(str(n)).paragraphs[0].text for n in notices}
    assert len(titles) == 2 and titles <= {p.text for p in compiled.paragraphs}
    assert len(compiled.sections) == len(notices)


def test_composing_leaves_python_docx_core_properties_alone(notices: list[Path], tmp_path: Path) -> None:
    """docxcompose rebinds the ``cp`` prefix when imported; a notice rendered after a
    compilation must still have its core properties in the core-properties namespace."""
    compiled = compile_notices(notices)
    fresh = NoticeRenderer(ROOT / "templates").docx_bytes(make_ctx(2))
    for data in (compiled, fresh):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8")
        assert "custom-properties" not in core
        assert "<cp:revision>1</cp:revision>" in core



# The writer a run uses: one notice context at a time, memory flat in the number of notices.

def _branch(k: int, members: int) -> dict[str, Any]:
    """A branch's 公示 with its own title and names."""
    ctx = make_ctx(members, title=f"第{k}党支部2026年第四季度党员评星定级结果公示", branch=f"第{k}党支部")
    for row in ctx["rows"]:
        row["name"] = f"{k}支部党员{row['seq']}"
    return ctx


def _announcement() -> dict[str, Any]:
    return make_ctx(3, kind="通报", contact="", title="关于表彰2026年第四季度五星级党员的通报", red_header=True,
                    organ="中共第一机关党委", doc_number="一机党发〔2026〕8号", issuer="中共第一机关党委")


RUN = [make_ctx(10, title="第0党支部2026年第四季度党员评星定级结果公示"), _branch(1, 25), _branch(2, 1), _branch(3, 16),
       _announcement()]


def _write(path: Path, contexts: list[dict[str, Any]], template_dir: str = TEMPLATES) -> list[Path]:
    with CompilationWriter(path, template_dir) as writer:
        for ctx in contexts:
            writer.add(ctx)
    return writer.close()


def test_the_writer_has_every_title_and_every_name_in_order_each_notice_on_a_new_page(tmp_path: Path) -> None:
    path = tmp_path / COMPILATION_NAME
    assert _write(path, RUN) == [path]
    document = docx.Document(str(path))
    titles = [ctx["title"] for ctx in RUN]
    assert titles_of(document) == titles
    names = []
    lines: list[list[str]] = []
    for row in [*list_rows(document), ["序号"]]:  # one name a line, or two (the first half down the left)
        if row[0] == "序号":
            names += [line[i] for i in ((1, 4) if len(lines[0]) > 3 else (1,)) for line in lines if len(line) > i] \
                if lines else []
            lines = []
        else:
            lines.append(row)
    assert names == [row["name"] for ctx in RUN for row in ctx["rows"]]  # escaped and back: <script>, R&D "小组"
    first_lines = [ctx["title"][:5] for ctx in RUN[1:-1]]
    starts = notice_starts(document)
    assert [s[:5] for s in starts[:-1]] == first_lines and starts[-1] == "中共第一机关党委"  # the 通报: its 版头
    assert sections_start_at_one(document) == ["1"] * len(RUN)
    assert document.sections[0].footer.paragraphs[0].text == "— 1 —"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left beside it


def test_an_announcement_at_the_end_keeps_its_red_header(tmp_path: Path) -> None:
    path = _write(tmp_path / COMPILATION_NAME, RUN)[0]
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    masthead = next(p for p in paragraphs if p.text == "中共第一机关党委")
    assert masthead.style.style_id == "Masthead" and str(masthead.style.font.color.rgb) == "FF0000"
    assert "一机党发〔2026〕8号" in [p.text for p in paragraphs]
    texts = [p.text for p in paragraphs]
    last_title_line = max(i for i, t in enumerate(texts) if t and RUN[-2]["title"].endswith(t))
    assert texts.index("中共第一机关党委") > last_title_line


def test_the_writer_gives_the_same_bytes_every_time(tmp_path: Path) -> None:
    first = _same_bytes_twice(lambda path: _write(path, RUN), tmp_path)
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        core = zf.read("docProps/core.xml").decode("utf-8")
    assert "custom-properties" not in core and "<cp:revision>1</cp:revision>" in core


def test_the_writer_writes_nothing_without_notices(tmp_path: Path) -> None:
    path = tmp_path / COMPILATION_NAME
    assert CompilationWriter(path, TEMPLATES).close() == []
    assert _write(path, []) == []
    assert list(tmp_path.iterdir()) == []


def test_a_failing_notice_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / COMPILATION_NAME
    broken = make_ctx(2)
    del broken["intro"]
    with pytest.raises(TemplateFieldError, match="模板中的字段“intro”不存在"):
        _write(path, [RUN[0], RUN[-1], broken])
    assert list(tmp_path.iterdir()) == []


def test_memory_stays_flat_however_many_notices(tmp_path: Path) -> None:
    """Peak memory while writing 400 notices is about that of 100: nothing grows with the notices."""
    _write(tmp_path / "warm.docx", [_branch(0, 2)])  # templates compiled, modules imported

    def peak(count: int) -> int:
        tracemalloc.start()
        try:
            with CompilationWriter(tmp_path / f"{count}.docx", TEMPLATES) as writer:
                for k in range(count):
                    writer.add(_branch(k, 3 + k % 20))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    hundred, four_hundred = peak(100), peak(400)
    assert four_hundred < hundred * 1.2, (hundred, four_hundred)
    assert len(docx.Document(str(tmp_path / "400.docx")).sections) == 400


_PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def test_a_clerks_own_template_with_a_logo_and_a_column_loop(tmp_path: Path) -> None:
    """A template with a picture and a table whose columns come from a loop: every drawing keeps an id
    of its own, and each notice's table its own grid (docxtpl's fix_tables), as in the notice alone."""
    (tmp_path / "logo.png").write_bytes(_PIXEL)
    template = docx.Document()
    template.add_picture(str(tmp_path / "logo.png"))
    template.add_paragraph("{{ title }}")
    cells = template.add_table(rows=1, cols=3).rows[0].cells
    cells[0].text, cells[1].text, cells[2].text = "{%tc for r in rows %}", "{{ r.name }}", "{%tc endfor %}"
    template.save(str(tmp_path / "notice.docx"))
    contexts = [_branch(1, 2), _branch(2, 5), _branch(3, 3)]
    document = docx.Document(str(_write(tmp_path / "out" / COMPILATION_NAME, contexts, str(tmp_path))[0]))
    ids = [el.get("id") for el in document.element.body.iter("{*}docPr")]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert [len(t._tbl.tblGrid.findall(f"{W}gridCol")) for t in document.tables] == [2, 5, 3]
    assert [[c.text for c in t.rows[0].cells] for t in document.tables] == [
        [row["name"] for row in ctx["rows"]] for ctx in contexts]
    assert len(document.sections) == 3


@pytest.mark.skipif(not (SOFFICE and POPPLER), reason=f"LibreOffice (soffice) and poppler-utils are needed: {INSTALL}")
def test_the_writers_file_prints_one_notice_a_page_each_numbered_from_one(tmp_path: Path) -> None:
    path = _write(tmp_path / COMPILATION_NAME, RUN)[0]
    pdf = to_pdf([path], tmp_path / "pdf", tmp_path)[0]
    assert len(page_sizes(pdf)) == len(RUN)
    for page, ctx in enumerate(RUN, 1):
        text = pdf_text(pdf, page)
        assert ctx["title"] in text and text.endswith("—1—")  # every notice printed as it is alone
        assert all(squeeze(row["name"]) in text for row in ctx["rows"])
    assert pdf_text(pdf, len(RUN)).startswith("中共第一机关党委一机党发〔2026〕8号")
