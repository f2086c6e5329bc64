"""results.xlsx: the results as a clerk wants to open them in Excel or WPS, and a leader to print.

Three sheets, written with XlsxWriter row by row (constant memory: a province's results fit).
:class:`ResultsWorkbook` takes the ratings a shard at a time and keeps no rows, only the
column widths and the 统计 counts; :func:`write_results_xlsx` writes a whole list at once.

* ``评定结果`` — a title row (the campaign, the period, the date of the run's notices), then one row
  per person or branch: the part scores beside the total, the stars as ★★★★☆ with a colour per
  level (conditional formatting on the numeric ``星级(数字)`` column, hidden), named stars, grade,
  history, status and reason — a branch's name once, and a column nobody on the list has anything
  in (命名星 where the scheme names no stars, 综合得分 where it sums no total …) hidden. Frozen
  header, autofilter, widths fitted to Chinese text, long text wrapped; printed A4 landscape one
  page wide with the title and header on every page, never below 9 pt (the widths are held to what
  a page takes at 82 % of the 11 pt type).
* ``统计`` — counts by unit (and, for member schemes, by branch) and star level or grade, with
  the share at five stars (of those rated with a star level, as the 公示 and report count it);
  plain numbers, never formulas; and a native Excel chart of the distribution.
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
from pingxing.publish import chase
from pingxing.publish.chase import Owed
from pingxing.publish.report import chart_colour
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
                       input_dir: str | Path | None = None, title: str = "") -> None:
    """Write ``path`` in one go; ``input_dir`` (the run's input folder) makes the problem links.

    The history columns are there when any entity has a previous period or is on a list."""
    book = ResultsWorkbook(path, scheme, input_dir, history=any(r.entity.has_history or r.actions for r in ratings),
                           title=title)
    book.add(ratings)
    book.close(problems)


def columns_of(scheme: Scheme, history: bool) -> list[tuple[str, str]]:
    """评定结果's columns, (header, what it holds): a member's 支部 and 姓名, a branch's name once (its
    支部); the scheme's parts, then every kind of result — those nobody on the list has are hidden
    when the sheet is finished (:meth:`ResultsWorkbook.close`): shown, only what the scheme fills."""
    parts = [c.sheet for c in scheme.components if c.kind in NUMERIC_KINDS]
    cols = [("单位", "unit")]
    if scheme.level == "member":
        cols += [("支部", "branch"), ("编号", "id"), ("姓名", "name")]
    else:
        cols += [("编号", "id"), ("支部", "name")]
    cols += [(p, f"part:{p}") for p in parts]
    cols += [("综合得分", "score"), ("星级", "stars_text"), ("星级(数字)", "stars"), ("命名星", "star_names"),
             ("等次", "grade")]
    if history:
        cols += [("上期星级", "prev"), ("升降", "change"), ("结果运用", "actions")]
    return [*cols, ("状态", "status"), ("说明", "reason")]


class ResultsWorkbook:
    """results.xlsx written a shard (a branch, a unit) at a time: each batch's rows go to the file
    as they are added; only the column widths and the 统计 counts are kept until :meth:`close`.

    ``history`` says whether the 上期星级 / 升降 / 结果运用 columns are there; the header row is
    written first, so the caller decides it (a previous period in the history store, or a rule
    that can put entities on a list). ``title``: the campaign, the period and the date, above the
    header. Batches in output order; the same ratings in any batches give the same bytes.
    """

    def __init__(self, path: Path, scheme: Scheme, input_dir: str | Path | None, history: bool,
                 title: str = "") -> None:
        self.path, self._input_dir, self._history = path, input_dir, history
        self._level, self._decimals = scheme.level, scheme.decimals
        self._title = title or f"{scheme.title}评定结果"
        self._k = scheme.anonymity.min_ballots
        self._wb = xlsxwriter.Workbook(str(path), _OPTIONS)
        self._wb.set_properties({"author": "pingxing", "created": FIXED_TIME, "title": self._title})
        self._fmt = _Formats(self._wb, scheme.decimals)
        self._ws = self._wb.add_worksheet("评定结果")
        self._buffered = _buffered_rows(self._ws)
        self._columns = columns_of(scheme, history)
        self._header = [h for h, _ in self._columns]
        kinds = [k for _, k in self._columns]
        self._parts = [(j, k[5:]) for j, k in enumerate(kinds) if k.startswith("part:")]
        self._text_cols = [(j, k) for j, k in enumerate(kinds) if k in _TEXTS]
        self._number_cols = [(j, k) for j, k in enumerate(kinds) if k in ("score", "stars", "prev")]
        self._star_col = kinds.index("stars_text") if "stars_text" in kinds else None
        self._stars_number = kinds.index("stars") if "stars" in kinds else None
        for j, k in enumerate(kinds):  # long text wraps (set before the rows: the cells take it)
            if k in _WRAPPED:
                self._ws.set_column(j, j, None, self._fmt.wrap)
        self._longest = _start_table(self._ws, self._fmt, self._header, self._title)
        self._filled = [False] * len(self._header)  # whether a column has anything in it
        self._last: list[str] = [""] * len(self._header)  # per column, the last text measured
        # XlsxWriter's undecorated writers, which its own write_row() calls: the public ones first
        # try "A1" notation on every call (~0.07 s CPU per 20,000 rows); same arguments, same cells.
        self._text = getattr(self._ws, "_write_string", self._ws.write_string)
        self._number = getattr(self._ws, "_write_number", self._ws.write_number)
        self._rows = HEADER_ROW
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
        text, number, number_format = self._text, self._number, self._fmt.number
        longest, last, published, filled = self._longest, self._last, self._published, self._filled
        counts, categories, by_branch = self._counts, self._categories, self._level == "member"
        row = self._rows
        for r in ratings:
            row += 1
            e, stars = r.entity, r.stars
            for j, kind in self._text_cols:
                v = _text_of(kind, r)
                if v:
                    text(row, j, v)  # text stays text: a name "=1+1" is not a formula
                    filled[j] = True
                    # widen: only for a value not seen just above that could be wider (≤ 2 per character)
                    if v != last[j] and 2 * len(v) > longest[j]:
                        last[j] = v
                        w = _width(v)
                        if w > longest[j]:
                            longest[j] = w
            components = e.components
            for j, p in self._parts:
                f = components.get(p)
                hidden = withheld(e, p, self._k) if f is not None else ""  # the anonymity guard's words
                if hidden:
                    text(row, j, hidden)
                    filled[j] = True  # (the words say why there is no figure: the column stays)
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
                    filled[j] = True
                    if hit[1] > longest[j]:
                        longest[j] = hit[1]
            for j, kind in self._number_cols:
                value = r.score if kind == "score" else stars if kind == "stars" else r.prev_stars
                if value is not None:
                    if kind == "score":
                        number(row, j, float(value), number_format)
                    else:
                        number(row, j, value)
                    filled[j] = True
                    w = len(str(value))
                    if w > longest[j]:
                        longest[j] = w
            category = _category(r)
            counts[(e.unit, e.branch, category) if by_branch else (e.unit, category)] += 1
            if category not in categories:
                categories[category] = None
            if stars is not None:
                self._has_stars = True
        self._rows = row

    def close(self, problems: list[Problem], owed: Sequence[Owed] = ()) -> None:
        """Finish 评定结果, write 统计 (and 年报), 催交 (the workbooks not back, when any) and 问题清单,
        close the file and pin its bytes."""
        if self._closed:
            raise ValueError(f"{self.path.name} is already closed")
        self._closed = True
        fmt, ws, header, last = self._fmt, self._ws, self._header, self._rows
        hidden = {j for j, full in enumerate(self._filled) if not full}  # nothing in it: not shown
        if self._stars_number is not None:
            hidden.add(self._stars_number)  # the number behind the ★ (its colours, sorting): not shown
        wrapped = {j for j, (_, k) in enumerate(self._columns) if k in _WRAPPED}
        _finish_table(ws, header, self._longest, last, _RESULTS_WIDE, hidden, wrapped, fmt)
        if last > HEADER_ROW and self._star_col is not None and self._stars_number is not None:
            number_col = _col(self._stars_number)
            for s in range(5, -1, -1):
                ws.conditional_format(HEADER_ROW + 1, self._star_col, last, self._star_col, {
                    "type": "formula", "criteria": f"=${number_col}{HEADER_ROW + 2}={s}", "format": fmt.stars[s]})
        if last > HEADER_ROW:
            status_col = len(header) - 2
            for word, style in (("待补全", fmt.incomplete), ("取消资格", fmt.disqualified)):
                ws.conditional_format(HEADER_ROW + 1, status_col, last, status_col, {
                    "type": "cell", "criteria": "==", "value": f'"{word}"', "format": style})
        _print_setup(ws)
        _statistics(self._wb, self._wb.add_worksheet("统计"), fmt, self._level, self._counts,
                    list(self._categories), self._has_stars, self._title)
        if self._grades:
            _annual_report(self._wb.add_worksheet("年报"), fmt, self._counts, self._grades, self._title)
        if owed:
            _owed(self._wb.add_worksheet("催交"), fmt, owed, self._level == "member", self._title)
        _problems(self._wb.add_worksheet("问题清单"), fmt, problems, self.path.parent, self._input_dir, self._title)
        if self._buffered:
            self._ws._opt_close()  # flushed and set aside: XlsxWriter reopens it to read it back
        self._wb.close()  # reproducible as it is: XlsxWriter pins the zip times; the dates are FIXED_TIME


#: the columns of text, and how a rating gives them
_TEXTS = {"unit", "branch", "id", "name", "stars_text", "star_names", "grade", "change", "actions", "status", "reason"}
_WRAPPED = {"star_names", "actions", "reason"}


def _text_of(kind: str, r: Rating) -> str:
    e = r.entity
    if kind == "unit":
        return e.unit
    if kind == "branch":
        return e.branch
    if kind == "id":
        return e.id
    if kind == "name":
        return e.name
    if kind == "stars_text":
        return STAR_TEXT.get(r.stars, "")
    if kind == "star_names":
        return "、".join(r.star_names)
    if kind == "grade":
        return r.grade
    if kind == "change":
        return r.change
    if kind == "actions":
        return "、".join(r.actions)
    if kind == "status":
        return STATUS_WORDS[r.status]
    return r.reason


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
        self.title = wb.add_format({"bold": True, "font_size": 14, "valign": "vcenter"})
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


def _statistics(wb: xlsxwriter.Workbook, ws: Worksheet, fmt: _Formats, level: str, counts: Counter[tuple[str, ...]],
                seen: list[str], has_stars: bool, title: str) -> None:
    """``counts``: (unit, branch, category) → n for member schemes, (unit, category) → n otherwise;
    ``seen``: the categories in the order the ratings first had them. A chart of the whole period's
    distribution beside the tables (a native Excel chart: it stays editable)."""
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
    share = ["五星比例（占已评定星级的）"] if has_stars else []
    width = len(columns) + 2 + len(share)
    ws.set_row(0, 24)
    ws.merge_range(0, 0, 0, width - 1, title, fmt.title)
    row = HEADER_ROW
    name_width = 8
    totals: list[int] = []  # the row of the first table's 合计 (the chart's numbers)
    for heading, groups in tables:
        head = [heading, *columns, "合计", *share]
        ws.set_row(row, 30)
        ws.write_row(row, 0, head, fmt.head)
        header_row = row
        for k, group in sorted(groups.items()):
            row += 1
            name = " ".join(k)
            name_width = max(name_width, _width(name))
            ws.write_string(row, 0, name)
            _count_row(ws, fmt, row, group, columns, has_stars, total=False)
        row += 1
        ws.write_string(row, 0, "合计", fmt.total)
        _count_row(ws, fmt, row, sum(groups.values(), Counter()), columns, has_stars, total=True)
        totals.append(row)
        if len(totals) == 1:
            first_header = header_row
        row += 2
    ws.set_column(0, 0, min(40, name_width + 2))
    ws.set_column(1, len(columns) + 1, 9)
    if share:
        ws.set_column(width - 1, width - 1, 15)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "人数" if level == "member" else "个数",
        "categories": ["统计", first_header, 1, first_header, len(columns)],
        "values": ["统计", totals[0], 1, totals[0], len(columns)],
        "points": [{"fill": {"color": chart_colour(c)}, "border": {"color": "#595959"}} for c in columns],
        "data_labels": {"value": True},
        "gap": 60,
    })
    chart.set_title({"name": "星级分布" if has_stars else "等次分布", "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"name": "人数" if level == "member" else "个数", "major_gridlines": {"visible": True},
                      "num_format": "0"})
    chart.set_size({"width": 560, "height": 300})
    ws.insert_chart(row, 0, chart)
    ws.freeze_panes(HEADER_ROW + 1, 1)
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


def _annual_report(ws: Worksheet, fmt: _Formats, counts: Counter[tuple[str, ...]], grades: list[str],
                   title: str) -> None:
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
    ws.merge_range(0, 0, 0, len(columns) + 1, title, fmt.title)  # the title row, as on every sheet
    row = HEADER_ROW
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
    ws.freeze_panes(HEADER_ROW + 1, 0)
    _print_setup(ws)


def _annual_row(ws: Worksheet, row: int, at: int, group: Counter[str], grades: list[str], others: list[str],
                number: Any) -> None:
    taking_part = sum(n for c, n in group.items() if c != EXCLUDED)
    for j, v in enumerate([taking_part, *(group[g] for g in grades), group[EXCLUDED], *(group[c] for c in others)],
                          at):
        ws.write_number(row, j, v, number)


# ------------------------------------------------------------------ 问题清单


def _owed(ws: Worksheet, fmt: _Formats, owed: Sequence[Owed], member: bool, title: str) -> None:
    """The 催交 list (:mod:`.chase`): each workbook issued and not back, by unit and branch."""
    header = list(chase.headers(member))
    longest = _start_table(ws, fmt, header, f"{title}　催交（{len(owed)}份表格未交回）")
    for i, o in enumerate(owed, HEADER_ROW + 1):
        for j, v in enumerate(o.cells):
            longest[j] = max(longest[j], _width(v))
            if isinstance(v, int):
                ws.write_number(i, j, v, fmt.integer)
            elif v:
                ws.write_string(i, j, v, fmt.text)
    _finish_table(ws, header, longest, HEADER_ROW + len(owed), {"文件名": 40}, set(), set(), fmt)
    _print_setup(ws)


def _problems(ws: Worksheet, fmt: _Formats, problems: list[Problem], folder: Path,
              input_dir: str | Path | None, title: str) -> None:
    header = ["文件", "工作表", "单元格", "人员/支部", "级别", "问题及处理办法", "代码", "原值"]
    rows = [[p.file, p.sheet, p.cell, p.entity, "错误" if p.severity == "error" else "提示", p.message, p.code,
             p.value] for p in problems]
    ws.set_column(5, 5, None, fmt.wrap)
    longest = _start_table(ws, fmt, header, f"{title}　问题清单")
    for i, (p, values) in enumerate(zip(problems, rows, strict=True), HEADER_ROW + 1):
        link = _link(p, folder, input_dir)
        for j, v in enumerate(values):
            longest[j] = max(longest[j], _width(v))
            if j == 0 and link and v:
                ws.write_url(i, j, link[0], fmt.link, string=v, tip="打开这个文件")
            elif j == 2 and link and link[1] and v:
                ws.write_url(i, j, link[1], fmt.link, string=v, tip="打开并定位到这个单元格")
            elif v:
                ws.write_string(i, j, v, fmt.wrap if j == 5 else fmt.text)
    _finish_table(ws, header, longest, HEADER_ROW + len(rows), {"问题及处理办法": 60, "文件": 30}, set(), {5}, fmt)
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


#: the title row, then the header row; the rows follow
HEADER_ROW = 1
#: Excel width units a landscape A4 page takes at 82 % (9 pt of the 11 pt type): a wider table would
#: print smaller, so its widest text columns give way (their text wraps)
PRINT_WIDTH = 175


def _start_table(ws: Worksheet, fmt: _Formats, header: list[str], title: str) -> list[int]:
    """Write the title row and the frozen header row; returns the widths so far (the header's), to
    widen as rows come."""
    ws.set_row(0, 24)
    ws.merge_range(0, 0, 0, len(header) - 1, title, fmt.title)
    ws.set_row(HEADER_ROW, 30)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.write_row(HEADER_ROW, 0, header, fmt.head)
    return [_width(h) for h in header]


def _finish_table(ws: Worksheet, header: list[str], longest: list[int], rows: int, wide: dict[str, int],
                  hidden: set[int], wrapped: set[int], fmt: _Formats) -> None:
    """Column widths fitted to the longest value (within ``wide`` or 30), held together to what a
    printed page takes (:data:`PRINT_WIDTH`: the wrapped columns give way first); ``hidden`` columns
    not shown; autofilter over ``rows``."""
    widths = [float(min(wide.get(h, 30), max(6, longest[j] + 2))) for j, h in enumerate(header)]
    shown = [j for j in range(len(header)) if j not in hidden]
    over = sum(widths[j] + 0.7 for j in shown) - PRINT_WIDTH
    for j in sorted((j for j in shown if j in wrapped), key=lambda j: -widths[j]):
        if over <= 0:
            break
        give = min(over, widths[j] - 12)
        if give > 0:
            widths[j] -= give
            over -= give
    for j in range(len(header)):
        options = {"hidden": True} if j in hidden else {}
        ws.set_column(j, j, widths[j], fmt.wrap if j in wrapped else None, options)
    ws.autofilter(HEADER_ROW, 0, max(rows, HEADER_ROW + 1), len(header) - 1)


def _print_setup(ws: Worksheet) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages long as needed
    ws.repeat_rows(0, HEADER_ROW)  # the title and the header on every page
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&9&A&C&9第 &P 页，共 &N 页")


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
