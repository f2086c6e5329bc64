"""results.xlsx and results.csv written a shard at a time: the same ratings in any batches give
the same bytes, 统计 counts what was added, and the history columns are there when the caller
says so — as a clerk sees them in Excel."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pingxing import scheme as schemes
from pingxing.problems import Problem
from pingxing.publish.tables import ResultsCsv, write_results_csv
from pingxing.publish.workbook import ResultsWorkbook, write_results_xlsx
from pingxing.rate.entities import Entity
from pingxing.rate.rating import Rating
from pingxing.scheme.model import STAR_WORDS

PARTS = ["自评", "互评", "领导点评", "职工参评"]
HISTORY = ["上期星级", "升降", "结果运用"]
BRANCHES = [("市财政局机关党委", "第一党支部"), ("市财政局机关党委", "第二党支部"), ("区教育局党组", "第一党支部")]


def _ratings() -> list[Rating]:
    """37 members in three branches of two units: every star level, incomplete, disqualified,
    a grade without stars, a name that looks like a formula, history and actions on a few."""
    ratings = []
    for i in range(37):
        unit, branch = BRANCHES[i % 3 if i < 30 else 2]
        parts = {p: Fraction(8000 + 37 * i + 101 * k, 100 + k) for k, p in enumerate(PARTS)}
        if i == 7:
            del parts["职工参评"]  # a part nobody filled in
        e = Entity(unit, branch, f"B{i % 3:02d}", f"M{i:04d}", "=1+1" if i == 4 else f"党员{i}号", parts,
                   prev_stars=(i % 6) if i % 4 == 0 else None, has_history=i % 4 == 0)
        if i in (5, 23):
            e.reasons.append("互评表缺失")
            ratings.append(Rating(e, "member", "incomplete", reasons=["互评表缺失，请补交"]))
            continue
        r = Rating(e, "member", "rated", total=Fraction(9000 + i, 100), score=Decimal(9000 + i).scaleb(-2),
                   stars=None if i == 11 else i % 6, grade="合格" if i == 11 else "")
        if i == 13:
            r.status, r.reasons = "disqualified", ["受到党纪处分"]
        if i % 9 == 0:
            r.actions = ["通报表彰"] if i % 2 else ["诫勉谈话", "不得评为优秀"]
            r.star_names = ["学习之星", "奉献之星"]
        ratings.append(r)
    return ratings


@pytest.fixture(scope="module")
def ratings() -> list[Rating]:
    return _ratings()


@pytest.fixture(scope="module")
def scheme() -> schemes.Scheme:
    return schemes.load("member-weighted")


def _problems(folder: Path) -> list[Problem]:
    return [Problem(file="市财政局机关党委-第一党支部-互评.xlsx", sheet="互评", cell="D7", entity="党员4号",
                    severity="error", message="“1.2”未填写", code="blank-cell", value="=1+1")]


def _write_xlsx(path: Path, scheme: schemes.Scheme, ratings: list[Rating], sizes: list[int], history: bool) -> bytes:
    book = ResultsWorkbook(path, scheme, path.parent / "input", history=history)
    start = 0
    for n in sizes:
        book.add(ratings[start:start + n])
        start += n
    book.add(ratings[start:])
    book.close(_problems(path.parent))
    return path.read_bytes()


@pytest.mark.parametrize("sizes", [[1], [3, 0, 10, 1], [12, 12, 12]])
def test_batches_give_the_same_bytes_as_one(tmp_path: Path, scheme: schemes.Scheme, ratings: list[Rating],
                                            sizes: list[int]) -> None:
    whole = _write_xlsx(tmp_path / "whole.xlsx", scheme, ratings, [], history=True)
    assert _write_xlsx(tmp_path / "batches.xlsx", scheme, ratings, sizes, history=True) == whole
    write_results_xlsx(tmp_path / "wrapper.xlsx", scheme, ratings, _problems(tmp_path), tmp_path / "input")
    assert (tmp_path / "wrapper.xlsx").read_bytes() == whole  # history: some entities have a previous period

    write_results_csv(tmp_path / "whole.csv", scheme, ratings)
    results = ResultsCsv(tmp_path / "batches.csv", scheme)
    start = 0
    for n in [*sizes, len(ratings)]:
        results.add(ratings[start:start + n])
        start += n
    results.close()
    assert (tmp_path / "batches.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()


def _category(r: Rating) -> str:
    if r.status == "incomplete":
        return "待补全"
    if r.status == "disqualified":
        return "取消资格"
    return STAR_WORDS[r.stars] if r.stars is not None else r.grade


def test_statistics_count_what_was_added(tmp_path: Path, scheme: schemes.Scheme, ratings: list[Rating]) -> None:
    _write_xlsx(tmp_path / "results.xlsx", scheme, ratings, [5, 5, 5, 5], history=True)
    ws = load_workbook(tmp_path / "results.xlsx")["统计"]
    rows = [[c.value for c in row] for row in ws.iter_rows()][1:]  # under the title row
    columns = ["五星", "四星", "三星", "二星", "一星", "无星", "合格", "取消资格", "待补全"]
    assert rows[0] == ["单位", *columns, "合计", "五星比例（占已评定星级的）"]
    by_unit = Counter((r.entity.unit, _category(r)) for r in ratings)
    by_branch = Counter((f"{r.entity.unit} {r.entity.branch}", _category(r)) for r in ratings)
    units = sorted({r.entity.unit for r in ratings})
    branches = sorted(f"{u} {b}" for u, b in set(BRANCHES))
    split = rows.index([None] * len(rows[0]))
    assert [r[0] for r in rows[1:split]] == [*units, "合计"]
    assert rows[split + 1][0] == "单位 / 支部"
    assert [r[0] for r in rows[split + 2:]] == [*branches, "合计"]
    for row in rows[1:split - 1]:
        assert row[1:10] == [by_unit[(row[0], c)] for c in columns], row[0]
        assert row[10] == sum(1 for r in ratings if r.entity.unit == row[0])
    for row in rows[split + 2:-1]:
        assert row[1:10] == [by_branch[(row[0], c)] for c in columns], row[0]
    overall = Counter(_category(r) for r in ratings)
    for total in (rows[split - 1], rows[-1]):
        assert total[1:11] == [*(overall[c] for c in columns), len(ratings)]
        rated = sum(overall[w] for w in STAR_WORDS)
        assert total[11] == pytest.approx(overall["五星"] / rated)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)  # numbers, never formulas


@pytest.mark.parametrize("history", [False, True])
def test_history_columns_are_there_when_the_caller_says(tmp_path: Path, scheme: schemes.Scheme,
                                                        ratings: list[Rating], history: bool) -> None:
    _write_xlsx(tmp_path / "results.xlsx", scheme, ratings, [10], history=history)
    ws = load_workbook(tmp_path / "results.xlsx")["评定结果"]
    header = [c.value for c in ws[2]]  # under the title row
    assert header == ["单位", "支部", "编号", "姓名", *PARTS, "综合得分", "星级", "星级(数字)", "命名星", "等次",
                      *(HISTORY if history else []), "状态", "说明"]
    assert ws.auto_filter.ref == f"A2:{ws.cell(2, len(header)).column_letter}{len(ratings) + 2}"
    assert ws.freeze_panes == "A3"
    # widths fitted to Chinese text over every batch: two Excel columns per character
    assert ws.column_dimensions["A"].width == pytest.approx(2 * len("市财政局机关党委") + 2, abs=1)
    assert ws.column_dimensions["J"].width == pytest.approx(2 * len("☆☆☆☆☆ 无星") - 1 + 2, abs=1)  # the space is 1
    rows = {row[3].value: dict(zip(header, (c.value for c in row), strict=True))
            for row in ws.iter_rows(min_row=3)}
    first = rows["党员0号"]  # i = 0: no stars, history (0 stars before), actions
    assert (first["综合得分"], first["星级"], first["星级(数字)"]) == (90, "☆☆☆☆☆ 无星", 0)
    assert first["命名星"] == "学习之星、奉献之星"
    assert rows["党员9号"]["星级"] == "★★★☆☆ 三星"
    assert rows["党员5号"]["状态"] == "待补全" and rows["党员5号"]["综合得分"] is None
    assert rows["党员13号"]["状态"] == "取消资格" and rows["党员13号"]["说明"] == "受到党纪处分"
    assert rows["党员7号"]["职工参评"] is None and rows["党员7号"]["自评"] == pytest.approx(82.59)
    if history:
        assert (first["上期星级"], first["升降"], first["结果运用"]) == (0, "持平", "诫勉谈话、不得评为优秀")
        assert (rows["党员1号"]["上期星级"], rows["党员1号"]["升降"]) == (None, "新")
    else:
        assert not set(HISTORY) & set(header)


def test_text_stays_text(tmp_path: Path, scheme: schemes.Scheme, ratings: list[Rating]) -> None:
    _write_xlsx(tmp_path / "results.xlsx", scheme, ratings, [], history=False)
    wb = load_workbook(tmp_path / "results.xlsx")
    name = next(row[3] for row in wb["评定结果"].iter_rows(min_row=3) if row[2].value == "M0004")
    assert (name.value, name.data_type) == ("=1+1", "s")
    value = wb["问题清单"]["H3"]
    assert (value.value, value.data_type) == ("=1+1", "s")
    assert wb["问题清单"]["C3"].hyperlink.location == "'互评'!D7"
    write_results_csv(tmp_path / "results.csv", scheme, ratings)
    with (tmp_path / "results.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert rows["M0004"]["name"] == "'=1+1"
    assert (rows["M0007"]["自评"], rows["M0007"]["职工参评"]) == ("82.59", "")
    assert rows["M0000"]["actions"] == "诫勉谈话、不得评为优秀"


def test_a_closed_workbook_takes_no_more_rows(tmp_path: Path, scheme: schemes.Scheme,
                                              ratings: list[Rating]) -> None:
    book = ResultsWorkbook(tmp_path / "results.xlsx", scheme, None, history=False)
    book.add(ratings[:3])
    book.close([])
    with pytest.raises(ValueError, match="already closed"):
        book.add(ratings[3:])
