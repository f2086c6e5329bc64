"""Properties, not just examples (hypothesis): the layout of a returned form never changes a
result; a valid form has no problems and one bad cell gives exactly one problem, there;
the cell parser accepts only numbers it can give back exactly.

Forms are written with XlsxWriter straight from the scheme (the sheets, header rows and
``_meta``/``_roster`` that ``run`` reads; no titles, styles or validation, which ``run``
ignores), one small branch of three members, and assessed by the real pipeline.
"""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pingxing import scheme as schemes
from pingxing.cells import normalize_text, parse_number
from pingxing.pipeline import Options, rate_whole, read_input
from pingxing.problems import sort_key

SCHEME = schemes.load("member-weighted")
MEMBERS = [("1001", "张伟"), ("1002", "王芳"), ("1003", "李娜")]
COMPONENTS = {c.sheet: c for c in SCHEME.components}
COLUMNS = {sheet: c.fill_columns() for sheet, c in COMPONENTS.items()}
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Values = dict[str, dict[str, dict[str, Any]]]  # sheet → id → header → value


# ------------------------------------------------------------------ forms
def write_form(path: Path, values: Values, order: dict[str, list[int]] | None = None,
               columns: dict[str, list[str]] | None = None) -> Path:
    """A standard member-weighted workbook. ``order``: row order of the members per sheet;
    ``columns``: the header sequence per sheet (any order; ``""`` is a blank column)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    date = wb.add_format({"num_format": "yyyy/m/d"})
    for sheet, cols in COLUMNS.items():
        ws = wb.add_worksheet(sheet)
        heads = (columns or {}).get(sheet) or [c.header for c in cols]
        ws.write_row(0, 0, ["编号", "姓名", *heads])
        for r, m in enumerate((order or {}).get(sheet) or range(len(MEMBERS)), 1):
            eid, name = MEMBERS[m]
            ws.write_string(r, 0, eid)
            ws.write_string(r, 1, name)
            for j, head in enumerate(heads, 2):
                v = values.get(sheet, {}).get(eid, {}).get(head) if head else None
                if isinstance(v, datetime):
                    ws.write_datetime(r, j, v, date)
                elif isinstance(v, str):
                    ws.write_string(r, j, v)
                elif v is not None:
                    ws.write_number(r, j, v)
    roster = wb.add_worksheet("_roster")
    roster.write_row(0, 0, ["编号", "姓名", "身份"])
    for r, (eid, name) in enumerate(MEMBERS, 1):
        roster.write_row(r, 0, [eid, name, "正式党员"])
    meta = wb.add_worksheet("_meta")
    for r, kv in enumerate([("key", "value"), ("scheme", SCHEME.name), ("period", "2026Q4"), ("unit", "质检中心"),
                            ("branch", "第一党支部"), ("form_version", SCHEME.form_version())]):
        meta.write_row(r, 0, kv)
    roster.hide()
    meta.hide()
    wb.close()
    return path


def assessed(values: Values, **layout: Any) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, str, str]]]:
    """(ratings, problems) of one form written with ``values`` and ``layout``."""
    with tempfile.TemporaryDirectory(prefix="pingxing-prop-") as tmp:
        inbox = Path(tmp) / "input"
        inbox.mkdir()
        write_form(inbox / "form.xlsx", values, **layout)
        opts = Options(input_dir=inbox, output_dir=Path(tmp) / "output")
        found = read_input(opts)
        try:
            ratings = [(r.entity.id, r.status, r.score, r.stars, tuple(sorted(r.entity.components.items())))
                       for g in found.groups for r in rate_whole(g, opts.history_path)]
        finally:
            found.close()
    problems = sorted({p for g in found.groups for p in g.problems} | set(found.problems), key=sort_key)
    return ratings, [(p.code, p.sheet, p.cell, p.severity) for p in problems if p.code != "not-registered"]


scores = st.integers(0, 100)
items = st.integers(0, 50).map(lambda n: n / 10)  # 0.0 … 5.0 in tenths


@st.composite
def valid_values(draw: st.DrawFn) -> Values:
    """A complete, valid form: every item, a leader score, at least three ballots of each kind (fewer is
    valid too, but the anonymity guard warns: tests/test_explain.py)."""
    values: Values = {}
    for eid, _ in MEMBERS:
        for sheet, cols in COLUMNS.items():
            kind = COMPONENTS[sheet].kind
            row: dict[str, Any] = {}
            if kind == "items":
                row = {c.header: draw(items) for c in cols}
            elif kind == "score":
                row = {c.header: draw(scores) for c in cols}
            elif kind == "ballots":
                n = draw(st.integers(3, min(len(cols), 6)))
                row = {c.header: draw(scores) for c in cols[:n]}
            elif kind == "flags":
                row = {"特别突出": draw(st.sampled_from(["是", "否"]))}
            values.setdefault(sheet, {})[eid] = row
    return values


# ------------------------------------------------------------------ layout never changes results
@FAST
@given(valid_values(), st.data())
def test_permuting_ballot_columns_or_rows_never_changes_results(values: Values, data: st.DataObject) -> None:
    base, problems = assessed(values)
    assert problems == []
    ballots = [s for s, c in COMPONENTS.items() if c.kind == "ballots"]
    columns = {s: data.draw(st.permutations([c.header for c in COLUMNS[s]])) for s in ballots}
    order = {s: data.draw(st.permutations(range(len(MEMBERS)))) for s in COLUMNS}
    assert assessed(values, columns=columns, order=order)[0] == base


@FAST
@given(valid_values(), st.data())
def test_adding_an_empty_ballot_column_never_changes_results(values: Values, data: st.DataObject) -> None:
    """A blank ballot column among the used ones (the later ballots one to the right), or an
    extra column anywhere after 姓名 (blank header, 备注, 票31 with no ballots)."""
    base, _ = assessed(values)
    sheet = data.draw(st.sampled_from([s for s, c in COMPONENTS.items() if c.kind == "ballots"]))
    heads = [c.header for c in COLUMNS[sheet]]
    at = data.draw(st.integers(0, len(heads) - 1))
    gapped = {s: {eid: dict(row) for eid, row in rows.items()} for s, rows in values.items()}
    for row in gapped[sheet].values():
        ballots = [row.get(h) for h in heads]
        if ballots[-1] is None:  # room to shift
            ballots = ballots[:at] + [None] + ballots[at:-1]
            row.clear()
            row.update({h: v for h, v in zip(heads, ballots, strict=False) if v is not None})
    assert assessed(gapped)[0] == base
    extra = data.draw(st.sampled_from(["", "备注", f"票{len(heads) + 1}"]))
    assert assessed(values, columns={sheet: heads[:at] + [extra] + heads[at:]})[0] == base


# ------------------------------------------------------------------ one bad cell, one problem
def bad_values(max_: Decimal | None) -> st.SearchStrategy[Any]:
    words = st.sampled_from(["九十", "abc", "nan", "inf", "-inf", "1_000", "١٠٠", "1e3", "0x10", "12.5.1",
                             "优秀", "缺考", "/", "无", "N/A", "--"])
    out = [words, st.just(datetime(2026, 3, 15))]
    if max_ is not None:
        top = int(max_)
        out += [st.integers(top + 1, top + 1000), st.integers(-100, -1), st.just(f"{top + 1}分")]
        if max_ >= 50:
            out.append(st.integers(1, 99).map(lambda n: n / 100))  # 0.01 … 0.99 for a 100-point score
    return st.one_of(*out)


def _a1(sheet: str, header: str, eid: str) -> str:
    col = 3 + [c.header for c in COLUMNS[sheet]].index(header)
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{2 + [m for m, _ in MEMBERS].index(eid)}"


@FAST
@given(valid_values(), st.data())
def test_one_invalid_cell_gives_exactly_one_problem_at_that_cell(values: Values, data: st.DataObject) -> None:
    sheet = data.draw(st.sampled_from(list(COLUMNS)))
    eid = data.draw(st.sampled_from([m for m, _ in MEMBERS]))
    cols = [c for c in COLUMNS[sheet] if c.type in ("number", "choice")]
    col = data.draw(st.sampled_from(cols))
    bad = data.draw(st.sampled_from(["可能", "Y", "5"]) if col.type == "choice" else bad_values(col.max))
    broken = {s: {e: dict(row) for e, row in rows.items()} for s, rows in values.items()}
    broken[sheet][eid][col.header] = bad
    _, problems = assessed(broken)
    assert [(p[1], p[2], p[3]) for p in problems] == [(sheet, _a1(sheet, col.header, eid), "error")], (bad, problems)


def test_a_valid_form_has_no_problems_and_the_a1_helper_is_right() -> None:
    values = {  # a fixed example, cheap and readable
        s: {eid: ({c.header: 5 for c in COLUMNS[s]} if COMPONENTS[s].kind == "items" else
                  {"特别突出": "否"} if COMPONENTS[s].kind == "flags" else {c.header: 90 for c in COLUMNS[s][:3]})
            for eid, _ in MEMBERS} for s in COLUMNS}
    ratings, problems = assessed(values)
    assert problems == [] and [r[1] for r in ratings] == ["rated"] * 3
    assert _a1("互评", "票1", "1002") == "C3" and _a1("自评", "5.4", "1001") == "V2"


# ------------------------------------------------------------------ the parser
_ASCII_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789.+-_eEinfa ٠١٢３４５６７８９０．分\u200b\u3000", max_size=8)))
def test_the_parser_accepts_only_what_it_can_give_back_exactly(s: str) -> None:
    n = parse_number(s)
    if n.state != "ok":
        return
    assert n.value is not None and n.value.is_finite()
    assert Decimal(str(n.value)) == n.value
    text = normalize_text(s).removesuffix("分").strip()
    assert _ASCII_NUMBER.fullmatch(text), s
    assert Decimal(text) == n.value


def test_the_parser_refuses_what_float_would_take() -> None:
    for s in ("nan", "NaN", "inf", "-inf", "Infinity", "1_000", "١٠٠", "1e3", "0x10", "九十", "90%"):
        assert parse_number(s).state == "bad", s
    assert float("1_000") == 1000 and float("١٠٠") == 100  # what bare float() would have accepted
    assert parse_number("９０．５").value == Decimal("90.5")
    assert parse_number(float("nan")).state == "bad"
