"""Cost stays linear (issue 13, class 9): the shape checked on small inputs, the figures measured by
``bench/big_branch.py`` (docs/performance.md).

公示汇编's stand-in was emptied element by element: lxml moves each element out with its subtree,
node by node, in time that grew with the square of a notice's size (a branch of 10,000 members spent
70 s there; 2,500 members 1.8 s). The time is measured by ``bench/big_branch.py`` (sizes 1× to 4×,
each against the first), never asserted here: a loaded CI machine would make such a test flaky. Here:
a large notice's stand-in is emptied whole, its section settings kept. ``--jobs`` never starts more
workers than a few per core.
"""

from __future__ import annotations

import io

import docx

from pingxing.engine.pool import Runner, max_jobs
from pingxing.places import templates_dir
from pingxing.publish import composing
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


def test_a_large_notices_stand_in_is_emptied_whole() -> None:
    doc = docx.Document(io.BytesIO(_notice(4000)))
    section = doc.element.body[-1]
    composing.empty_body(doc)
    assert [el.tag for el in doc.element.body] == [f"{_W}sectPr"] and doc.element.body[0] is section


def test_jobs_are_capped_at_a_few_per_core() -> None:
    assert max_jobs() == min(4 * cpu_count(), 61)
    assert Runner(jobs=100_000).workers == max_jobs()
    assert Runner(jobs=1).workers == 1 and Runner().workers == min(cpu_count(), max_jobs())
