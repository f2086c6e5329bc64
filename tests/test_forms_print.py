"""Forms that print (issue 14): A4, landscape where wide, one page wide, the header rows and the
编号/姓名 columns on every page, a print area, a footer with the branch and the page number; the ballot
sheet a paper tally sheet; the member-weighted form in about a third of the pages it took."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from viewer import INSTALL, POPPLER, SOFFICE, page_sizes, pdf_text, to_pdf

from process import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    result = CliRunner().invoke(cli, ["forms", "--scheme", "member-weighted", "--roster", str(ROOT / "examples" / "名册.csv"),
                                      "--period", "2026Q4", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return next(out.glob("*第一党支部*.xlsx"))


def test_every_sheet_prints_a4_one_page_wide_with_its_headers_on_every_page(form: Path) -> None:
    wb = openpyxl.load_workbook(form)
    for name in ("自评", "互评", "领导点评", "职工参评", "支部评定"):
        ws = wb[name]
        setup = ws.page_setup
        assert int(setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage, name  # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), name  # one page wide, as long as it takes
        assert ws.print_title_cols == "$A:$B", name  # 编号 and 姓名 on every page
        header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "编号")
        assert ws.print_title_rows == f"$3:${header}", name  # the header (and labels above it) on every page
        last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value)
        assert ws.print_area.endswith(f"${last}"), name  # the print area: the form's rows
        assert "市质量检验检测中心第一党支部" in ws.oddFooter.left.text and "&P" in ws.oddFooter.center.text
    assert wb["自评"].page_setup.orientation == wb["互评"].page_setup.orientation == "landscape"  # wide
    assert wb["领导点评"].page_setup.orientation == "portrait"
    guide = wb["说明"].page_setup
    assert (guide.fitToWidth, guide.fitToHeight) == (1, 1)


def test_the_ballot_sheet_is_a_paper_tally_sheet(form: Path) -> None:
    ws = openpyxl.load_workbook(form)["互评"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "编号")
    assert ws.cell(header, 3).value == "票1" and ws.column_dimensions["C"].width == 6
    assert ws.row_dimensions[header + 1].height == 24  # room to write a score by hand
    assert "计票人" in ws.oddHeader.left.text and "监票人" in ws.oddHeader.left.text


@pytest.mark.skipif(not (SOFFICE and POPPLER), reason=f"LibreOffice (soffice) and poppler-utils are needed: {INSTALL}")
def test_the_member_weighted_form_prints_in_six_pages_not_fifteen(form: Path, tmp_path: Path) -> None:
    pdf = to_pdf([form], tmp_path / "pdf", tmp_path)[0]
    sizes = page_sizes(pdf)
    assert len(sizes) <= 6  # 15 before issue 14: a sheet a page, the guide on one
    assert sum(w > h for w, h in sizes) >= 2  # the wide sheets in landscape
    ballots = next(p for p in range(1, len(sizes) + 1) if "互评" in pdf_text(pdf, p) and "票30" in pdf_text(pdf, p))
    text = pdf_text(pdf, ballots)
    assert "计票人" in text and "张建国" in text and "票1" in text  # the whole tally on one page wide
