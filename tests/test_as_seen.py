"""The outputs as a person sees them: notices printed by LibreOffice, the report in Chromium.

One run of the sample forms (input/member-weighted), then one LibreOffice call converts
every Word file of the test to PDF (about 2 s each); poppler reads the pages and the text.
Skipped, with the reason, where LibreOffice, poppler or Chromium is missing (.ci/run
installs them).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from viewer import (
    CHROMIUM,
    INSTALL,
    POPPLER,
    SOFFICE,
    dom_and_console,
    is_a4_portrait,
    page_sizes,
    pdf_text,
    squeeze,
    to_pdf,
)

from pingxing.publish.notices import NoticeRenderer
from process import cli

ROOT = Path(__file__).resolve().parents[1]
needs_office = pytest.mark.skipif(not (SOFFICE and POPPLER),
                                  reason=f"LibreOffice (soffice) and poppler-utils are needed: {INSTALL}")
needs_chromium = pytest.mark.skipif(not CHROMIUM, reason=f"headless Chromium is needed: {INSTALL}")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample member-weighted forms rated and published; the period folder."""
    out = tmp_path_factory.mktemp("seen") / "output"
    result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "examples" / "input" / "member-weighted"), "--output",
                                      str(out), "--publicity-start", "2026-12-01", "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "member-weighted" / "2026Q4"


