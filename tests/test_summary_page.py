"""情况汇总: one page for the leader — counts, the five-star share against the target (saying what
it is of), the change from the last period, the lists' counts, the workbooks still missing, and a
chart that is a real chart (issue 14)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from demo_run import branch_bands_with_history
from viewer import INSTALL, POPPLER, SOFFICE, page_sizes, pdf_text

from pingxing.publish.chase import Owed
from pingxing.publish.summary_page import SUMMARY_NAME, share_text, write_summary
from process import cli

ROOT = Path(__file__).resolve().parents[1]


def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.fixture(scope="module")
def five_stars(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("summary") / "output"
    result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "examples" / "input" / "branch-five-stars"), "--output", str(out),
                                      "--publicity-start", "2026-12-01", "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "branch-five-stars" / "2026"


def test_the_page_says_the_counts_the_share_and_its_base_and_the_lists(five_stars: Path) -> None:
    text = _text(five_stars / SUMMARY_NAME)
    assert text.startswith("五星级党支部评定2026年度评定情况汇总")
    assert "本期参评党支部8个，已评定8个。其中五星1个（12.5%）；四星3个（37.5%）；三星3个（37.5%）；一星1个（12.5%）（百分比为占参评总数的比例）。" in text
    assert "五星党支部1个，占已评定星级的8个的12.5%（不含取消资格和待补全）。" in text
    assert "三、结果运用\n诫勉谈话1个，不得评为优秀1个。" in text
    assert "四、尚未交回的表格\n无。" in text


def test_the_chart_is_a_native_chart_with_its_numbers(five_stars: Path) -> None:
    with zipfile.ZipFile(five_stars / SUMMARY_NAME) as zf:
        chart = zf.read("word/charts/chart1.xml").decode("utf-8")
        names = zf.namelist()
    assert "<c:barChart>" in chart and "<c:v>五星</c:v>" in chart and "星级分布（共8个）" in chart
    assert "word/embeddings/Microsoft_Excel_Worksheet1.xlsx" in names  # Word's 编辑数据 opens the numbers


def test_target_and_previous_period(tmp_path: Path) -> None:
    folder = branch_bands_with_history(tmp_path)
    text = _text(folder / SUMMARY_NAME)
    assert "目标80%，尚未达到目标" in text
    assert "与上期比较" in text and "五星" in text


def test_the_workbooks_still_missing_are_named(tmp_path: Path) -> None:
    from pingxing.publish.samples import sample_group

    group = sample_group()
    missing = [Owed("示例单位", f"第{k}党支部", "表格", 5, None, f"x{k}.xlsx") for k in range(1, 11)]
    path = write_summary(tmp_path, group, date(2026, 12, 1), ROOT / "templates",
                         {"诫勉谈话": 1}, missing)
    text = _text(path)
    assert "示例单位第1党支部、示例单位第2党支部" in text and "等10处共10份，请督促交回。" in text
    assert "诫勉谈话1名" in text


def test_many_units_marked_are_counted_and_the_page_stays_one(tmp_path: Path) -> None:
    """A province's campaign with forty units marked 不得评为优秀: the first eight named, the rest
    counted (all of them are in the internal document); the page stays one page."""
    from pingxing.publish.samples import sample_group

    group = sample_group()
    group.units = {f"第{k:02d}区直机关工委": ["不得评为优秀（5个支部中4个为3星及以下）"] for k in range(1, 41)}
    path = write_summary(tmp_path, group, date(2026, 12, 1), ROOT / "templates", {"诫勉谈话": 1}, [])
    text = _text(path)
    assert "第08区直机关工委：不得评为优秀（5个支部中4个为3星及以下）等40个单位（详见内部名单）。" in text
    assert "第09区直机关工委" not in text
    if SOFFICE and POPPLER:
        from pingxing.publish.pdf import PdfStep, find_converter

        with PdfStep(find_converter() or "", tmp_path / "work", 1) as step:
            step.add(str(path), str(path.with_suffix(".pdf")), "情况汇总", "single")
            assert not any(c.failed for _, c in step.finish())
        assert len(page_sizes(path.with_suffix(".pdf"))) == 1


def test_shares_are_rounded_as_everywhere() -> None:
    assert share_text(1, 8) == "12.5" and share_text(1, 3) == "33.3" and share_text(2, 3) == "66.7"
    assert share_text(0, 0) == "0"


@pytest.mark.skipif(not (SOFFICE and POPPLER), reason=f"LibreOffice (soffice) and poppler-utils are needed: {INSTALL}")
def test_one_page_with_its_pdf(tmp_path: Path) -> None:
    out = tmp_path / "output"
    result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "examples" / "input" / "branch-five-stars"), "--output", str(out),
                                      "--publicity-start", "2026-12-01", "--quiet"], env={"PINGXING_NO_PDF": ""})
    assert result.exit_code == 0, result.output
    pdf = out / "branch-five-stars" / "2026" / "情况汇总.pdf"
    assert len(page_sizes(pdf)) == 1
    text = pdf_text(pdf)
    assert "星级分布（共8个）" in text and "12.5%" in text
