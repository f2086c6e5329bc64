"""results.xlsx: the results as a clerk wants to open them in Excel or WPS.

Three sheets, written with XlsxWriter row by row (constant memory: a province's results fit):

* ``评定结果`` — one row per person or branch: the part scores beside the total, the stars as
  ★★★★☆ with a colour per level (conditional formatting on the numeric ``星级(数字)``
  column), named stars, grade, history, status and reason. Frozen header, autofilter,
  widths fitted to Chinese text, printed A4 landscape one page wide with the header row
  on every page.
* ``统计`` — counts by unit (and, for member schemes, by branch) and star level or grade,
  with the share at five stars; plain numbers, never formulas.
* ``问题清单`` — every problem with a link to its file and, for an .xlsx, to the sheet and
  cell (a relative link: it works while the input folder is where it was).

Every text cell is a string (a name ``=1+1`` is never a formula). Same inputs, same bytes:
fixed document dates, then :func:`.stable.rezip`.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..problems import Problem
from ..rate import Rating
from ..rules.bands import STAR_WORDS
from ..schemes import NUMERIC_KINDS, Scheme
from .stable import FIXED_TIME, rezip

__all__ = ["write_results_xlsx"]

STATUS_WORDS = {"rated": "已评定", "incomplete": "待补全", "disqualified": "取消资格"}
#: star level → (font colour, fill) of the ★ cell
STAR_STYLE = {5: ("#9C0006", "#FFE699"), 4: ("#C00000", "#FFF2CC"), 3: ("#C65911", "#FCE4D6"),
              2: ("#7F6000", "#F2F2F2"), 1: ("#595959", "#F2F2F2"), 0: ("#808080", "#FFFFFF")}
_HEAD = {"bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter", "text_wrap": True,
         "border": 1, "border_color": "#9BC2E6"}
_OPTIONS = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False}
_LINKABLE = (".xlsx", ".xlsm")


def write_results_xlsx(path: Path, scheme: Scheme, ratings: list[Rating], problems: list[Problem],
                       input_dir: str | Path | None = None) -> None:
    """Write ``path``; ``input_dir`` (the run's input folder) makes the problem links."""
    wb = xlsxwriter.Workbook(str(path), _OPTIONS)
    wb.set_properties({"author": "pingxing", "created": FIXED_TIME})
    fmt = _Formats(wb, scheme.decimals)
    _results(wb.add_worksheet("评定结果"), fmt, scheme, ratings)
    _statistics(wb.add_worksheet("统计"), fmt, scheme, ratings)
    _problems(wb.add_worksheet("问题清单"), fmt, problems, path.parent, input_dir)
    wb.close()
    rezip(path)


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook, decimals: int) -> None:
        self.head = wb.add_format(_HEAD)
        self.number = wb.add_format({"num_format": "0." + "0" * decimals if decimals else "0"})
        self.integer = wb.add_format({"num_format": "0"})
        self.percent = wb.add_format({"num_format": "0.0%"})
        self.text = wb.add_format({})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.link = wb.add_format({"font_color": "#0563C1", "underline": 1})
        self.total = wb.add_format({"bold": True, "top": 1})
        self.total_pct = wb.add_format({"bold": True, "top": 1, "num_format": "0.0%"})
        self.title = wb.add_format({"bold": True, "font_size": 12})
        self.stars = {s: wb.add_format({"font_color": font, "bg_color": fill, "bold": s >= 4})
                      for s, (font, fill) in STAR_STYLE.items()}
        self.incomplete = wb.add_format({"bg_color": "#FFFF99"})
        self.disqualified = wb.add_format({"font_color": "#808080", "italic": True})


# ------------------------------------------------------------------ 评定结果


