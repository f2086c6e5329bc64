"""Properties over names and numbers of the hostile kinds issue 13 found (hypothesis).

- File names made from any two different (单位, 支部) pairs — separators, ``/`` and ``_``, dots,
  control and invisible characters, Windows device names, case, length — never give one file, and
  every stem is safe (no leading dot, nothing Windows forbids, within the length limits).
- A roster of such names and of such 编号 is read (every branch its own, its own id) or refused in
  one-line messages (exit 2) — never a traceback, never two branches merged.
- A value typed beyond the form's last column — under more of the sheet's own headers (票31, 6.1)
  or none — is a problem at exactly that cell, and that person is not rated; the others are rated
  as before.
- A correction of any value (nan, inf, 1e5, −5, ９０．５, 90分, a huge number, a half star) is applied
  within the scheme's range or is a problem at its row: the run always finishes.
"""

from __future__ import annotations

import shutil
import string
import tempfile
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from test_properties import COLUMNS, COMPONENTS, MEMBERS, assessed, valid_values

from pingxing.cells import STEM_BYTES, STEM_CHARS, file_stem
from pingxing.issue.corrections import HEADERS
from pingxing.pipeline import Options, rate_whole, read_input
from process import cli

SOME = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=150, deadline=None)

#: the characters names went wrong with
HOSTILE = "-/_.~ \t\x07\x00\u200b\u3000\ufeffAaBb:*?\"<>|\\" + "党支部第一二三委员会局" + "𠀀✓"
names = st.one_of(
    st.text(alphabet=HOSTILE, min_size=1, max_size=12),
    st.sampled_from(["CON", "con", "Nul", "aux.txt", "COM1", ".", "..", ".隐藏", "a/b", "a_b", "A", "a"]),
    st.text(alphabet="很长的单位名称", min_size=60, max_size=200),
)


def _forbidden(stem: str) -> bool:
    return any(ch in '\\/:*?"<>|' or unicodedata.category(ch)[0] == "C" for ch in stem)


@MANY
@given(st.lists(st.tuples(names, names), min_size=2, max_size=6, unique=True))
def test_file_names_from_different_names_never_collide_and_are_always_safe(pairs: list[tuple[str, str]]) -> None:
    stems = [file_stem(f"{u}-{b}-member-weighted-2026Q4", (u, b)) for u, b in pairs]
    assert len({s.casefold() for s in stems}) == len(pairs)
    for s in stems:
        assert s and not s.startswith(".") and not _forbidden(s) and not s.endswith((" ", "."))
        assert len(s) <= STEM_CHARS and len(s.encode("utf-8")) <= STEM_BYTES
        assert s.split(".")[0].casefold() not in ("con", "prn", "aux", "nul", "com1", "lpt1")


ids = st.one_of(st.integers(1, 10**6).map(str), st.text(alphabet=string.digits + " \u200b", min_size=1, max_size=20),
                st.sampled_from(["1.10101E+17", "110101199001011234", "０００１"]))


