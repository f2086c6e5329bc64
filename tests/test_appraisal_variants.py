"""民主评议 as data: three grades, a weighted 群众评议 group, two years of history, and the checks of a
scheme file that gets the pieces wrong.

Three grades (member-appraisal-three-grades), 2026, 发放 12; votes 优秀 / 合格 / 不合格 / 弃权; N = 6, cap 2:

====  =============  =====================================================  ========  ========
id    votes          why                                                    proposed  decided
====  =============  =====================================================  ========  ========
A1    10 2 0 0       优秀 10/12 = 83.3 %                                     优秀      优秀
A2    7 5 0 0        优秀 7/12 = 58.3 %, third of three candidates: out      合格      合格
A3    7 4 0 1        优秀 7/11 = 63.6 % (the 弃权 is not valid): second      优秀      优秀
A4    0 6 6 0        不合格 6/12 = exactly 1/2: not (no 基本合格 in this set)  合格      不合格 (理由)
A5    0 5 7 0        不合格 7/12 = 58.3 %                                    不合格    不合格, 需组织处置
A6    1 11 0 0       —                                                      合格      合格
====  =============  =====================================================  ========  ========

Weighted groups (a scheme written here): 党员互评 × 0.7 + 群众评议 × 0.3, shares over each group's valid
votes. W1 优秀 0.7 × 4/10 + 0.3 × 9/10 = 0.55 > 1/2 → 优秀 (cap ⌊3/3⌋ = 1); W2 0.7 × 6/10 + 0.3 × 2/10
= 0.48 → 合格 although 互评 alone is 60 %; W3 基本合格 + 不合格 0.7 × 5/10 + 0.3 × 6/10 = 0.53 → 基本合格
(不合格 0.7 × 2/10 + 0.3 × 2/10 = 0.2).

Two years (member-appraisal), N = 4, cap 1: 2025 H1 不合格, H2 不合格, H3 合格, H4 优秀; 2026 H1 不合格 again
(需组织处置、连续不合格), H2 基本合格 (不合格后基本合格), H3 不合格 for the first time (需组织处置), H4 合格.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from clerk import fill, issue, read_csv, results_by_id, run, scheme_variant, settle, words
from click.testing import CliRunner
from openpyxl import load_workbook

from pingxing import scheme as schemes
from pingxing.errors import SchemeError
from process import cli

THREE = ["优秀", "合格", "不合格"]
FOUR = ["优秀", "合格", "基本合格", "不合格"]


def _tally(grades: list[str], votes: list[int], issued: int | None = None) -> dict[str, Any]:
    return {**({"发放": issued} if issued is not None else {}), **dict(zip([*grades, "弃权"], votes, strict=True))}


# ----------------------------------------------------------------------------- three grades


def test_three_grades_are_scheme_data(tmp_path: Path) -> None:
    roster = "单位,支部,编号,姓名\n" + "".join(f"区民政局,机关党支部,A{i},{n}\n" for i, n in enumerate(
        ["甲", "乙", "丙", "丁", "戊", "己"], 1))
    path = issue(tmp_path, "member-appraisal-three-grades", roster, "2026")[
        "区民政局-机关党支部-member-appraisal-three-grades-2026"]
    votes = {"A1": [10, 2, 0, 0], "A2": [7, 5, 0, 0], "A3": [7, 4, 0, 1], "A4": [0, 6, 6, 0], "A5": [0, 5, 7, 0],
             "A6": [1, 11, 0, 0]}
    reason = "长期不参加组织生活，经教育仍无转变"
    (tmp_path / "input").mkdir()
    fill(path, {"党员互评": {i: _tally(THREE, v, 12) for i, v in votes.items()},
                "支部评定": {"A4": {"评定等次": "不合格", "理由": reason}}}, tmp_path / "input" / path.name)
    settle(tmp_path / "forms", tmp_path / "input")
    assert run(tmp_path / "input", tmp_path / "out", "2026-12-01") == 0
    folder = tmp_path / "out" / "member-appraisal-three-grades" / "2026"
    got = {i: (r["proposed_grade"], r["grade"], r["reason"], r["actions"]) for i, r in results_by_id(folder).items()}
    assert got == {
        "A1": ("优秀", "优秀", "优秀得票率83.3%，超过1/2", ""),
        "A2": ("合格", "合格", "优秀得票率58.3%，本支部优秀名额2个（参加评议6人的1/3，向下取整），按得票率排序未进入名额", ""),
        "A3": ("优秀", "优秀", "优秀得票率63.6%，超过1/2", ""),
        "A4": ("合格", "不合格", f"建议等次合格，支部评定为不合格（理由：{reason}）", "需组织处置"),
        "A5": ("不合格", "不合格", "不合格得票率58.3%，超过1/2", "需组织处置"),
        "A6": ("合格", "合格", "", ""),
    }
    assert [p["code"] for p in read_csv(folder / "problems.csv")] == ["no-previous-period"]  # the first year
    rows = [tuple(c for c in r if c is not None) for r in load_workbook(folder / "results.xlsx")["年报"].iter_rows(
        values_only=True)][1:]  # (below the title row)
    assert rows[:3] == [("单位", "支部", "参加评议人数", "优秀", "合格", "不合格", "不参评"),
                        ("区民政局", "机关党支部", 6, 2, 2, 2, 0), ("合计", 6, 2, 2, 2, 0)]
    notice = words(folder / "notices" / "区民政局-机关党支部-公示.html")
    assert "1 甲 优秀" in notice and "2 丙 优秀" in notice and "乙" not in notice
    internal = words(folder / "internal" / "内部名单.html")
    assert ("需组织处置（2名） 序号 单位 支部 姓名 等次 说明 1 区民政局 机关党支部 丁 不合格 "
            f"建议等次合格，支部评定为不合格，理由：{reason} 2 区民政局 机关党支部 戊 不合格") in internal


# ----------------------------------------------------------------------------- weighted groups

WEIGHTED = """
name: appraisal-with-masses
title: 民主评议党员（含群众评议）
description: 党员互评70%+群众评议30%
level: member
period: year
components:
  - sheet: 党员互评
    kind: grade_votes
    grades: &grades [优秀, 合格, 基本合格, 不合格]
  - sheet: 群众评议
    kind: grade_votes
    grades: *grades
