"""results.xlsx as a clerk opens it: frozen header, filters, fitted widths, coloured stars,
a 统计 sheet, print setup, and problems that link to the cell to fix."""

from __future__ import annotations

import time
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
    return [c.value for c in ws[1]]


def test_results_sheet_layout(wb) -> None:  # type: ignore[no-untyped-def]
    assert wb.sheetnames == ["评定结果", "统计", "问题清单"]
    ws = wb["评定结果"]
    header = _header(ws)
    assert header == ["单位", "支部", "编号", "名称", "自查", "考核", "综合得分", "星级", "星级(数字)", "命名星", "等次",
                      "上期星级", "升降", "结果运用", "状态", "说明"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
    first = {h: c.value for h, c in zip(header, ws[2], strict=False)}
    assert first["星级"] == "★★★★★ 五星" and first["星级(数字)"] == 5 and first["综合得分"] == pytest.approx(96.5)
    # widths fitted to Chinese text: two Excel columns per character
    longest_unit = max(len(c.value) for c in ws["A"][1:])
    assert ws.column_dimensions["A"].width >= 2 * longest_unit
    assert ws.column_dimensions["H"].width >= 2 * len("★★★★★ 五星") - 2


def test_stars_are_coloured_by_level(wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["评定结果"]
    rules = {rule.formula[0]: rule for cf in ws.conditional_formatting for rule in cf.rules
             if cf.sqref and str(cf.sqref).startswith("H")}
    assert set(rules) == {f"$I2={s}" for s in range(6)}
    five, none = rules["$I2=5"].dxf, rules["$I2=0"].dxf
    assert five.font.color.rgb.endswith("9C0006") and five.font.b
    assert any(str(c.rgb).endswith("FFE699") for c in (five.fill.fgColor, five.fill.bgColor))
    assert none.font.color.rgb.endswith("808080")


def test_print_setup(wb) -> None:  # type: ignore[no-untyped-def]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)  # 1 wide is the default
    assert all(ws.print_title_rows == "$1:$1" for ws in wb.worksheets)  # header repeated on every page


def test_statistics_sheet_counts_by_unit_and_star_level(wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["统计"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["单位", "五星", "四星", "三星", "二星", "一星", "无星", "取消资格", "待补全", "合计", "五星比例"]
    units = {r[0]: r[1:] for r in rows[1:] if r[0]}
    assert units[BROKEN][7] == 1  # the broken form's branch is 待补全
    total = units["合计"]
    assert total[8] == 8 and sum(total[:8]) == 8
    assert total[9] == pytest.approx(total[0] / sum(total[:6]))
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)  # numbers, never formulas


def test_problems_link_to_the_file_and_cell(folder: Path, wb) -> None:  # type: ignore[no-untyped-def]
    ws = wb["问题清单"]
    assert _header(ws)[:6] == ["文件", "工作表", "单元格", "人员/支部", "级别", "问题及处理办法"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "D7")
    file_link, cell_link = row[0].hyperlink, row[2].hyperlink
    assert file_link.target.replace("\\", "/") == f"../../../input/{row[0].value}"
    assert (folder / file_link.target.replace("\\", "/")).resolve().exists()  # relative to results.xlsx
    assert cell_link.location == "'考核'!D7"
    assert row[5].value.startswith("“1.2”未填写")


def test_same_bytes_on_a_second_run(folder: Path, tmp_path: Path) -> None:
    time.sleep(1.1)
    again = branch_bands_with_history(tmp_path)
    assert (again / "results.xlsx").read_bytes() == (folder / "results.xlsx").read_bytes()