@SOME
@given(st.lists(st.tuples(names, names, ids), min_size=1, max_size=5))
def test_a_roster_of_hostile_names_and_ids_is_read_or_refused_in_one_line_each(rows: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory(prefix="pingxing-prop-") as tmp:
        roster = Path(tmp) / "名册.csv"
        lines = ["单位\t支部\t编号\t姓名"] + [f"{u}\t{b}\t{i}\t党员{k}" for k, (u, b, i) in enumerate(rows)]
        roster.write_bytes("\n".join(line.replace("\n", " ") for line in lines).encode("utf-16"))
        result = CliRunner().invoke(cli, ["forms", "--scheme", "member-weighted", "--roster", str(roster),
                                          "--period", "2026Q4", "--output", str(Path(tmp) / "forms")])
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 2:
            assert all(line.startswith("错误：") for line in result.output.splitlines())
            return
        forms = sorted((Path(tmp) / "forms").glob("*.xlsx"))
        branches = set()
        for path in forms:
            meta = dict(load_workbook(path, read_only=True)["_meta"].values)
            branches.add((meta["unit"], meta["branch"], meta["branch_id"]))
        assert len(branches) == len(forms)  # every branch its own workbook
        assert len({b[2] for b in branches}) == len(branches)  # and its own id


@SOME
@given(valid_values(), st.data())
def test_a_value_beyond_the_last_column_is_a_problem_at_that_cell_only(values: dict[str, Any],
                                                                       data: st.DataObject) -> None:
    base, _ = assessed(values)
    sheet = data.draw(st.sampled_from(sorted(COLUMNS)))
    kind = COMPONENTS[sheet].kind  # more of the sheet's own columns, or a column without header
    header = data.draw(st.sampled_from(["", *({"ballots": ["票31", "票 9 9"], "items": ["6.1", "9.9"]}.get(kind, []))]))
    who = data.draw(st.integers(0, len(MEMBERS) - 1))
    value = data.draw(st.one_of(st.integers(0, 100), st.sampled_from(["90", "x", "是"])))
    heads = [c.header for c in COLUMNS[sheet]]
    assume(header not in heads)
    changed = {s: {e: dict(r) for e, r in rows.items()} for s, rows in values.items()}
    changed[sheet].setdefault(MEMBERS[who][0], {})[header or "_blank"] = value
    ratings, problems = assessed(changed, columns={sheet: [*heads, header or "_blank"]} if header else None) \
        if header else _with_blank_header(changed, sheet, heads)
    added = [p for p in problems if p[0] == "added-cell"]
    assert [(p[1], p[3]) for p in added] == [(sheet, "error")] and added[0][2].endswith(str(who + 2))
    assert [r for r in ratings if r[0] != MEMBERS[who][0]] == [r for r in base if r[0] != MEMBERS[who][0]]
    assert next(r for r in ratings if r[0] == MEMBERS[who][0])[1] == "incomplete"


def _with_blank_header(values: dict[str, Any], sheet: str, heads: list[str]) -> Any:
    """The form with a value in a column whose header cell is blank (written under a placeholder
    header, then the header cleared)."""
    import test_properties

    written = test_properties.write_form

    def blank_header(path: Path, vals: Any, order: Any = None, columns: Any = None) -> Path:
        written(path, vals, order, {sheet: [*heads, "_blank"]})
        wb = load_workbook(path)
        ws = wb[sheet]
        ws.cell(1, len(heads) + 3).value = None
        wb.save(path)
        return path

    test_properties.write_form = blank_header  # type: ignore[assignment]
    try:
        return assessed(values)
    finally:
        test_properties.write_form = written  # type: ignore[assignment]


corrections = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "1e5", "-5", "９０．５", "90分", "1" * 40, "0.5", "2.5", "-1", "", "/"]),
    st.integers(-10**6, 10**6).map(str), st.decimals(-1000, 1000, places=3).map(str))


@SOME
@given(st.sampled_from(["更正分数", "降星", "更正项目"]), corrections)
def test_a_correction_of_any_value_is_applied_in_range_or_is_a_problem_at_its_row(action: str, raw: str) -> None:
    with tempfile.TemporaryDirectory(prefix="pingxing-prop-") as tmp:
        inbox = Path(tmp) / "input"
        inbox.mkdir()
        sample = Path(__file__).resolve().parent.parent / "examples" / "input" / "member-weighted"
        form = sorted(sample.glob("*.xlsx"))[0]
        (inbox / form.name).write_bytes(form.read_bytes())
        first = next(r[0] for r in load_workbook(form, read_only=True)["_roster"].iter_rows(min_row=2, values_only=True))
        wb = load_workbook(_template())
        value = f"领导点评.得分={raw}" if action == "更正项目" else raw
        for c, v in enumerate((first, "", action, value, "理由", datetime(2026, 12, 3), "党委"), 1):
            wb["更正"].cell(4, c).value = v
        wb.save(inbox / "更正表.xlsx")
        record = shutil.copy(sample.parent.parent / "评星记录.sqlite", Path(tmp) / "record.sqlite")  # the sample's own
        opts = Options(input_dir=inbox, output_dir=Path(tmp) / "output", history=Path(record))
        found = read_input(opts)
        try:
            ratings = {r.entity.id: r for g in found.groups for r in rate_whole(g, opts.history_path)}
            problems = [p for g in found.groups for p in g.problems if p.sheet == "更正"]
        finally:
            found.close()
    rated = ratings[str(first)]
    assert not problems or [(p.code, p.cell) for p in problems] in (
        [("adjustment-invalid", "C4")], [("adjustment-invalid", "D4")])
    assert rated.stars is None or 0 <= rated.stars <= 5
    assert rated.score is None or 0 <= rated.score <= 100


_TEMPLATE: list[Path] = []


def _template() -> Path:
    """The 更正表 ``forms`` writes for member-weighted, made once."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="pingxing-prop-"))
        roster = folder / "名册.csv"
        roster.write_text("单位,支部,编号,姓名\n局,支部,1,甲\n", encoding="utf-8")
        CliRunner().invoke(cli, ["forms", "--scheme", "member-weighted", "--roster", str(roster), "--period",
                                 "2026Q4", "--output", str(folder / "forms")])
        _TEMPLATE.append(next((folder / "forms" / "更正表").glob("更正-*.xlsx")))
    assert list(HEADERS)[:3] == ["编号", "名称", "操作"]
    return _TEMPLATE[0]
