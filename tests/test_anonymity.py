"""The anonymity guard (DOMAIN.md "Objections during publicity"): a part resting on fewer than k ballots
(scheme ``anonymity.min_ballots``, default 3) reads 不足{k}票，不单独列示 everywhere outside results.csv,
and a warning ``few-ballots`` names whom and which part — tested at k−1 and at k ballots.

One branch of three members (member-weighted); 王芳 gets ``n`` 互评 ballots — 83.7, 91.3 and, at k,
88.1 — the others five each. 自评 4 × 20 = 80, 领导点评 85, 职工参评 5 × 80: her total is
16 + 0.3 × 互评 + 17 + 24.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from clerk import by_sheet, fill, issue, member_weighted, read_csv, results_by_id, run, settle, words
from openpyxl import load_workbook

ROSTER = "单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第一党支部,1002,王芳\n质检中心,第一党支部,1003,李娜\n"
BALLOTS = [83.7, 91.3, 88.1]
GUARD = "不足3票，不单独列示"


def _run(tmp_path: Path, n: int) -> Path:
    values = {eid: member_weighted([4] * 20, [90, 80, 85, 88, 87], 85, [80] * 5) for eid in ("1001", "1003")}
    values["1002"] = member_weighted([4] * 20, BALLOTS[:n], 85, [80] * 5)
    blank = next(iter(issue(tmp_path, "member-weighted", ROSTER, "2026Q4").values()))
    settle(tmp_path / "forms", tmp_path / "input")
    fill(blank, by_sheet(values), tmp_path / "input" / "第一党支部.xlsx")
    assert run(tmp_path / "input", tmp_path / "out", "2026-12-01") == 0  # a warning, not an error: rated
    return tmp_path / "out" / "member-weighted" / "2026Q4"


def _parts(folder: Path) -> dict[str, dict[str, Any]]:
    ws = load_workbook(folder / "results.xlsx")["评定结果"]
    header = [c.value for c in ws[2]]  # (below the title row)
    return {row[2]: dict(zip(header, row, strict=False)) for row in ws.iter_rows(min_row=3, values_only=True)}


def test_fewer_than_k_ballots_are_withheld_outside_results_csv_with_a_warning(tmp_path: Path) -> None:
    folder = _run(tmp_path, 2)
    # results.csv, the committee's own file, keeps the figure: (83.7 + 91.3) / 2 = 87.5
    row = results_by_id(folder)["1002"]
    assert (row["互评"], row["score"], row["stars"]) == ("87.50", "83.25", "4")
    # results.xlsx: the words instead of the figure; the total and the other parts as ever
    parts = _parts(folder)
    assert parts["1002"]["互评"] == GUARD and parts["1002"]["综合得分"] == pytest.approx(83.25)
    assert parts["1002"]["职工参评"] == pytest.approx(80) and parts["1001"]["互评"] == pytest.approx(86)
    # one warning, naming whom and which part, at the row to look at
    problems = [p for p in read_csv(folder / "problems.csv") if p["code"] == "few-ballots"]
    assert [(p["file"], p["sheet"], p["cell"], p["entity"], p["severity"]) for p in problems] == [
        ("第一党支部.xlsx", "互评", "A5", "1002 王芳", "warning")]
    assert problems[0]["message"] == (
        "王芳的“互评”只有 2 张有效票，少于 3 张：为免推知评议人，结果表、报告和计算明细中该项显示为“不足3票，不单独列示”"
        "（results.csv 中仍有该项得分，只供党委内部使用）；能补收选票的请补录后重新运行，否则可照常公示")
    # the report shows the warning (with the words), never the figure; nor does any other file but results.csv
    report = words(folder / "report.html")
    assert GUARD in report and "87.5" not in report
    for path in folder.rglob("*"):
        if path.suffix in (".html", ".txt", ".json") and path.name != "manifest.json":
            assert "87.5" not in path.read_text(encoding="utf-8"), path
    # nor its ballots, anywhere
    for path in folder.rglob("*"):
        if path.suffix in (".html", ".csv"):
            assert "83.7" not in path.read_text(encoding="utf-8-sig") and "91.3" not in path.read_text(encoding="utf-8-sig")


def test_a_part_withheld_for_everyone_keeps_its_column_with_the_words(tmp_path: Path) -> None:
    """Every member's 互评 rests on two ballots: results.xlsx still shows the 互评 column, each row
    saying why there is no figure (the column was hidden as if the scheme left it empty)."""
    values = {eid: member_weighted([4] * 20, BALLOTS[:2], 85, [80] * 5) for eid in ("1001", "1002", "1003")}
    blank = next(iter(issue(tmp_path, "member-weighted", ROSTER, "2026Q4").values()))
    settle(tmp_path / "forms", tmp_path / "input")
    fill(blank, by_sheet(values), tmp_path / "input" / "第一党支部.xlsx")
    assert run(tmp_path / "input", tmp_path / "out", "2026-12-01") == 0
    folder = tmp_path / "out" / "member-weighted" / "2026Q4"
    ws = load_workbook(folder / "results.xlsx")["评定结果"]
    column = next(c.column_letter for c in ws[2] if c.value == "互评")
    assert not ws.column_dimensions[column].hidden
    assert {row["互评"] for row in _parts(folder).values()} == {GUARD}


def test_k_ballots_are_shown_and_nobody_is_warned(tmp_path: Path) -> None:
    folder = _run(tmp_path, 3)
    assert results_by_id(folder)["1002"]["互评"] == "87.70"  # (83.7 + 91.3 + 88.1) / 3
    assert _parts(folder)["1002"]["互评"] == pytest.approx(87.7)
    assert [p for p in read_csv(folder / "problems.csv") if p["code"] == "few-ballots"] == []
    assert "不足" not in words(folder / "report.html")


def test_k_is_scheme_data(tmp_path: Path) -> None:
    """A scheme asking for four: three ballots are withheld, and the words say four."""
    import yaml

    from pingxing import scheme as schemes
    data = yaml.safe_load((schemes.SCHEMES_DIR / "member-weighted.yaml").read_text(encoding="utf-8"))
    data["anonymity"] = {"min_ballots": 4}
    (tmp_path / "schemes").mkdir()  # the clerk's own copy of the scheme, used instead of the shipped one
    (tmp_path / "schemes" / "member-weighted.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    folder = _run(tmp_path, 3)  # (a process keeps a scheme read by name only while its file is the same one)
    assert _parts(folder)["1002"]["互评"] == "不足4票，不单独列示"
    assert [p["entity"] for p in read_csv(folder / "problems.csv") if p["code"] == "few-ballots"] == ["1002 王芳"]


def test_a_scheme_whose_ballots_could_never_be_shown_is_refused(tmp_path: Path) -> None:
    from clerk import scheme_variant

    from pingxing import scheme as schemes
    from pingxing.errors import SchemeError

    path = scheme_variant(tmp_path, "member-weighted", lambda d: d.update(anonymity={"min_ballots": 6}))
    with pytest.raises(SchemeError, match=r"components\[3\]\.ballots: 只有 5 个票列，少于 anonymity.min_ballots（6）"):
        schemes.load(str(path))
    path = scheme_variant(tmp_path, "member-weighted", lambda d: d.update(anonymity={"min_ballots": 1}))
    with pytest.raises(SchemeError, match=r"anonymity.min_ballots"):
        schemes.load(str(path))


def test_vote_shares_in_reasons_are_withheld_too() -> None:
    """A named star's share over two valid ballots would show how each rater ticked: the reason says the words."""
    from types import SimpleNamespace

    from pingxing.rate.entities import Entity
    from pingxing.rate.rating import Rating
    from pingxing.rate.rules import named_stars
    from pingxing.scheme.model import Anonymity
    from pingxing.scheme.rules import VoteStarsRule

    rule = VoteStarsRule(kind="vote_stars", stars=["甲星"], groups=["互评"])
    ctx = SimpleNamespace(scheme=SimpleNamespace(anonymity=Anonymity()), problems=[])
    few = Rating(Entity("单位", "支部", "B1", "1", "张三", votes={"互评": {"甲星": (1, 2)}}, ballots={"互评": 2}),
                 "member", "rated")
    enough = Rating(Entity("单位", "支部", "B1", "2", "李四", votes={"互评": {"甲星": (1, 3)}}, ballots={"互评": 3}),
                    "member", "rated")
    named_stars.apply_votes(rule, ctx, [few, enough])
    assert few.reasons == ["未获甲星（得票率不足3票，不单独列示）"]
    assert enough.reasons == ["未获甲星（得票率33.3%）"]


def test_a_tally_counts_its_valid_ballots() -> None:
    """群众测评 with two valid ballots (a 废票 and a 不了解 not counted where 不了解 is not valid)."""
    from pingxing.rate.anonymity import withheld
    from pingxing.rate.entities import Entity, _tally
    from pingxing.scheme.components import TallyComponent
    from pingxing.validate.formdata import Row

    c = TallyComponent(sheet="测评", kind="tally", unknown_valid=False)
    e = Entity("单位", "", "B1", "B1", "第一党支部")
    _tally(c, Row("B1", "第一党支部", 4, values={"满意": 1, "基本满意": 1, "不满意": 0, "不了解": 3, "废票": 1}), e)
    assert e.ballots == {"测评": 2} and e.tallies["测评"] == (1, 1, 0, 3, 1)
    assert withheld(e, "测评", 3) == GUARD and withheld(e, "测评", 2) == ""
