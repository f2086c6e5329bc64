"""公示汇编.docx: every notice of a run in one Word file, each on a new page, same bytes every run."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from test_notices import make_ctx

from pingxing.publish.compilation import compile_notices, write_compilation
from pingxing.publish.notices import NoticeRenderer
from process import cli

ROOT = Path(__file__).resolve().parents[1]


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


def test_every_notice_in_order_each_starting_a_page(notices: list[Path]) -> None:
    document = docx.Document(io.BytesIO(compile_notices(notices)))
    titles = [p for p in document.paragraphs if p.text in ("甲支部公示", "乙支部公示", "中共某某委员会")]
    assert [p.text for p in titles] == ["甲支部公示", "乙支部公示", "中共某某委员会"]
    assert [bool(p.paragraph_format.page_break_before) for p in titles] == [False, True, True]
    assert "表彰通报" in [p.text for p in document.paragraphs]
    assert [len(t.rows) for t in document.tables] == [4, 21, 3]
    assert len(document.sections) == 1  # one page setup, one footer: pages numbered through
    assert document.sections[0].footer.paragraphs[0].text == "— 1 —"
    assert document.sections[0].top_margin.mm == pytest.approx(37, abs=0.1)


def test_byte_identical_with_fixed_properties(notices: list[Path], tmp_path: Path) -> None:
    first = write_compilation(tmp_path / "a.docx", notices)[0].read_bytes()
    time.sleep(1.1)
    second = write_compilation(tmp_path / "b.docx", notices)[0].read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(first)).core_properties
    assert props.title == "公示汇编" and props.created == props.modified == datetime(2000, 1, 1, tzinfo=UTC)


def test_nothing_to_compile_writes_nothing(tmp_path: Path) -> None:
    assert write_compilation(tmp_path / "x.docx", []) == []
    assert not (tmp_path / "x.docx").exists()


def test_a_run_writes_the_compilation_and_lists_it(tmp_path: Path) -> None:
    out = tmp_path / "output"
    result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "input" / "member-weighted"), "--output",
                                      str(out), "--publicity-start", "2026-12-01", "--quiet"])
    assert result.exit_code == 0, result.output
    folder = out / "member-weighted" / "2026Q4"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "公示汇编.docx" in manifest["outputs"] and "report.html" in manifest["outputs"]
    notices = sorted((folder / "notices").glob("*.docx"))
    compiled = docx.Document(str(folder / "公示汇编.docx"))
    titles = {docx.Document(str(n)).paragraphs[0].text for n in notices}
    assert len(titles) == 2 and titles <= {p.text for p in compiled.paragraphs}
    assert len(compiled.tables) == len(notices)


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

