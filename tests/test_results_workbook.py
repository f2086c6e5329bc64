"""results.xlsx as a clerk opens it and a leader prints it: a title row, frozen header, filters,
fitted widths, only the columns the scheme fills, coloured stars, a 统计 sheet with a chart, print
setup (never below 9 pt), and problems that link to the cell to fix."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from demo_run import BROKEN, branch_bands_with_history
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return branch_bands_with_history(tmp_path_factory.mktemp("xlsx"))


@pytest.fixture(scope="module")
def wb(folder: Path):  # type: ignore[no-untyped-def]
    return load_workbook(folder / "results.xlsx")


def _header(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[2]]  # under the title row


def test_results_sheet_layout(wb) -> None:  # type: ignore[no-untyped-def]
    assert wb.sheetnames == ["评定结果", "统计", "问题清单"]
    ws = wb["评定结果"]
    header = _header(ws)
    # a branch scheme: its name once (no 名称 beside 支部)
    assert header == ["单位", "编号", "支部", "自查", "考核", "综合得分", "星级", "星级(数字)", "命名星", "等次", "上期星级",
                      "升降", "结果运用", "状态", "说明"]
    assert ws["A1"].value == "党支部建设星级管理（百分制考核定星）　2025—2026年度评定结果　　2027年1月5日"
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:O{ws.max_row}"
    first = {h: c.value for h, c in zip(header, ws[3], strict=False)}
    assert first["星级"] == "★★★★★ 五星" and first["星级(数字)"] == 5 and first["综合得分"] == pytest.approx(96.5)
    # widths fitted to Chinese text: two Excel columns per character
    longest_unit = max(len(c.value) for c in ws["A"][2:])
    assert ws.column_dimensions["A"].width >= 2 * longest_unit
    assert ws.column_dimensions["G"].width >= 2 * len("★★★★★ 五星") - 2
    assert ws.column_dimensions["H"].hidden  # the number behind the ★: its colours and sorting, not shown
    assert ws.column_dimensions["I"].hidden and ws.column_dimensions["J"].hidden  # 命名星, 等次: the scheme gives none
    reason = next(row[14] for row in ws.iter_rows(min_row=3) if row[14].value)
    assert reason.alignment.wrap_text  # 说明 wraps


def test_no_column_the_scheme_leaves_empty_and_the_print_never_below_9pt(wb) -> None:  # type: ignore[no-untyped-def]
    from pingxing.publish.workbook import PRINT_WIDTH

    for ws in wb.worksheets:
        shown = [d.width for d in ws.column_dimensions.values() if not d.hidden and d.width]
        assert sum(w + 0.7 for w in shown) <= PRINT_WIDTH + 1, ws.title  # one page wide at 82 % of 11 pt
    ws = wb["评定结果"]
    for col in range(1, ws.max_column + 1):
        letter = ws.cell(2, col).column_letter
        if not ws.column_dimensions[letter].hidden:
            assert any(ws.cell(r, col).value not in (None, "") for r in range(3, ws.max_row + 1)), ws.cell(2, col).value


def test_stars_are_coloured_by_level(wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["评定结果"]
    rules = {rule.formula[0]: rule for cf in ws.conditional_formatting for rule in cf.rules
             if cf.sqref and str(cf.sqref).startswith("H")}
    rules = {rule.formula[0]: rule for cf in ws.conditional_formatting for rule in cf.rules
             if cf.sqref and str(cf.sqref).startswith("G")}
    assert set(rules) == {f"$H3={s}" for s in range(6)}
    five, none = rules["$H3=5"].dxf, rules["$H3=0"].dxf
    assert five.font.color.rgb.endswith("9C0006") and five.font.b
    assert any(str(c.rgb).endswith("FFE699") for c in (five.fill.fgColor, five.fill.bgColor))
    assert none.font.color.rgb.endswith("808080")


def test_print_setup(wb) -> None:  # type: ignore[no-untyped-def]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)  # 1 wide is the default
    assert all(ws.print_title_rows == "$1:$2" for ws in wb.worksheets)  # title and header on every page


def test_statistics_sheet_counts_by_unit_and_star_level_with_a_chart(folder: Path, wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["统计"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[1] == ["单位", "五星", "四星", "三星", "二星", "一星", "无星", "取消资格", "待补全", "合计",
                       "五星比例（占已评定星级的）"]
    units = {r[0]: r[1:] for r in rows[2:] if r[0]}
    assert units[BROKEN][7] == 1  # the broken form's branch is 待补全
    total = units["合计"]
    assert total[8] == 8 and sum(total[:8]) == 8
    assert total[9] == pytest.approx(total[0] / sum(total[:6]))
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)  # numbers, never formulas
    with zipfile.ZipFile(folder / "results.xlsx") as zf:
        chart = zf.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<c:barChart>" in chart and "统计!$B$2:$I$2" in chart and "星级分布" in chart  # native, from the 合计 row


def test_problems_link_to_the_file_and_cell(folder: Path, wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["问题清单"]
    assert _header(ws)[:6] == ["文件", "工作表", "单元格", "人员/支部", "级别", "问题及处理办法"]
    row = next(r for r in ws.iter_rows(min_row=3) if r[2].value == "D7")
    file_link, cell_link = row[0].hyperlink, row[2].hyperlink
    assert file_link.target.replace("\\", "/") == f"../../../input/{row[0].value}"
    assert (folder / file_link.target.replace("\\", "/")).resolve().exists()  # relative to results.xlsx
    assert cell_link.location == "'考核'!D7"
    assert row[5].value.startswith("“1.2”未填写")


def test_same_bytes_on_a_second_run(folder: Path, tmp_path: Path) -> None:
    time.sleep(1.1)
    again = branch_bands_with_history(tmp_path)
    assert (again / "results.xlsx").read_bytes() == (folder / "results.xlsx").read_bytes()
