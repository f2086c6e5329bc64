"""report.html: the star distribution, the target, the previous period, problems, links."""

from __future__ import annotations

import re
import shutil
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from demo_run import BROKEN, PREVIOUS_STARS, branch_bands_with_history

from pingxing.problems import Problem
from pingxing.publish.chase import Owed
from pingxing.publish.notices import NoticeTemplateError, TemplateFieldError
from pingxing.publish.report import render_report, report_context, write_report
from pingxing.rate.entities import Entity
from pingxing.rate.rating import Rating

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return branch_bands_with_history(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def html(folder: Path) -> str:
    return (folder / "report.html").read_text(encoding="utf-8")


def _group(stars: list[int | None], units: list[str] | None = None, problems: list[Problem] | None = None,
           target: Any = None, level: str = "member") -> SimpleNamespace:
    ratings = []
    for i, s in enumerate(stars):
        unit = (units or ["一机关党委"])[i % len(units or ["x"])]
        e = Entity(unit=unit, branch="第一党支部", branch_id="b1", id=f"{i:03d}", name=f"党员{i}")
        status = "incomplete" if s is None else "rated"
        ratings.append(Rating(e, level, status, stars=s))
    scheme = SimpleNamespace(name="demo", title="演示方案", level=level, target=target)
    return SimpleNamespace(scheme=scheme, period="2026Q4", ratings=ratings, problems=problems or [], forms=[])


def _job(title: str, stem: str, kind: str = "公示") -> SimpleNamespace:
    return SimpleNamespace(stem=stem, ctx={"title": title, "kind": kind})


def test_counts_target_and_previous_period(folder: Path, html: str) -> None:
    assert "党支部建设星级管理（百分制考核定星）2025—2026年度评定情况" in html
    # 8 branches: one incomplete (the broken form), the rest by their stars
    assert re.search(r"<b>8</b><span>参评党支部</span>", html)
    assert re.search(r"<b>1</b><span>待补全</span>", html)
    assert "目标 80%" in html  # the scheme's target: five stars for 80 %
    assert '<section id="previous">' in html
    assert f"上期（{len(PREVIOUS_STARS)}）" in html


def test_problems_are_grouped_by_form_with_what_to_do(html: str) -> None:
    groups = re.findall(r"<h3>(.*?) <small>(.*?)</small></h3>", html)
    assert groups[0][0] == BROKEN and "考核评定.xlsx" in groups[0][1] and "错误 2" in groups[0][1]
    first = html[html.index("<h3>" + BROKEN):]
    first = first[:first.index("</table>")]
    assert "考核!D7" in first and "考核!E7" in first
    assert "请补填分数" in first  # what to do, from the problem's message
    assert "暂不生成公示" in html  # the withheld notice is said too


def test_links_to_every_notice_and_the_compilation(folder: Path, html: str) -> None:
    for docx in sorted((folder / "notices").glob("*.docx")):
        assert f'href="notices/{_quoted(docx.stem)}.docx"' in html
        assert f'href="notices/{_quoted(docx.stem)}.html"' in html
    assert 'href="%E5%85%AC%E7%A4%BA%E6%B1%87%E7%BC%96.docx">公示汇编（文档）</a>' in html
    assert '<a href="%E6%83%85%E5%86%B5%E6%B1%87%E6%80%BB.docx">情况汇总（文档）</a>' in html


def _quoted(stem: str) -> str:
    from urllib.parse import quote

    return quote(stem)


def test_report_is_self_contained_and_the_same_every_run(folder: Path, html: str, tmp_path: Path) -> None:
    assert not any(s in html for s in ("http://", "https://", "<script", "<link", "src=", "@import", "url("))
    assert html.count('<ul class="bars"') == 4  # distribution, units, share, previous
    assert '<html lang="zh-CN">' in html and '<meta name="viewport"' in html and "@page { size: A4" in html
    time.sleep(1.1)
    again = branch_bands_with_history(tmp_path)
    assert (again / "report.html").read_text(encoding="utf-8") == html


def test_no_target_and_no_history_draw_nothing_for_them(tmp_path: Path) -> None:
    group = _group([5, 4, 4, 3, None])
    write_report(tmp_path, group, [_job("甲公示", "甲-公示")])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "方案未设定五星比例目标" in html and "五星占已评定星级的比例（不含取消资格和待补全）" in html
    assert '<section id="previous">' not in html and "与上期比较" not in html
    assert "公示汇编" not in html  # no compilation in the folder: no link to one


def test_previous_mapping_is_compared(tmp_path: Path) -> None:
    ctx = report_context(_group([5, 5, 4, 3]), previous={5: 1, 4: 2, "3": 1})
    rows = {r["label"]: (r["prev"], r["now"], r["delta"]) for r in ctx["previous"]["rows"]}
    assert rows["五星"] == (1, 2, 1) and rows["四星"] == (2, 1, -1) and rows["三星"] == (1, 1, 0)
    html = render_report(ctx)
    assert "1 → 2（+1）" in html and "2 → 1（-1）" in html


def test_target_share_per_unit(tmp_path: Path) -> None:
    target = SimpleNamespace(stars=5, share=0.5)
    ctx = report_context(_group([5, 4, 5, 5], units=["甲", "乙"], target=target))
    share = ctx["share"]
    assert share["goal"] == "50"
    assert [(r["name"], r["count"], r["rated"], r["percent"], r["met"]) for r in share["rows"]] == [
        ("全部", 3, 4, "75.0", True), ("乙", 1, 2, "50.0", True), ("甲", 2, 2, "100.0", True)]  # units sorted
    # one way to write a share everywhere (report, 情况汇总, internal document): one decimal; the target as set


def test_grades_only_scheme_shows_the_grades() -> None:
    group = _group([None, None])
    for r, grade in zip(group.ratings, ["优秀", "合格"], strict=False):
        r.status, r.grade = "rated", grade
    ctx = report_context(group)
    assert not ctx["has_stars"] and ctx["share"] is None
    assert [b["label"] for b in ctx["overall"]] == ["优秀", "合格"]
    assert "等次分布" in render_report(ctx)


def test_values_are_escaped() -> None:
    group = _group([5], units=["<script>alert(1)</script>"],
                   problems=[Problem("damaged-file", "<b>改</b>", file="a&b.xlsx", sheet="表", cell="A1")])
    html = render_report(report_context(group))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;改&lt;/b&gt;" in html and "a&amp;b.xlsx" in html


def test_unknown_field_in_report_template_fails_clearly(tmp_path: Path) -> None:
    shutil.copy(TEMPLATES / "report.html", tmp_path / "report.html")
    path = tmp_path / "report.html"
    path.write_text(path.read_text(encoding="utf-8").replace("{{ scheme_title }}", "{{ scheme_titel }}"),
                    encoding="utf-8")
    with pytest.raises(TemplateFieldError, match=r"report\.html: 模板中的字段“scheme_titel”不存在"):
        render_report(report_context(_group([5])), tmp_path)
    path.write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(NoticeTemplateError, match=r"report\.html: 模板中有不允许的写法（SecurityError"):
        render_report(report_context(_group([5])), tmp_path)


def test_the_report_fields_are_documented() -> None:
    """A clerk restyling a template finds every field in docs/templates.md (the notices' fields too)."""
    from test_notices import make_ctx

    from pingxing.publish.notices import OPTIONAL_FIELDS

    section = (TEMPLATES.parent / "docs" / "templates.md").read_text(encoding="utf-8")
    ctx = report_context(_group([5, None], target=SimpleNamespace(stars=5, share=0.8)), previous={5: 1})
    fields = set(ctx) | set(make_ctx(1)) | set(make_ctx(1)["rows"][0]) | set(OPTIONAL_FIELDS)
    assert sorted(f for f in fields if f"`{f}`" not in section) == []


def test_every_word_a_clerk_sees_is_chinese(html: str) -> None:
    """No scheme slug, no English word in what the page shows (tags, styles and links aside)."""
    visible = re.sub(r"(?s)<style>.*?</style>|<[^>]+>", " ", html)
    visible = re.sub(r"\S+\.xlsx|[A-Za-z]+\d+", " ", visible)  # forms' file names and 编号 (CZ02): the clerk's own
    assert "branch-bands" not in visible
    visible = re.sub(r"\b(register|forms|history import|run)\b", " ", visible)  # commands a problem says to run
    assert not re.findall(r"[A-Za-z]{2,}", visible)


def test_the_lists_with_a_link_to_the_internal_document(tmp_path: Path) -> None:
    (tmp_path / "internal").mkdir()
    (tmp_path / "internal" / "内部名单.docx").write_bytes(b"x")
    group = _group([5, 4, 1, 1])
    write_report(tmp_path, group, [_job("甲公示", "甲-公示")], actions={"诫勉谈话": 1, "警告": 2, "通报表彰": 1})
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    lists = html[html.index('<section id="lists">'):html.index("</section>", html.index('<section id="lists">'))]
    assert re.findall(r"</span> (\S+) <b>(\d+)</b>", lists) == [("通报表彰", "1"), ("诫勉谈话", "1"), ("警告", "2")]
    assert 'href="internal/%E5%86%85%E9%83%A8%E5%90%8D%E5%8D%95.docx"' in lists


def test_the_workbooks_still_missing_are_listed(tmp_path: Path) -> None:
    owed = [Owed("甲单位", "第一党支部", "支部自评", 7, date(2026, 11, 20), "甲.xlsx"),
            Owed("乙单位", "", "考核评定", 3, date(2026, 11, 21), "乙.xlsx")]
    write_report(tmp_path, _group([5]), missing=owed)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "尚未交回的表格（2 份）" in html  # the 催交 list: by unit and branch, what is owed, since when
    assert ('<td>甲单位</td><td>第一党支部</td><td>支部自评<br><span class="file">甲.xlsx</span></td>'
            "<td>2026年11月20日</td>") in html
    assert "<td>乙单位</td><td>各支部</td><td>考核评定" in html
