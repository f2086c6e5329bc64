"""results.xlsx: the results as a clerk wants to open them in Excel or WPS.

Three sheets, written with XlsxWriter row by row (constant memory: a province's results fit).
:class:`ResultsWorkbook` takes the ratings a shard at a time and keeps no rows, only the
column widths and the 统计 counts; :func:`write_results_xlsx` writes a whole list at once.

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
fixed document dates (XlsxWriter pins the zip members' times itself).
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pingxing.problems import Problem
from pingxing.publish.stable import FIXED_TIME
from pingxing.rate.anonymity import withheld
from pingxing.rate.rating import Rating
from pingxing.rate.rules.appraisal import grades_of
from pingxing.rate.summary import EXCLUDED
from pingxing.rounding import publish
from pingxing.scheme.components import NUMERIC_KINDS
from pingxing.scheme.model import STAR_WORDS, Scheme

__all__ = ["ResultsWorkbook", "write_results_xlsx"]

STATUS_WORDS = {"rated": "已评定", "incomplete": "待补全", "disqualified": "取消资格", "excluded": "不参评"}
#: star level → (font colour, fill) of the ★ cell
STAR_STYLE = {5: ("#9C0006", "#FFE699"), 4: ("#C00000", "#FFF2CC"), 3: ("#C65911", "#FCE4D6"),
              2: ("#7F6000", "#F2F2F2"), 1: ("#595959", "#F2F2F2"), 0: ("#808080", "#FFFFFF")}
#: star level → what the ★ cell says (★★★★☆ 四星)
STAR_TEXT: dict[int | None, str] = {s: "★" * s + "☆" * (5 - s) + " " + STAR_WORDS[s] for s in range(6)}
_HEAD = {"bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter", "text_wrap": True,
         "border": 1, "border_color": "#9BC2E6"}
_OPTIONS = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False}
_LINKABLE = (".xlsx", ".xlsm")
_RESULTS_WIDE = {"说明": 50, "命名星": 30, "结果运用": 24}
_CACHE_LIMIT = 16384  # published part scores remembered (they repeat: 8,000 distinct in 83,000); ~4 MB at most


def write_results_xlsx(path: Path, scheme: Scheme, ratings: Sequence[Rating], problems: list[Problem],
                       input_dir: str | Path | None = None) -> None:
    """Write ``path`` in one go; ``input_dir`` (the run's input folder) makes the problem links.

    The history columns are there when any entity has a previous period or is on a list."""
    book = ResultsWorkbook(path, scheme, input_dir, history=any(r.entity.has_history or r.actions for r in ratings))
    book.add(ratings)
    book.close(problems)


class ResultsWorkbook:
    """results.xlsx written a shard (a branch, a unit) at a time: each batch's rows go to the file
    as they are added; only the column widths and the 统计 counts are kept until :meth:`close`.

    ``history`` says whether the 上期星级 / 升降 / 结果运用 columns are there; the header row is
    written first, so the caller decides it (a previous period in the history store, or a rule
    that can put entities on a list). Batches in output order; the same ratings in any batches
    give the same bytes.
    """

    def __init__(self, path: Path, scheme: Scheme, input_dir: str | Path | None, history: bool) -> None:
        self.path, self._input_dir, self._history = path, input_dir, history
        self._level, self._decimals = scheme.level, scheme.decimals
        self._parts = [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
        self._k = scheme.anonymity.min_ballots
        self._wb = xlsxwriter.Workbook(str(path), _OPTIONS)
        self._wb.set_properties({"author": "pingxing", "created": FIXED_TIME})
        self._fmt = _Formats(self._wb, scheme.decimals)
        self._ws = self._wb.add_worksheet("评定结果")
        self._buffered = _buffered_rows(self._ws)
        self._header = ["单位", "支部", "编号", "姓名" if scheme.level == "member" else "名称", *self._parts, "综合得分",
                        "星级", "星级(数字)", "命名星", "等次", *(["上期星级", "升降", "结果运用"] if history else []),
                        "状态", "说明"]
        self._longest = _start_table(self._ws, self._fmt, self._header)
        self._last: list[str] = [""] * len(self._header)  # per column, the last text measured
        # XlsxWriter's undecorated writers, which its own write_row() calls: the public ones first
        # try "A1" notation on every call (~0.07 s CPU per 20,000 rows); same arguments, same cells.
        self._text = getattr(self._ws, "_write_string", self._ws.write_string)
        self._number = getattr(self._ws, "_write_number", self._ws.write_number)
        self._rows = 0
        self._published: dict[tuple[int, int], tuple[float, int]] = {}  # part score → (value, width)
        # 统计: (unit, branch, category) or (unit, category) → count; categories in order first seen
        self._counts: Counter[tuple[str, ...]] = Counter()
        self._categories: dict[str, None] = {}
        self._has_stars = False
        self._closed = False
        self._grades = grades_of(scheme) if scheme.level == "member" else []  # 民主评议: the 年报 sheet

    def add(self, ratings: Sequence[Rating]) -> None:
        """Write one batch of rows (in output order) and count it for 统计."""
        if self._closed:
            raise ValueError(f"{self.path.name} is already closed")
        text, number, number_format, history = self._text, self._number, self._fmt.number, self._history
        longest, last, parts, published = self._longest, self._last, self._parts, self._published
        counts, categories, by_branch = self._counts, self._categories, self._level == "member"
        n, end = len(parts), len(self._header)
        # where the text cells go: 单位 支部 编号 姓名, 星级 命名星 等次 [升降 结果运用] 状态 说明
        text_cols = (0, 1, 2, 3, 5 + n, 7 + n, 8 + n, *((10 + n, 11 + n) if history else ()), end - 2, end - 1)
        score_col, stars_col, prev_col = 4 + n, 6 + n, 9 + n
        row = self._rows
        for r in ratings:
            row += 1
            e, stars = r.entity, r.stars
            texts = (e.unit, e.branch, e.id, e.name, STAR_TEXT.get(stars, ""), "、".join(r.star_names), r.grade,
                     *((r.change, "、".join(r.actions)) if history else ()), STATUS_WORDS[r.status], r.reason)
            for j, v in zip(text_cols, texts, strict=True):
                if v:
                    text(row, j, v)  # text stays text: a name "=1+1" is not a formula
                    # widen: only for a value not seen just above that could be wider (≤ 2 per character)
                    if v != last[j] and 2 * len(v) > longest[j]:
                        last[j] = v
                        w = _width(v)
                        if w > longest[j]:
                            longest[j] = w
            components = e.components
            for j, p in enumerate(parts, 4):
                f = components.get(p)
                hidden = withheld(e, p, self._k) if f is not None else ""  # the anonymity guard's words
                if hidden:
                    text(row, j, hidden)
                    longest[j] = max(longest[j], _width(hidden))
                elif f is not None:
                    key = (f.numerator, f.denominator)
                    hit = published.get(key)
                    if hit is None:
                        if len(published) >= _CACHE_LIMIT:
                            published.clear()
                        d = publish(f, self._decimals)
                        hit = published[key] = (float(d), len(str(d)))
                    number(row, j, hit[0], number_format)
                    if hit[1] > longest[j]:
                        longest[j] = hit[1]
            for j, v in ((score_col, r.score), (stars_col, stars), *(((prev_col, r.prev_stars),) if history else ())):
                if v is not None:
                    if j == score_col:
                        number(row, j, float(v), number_format)
                    else:
                        number(row, j, v)
                    w = len(str(v))
                    if w > longest[j]:
                        longest[j] = w
            category = _category(r)
            counts[(e.unit, e.branch, category) if by_branch else (e.unit, category)] += 1
            if category not in categories:
                categories[category] = None
            if stars is not None:
                self._has_stars = True
        self._rows = row

    def close(self, problems: list[Problem]) -> None:
        """Finish 评定结果, write 统计 and 问题清单, close the file and pin its bytes."""
        if self._closed:
            raise ValueError(f"{self.path.name} is already closed")
        self._closed = True
        fmt, ws, header, last = self._fmt, self._ws, self._header, self._rows
        _finish_table(ws, header, self._longest, last, _RESULTS_WIDE)
        if last:
            n = len(self._parts)
            star_col, number_col = 5 + n, _col(6 + n)
            for s in range(5, -1, -1):
                ws.conditional_format(1, star_col, last, star_col, {
                    "type": "formula", "criteria": f"=${number_col}2={s}", "format": fmt.stars[s]})
            status_col = len(header) - 2
            for word, style in (("待补全", fmt.incomplete), ("取消资格", fmt.disqualified)):
                ws.conditional_format(1, status_col, last, status_col, {
                    "type": "cell", "criteria": "==", "value": f'"{word}"', "format": style})
        _print_setup(ws)
        _statistics(self._wb.add_worksheet("统计"), fmt, self._level, self._counts, list(self._categories),
                     self._has_stars)
        if self._grades:
            _annual_report(self._wb.add_worksheet("年报"), fmt, self._counts, self._grades)
        _problems(self._wb.add_worksheet("问题清单"), fmt, problems, self.path.parent, self._input_dir)
        if self._buffered:
            self._ws._opt_close()  # flushed and set aside: XlsxWriter reopens it to read it back
        self._wb.close()  # reproducible as it is: XlsxWriter pins the zip times; the dates are FIXED_TIME


def _buffered_rows(ws: Worksheet) -> bool:
    """In constant_memory mode XlsxWriter writes each cell to a temporary file opened ``w+``:
    text mode for reading and writing, which resets a decoder on every one of ~13 writes per
    row. The sheet is only written here and read back when the workbook closes, so the file is
    reopened write-only with a 1 MB buffer; XlsxWriter's own protocol for a sheet it has set
    aside (``_opt_close``, reopened ``a+`` when the workbook is packaged) takes it from there.
    Same bytes, less time. Skipped (False) if XlsxWriter changes those internals."""
    name = getattr(ws, "row_data_filename", None)
    if not name or not hasattr(ws, "_opt_close") or not hasattr(ws, "_opt_reopen") or ws.row_data_fh_closed:
        return False
    ws.row_data_fh.close()
    ws.row_data_fh = ws.fh = open(name, "w", encoding="utf-8", buffering=1 << 20)  # noqa: SIM115
    return True


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


# ------------------------------------------------------------------ 统计


def _category(r: Rating) -> str:
    if r.status == "incomplete":
        return "待补全"
    if r.status == "disqualified":
        return "取消资格"
    if r.status == "excluded":
        return "不参评"
    return STAR_WORDS[r.stars] if r.stars is not None else (r.grade or "未定级")


def _statistics(ws: Worksheet, fmt: _Formats, level: str, counts: Counter[tuple[str, ...]], seen: list[str],
                has_stars: bool) -> None:
    """``counts``: (unit, branch, category) → n for member schemes, (unit, category) → n otherwise;
    ``seen``: the categories in the order the ratings first had them."""
    columns = [STAR_WORDS[s] for s in range(5, -1, -1)] if has_stars else []
    columns += [g for g in seen if g not in columns and g not in ("取消资格", "待补全", "不参评")]
    columns += ["取消资格", "待补全", *(["不参评"] if "不参评" in seen else [])]
    by_unit: dict[tuple[str, ...], Counter[str]] = {}
    by_branch: dict[tuple[str, ...], Counter[str]] = {}
    for (*key, category), n in counts.items():
        by_unit.setdefault((key[0],), Counter())[category] += n
        if level == "member":
            by_branch.setdefault(tuple(key), Counter())[category] += n
    tables = [("单位", by_unit)] + ([("单位 / 支部", by_branch)] if level == "member" else [])
    row = 0
    name_width = 8
    for title, groups in tables:
        head = [title, *columns, "合计", *(["五星比例"] if has_stars else [])]
        ws.write_row(row, 0, head, fmt.head)
        for k, group in sorted(groups.items()):
            row += 1
            name = " ".join(k)
            name_width = max(name_width, _width(name))
            ws.write_string(row, 0, name)
            _count_row(ws, fmt, row, group, columns, has_stars, total=False)
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


# ------------------------------------------------------------------ 年报 (民主评议)


def _annual_report(ws: Worksheet, fmt: _Formats, counts: Counter[tuple[str, ...]], grades: list[str]) -> None:
    """The counts the 党内统计年报 asks for, per branch, per unit and in total: 参加评议人数 (everyone
    but 不参评), each grade, 不参评 — and 待补全 when someone is not yet graded (then the grades do not
    add up to 参加评议人数). Plain numbers, never formulas: a clerk copies them into the return."""
    by_branch: dict[tuple[str, str], Counter[str]] = {}
    for (unit, branch, category), n in counts.items():
        by_branch.setdefault((unit, branch), Counter())[category] += n
    by_unit: dict[tuple[str], Counter[str]] = {}
    for (unit, _branch), group in by_branch.items():
        by_unit.setdefault((unit,), Counter()).update(group)
    others = sorted({c for group in by_branch.values() for c in group} - {*grades, EXCLUDED})
    columns = ["参加评议人数", *grades, EXCLUDED, *others]
    widths = [8, 8]
    row = 0
    for names, groups in ((["单位", "支部"], by_branch), (["单位"], by_unit)):
        ws.write_row(row, 0, [*names, *columns], fmt.head)
        for key, group in sorted(groups.items()):
            row += 1
            for j, name in enumerate(key):
                ws.write_string(row, j, name)
                widths[j] = max(widths[j], _width(name))
            _annual_row(ws, row, len(names), group, grades, others, fmt.integer)
        row += 1
        ws.write_string(row, 0, "合计", fmt.total)
        for j in range(1, len(names)):
            ws.write_blank(row, j, None, fmt.total)
        _annual_row(ws, row, len(names), sum(groups.values(), Counter()), grades, others, fmt.total)
        row += 2
    ws.set_column(0, 0, min(40, widths[0] + 2))
    ws.set_column(1, 1, min(40, widths[1] + 2))
    ws.set_column(2, len(columns) + 1, 10)
    ws.freeze_panes(1, 0)
    _print_setup(ws)


def _annual_row(ws: Worksheet, row: int, at: int, group: Counter[str], grades: list[str], others: list[str],
                number: Any) -> None:
    taking_part = sum(n for c, n in group.items() if c != EXCLUDED)
    for j, v in enumerate([taking_part, *(group[g] for g in grades), group[EXCLUDED], *(group[c] for c in others)],
                          at):
        ws.write_number(row, j, v, number)


# ------------------------------------------------------------------ 问题清单


def _problems(ws: Worksheet, fmt: _Formats, problems: list[Problem], folder: Path,
              input_dir: str | Path | None) -> None:
    header = ["文件", "工作表", "单元格", "人员/支部", "级别", "问题及处理办法", "代码", "原值"]
    rows = [[p.file, p.sheet, p.cell, p.entity, "错误" if p.severity == "error" else "提示", p.message, p.code,
             p.value] for p in problems]
    longest = _start_table(ws, fmt, header)
    for i, (p, values) in enumerate(zip(problems, rows, strict=True), 1):
        link = _link(p, folder, input_dir)
        for j, v in enumerate(values):
            longest[j] = max(longest[j], _width(v))
            if j == 0 and link and v:
                ws.write_url(i, j, link[0], fmt.link, string=v, tip="打开这个文件")
            elif j == 2 and link and link[1] and v:
                ws.write_url(i, j, link[1], fmt.link, string=v, tip="打开并定位到这个单元格")
            elif v:
                ws.write_string(i, j, v, fmt.wrap if j == 5 else fmt.text)
    _finish_table(ws, header, longest, len(rows), {"问题及处理办法": 70, "文件": 40})
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


def _start_table(ws: Worksheet, fmt: _Formats, header: list[str]) -> list[int]:
    """Write the frozen header row; returns the widths so far (the header's), to widen as rows come."""
    ws.set_row(0, 30)
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, header, fmt.head)
    return [_width(h) for h in header]


def _finish_table(ws: Worksheet, header: list[str], longest: list[int], rows: int, wide: dict[str, int]) -> None:
    """Column widths fitted to the longest value (within ``wide`` or 30), autofilter over ``rows``."""
    for j, h in enumerate(header):
        ws.set_column(j, j, min(wide.get(h, 30), max(6, longest[j] + 2)))
    ws.autofilter(0, 0, max(rows, 1), len(header) - 1)


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
