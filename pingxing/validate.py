"""Check one returned form against its scheme and parse every cell to fill.

Input: a :class:`~pingxing.intake.Form` (raw rows) and its scheme. Output: a
:class:`FormData` with, per component sheet, one :class:`Row` per entity holding parsed
values, and the problems found — each naming file, sheet and cell. Header rows and
columns are found by their labels, never by position. Nothing here combines forms or
computes scores.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from fractions import Fraction
from itertools import compress, repeat
from typing import Any

from openpyxl.utils import get_column_letter

from . import adjustments, audit, inspect_sheet, periods, sniff
from .cells import (
    clean_text,
    excel_serial,
    fmt_decimal,
    normalize_header,
    normalize_id,
    normalize_text,
    parse_choice,
    parse_date,
    parse_number,
    several_numbers,
    shown,
)
from .components import TALLY_HEADERS, Column
from .intake import ROSTER_SHEET, Form
from .problems import Problem
from .schemes import Scheme

HEADER_SEARCH_ROWS = 50
_NUMBER_MESSAGES = {
    "not-a-number": "“{v}”不是数字，请改为 0–{max} 之间的数字",
    "date-not-number": "单元格显示为日期“{v}”（填的数字 {n} 被设成了日期格式），请把单元格格式改为“常规”并重新填写分数",
}
_COERCIONS = {
    "text-number": "文本格式的数字，已按数字读取",
    "full-width": "全角数字，已按半角数字读取",
    "unit-suffix": "带“分”字的分数，已按数字读取，请确认",
}


@dataclass(slots=True)
class Row:
    """One entity's row in one component sheet, parsed.

    Once validated (on the worker, :func:`pingxing.onefile.slim`) a row is made compact for the
    trip to the main process: ``numbers`` becomes a tuple of shared Decimals, ``figure`` holds
    the component's exact number, and ``values`` keeps only what is not in ``numbers`` plus
    the numbers a rule names."""

    id: str
    name: str
    row: int
    numbers: list[Decimal | None] | tuple[Decimal | None, ...] = field(default_factory=list)  # per column; None = blank
    flags: dict[str, str] = field(default_factory=dict)
    ok: bool = True
    raw: tuple[Any, ...] = ()
    blank: list[str] = field(default_factory=list)  # headers of cells left blank
    values: dict[str, Any] = field(default_factory=dict)  # header → Decimal | str | date | None
    figure: Fraction | None = None  # items/score/ballots: the component's number (exact), once validated

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its fields in order (a form's rows cross from a worker to the main process:
        about half the time of the default for slotted objects, both ways)."""
        return Row, _row_fields(self)


_row_fields = operator.attrgetter(*(f.name for f in fields(Row)))


@dataclass
class SheetData:
    sheet: str
    rows: dict[str, Row]
    ledger: dict[str, list[Row]] = field(default_factory=dict)  # ledger sheets: 编号 → activity rows


