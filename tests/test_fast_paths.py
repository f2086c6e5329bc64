"""The quick ways a run takes give exactly what the plain ways give (docs/performance.md)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest
from test_notices import make_ctx

from pingxing.publish.compilation import CompilationJob, compile_notices, render_compilation
from pingxing.publish.notices import NoticeRenderer
from pingxing.validate import rows as sheet_rows
from pingxing.validate.onefile import FileJob, assess_file

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _blocks(data: bytes) -> list[tuple[str | None, bool, str]]:
    """The body as a reader sees it: each paragraph (style, starts a page — the one before ended a
    section, text) and table (its text)."""
    body = docx.Document(io.BytesIO(data)).element.body
    out = []
    broke = False
    for el in body.iterchildren(f"{W}p", f"{W}tbl"):
        text = "".join(t.text or "" for t in el.iter(f"{W}t"))
        if el.tag == f"{W}p":
            style = el.find(f"{W}pPr/{W}pStyle")
            out.append((None if style is None else style.get(f"{W}val"), broke, text))
            broke = el.find(f"{W}pPr/{W}sectPr") is not None
        else:
            out.append(("tbl", broke, text))
            broke = False
    return out


def test_the_compilation_streamed_from_contexts_reads_as_the_notices_joined_one_by_one() -> None:
    """公示汇编 from the contexts (the 公示 streamed by their template, the 通报 joined with docxcompose)
    has the same paragraphs and tables, in the same order, each notice from a new page, as the
    finished notices joined one at a time with docxcompose."""
    contexts = [make_ctx(3, title="甲支部公示"), make_ctx(20, title="乙支部公示"),
                make_ctx(2, kind="通报", contact="", title="表彰通报", red_header=True, organ="中共某某委员会"),
                make_ctx(4, title="丙支部公示（更正）", intro="经核查，对原公示更正如下。\n现予公示：")]
    renderer = NoticeRenderer(ROOT / "templates")
    for some in (contexts, contexts[:1]):
        joined = _blocks(compile_notices([renderer.docx_bytes(ctx) for ctx in some]))
        streamed = _blocks(render_compilation(CompilationJob(str(ROOT / "templates"), some)))
        assert streamed == joined
        starts = [text for _, new_page, text in streamed if new_page]
        assert starts == ["乙支部公示", "中共某某委员会", "丙支部公示（更正）"][:len(some) - 1]
        assert _sections(streamed_bytes := render_compilation(CompilationJob(str(ROOT / "templates"), some))) \
            == _sections(compile_notices([renderer.docx_bytes(ctx) for ctx in some])) == len(some)
        assert streamed_bytes


def _sections(data: bytes) -> int:
    """Sections numbered from 1 (every notice's pages start at — 1 —)."""
    sections = docx.Document(io.BytesIO(data)).sections
    assert all(s._sectPr.find(f"{W}pgNumType").get(f"{W}start") == "1" for s in sections)
    return len(sections)


def _read(path: Path) -> Any:
    outcome = assess_file(FileJob(str(path), path.name))
    return outcome.record, outcome.data, outcome.problems


@pytest.mark.parametrize("folder", ["input", "tests/fixtures/bad", "tests/fixtures/good"])
def test_rows_of_scores_read_in_one_go_as_cell_by_cell(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in sorted(p for p in (ROOT / folder).rglob("*") if p.is_file()):
        quick = _read(path)
        with monkeypatch.context() as m:
            m.setattr(sheet_rows, "_SCORE_TYPES", frozenset())  # every row cell by cell
            plain = _read(path)
        assert quick == plain, path.name


