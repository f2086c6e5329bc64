"""Cost stays linear (issue 13, class 9): the shape checked on small inputs, the figures measured by
``bench/big_branch.py`` (docs/performance.md).

公示汇编's stand-in was emptied element by element: lxml moves each element out with its subtree,
node by node, in time that grew with the square of a notice's size (a branch of 10,000 members spent
70 s there; 2,500 members 1.8 s). Emptying four times the rows may now take about four times as long,
never sixteen. ``--jobs`` never starts more workers than a few per core.
"""

from __future__ import annotations

import io
import time

import docx

from pingxing.engine.pool import Runner, max_jobs
from pingxing.places import templates_dir
from pingxing.publish import compilation
from pingxing.publish.notices import NoticeRenderer
from pingxing.storage import cpu_count

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _notice(rows: int) -> bytes:
    ctx = {"file": "x", "kind": "公示", "title": "公示", "intro": "如下", "unit": "局", "branch": "支部", "period": "2026Q4",
           "period_words": "2026年第四季度", "level": "member", "publicity_days": 5, "publicity_start": "2026年12月1日",
           "publicity_end": "2026年12月5日", "contact": "电话", "issuer": "局", "issue_date": "2026年12月1日",
           "rows": [{"seq": i, "name": f"党员{i}", "unit": "局", "branch": "支部", "stars": 4, "stars_text": "★★★★",
                     "star_word": "四星", "star_names": "", "grade": "", "note": ""} for i in range(1, rows + 1)]}
    return NoticeRenderer(templates_dir()).docx_bytes(ctx)


def _emptying(data: bytes) -> float:
    best = float("inf")
    for _ in range(3):
        doc = docx.Document(io.BytesIO(data))
        started = time.perf_counter()
        compilation._empty(doc)
        best = min(best, time.perf_counter() - started)
        assert [el.tag for el in doc.element.body] == [f"{_W}sectPr"]
    return best


def test_emptying_the_compilations_stand_in_grows_linearly() -> None:
    small, large = _notice(1000), _notice(4000)
    ratio = _emptying(large) / max(_emptying(small), 1e-4)
    assert ratio < 8, f"4× the rows took {ratio:.1f}× the time (quadratic: about 16×)"


def test_jobs_are_capped_at_a_few_per_core() -> None:
    assert max_jobs() == min(4 * cpu_count(), 61)
    assert Runner(jobs=100_000).workers == max_jobs()
    assert Runner(jobs=1).workers == 1 and Runner().workers == min(cpu_count(), max_jobs())