@dataclass
class FormData:
    file: str
    sha256: str
    scheme: str
    period: str
    unit: str
    branch: str
    branch_id: str
    roster: list[tuple[str, str]]
    sheets: dict[str, SheetData]
    coercions: list[dict[str, str]] = field(default_factory=list)
    direct: set[str] = field(default_factory=set)  # 直属 branches (branch schemes)
    corrections: list[Any] | None = None  # an adjustments workbook: its corrections (see adjustments.py)
    rechecks: list[Any] | None = None  # a re-check workbook: its verdicts (see audit.py)
    sheet_names: list[str] = field(default_factory=list)  # every sheet in the workbook, for messages

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled compact (a form crosses from a worker to the main process, and may wait on disk
        until it is rated): each sheet's rows by column, their 编号, names and numbers as codes into
        two tables of the form (its numbers' text; its 编号, names and headers), figures as integers.
        Unpickled, it is an equal FormData, field for field (see :mod:`.formpack`)."""
        from .formpack import packed, unpacked

        return unpacked, packed(self)


def form_key(form: Form, scheme_override: str | None, period_override: str | None) -> tuple[str, str]:
    """(scheme, period) of a form: from ``_meta``, else from the command-line options."""
    return (form.meta.get("scheme") or scheme_override or "", form.meta.get("period") or period_override or "")


def validate(form: Form, scheme: Scheme, period: str, problems: list[Problem]) -> FormData | None:
    meta = form.meta
    if meta.get("kind") == "adjustments":  # the committee's corrections, not a returned form
        return FormData(file=form.file, sha256=form.sha256, scheme=scheme.name, period=period, unit="", branch="",
                        branch_id="", roster=[], sheets={}, corrections=adjustments.read(form, problems))
    if meta.get("kind") == "audit":  # the superior's re-check of a sample
        return FormData(file=form.file, sha256=form.sha256, scheme=scheme.name, period=period, unit="", branch="",
                        branch_id="", roster=[], sheets={}, rechecks=audit.read(form, scheme, problems))
    if not meta:
        problems.append(form.problem(
            "no-meta", "表格中没有 _meta 隐藏工作表（不是本工具下发的标准表格），已按文件名作为支部名称读取；"
            "请尽量使用下发的标准表格", severity="warning"))
    elif meta.get("form_version") != _form_version(scheme):
        problems.append(form.problem(
            "wrong-form-version", "表格版本与当前方案不一致（可能是往年或其他方案的表格），未计入；"
            "请使用本期下发的表格重新填写", sheet="_meta", value=meta.get("form_version", "")))
        return None
    if periods.kind_of(period) not in scheme.period_kinds:
        problems.append(form.problem(
            "wrong-period", f"评星周期“{period}”与方案“{scheme.name}”不符（应按{periods.words_of(scheme.period_kinds)}），"
            "未计入；请确认是否用错了表格", sheet="_meta", value=period))
        return None
    data = FormData(
        file=form.file, sha256=form.sha256, scheme=scheme.name, period=period,
        unit=meta.get("unit", ""), branch=meta.get("branch", "") if meta else form.path.stem,
        branch_id=meta.get("branch_id", ""), roster=_roster(form.rows.get(ROSTER_SHEET)), sheets={},
        direct=_direct(form.rows.get(ROSTER_SHEET)),
    )
    found = [n for n in form.sheet_names if not n.startswith("_")]
    data.sheet_names = found
    for component in scheme.components:
        rows = form.rows.get(component.sheet)
        if rows is None:
            continue  # the sheet may come in another workbook; aggregate reports it if nobody sends it
        sheet = _sheet(form, scheme, component, rows, data, problems)
        if sheet is not None:
            data.sheets[component.sheet] = sheet
    if not data.sheets:
        problems.append(form.problem(
            "missing-sheet", f"表格中没有本方案的任何工作表（应有 {'、'.join(c.sheet for c in scheme.components)}；"
            f"实际为 {'、'.join(found) or '无'}），请使用下发的标准表格"))
        return None
    if inspect_sheet.wrong_branch(form, data, problems):
        return None
    return data


_VERSIONS: dict[int, tuple[Scheme, str]] = {}
_COLUMNS: dict[int, tuple[Any, list[Column]]] = {}


def _fill_columns(component: Any) -> list[Column]:
    """``component.fill_columns()``, made once per component (not once per form)."""
    hit = _COLUMNS.get(id(component))
    if hit is None or hit[0] is not component:
        hit = _COLUMNS[id(component)] = (component, component.fill_columns())
    return list(hit[1])


def _form_version(scheme: Scheme) -> str:
    """``scheme.form_version()``, worked out once per scheme (it hashes the whole layout)."""
    hit = _VERSIONS.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = _VERSIONS[id(scheme)] = (scheme, scheme.form_version())
    return hit[1]


def _roster(rows: list[list[Any]] | None) -> list[tuple[str, str]]:
    if not rows:
        return []
    return [(eid, clean_text(r[1])) for r in rows[1:] if len(r) >= 2 and (eid := normalize_id(r[0]))]


def _direct(rows: list[list[Any]] | None) -> set[str]:
    """编号 of the branches issued as 直属 (directly under the committee)."""
    return {normalize_id(r[0]) for r in (rows or [])[1:] if len(r) >= 3 and normalize_text(r[2]) == "直属"}


def _find_header(rows: list[list[Any]], first: str, second: str) -> int | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        heads = [normalize_header(c) if c != "" else "" for c in row]  # (titles: mostly empty cells)
        if first not in heads:
            continue  # (titles and instructions)
        for j in range(len(heads) - 1):
            if heads[j] == first and heads[j + 1] == second:
                return i
    return None


@dataclass(frozen=True)
class _Layout:
    """Where a component's columns are in a sheet with a given header row, and how its rows are
    read: worked out once per (component, header row) — every form of a scheme has the same."""

    id_col: int
    where: dict[str, int]  # header → 0-based column (the first, when a header repeats)
    repeated: tuple[tuple[str, int, int], ...]  # (header, first column, repeated column) of duplicates
    cols: list[Column]
    missing: list[str]
    places: list[tuple[Column, int, str, bool, bool, Decimal | None, str, int]]
    picked: list[int]
    pick: Callable[[list[Any]], tuple[Any, ...]] | None  # the row's cells to fill, in C
    last: int
    scores: bool
    headers: list[str]
    required: set[str]


_LAYOUTS: dict[tuple[int, tuple[str, ...]], tuple[Any, _Layout]] = {}


def _layout(component: Any, heads: list[str], first: str) -> _Layout:
    key = (id(component), tuple(heads))
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is component:
        return hit[1]
    where: dict[str, int] = {}
    repeated = []
    for j, head in enumerate(heads):
        if head in where and head:
            repeated.append((head, where[head], j))
        where.setdefault(head, j)
    cols = _fill_columns(component)
    missing = [c.header for c in cols if c.header not in where]
    places = [(col, where[col.header], get_column_letter(where[col.header] + 1), col.type in ("number", "count"),
               col.type == "count", col.max, col.header, k) for k, col in enumerate(cols)] if not missing else []
    picked = [j for _, j, *_ in places]
    pick = operator.itemgetter(*picked) if len(picked) > 1 else None
    # a sheet of scores (items, ballots, score): a row of plain numbers in range and blanks is read
    # in one go, by lookups in C (each column's numbers seen in range so far); anything else cell by
    # cell, and so is a row with blanks in a sheet with error cells or uncached formulas (they read blank)
    scores = pick is not None and all(c.type == "number" and c.max is not None for c in cols)
    layout = _Layout(heads.index(first), where, tuple(repeated), cols, missing, places, picked, pick,
                     max(picked, default=-1), scores, [c.header for c in cols], {c.header for c in cols if c.required})
    if len(_LAYOUTS) >= 256:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (component, layout)
    return layout


def _sheet(form: Form, scheme: Scheme, component: Any, rows: list[list[Any]], data: FormData,
           problems: list[Problem]) -> SheetData | None:
    sheet = component.sheet
    first, second = scheme.id_header
    h = _find_header(rows, first, second)
    if h is None:
        problems.append(form.problem(
            "missing-header", f"找不到表头行（应有“{first}”“{second}”两列相邻），请勿修改表头", sheet=sheet))
        return None
    heads = [normalize_header(c) for c in rows[h]]
    lay = _layout(component, heads, first)
    for head, was, j in lay.repeated:
        problems.append(form.problem(
            "duplicate-column", f"表头“{head}”出现了两次（{get_column_letter(was + 1)}列和"
            f"{get_column_letter(j + 1)}列），请删除多余的一列", sheet=sheet, cell=f"{get_column_letter(j + 1)}{h + 1}"))
    if lay.missing:
        problems.append(form.problem(
            "missing-column", f"缺少列“{'、'.join(lay.missing)}”，请使用下发的标准表格，不要删除或改名列",
            sheet=sheet, cell=f"A{h + 1}"))
        return None
    id_col, where, cols, places, picked, pick = lay.id_col, lay.where, lay.cols, lay.places, lay.picked, lay.pick
    last, scores, headers, required = lay.last, lay.scores, lay.headers, lay.required
    flagged = _Flagged(form, sheet)
    out: dict[str, Row] = {}
    ledger: dict[str, list[Row]] = {}
    by_top = {top: _in_range(top) for top in {c.max for c in cols}} if scores else {}
    seen = [by_top[c.max] for c in cols] if scores else []
    who = "人员" if scheme.level == "member" else "支部"
    kind = component.kind
    checked = kind in ("tally", "votes")  # _blanks looks at every row of these; of others, rows with blanks
    for r in range(h + 1, len(rows)):
        raw_row = rows[r]
        width = len(raw_row)
        lead = raw_row[0] if width else None  # (a row's first cell, its 编号, usually says it is not blank)
        if not (normalize_text(lead) if isinstance(lead, str) else lead is not None) and not any(
                normalize_text(v) if isinstance(v, str) else v is not None for v in raw_row):
            continue  # a blank gap: keep looking below it
        eid = normalize_id(raw_row[id_col] if id_col < width else "")
        name = clean_text(raw_row[id_col + 1] if id_col + 1 < width else "")
        entity = f"{eid} {name}".strip()
        if not eid:
            problems.append(form.problem(
                "missing-id", f"第 {r + 1} 行没有编号，未计入；请补上编号（按下发名册）",
                sheet=sheet, cell=f"{get_column_letter(id_col + 1)}{r + 1}", entity=name))
            continue
        if scores and width > last:
            cells = pick(raw_row)  # type: ignore[misc]
            got = tuple(map(dict.get, seen, cells, repeat(_UNSEEN))) if _SCORE_TYPES.issuperset(map(type, cells)) \
                else (_UNSEEN,)  # (a tuple: as slim leaves a row's numbers)
            kinds = set(map(type, got))  # (not `None in got`: Decimal == None asks numbers.Rational, slowly)
            if _Unseen not in kinds and (_NONE not in kinds or not flagged.cells()):
                blank = list(compress(headers, map(operator.is_, got, repeat(None)))) if _NONE in kinds else []
                row = Row(eid, name, r + 1, got, {}, True, cells, blank, dict(zip(headers, got, strict=True)))
                if blank or checked or (kind == "ballots" and (not got or got[0] is None)):
                    _blanks(form, component, cols, where, row, entity, problems, who, required)
                if eid in out:
                    _keep(row, out, problems, form, sheet, entity, r)
                else:
                    out[eid] = row
                continue
        row = Row(eid, name, r + 1)
        numbers, values = row.numbers, row.values
        for col, j, letter, numeric, count, top, header, k in places:
            raw = raw_row[j] if j < width else ""
            if numeric and (type(raw) is float or type(raw) is int):  # a number in range: what _cell does, inline
                n = parse_number(raw)
                value = n.value
                if n.state == "ok" and value is not None and (
                        (value >= 0 and value == value.to_integral_value()) if count
                        else (top is None or 0 <= value <= top)):
                    numbers.append(value)
                    values[header] = value
                    if scores and type(raw) is float and raw != 0.0:  # (-0.0 reads "-0"): not remembered
                        seen[k][raw] = value
                    continue
            _cell(form, sheet, col, raw, _A1(letter, r + 1), entity, row, flagged, data, problems)
        row.raw = pick(raw_row) if pick is not None and width > last else tuple(
            [raw_row[j] if j < width else "" for j in picked])
        _blanks(form, component, cols, where, row, entity, problems, who, required)
        if component.kind == "ledger":  # one row per activity: many rows per branch
            ledger.setdefault(eid, []).append(row)
            continue
        _keep(row, out, problems, form, sheet, entity, r)
    inspect_sheet.check(form, sheet, rows, h, where, cols, out, problems, heads)  # merged, hidden, scale, ...
    return SheetData(sheet, out, ledger)


def _keep(row: Row, out: dict[str, Row], problems: list[Problem], form: Form, sheet: str, entity: str, r: int) -> None:
    """A row goes into ``out`` by its 编号, unless the 编号 came before (a duplicate row)."""
    eid = row.id
    if eid in out:
        before = out[eid]
        if before.raw == row.raw:
            problems.append(form.problem(
                "duplicate-row", f"编号“{eid}”出现了两行（第 {before.row} 行和第 {r + 1} 行），内容相同，只计一次；"
                "请删除重复行", sheet=sheet, cell=f"A{r + 1}", entity=entity, severity="warning"))
        else:
            problems.append(form.problem(
                "duplicate-row", f"编号“{eid}”出现了两行（第 {before.row} 行和第 {r + 1} 行），内容不同，"
                "无法判断以哪行为准，该人员暂不评定；请删除错误的一行", sheet=sheet, cell=f"A{r + 1}",
                entity=entity))
            before.ok = False
        return
    out[eid] = row


class _Flagged:
    """A sheet's error cells and uncached formulas (:func:`pingxing.sniff.scan_sheet_flags`) by A1
    reference. Both read blank, so the sheet's XML is looked into only when a cell to fill reads
    blank, and then once: a sheet filled in full costs nothing here."""

    __slots__ = ("_form", "_sheet", "_cells")

    def __init__(self, form: Form, sheet: str) -> None:
        self._form, self._sheet = form, sheet
        self._cells: dict[str, sniff.CellFlag] | None = None

    def cells(self) -> dict[str, sniff.CellFlag]:
        if self._cells is None:
            self._cells = {f.cell: f for f in sniff.scan_sheet_flags(self._form.source, self._sheet)}
        return self._cells

    def __contains__(self, cell: str) -> bool:
        return cell in self.cells()

    def __getitem__(self, cell: str) -> sniff.CellFlag:
        return self.cells()[cell]


class _Unseen:
    """A cell not (yet) known to hold a number in range, while a row of scores is read in one go."""


_UNSEEN = _Unseen()
_NONE = type(None)
_SCORE_TYPES = frozenset({float, str})
_IN_RANGE: dict[Decimal, dict[Any, Any]] = {}


def _in_range(top: Decimal) -> dict[Any, Any]:
    """Numbers (floats as read) already found to be in 0..top, each with its Decimal; ``""`` is a
    blank (None)."""
    seen = _IN_RANGE.get(top)
    if seen is None or len(seen) > 65536:
        seen = _IN_RANGE[top] = {"": None}
    return seen


def _blanks(form: Form, component: Any, cols: list[Column], where: dict[str, int], row: Row, entity: str,
            problems: list[Problem], who: str, required: set[str]) -> None:
    """Blank is never zero: a blank required cell is a problem; a ballot row needs one ballot.
    ``required``: the headers of the required columns."""
    if not row.blank:
        kind = component.kind
        if kind not in ("ballots", "tally", "votes"):
            return  # nothing below applies
        if kind == "ballots" and (not row.ok or (row.numbers and row.numbers[0] is not None)):
            return  # (a ballot row with a first ballot: nothing below applies)
    a1 = lambda header: f"{get_column_letter(where[header] + 1)}{row.row}"  # noqa: E731
    for header in row.blank if not required.isdisjoint(row.blank) else ():
        if header in required:
            what = "选择“是”或“否”" if component.kind == "checklist" else (
                "填写人数或票数（没有请填 0）" if component.kind in ("tally", "votes") else "补填分数（留空不会按 0 分计算）")
            problems.append(form.problem(
                "blank-cell", f"“{header}”未填写，该{who}暂不评定；请{what}",
                sheet=component.sheet, cell=a1(header), entity=entity))
            row.ok = False
    if component.kind == "ballots" and row.ok and not any(map(operator.is_not, row.numbers, repeat(None))):
        problems.append(form.problem(
            "no-ballots", f"没有任何一张有效票，该{who}暂不评定；请补录选票", sheet=component.sheet,
            cell=f"{a1(cols[0].header)}:{a1(cols[-1].header)}", entity=entity))
        row.ok = False
    if row.ok and component.kind == "tally" and component.issued:
        counted = sum(row.values[h] for h in TALLY_HEADERS)
        if counted != row.values["发放"]:
            problems.append(form.problem(
                "tally-mismatch", f"各项票数合计 {counted} 与发放票数 {row.values['发放']} 不符，请核对",
                sheet=component.sheet, cell=f"{a1(TALLY_HEADERS[0])}:{a1(TALLY_HEADERS[-1])}", entity=entity))
            row.ok = False
    if row.ok and component.kind == "votes":
        valid = row.values[component.valid_header]
        for star in component.stars:
            if row.values[star] > valid:
                problems.append(form.problem(
                    "votes-exceed-valid", f"“{star}”得票 {row.values[star]} 超过有效票 {valid}，请核对",
                    sheet=component.sheet, cell=a1(star), entity=entity))
                row.ok = False
        if row.ok and valid == 0:
            problems.append(form.problem(
                "no-ballots", "有效票为 0，无法计算得票率；请补录选票", sheet=component.sheet,
                cell=a1(component.valid_header), entity=entity))
            row.ok = False


class _A1:
    """A cell's A1 reference, made into text only when a problem or a coercion names it."""

    __slots__ = ("letter", "row")

    def __init__(self, letter: str, row: int) -> None:
        self.letter, self.row = letter, row

    def __str__(self) -> str:
        return f"{self.letter}{self.row}"


def _cell(form: Form, sheet: str, col: Column, raw: Any, where: _A1 | str, entity: str, row: Row,
          flagged: _Flagged, data: FormData, problems: list[Problem]) -> None:
    if type(raw) in (int, float) and col.type in ("number", "count"):  # the common case, in short
        n = parse_number(raw)
        value = n.value
        if n.state == "ok" and value is not None and (
                (col.type == "count" and value >= 0 and value == value.to_integral_value())
                or (col.type == "number" and (col.max is None or Decimal(0) <= value <= col.max))):
            row.numbers.append(value)
            row.values[col.header] = value
            return
    a1 = str(where)

    def bad(code: str, message: str) -> None:
        problems.append(form.problem(code, message, sheet=sheet, cell=a1, entity=entity, value=shown(raw)))
        row.ok = False

    if raw in ("", None) and a1 in flagged:
        flag = flagged[a1]
        if flag.code == "error-cell":
            bad("error-cell", f"单元格是错误值 {flag.raw}，请改为正确的数值")
        else:
            bad("formula-not-calculated", "公式未计算，请在Excel中打开并保存")
        row.numbers.append(None)
        return
    if col.type == "choice":
        state, text = parse_choice(raw, list(col.choices))
        if state == "bad":
            bad("invalid-choice", f"“{text}”不是可选项，请填写 {'/'.join(col.choices)}")
        elif state == "blank":
            row.blank.append(col.header)
        row.flags[col.header] = text
        row.values[col.header] = text
        return
    if col.type == "text":
        row.flags[col.header] = row.values[col.header] = clean_text(shown(raw) if raw not in ("", None) else "")
        return
    if col.type == "date":
        when = parse_date(raw)
        if when is None and raw not in ("", None):
            bad("not-a-date", f"“{shown(raw)}”不是日期，请写成 2026-03-15 这样的形式")
        elif when is None:
            row.blank.append(col.header)
        row.values[col.header] = when
        return
    n = parse_number(raw)
    value = n.value
    if n.state == "bad" and not col.required and several_numbers(raw):  # a ballot with two scores: 废票
        problems.append(form.problem("invalid-ballot", f"一张票填了几个分数（“{shown(raw)}”），按废票处理，不计入平均分；"
                                     "如是录入错误，请改为一个分数", sheet=sheet, cell=a1, entity=entity,
                                     severity="warning", value=shown(raw)))
        n, value = parse_number(""), None
    if n.state == "blank":
        row.blank.append(col.header)
    if n.state == "bad":
        bad(n.code, _NUMBER_MESSAGES[n.code].format(v=shown(raw), max=fmt_decimal(col.max) if col.max else "…",
                                                    n=excel_serial(raw)))
        value = None
    elif n.state == "na":
        bad("not-applicable", f"“{shown(raw)}”表示不适用，但这里须填数字；未评请留空，有分请填数字")
        value = None
    elif n.state == "ok":
        assert value is not None
        if col.type == "count" and (value < 0 or value != value.to_integral_value()):
            bad("not-a-count", f"“{shown(raw)}”不是人数或票数，请填写 0 或正整数")
            value = None
        elif col.type == "number" and col.max is not None and not Decimal(0) <= value <= col.max:
            bad("out-of-range", f"分数 {shown(raw)} 超出范围，应在 0 到 {fmt_decimal(col.max)} 之间，请核对")
            value = None
        elif n.code:
            data.coercions.append({"file": form.file, "sheet": sheet, "cell": a1, "value": shown(raw),
                                   "read_as": str(value), "how": n.code})
            if n.code == "unit-suffix":
                problems.append(form.problem("unit-suffix", f"“{shown(raw)}”带有“分”字，已按 {value} 读取，请确认",
                                             sheet=sheet, cell=a1, entity=entity, severity="warning",
                                             value=shown(raw)))
    row.numbers.append(value)
    row.values[col.header] = value
