"""The quick ways a run takes give exactly what the plain ways give (README, *Performance*)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_notices import make_ctx

from pingxing import validate as v
from pingxing.onefile import FileJob, assess_file
from pingxing.parallel import Runner, aside
from pingxing.publish.compilation import CompilationJob, compile_notices, render_compilation
from pingxing.publish.notices import NoticeRenderer

ROOT = Path(__file__).resolve().parents[1]


def test_the_compilation_rendered_in_one_loop_is_the_notices_joined_one_by_one() -> None:
    """公示汇编 from the contexts (each template's notices in one docxtpl loop, the runs joined with
    docxcompose) has the same bytes as the finished notices joined one at a time."""
    contexts = [make_ctx(3, title="甲支部公示"), make_ctx(20, title="乙支部公示"),
                make_ctx(2, kind="通报", contact="", title="表彰通报", red_header=True, organ="中共某某委员会"),
                make_ctx(4, title="丙支部公示（更正）", intro="经核查，对原公示更正如下。\n现予公示：")]
    renderer = NoticeRenderer(ROOT / "templates")
    joined = compile_notices([renderer.docx_bytes(ctx) for ctx in contexts])
    assert render_compilation(CompilationJob(str(ROOT / "templates"), contexts)) == joined
    assert render_compilation(CompilationJob(str(ROOT / "templates"), contexts[:1])) == compile_notices(
        [renderer.docx_bytes(contexts[0])])


def _read(path: Path) -> Any:
    outcome = assess_file(FileJob(str(path), path.name))
    return outcome.record, outcome.data, outcome.problems


@pytest.mark.parametrize("folder", ["input", "tests/fixtures/bad", "tests/fixtures/good"])
def test_rows_of_scores_read_in_one_go_as_cell_by_cell(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in sorted(p for p in (ROOT / folder).rglob("*") if p.is_file()):
        quick = _read(path)
        with monkeypatch.context() as m:
            m.setattr(v, "_SCORE_TYPES", frozenset())  # every row cell by cell
            plain = _read(path)
        assert quick == plain, path.name


def _fails(message: str) -> None:
    raise ValueError(message)


def test_aside_gives_the_result_or_the_error_of_a_forked_child() -> None:
    assert aside(sum, [1, 2, 3]).result() == 6
    with pytest.raises(ValueError, match="no table"):
        aside(_fails, "no table").result()
    assert aside(sum, [4], fork=False).result() == 4


def test_started_work_comes_back_in_order() -> None:
    for runner in (Runner(jobs=1), Runner(jobs=2)):
        assert list(runner.start(abs, [-3, 2, -1, 0])) == [3, 2, 1, 0]
        assert runner.submit(abs, -5).result() == 5