def _results(ws: Worksheet, fmt: _Formats, scheme: Scheme, ratings: list[Rating]) -> None:
    parts = [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
    history = any(r.entity.has_history or r.actions for r in ratings)
    header = ["单位", "支部", "编号", "姓名" if scheme.level == "member" else "名称", *parts, "综合得分",
              "星级", "星级(数字)", "命名星", "等次",
              *(["上期星级", "升降", "结果运用"] if history else []), "状态", "说明"]
    rows = []
    for r in ratings:
        e, scores = r.entity, r.component_scores(scheme.decimals)
        stars = r.stars
        rows.append([e.unit, e.branch, e.id, e.name, *[scores.get(p) for p in parts], r.score,
                     ("★" * stars + "☆" * (5 - stars) + " " + STAR_WORDS[stars]) if stars is not None else "",
                     stars, "、".join(r.star_names), r.grade,
                     *([r.prev_stars, r.change, "、".join(r.actions)] if history else []),
                     STATUS_WORDS[r.status], r.reason])
    _table(ws, fmt, header, rows, wide={"说明": 50, "命名星": 30, "结果运用": 24})
    last = len(rows)
    if last:
        star_col, number_col = header.index("星级"), _col(header.index("星级(数字)"))
        for s in range(5, -1, -1):
            ws.conditional_format(1, star_col, last, star_col, {
                "type": "formula", "criteria": f"=${number_col}2={s}", "format": fmt.stars[s]})
        status_col = header.index("状态")
        for word, style in (("待补全", fmt.incomplete), ("取消资格", fmt.disqualified)):
            ws.conditional_format(1, status_col, last, status_col, {
                "type": "cell", "criteria": "==", "value": f'"{word}"', "format": style})
    _print_setup(ws)


# ------------------------------------------------------------------ 统计


def _category(r: Rating) -> str:
    if r.status == "incomplete":
        return "待补全"
    if r.status == "disqualified":
        return "取消资格"
    return STAR_WORDS[r.stars] if r.stars is not None else (r.grade or "未定级")


def _statistics(ws: Worksheet, fmt: _Formats, scheme: Scheme, ratings: list[Rating]) -> None:
    has_stars = any(r.stars is not None for r in ratings)
    columns = [STAR_WORDS[s] for s in range(5, -1, -1)] if has_stars else []
    columns += [g for g in dict.fromkeys(_category(r) for r in ratings) if g not in columns
                and g not in ("取消资格", "待补全")]
    columns += ["取消资格", "待补全"]
    tables = [("单位", lambda r: (r.entity.unit,))]
    if scheme.level == "member":
        tables.append(("单位 / 支部", lambda r: (r.entity.unit, r.entity.branch)))
    row = 0
    name_width = 8
    for title, key in tables:
        groups: dict[tuple[str, ...], Counter[str]] = {}
        for r in ratings:
            groups.setdefault(key(r), Counter())[_category(r)] += 1
        head = [title, *columns, "合计", *(["五星比例"] if has_stars else [])]
        ws.write_row(row, 0, head, fmt.head)
        for k, counts in sorted(groups.items()):
            row += 1
            name = " ".join(k)
            name_width = max(name_width, _width(name))
            ws.write_string(row, 0, name)
            _count_row(ws, fmt, row, counts, columns, has_stars, total=False)
        row += 1
        ws.write_string(row, 0, "合计", fmt.total)
        _count_row(ws, fmt, row, sum(groups.values(), Counter()), columns, has_stars, total=True)
        row += 2
    ws.set_column(0, 0, min(40, name_width + 2))
    ws.set_column(1, len(columns) + 2, 9)
    ws.freeze_panes(1, 1)
    _print_setup(ws)


def _count_row(ws: Worksheet, fmt: _Formats, row: int, counts: Counter[str], columns: list[str], has_stars: bool,
               total: bool) -> None:
    number = fmt.total if total else fmt.integer
    for j, c in enumerate(columns, 1):
        ws.write_number(row, j, counts[c], number)
    n = sum(counts.values())
    ws.write_number(row, len(columns) + 1, n, number)
    if has_stars:
        rated = sum(counts[STAR_WORDS[s]] for s in range(6))
        share = counts[STAR_WORDS[5]] / rated if rated else 0
        ws.write_number(row, len(columns) + 2, share, fmt.total_pct if total else fmt.percent)


# ------------------------------------------------------------------ 问题清单


def _problems(ws: Worksheet, fmt: _Formats, problems: list[Problem], folder: Path,
              input_dir: str | Path | None) -> None:
    header = ["文件", "工作表", "单元格", "人员/支部", "级别", "问题及处理办法", "代码", "原值"]
    rows = [[p.file, p.sheet, p.cell, p.entity, "错误" if p.severity == "error" else "提示", p.message, p.code,
             p.value] for p in problems]
    _table(ws, fmt, header, rows, wide={"问题及处理办法": 70, "文件": 40}, write=False)
    for i, (p, values) in enumerate(zip(problems, rows, strict=True), 1):
        link = _link(p, folder, input_dir)
        for j, v in enumerate(values):
            if j == 0 and link and v:
                ws.write_url(i, j, link[0], fmt.link, string=v, tip="打开这个文件")
            elif j == 2 and link and link[1] and v:
                ws.write_url(i, j, link[1], fmt.link, string=v, tip="打开并定位到这个单元格")
            elif v:
                ws.write_string(i, j, v, fmt.wrap if j == 5 else fmt.text)
    _print_setup(ws)


def _link(p: Problem, folder: Path, input_dir: str | Path | None) -> tuple[str, str] | None:
    """(link to the file, link to its sheet and cell or '') — relative to the results folder."""
    if not p.file or input_dir is None or "://" in str(input_dir):
        return None
    source = Path(input_dir).resolve() / p.file
    rel = Path(os.path.relpath(source, folder.resolve())).as_posix()
    if len(rel) > 200:  # Excel refuses longer links
        return None
    target = f"external:{rel}"
    if not (p.sheet and Path(p.file).suffix.lower() in _LINKABLE):
        return target, ""
    cell = (p.cell or "A1").split(":")[0].split("-")[0]
    sheet = p.sheet.replace("'", "''")
    return target, f"{target}#'{sheet}'!{cell}"


# ------------------------------------------------------------------ shared


def _table(ws: Worksheet, fmt: _Formats, header: list[str], rows: list[list[Any]], wide: dict[str, int],
           write: bool = True) -> None:
    longest = [_width(h) for h in header]
    for values in rows:
        for j, v in enumerate(values):
            longest[j] = max(longest[j], _width(v))
    for j, h in enumerate(header):
        ws.set_column(j, j, min(wide.get(h, 30), max(6, longest[j] + 2)))
    ws.set_row(0, 30)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    ws.write_row(0, 0, header, fmt.head)
    if not write:
        return
    for i, values in enumerate(rows, 1):
        for j, v in enumerate(values):
            if isinstance(v, str):
                if v:
                    ws.write_string(i, j, v)  # text stays text: a name "=1+1" is not a formula
            elif isinstance(v, Decimal):
                ws.write_number(i, j, float(v), fmt.number)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(i, j, v)


def _print_setup(ws: Worksheet) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages long as needed
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _width(v: Any) -> int:
    """Display width in Excel columns: CJK characters and ★☆ count twice."""
    s = "" if v is None else str(v)
    return len(s) if s.isascii() else _wide_width(s)


@functools.lru_cache(maxsize=4096)  # units, branches, star texts and status words repeat on every row
def _wide_width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 or ch in "★☆" else 1 for ch in s)


def _col(j: int) -> str:
    """0-based column index → letters (0 → A)."""
    letters = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