def _names_by_title(folder: Path) -> dict[str, list[str]]:
    """Each notice's title and the names it must list (from results.csv, by branch)."""
    with (folder / "results.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    out: dict[str, list[str]] = {}
    for branch in dict.fromkeys(r["branch"] for r in rows):
        names = [r["name"] for r in rows if r["branch"] == branch]
        unit = next(r["unit"] for r in rows if r["branch"] == branch)
        out[f"{unit}{branch}2026年第四季度党员评星定级结果公示"] = names
    return out


def _ctx(n: int, **changes: Any) -> dict[str, Any]:
    words = ["无星", "一星", "二星", "三星", "四星", "五星"]
    rows = [{"seq": i + 1, "name": f"党员{i + 1:02d}", "unit": "第一机关党委", "branch": "第一党支部",
             "stars": 5 - i % 6, "stars_text": "★" * (5 - i % 6), "star_word": words[5 - i % 6],
             "star_names": "", "grade": "", "note": ""} for i in range(n)]
    ctx = {"kind": "公示", "title": "第一机关党委第一党支部2026年第四季度党员评星定级结果公示",
           "intro": "根据《党员评星定级实施方案》，经党员自评、党员互评、领导点评、职工参评和支部评定，现将评定结果公示如下：",
           "unit": "第一机关党委", "branch": "第一党支部", "period": "2026Q4", "period_words": "2026年第四季度",
           "level": "member", "rows": rows, "publicity_days": 5, "publicity_start": "2026年12月1日",
           "publicity_end": "2026年12月6日",
           "contact": "如有异议，请于公示期内向党支部反映。联系人：王芳，电话：0851-12345678",
           "issuer": "中共第一机关党委第一党支部委员会", "issue_date": "2026年12月1日"}
    ctx.update(changes)
    return ctx


@pytest.fixture(scope="module")
def pdfs(run: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not (SOFFICE and POPPLER):
        pytest.skip(f"LibreOffice (soffice) and poppler-utils are needed: {INSTALL}")
    scratch = tmp_path_factory.mktemp("office")
    renderer = NoticeRenderer(ROOT / "templates")
    extra = {
        "long": _ctx(25, title="第一机关党委第一党支部2026年第四季度党员评星定级结果公示（二十五人）"),
        "announcement": _ctx(6, kind="通报", contact="", title="关于表彰2026年第四季度五星级党员的通报",
                             red_header=True, organ="中共第一机关党委", doc_number="一机党发〔2026〕8号",
                             issuer="中共第一机关党委"),
    }
    docs = {}
    for name, ctx in extra.items():
        docs[name] = scratch / f"{name}.docx"
        docs[name].write_bytes(renderer.docx_bytes(ctx))
    for path in sorted((run / "notices").glob("*.docx")):
        docs[path.stem] = path
    docs["compilation"] = run / "公示汇编.docx"
    docs["results"] = run / "results.xlsx"
    pdf_list = to_pdf(list(docs.values()), scratch / "pdf", scratch)
    return dict(zip(docs, pdf_list, strict=True))


@needs_office
def test_every_notice_is_one_a4_page_with_its_title_and_every_name(run: Path, pdfs: dict[str, Path]) -> None:
    expected = _names_by_title(run)
    notices = [name for name in pdfs if name.endswith("公示")]
    assert len(notices) == len(expected) == 2
    for name in notices:
        sizes = page_sizes(pdfs[name])
        assert len(sizes) == 1 and is_a4_portrait(sizes[0]), (name, sizes)
        text = pdf_text(pdfs[name])
        title = next(t for t in expected if t in text)
        assert all(person in text for person in expected[title]), name
        assert "公示时间：2026年12月1日至12月3日（3天）" in text
        assert "—1—" in text  # the page number
        assert "93.84" not in text  # names and stars, never scores


@needs_office
def test_twenty_five_names_still_fit_on_one_page(pdfs: dict[str, Path]) -> None:
    assert len(page_sizes(pdfs["long"])) == 1
    text = pdf_text(pdfs["long"])
    assert all(f"党员{i:02d}" in text for i in range(1, 26))
    assert "中共第一机关党委第一党支部委员会2026年12月1日" in text  # the signature block made it too


@needs_office
def test_announcement_with_red_header(pdfs: dict[str, Path]) -> None:
    assert len(page_sizes(pdfs["announcement"])) == 1
    text = pdf_text(pdfs["announcement"])
    assert text.startswith("中共第一机关党委一机党发〔2026〕8号关于表彰2026年第四季度五星级党员的通报")
    assert "公示时间" not in text


@needs_office
def test_compilation_has_every_notice_each_on_its_own_page(run: Path, pdfs: dict[str, Path]) -> None:
    expected = list(_names_by_title(run))
    sizes = page_sizes(pdfs["compilation"])
    assert len(sizes) == len(expected) and all(is_a4_portrait(s) for s in sizes)
    for page, title in enumerate(expected, 1):  # in the order of the notices
        assert title in pdf_text(pdfs["compilation"], page)
        assert pdf_text(pdfs["compilation"], page).endswith("—1—")  # each notice numbered as it is alone


@needs_office
def test_results_workbook_prints_landscape_one_page_wide(pdfs: dict[str, Path]) -> None:
    sizes = page_sizes(pdfs["results"])
    assert sizes and all(w > h for w, h in sizes)  # A4 landscape
    text = pdf_text(pdfs["results"], 1)
    assert "综合得分" in text and "说明" in text  # the last column is on the first page
    assert "第1页" in text


@needs_chromium
def test_report_draws_its_charts_in_chromium_offline(run: Path, tmp_path: Path) -> None:
    dom, console = dom_and_console(run / "report.html", tmp_path)
    assert console == []
    assert dom.count('<ul class="bars"') >= 2  # distribution, per branch (bars of HTML: they fit any width)
    assert dom.count('class="fill') >= 6
    assert "星级分布" in dom
    assert squeeze("市质量检验检测中心第一党支部") in squeeze(dom)
    html = (run / "report.html").read_text(encoding="utf-8")
    assert not any(s in html for s in ("http://", "https://", "<script", "<link", "src=", "@import", "url("))


@needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
def test_report_fits_a_phone_and_a_desk_screen_nothing_cut(width: int, tmp_path: Path) -> None:
    """At 390 px (a phone) and 1280 px: nothing in the page reaches past the window's width (nothing
    to scroll sideways, nothing cut). Headless Chromium lays pages out at least 500 px wide, so a
    copy of the page is held to the width (the phone's styles apply below 640 px) and one line of
    script reads how far its boxes reach."""
    from demo_run import branch_bands_with_history
    from viewer import chromium

    folder = branch_bands_with_history(tmp_path / "run")
    probe = folder / "probe.html"
    page = (folder / "report.html").read_text(encoding="utf-8")
    script = ("<style>html { width: " + str(width) + "px; overflow: hidden; }</style><script>var far = 0;"
              "document.querySelectorAll('main *').forEach(function (e) {"
              "far = Math.max(far, e.getBoundingClientRect().right); });"
              "document.title = 'W' + Math.ceil(far);</script></body>")
    probe.write_text(page.replace("</body>", script), encoding="utf-8")
    dom = chromium(probe, tmp_path, f"--window-size={max(width, 500)},900", "--dump-dom").stdout
    found = re.search(r"<title>W(\d+)</title>", dom)
    assert found, dom[:300]
    assert int(found.group(1)) <= width, found.group(1)
    for section in ("星级分布", "各单位分布", "五星比例与目标", "与上期比较", "结果运用"):
        assert section in dom


@needs_chromium
def test_notice_page_opens_without_console_messages(run: Path, tmp_path: Path) -> None:
    page = min((run / "notices").glob("*.html"))
    dom, console = dom_and_console(page, tmp_path)
    assert console == [] and "<table" in dom and "公示时间" in dom