rules:
  - kind: propose_grade
    groups:
      - {sheet: 党员互评, weight: 0.7}
      - {sheet: 群众评议, weight: 0.3}
    tests:
      - {grade: 不合格, votes: [不合格], share: 1/2}
      - {grade: 基本合格, votes: [基本合格, 不合格], share: 1/2}
      - {grade: 优秀, votes: [优秀], share: 1/2}
    otherwise: 合格
    cap: {grade: 优秀, share: 1/3}
notices:
  publicity_days: 5
  list_grades: [优秀]
  title: "{unit}{branch}{period_words}民主评议党员优秀等次公示"
  intro: 现予公示：
  contact: 如有异议请向党支部反映。
  issuer: "中共{unit}{branch}委员会"
"""


def test_groups_are_weighted(tmp_path: Path) -> None:
    scheme = tmp_path / "appraisal-with-masses.yaml"
    scheme.write_text(WEIGHTED, encoding="utf-8")
    roster = "单位,支部,编号,姓名\n区文旅局,机关党支部,W1,甲\n区文旅局,机关党支部,W2,乙\n区文旅局,机关党支部,W3,丙\n"
    issue(tmp_path, str(scheme), roster, "2026")
    path = next((tmp_path / "forms").glob("区文旅局-*.xlsx"))
    peers = {"W1": [4, 6, 0, 0, 0], "W2": [6, 4, 0, 0, 0], "W3": [0, 5, 3, 2, 0]}
    masses = {"W1": [9, 1, 0, 0, 0], "W2": [2, 8, 0, 0, 0], "W3": [0, 4, 4, 2, 0]}
    (tmp_path / "input").mkdir()
    fill(path, {"党员互评": {i: _tally(FOUR, v) for i, v in peers.items()},
                "群众评议": {i: _tally(FOUR, v) for i, v in masses.items()}}, tmp_path / "input" / path.name)
    settle(tmp_path / "forms", tmp_path / "input")
    assert run(tmp_path / "input", tmp_path / "out", "2026-12-01", "--scheme", str(scheme)) == 0
    got = {i: (r["proposed_grade"], r["grade"], r["reason"])
           for i, r in results_by_id(tmp_path / "out" / "appraisal-with-masses" / "2026").items()}
    assert got == {"W1": ("优秀", "优秀", "优秀加权得票率55.0%，超过1/2"),
                   "W2": ("合格", "合格", ""),
                   "W3": ("基本合格", "基本合格", "基本合格+不合格加权得票率53.0%，超过1/2")}


# ----------------------------------------------------------------------------- two years

HISTORY_ROSTER = "单位,支部,编号,姓名\n区教育局,机关党支部,H1,甲\n区教育局,机关党支部,H2,乙\n区教育局,机关党支部,H3,丙\n区教育局,机关党支部,H4,丁\n"
YEARS = {"2025": {"H1": [0, 2, 2, 6, 0], "H2": [0, 1, 1, 8, 0], "H3": [1, 9, 0, 0, 0], "H4": [8, 2, 0, 0, 0]},
         "2026": {"H1": [0, 1, 2, 7, 0], "H2": [0, 3, 4, 3, 0], "H3": [0, 2, 1, 7, 0], "H4": [3, 7, 0, 0, 0]}}


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("two-years")
    for year, votes in YEARS.items():
        (tmp / year).mkdir()
        issue(tmp / year, "member-appraisal", HISTORY_ROSTER, year)
        path = next((tmp / year / "forms").glob("区教育局-*.xlsx"))
        (tmp / year / "input").mkdir()
        fill(path, {"党员互评": {i: _tally(FOUR, v, 10) for i, v in votes.items()}}, tmp / year / "input" / path.name)
        assert run(tmp / year / "input", tmp / year / "out", f"{year}-12-01", "--history", str(tmp / "record.sqlite")) == 0
    return tmp


def test_lists_compare_with_last_years_grade(two_years: Path) -> None:
    before = results_by_id(two_years / "2025" / "out" / "member-appraisal" / "2025")
    assert {i: (r["grade"], r["actions"]) for i, r in before.items()} == {
        "H1": ("不合格", "需组织处置"), "H2": ("不合格", "需组织处置"), "H3": ("合格", ""), "H4": ("优秀", "")}
    now = results_by_id(two_years / "2026" / "out" / "member-appraisal" / "2026")
    assert {i: (r["grade"], r["actions"]) for i, r in now.items()} == {
        "H1": ("不合格", "需组织处置、连续不合格"), "H2": ("基本合格", "不合格后基本合格"), "H3": ("不合格", "需组织处置"),
        "H4": ("合格", "")}
    internal = words(two_years / "2026" / "out" / "member-appraisal" / "2026" / "internal" / "内部名单.html")
    assert "连续不合格（1名） 序号 单位 支部 姓名 等次 处理 1 区教育局 机关党支部 甲 不合格 需组织处置" in internal
    assert "不合格后基本合格（1名） 序号 单位 支部 姓名 等次 1 区教育局 机关党支部 乙 基本合格" in internal


def test_history_show_lists_a_members_grades_over_the_years(two_years: Path) -> None:
    result = CliRunner().invoke(cli, ["history", "show", "--scheme", "member-appraisal", "--entity", "H2",
                                      "--history", str(two_years / "record.sqlite")])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert [(cols[0], cols[1], cols[2], cols[7], cols[9]) for cols in lines[1:]] == [
        ("2025", "H2", "乙", "不合格", "需组织处置"), ("2026", "H2", "乙", "基本合格", "不合格后基本合格")]


# ----------------------------------------------------------------------------- the scheme file's mistakes


def _first(d: dict[str, Any]) -> dict[str, Any]:
    return d["rules"][1]


CASES = [
    (lambda d: _first(d)["tests"][0].update(grade="良好"),
     "rules[1].tests[0].grade: “良好”不是本方案的等次（优秀、合格、基本合格、不合格）"),
    (lambda d: _first(d)["groups"][0].update(weight=0.5), "rules[1].groups: 权重之和必须等于 1（现在是 0.5）"),
    (lambda d: _first(d)["cap"].update(share="三分之一"), "rules[1].cap.share: 必须是分数或小数，如 1/2、1/3、0.5"),
    (lambda d: _first(d)["cap"].update(share="4/3"), "rules[1].cap.share: 必须小于或等于 1"),
    (lambda d: _first(d)["cap"].update(grade="合格"), "rules[1].cap.grade: 没有提出“合格”的 tests，名额无从控制"),
    (lambda d: _first(d)["groups"][0].update(sheet="支部评定"),
     "rules[1].groups[0].sheet: 工作表“支部评定”的 kind 是 flags，这里不能用"),
    (lambda d: d["components"][1]["columns"][0].update(choices=["优秀", "合格"]),
     "rules[1].decision.column: “评定等次”列的可选项应为本方案的等次 ['优秀', '合格', '基本合格', '不合格']"),
    (lambda d: _first(d)["decision"].update(reason="支部评定.不参评"),
     "rules[1].decision.reason: “不参评”列应为文字列（不设 choices），用来写明理由"),
    (lambda d: d["rules"].append(d["rules"].pop(0)),
     "rules[2]: kind: exclude 须列为第一条规则（不参评的人不进入任何比例和名额）"),
    (lambda d: d["rules"][2]["lists"][1]["when"][0].update(prev_grade="优等"),
     "rules[2].lists[1].when[0].prev_grade: “优等”不是本方案的等次（优秀、合格、基本合格、不合格）"),
    (lambda d: d["components"][0]["ballot"].update(sheet="支部评定"),
     "components[0].ballot.sheet: 测评票的工作表名“支部评定”已被占用，请换一个名称"),
    (lambda d: d["notices"].update(list_grades=["先进"]),
     "notices.list_grades[0]: “先进”不是本方案的等次（优秀、合格、基本合格、不合格）"),
]


@pytest.mark.parametrize("change, message", CASES)
def test_a_scheme_that_gets_the_appraisal_wrong_says_where(tmp_path: Path, change: Any, message: str) -> None:
    path = scheme_variant(tmp_path, "member-appraisal", change)
    with pytest.raises(SchemeError) as err:
        schemes.load(str(path))
    assert str(err.value) == f"{path}: {message}"


def test_grade_conditions_on_a_star_scheme_are_refused(tmp_path: Path) -> None:
    path = scheme_variant(tmp_path, "branch-five-stars", lambda d: next(
        r for r in d["rules"] if r["kind"] == "lists")["lists"][0]["when"].append({"grade": "优秀"}))
    with pytest.raises(SchemeError) as err:
        schemes.load(str(path))
    assert "本方案不评等次，不能按等次列入名单" in str(err.value)


def test_star_lists_are_unchanged_by_grade_conditions() -> None:
    """A ``when`` of stars only still needs stars; one of grades only does not look at stars."""
    from pingxing.rate.entities import Entity
    from pingxing.rate.rating import Rating
    from pingxing.rate.rules.lists import holds
    from pingxing.scheme.rules import ListWhen

    e = Entity("U", "B", "B1", "1", "甲", has_history=True, prev_stars=2, prev_grade="不合格")
    starless = Rating(e, "member", "rated", grade="不合格")
    assert not holds(ListWhen(at_most=2), starless)
    assert holds(ListWhen(grade="不合格", prev_grade="不合格"), starless)
    assert not holds(ListWhen(grade="不合格", prev_grade="合格"), starless)
    assert not holds(ListWhen(grade="不合格", at_most=2), starless)  # both: the stars must hold too
    two = Rating(e, "branch", "rated", stars=2)
    assert holds(ListWhen(stars=2, prev=2), two) and not holds(ListWhen(stars=2, grade="优秀"), two)
    new = Rating(Entity("U", "B", "B1", "2", "乙"), "member", "rated", grade="基本合格")
    assert not holds(ListWhen(grade="基本合格", prev_grade="不合格"), new)  # no history, no list that needs it
