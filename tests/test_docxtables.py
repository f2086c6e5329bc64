"""A table whose columns a template changed gets a grid again, its columns as wide as what they hold."""

from __future__ import annotations

from pingxing.publish.docxtables import fit_tables

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _table(rows: list[list[str]], grid: int = 3, total: int = 8844) -> str:
    cols = "".join(f'<w:gridCol w:w="{total // grid}"/>' for _ in range(grid))
    body = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>" for t in row) + "</w:tr>"
                   for row in rows)
    return f"<w:body {NS}><w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}</w:tbl></w:body>"


def _widths(rows: list[list[str]], grid: int = 3) -> list[int]:
    tree = fit_tables(_table(rows, grid))
    return [int(c.get(f"{W}w")) for c in tree.iter(f"{W}gridCol")]


def test_columns_share_the_width_by_what_they_hold() -> None:
    widths = _widths([["序号", "单位", "支部", "星级"], ["1", "市质量检验检测中心", "第一党支部", "五星"]])
    assert sum(widths) == 8844 // 3 * 3
    assert widths[0] == widths[3] < widths[2] < widths[1]  # a 序号 column is not as wide as a unit's name


def test_short_columns_keep_their_need_when_a_long_one_wraps() -> None:
    long = "战斗堡垒星、活动开展星、工作创新星、服务群众星、党员先锋星"
    widths = _widths([["序号", "单位", "星级", "命名星"], ["1", "市统计局机关党支部", "三星", long]])
    assert widths[1] >= 10 * 240  # the unit's name whole (9 characters and the margins)
    assert widths[3] == max(widths)  # the long one takes what is left, and wraps


def test_a_table_that_matches_its_grid_is_left_alone() -> None:
    assert _widths([["一", "二", "三"]]) == [2948, 2948, 2948]
