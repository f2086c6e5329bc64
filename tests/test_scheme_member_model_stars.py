"""Named model stars by vote share: 机关 (member-model-stars), 企业 and 气象局 sets.

Forms → the branch types in its vote tallies (得票 per star, 有效票 per group) → run.

机关 set, 2026Q2, 互评 有效票 10 and 群众参评 有效票 8; a star is earned when its votes in
both groups together are more than half of the 18 valid ballots (mode: combined), i.e. ≥ 10:

=====  ======  ==================================  ==================================  =====  ====================
id     who     互评 (学习 业务 服务 廉政 创新)     群众 (学习 业务 服务 廉政 创新)     stars  why
=====  ======  ==================================  ==================================  =====  ====================
SW1    王立新  8 9 7 10 6                          6 5 4 8 4                           5      sums 14 14 11 18 10
SW2    陈红梅  5 6 10 9 2                          4 4 8 6 1                           3      学习 9/18 = 50 %: one vote short
                                                                                               (strictly more than half);
                                                                                               业务 6/10 + 4/8 = 10/18 earned
                                                                                               although 群众 alone is only 50 %;
                                                                                               创新 3/18 = 16.7 %
SW3    孙浩然  3 4 8 5 1                           2 4 7 4 0                           1      非党员 in scope; 服务 15/18 only;
                                                                                               学习 27.8 %, 业务 44.4 %,
                                                                                               廉政 50.0 %, 创新 5.6 %
SW4    李建军  9 9 9 9 9                           7 7 7 7 7                           4      16/18 each, branch withholds 创新
SW5    赵春燕  9 9 9 9 9                           7 7 7 7 7                           —      否决事由 → disqualified, no level
SW6    周玉兰  0 0 0 0 0                           0 0 0 0 0                           0      无星 (rated), not disqualified
SW7    吴国平  (second branch) 10 10 10 10 10      8 8 8 8 8                           5
=====  ======  ==================================  ==================================  =====  ====================

企业 set (mode: each): 互评 有效票 4, 群众参评 有效票 10; a star needs more than half in *each* group.
BH1: 岗位 3/4 & 6/10 earned; 诚信 4/4 & 5/10 missed (群众 exactly half; combined 9/14 would
have passed); 技能 3/4 & 8/10 earned → 2. BH2: 4/4 & 9/10 for all three → 3 (in the 通报).
BH3: 岗位 2/4 & 10/10 missed (互评 half), others 0 → 0.

气象局 set (combined, 职工参评): 互评 有效票 5, 职工参评 有效票 20, need > 12.5 of 25.
QX1: 学习提高 3+11 = 14 (56 %) earned; 争创佳绩 2+10 = 12 (48 %) missed; 服务 5+20 earned;
廉政 0+13 = 13 (52 %) earned even with no 互评 vote; 岗位带头 3+10 = 13 earned → 4.
QX2 (非党职工): 5+20 for every star → 5 (in the 通报).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from clerk import fill, listed_names, results_by_id, settle, words
from click.testing import CliRunner

from process import cli

JIGUAN = ["学习模范星", "业务模范星", "服务模范星", "廉政模范星", "创新模范星"]
QIYE = ["岗位奉献星", "诚信经营星", "技能进步星"]
QIXIANG = ["学习提高星", "争创佳绩星", "服务模范星", "廉政模范星", "岗位带头星"]
HEADER = ["单位", "支部", "编号", "姓名", "身份"]


def roster(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def issue(runner: CliRunner, tmp: Path, scheme: str, rows: list[tuple[str, ...]], period: str) -> dict[str, Path]:
    """Blank forms from the real ``forms`` command, by branch name."""
    out = tmp / f"forms-{scheme}"
    result = runner.invoke(cli, ["forms", "--scheme", scheme, "--roster", str(roster(tmp / f"{scheme}.csv", rows)),
                                 "--period", period, "--output", str(out)])
    assert result.exit_code == 0, result.output
    return {p.name.split("-")[1]: p for p in sorted(out.glob("*.xlsx"))}


def tallies(stars: list[str], groups: dict[str, int], people: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``people[id] = {group: [votes per star], "评定": {...}}`` → the fill values by sheet."""
    values: dict[str, dict[str, dict[str, Any]]] = {g: {} for g in groups}
    for pid, entry in people.items():
        for g, valid in groups.items():
            values[g][pid] = {**dict(zip(stars, entry[g], strict=False)), "有效票": valid}
        if "评定" in entry:
            values.setdefault("支部评定", {})[pid] = entry["评定"]
    return values


def run(runner: CliRunner, inbox: Path, out: Path, start: str = "2026-07-01") -> tuple[int, str]:
    result = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--publicity-start", start])
    return result.exit_code, result.output


def problems_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8").lstrip("\ufeff"))))



# ----------------------------------------------------------------------------- 机关 set

JIGUAN_ROSTER = [
    ("区商务局", "机关第一党支部", "SW1", "王立新", "正式党员"),
    ("区商务局", "机关第一党支部", "SW2", "陈红梅", "正式党员"),
    ("区商务局", "机关第一党支部", "SW3", "孙浩然", "非党员"),
    ("区商务局", "机关第一党支部", "SW4", "李建军", "正式党员"),
    ("区商务局", "机关第一党支部", "SW5", "赵春燕", "预备党员"),
    ("区商务局", "机关第一党支部", "SW6", "周玉兰", "非党员"),
    ("区商务局", "机关第二党支部", "SW7", "吴国平", "正式党员"),
]
GROUPS = {"党员互评": 10, "群众参评": 8}
BRANCH_ONE = {
    "SW1": {"党员互评": [8, 9, 7, 10, 6], "群众参评": [6, 5, 4, 8, 4]},
    "SW2": {"党员互评": [5, 6, 10, 9, 2], "群众参评": [4, 4, 8, 6, 1]},
    "SW3": {"党员互评": [3, 4, 8, 5, 1], "群众参评": [2, 4, 7, 4, 0]},
    "SW4": {"党员互评": [9] * 5, "群众参评": [7] * 5, "评定": {"不予授予的星": "创新模范星"}},
    "SW5": {"党员互评": [9] * 5, "群众参评": [7] * 5, "评定": {"否决事由": "受党内警告处分"}},
    "SW6": {"党员互评": [0] * 5, "群众参评": [0] * 5},
}
BRANCH_TWO = {"SW7": {"党员互评": [10] * 5, "群众参评": [8] * 5}}

JIGUAN_EXPECTED = {
    # id: (stars, star_names, status, reason)
    "SW1": ("5", "学习模范星、业务模范星、服务模范星、廉政模范星、创新模范星", "rated", ""),
    "SW2": ("3", "业务模范星、服务模范星、廉政模范星", "rated",
            "未获学习模范星（得票率50.0%）、创新模范星（得票率16.7%）"),
    "SW3": ("1", "服务模范星", "rated",
            "未获学习模范星（得票率27.8%）、业务模范星（得票率44.4%）、廉政模范星（得票率50.0%）、创新模范星（得票率5.6%）"),
    "SW4": ("4", "学习模范星、业务模范星、服务模范星、廉政模范星", "rated", "创新模范星得票过半，但经支部评定不予授予"),
    "SW5": ("", "", "disqualified", "取消评星资格（否决事由：受党内警告处分）"),
    "SW6": ("0", "", "rated", "未获" + "、".join(f"{s}（得票率0.0%）" for s in JIGUAN)),
    "SW7": ("5", "学习模范星、业务模范星、服务模范星、廉政模范星、创新模范星", "rated", ""),
}


@pytest.fixture(scope="module")
def jiguan_forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return issue(CliRunner(), tmp_path_factory.mktemp("jiguan"), "member-model-stars", JIGUAN_ROSTER, "2026Q2")


@pytest.fixture(scope="module")
def jiguan(tmp_path_factory: pytest.TempPathFactory, jiguan_forms: dict[str, Path]) -> Path:
    tmp = tmp_path_factory.mktemp("jiguan-run")
    inbox = tmp / "input"
    inbox.mkdir()
    fill(jiguan_forms["机关第一党支部"], tallies(JIGUAN, GROUPS, BRANCH_ONE), inbox / "一支部.xlsx")
    fill(jiguan_forms["机关第二党支部"], tallies(JIGUAN, GROUPS, BRANCH_TWO), inbox / "二支部.xlsx")
    settle(jiguan_forms["机关第一党支部"].parent, inbox)  # the clerk's settings: a phone for objections
    code, output = run(CliRunner(), inbox, tmp / "output")
    assert code == 0, output
    return tmp / "output" / "member-model-stars" / "2026Q2"


def test_jiguan_stars_by_combined_vote_share(jiguan: Path) -> None:
    rows = results_by_id(jiguan / "results.csv")
    got = {i: (r["stars"], r["star_names"], r["status"], r["reason"]) for i, r in rows.items()}
    assert got == JIGUAN_EXPECTED
    assert all(r["score"] == "" and r["level"] == "member" for r in rows.values())  # no points in this scheme
    assert rows["SW3"]["name"] == "孙浩然"  # a non-Party member of staff is rated like everyone else
    assert problems_of(jiguan / "problems.csv") == []


def test_jiguan_notices_list_stars_never_votes(jiguan: Path) -> None:
    notice = words((jiguan / "notices" / "区商务局-机关第一党支部-公示.html").read_text(encoding="utf-8"))
    assert "区商务局机关第一党支部2026年第二季度党员评星结果公示" in notice
    assert "陈红梅 ★★★ 三星 （业务模范星、服务模范星、廉政模范星）" in notice
    assert "赵春燕 取消评星资格" in notice and "周玉兰 无星" in notice
    assert "吴国平" not in notice  # the other branch has its own notice
    assert "2026年7月1日至7月3日（3天）" in notice
    assert "得票" not in notice and "%" not in notice and "受党内警告处分" not in notice
    announcement_html = (jiguan / "notices" / "通报.html").read_text(encoding="utf-8")
    announcement = words(announcement_html)
    assert "关于表扬2026年第二季度五颗模范星获得者的通报" in announcement
    listed = listed_names(announcement_html)
    assert listed == ["王立新", "吴国平"]
    assert "中共区商务局总支部委员会" in announcement and "2026年7月4日" in announcement


def test_jiguan_blank_tally_makes_person_incomplete(tmp_path: Path, runner: CliRunner,
                                                    jiguan_forms: dict[str, Path]) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir()
    fill(jiguan_forms["机关第一党支部"], tallies(JIGUAN, GROUPS, BRANCH_ONE), inbox / "一支部.xlsx")
    values = tallies(JIGUAN, GROUPS, BRANCH_TWO)
    values["群众参评"]["SW7"]["有效票"] = None  # the clerk forgot the number of valid ballots
    fill(jiguan_forms["机关第二党支部"], values, inbox / "二支部.xlsx")
    code, _ = run(runner, inbox, tmp_path / "out")
    assert code == 3
    folder = tmp_path / "out" / "member-model-stars" / "2026Q2"
    row = results_by_id(folder / "results.csv")["SW7"]
    assert (row["stars"], row["status"], row["reason"]) == ("", "incomplete", "“群众参评”表第 4 行有错误")
    errors = [(p["file"], p["sheet"], p["cell"], p["entity"], p["message"])
              for p in problems_of(folder / "problems.csv") if p["severity"] == "error"]
    assert errors == [("二支部.xlsx", "群众参评", "H4", "SW7 吴国平",
                       "“有效票”未填写，该人员暂不评定；请填写人数或票数（没有请填 0）")]
    notices = sorted(p.name for p in (folder / "notices").iterdir())
    assert notices == ["区商务局-机关第一党支部-公示.docx", "区商务局-机关第一党支部-公示.html"]  # no 通报 yet


def test_jiguan_unknown_star_name_in_branch_decision_is_not_ignored(tmp_path: Path, runner: CliRunner,
                                                                    jiguan_forms: dict[str, Path]) -> None:
    """“创新星” is not a star of the scheme: granting 创新模范星 anyway would ignore the branch."""
    inbox = tmp_path / "input"
    inbox.mkdir()
    people = dict(BRANCH_ONE, SW4={**BRANCH_ONE["SW4"], "评定": {"不予授予的星": "创新星"}})
    fill(jiguan_forms["机关第一党支部"], tallies(JIGUAN, GROUPS, people), inbox / "一支部.xlsx")
    code, _ = run(runner, inbox, tmp_path / "out")
    assert code == 3
    folder = tmp_path / "out" / "member-model-stars" / "2026Q2"
    row = results_by_id(folder / "results.csv")["SW4"]
    assert (row["stars"], row["status"], row["reason"]) == ("", "incomplete", "“不予授予的星”中有不认识的星名：创新星")
    assert [(p["sheet"], p["entity"], p["severity"], p["message"]) for p in problems_of(folder / "problems.csv")
            if p["code"] == "unknown-star"] == [
        ("支部评定", "SW4 李建军", "error", ("“不予授予的星”中的“创新星”不是本方案的星名（学习模范星、业务模范星、服务模范星、"
                                           "廉政模范星、创新模范星），无法确定不予授予哪颗星，暂不评定；请改为正确的星名"))]


# ----------------------------------------------------------------------------- 企业 set


def test_enterprise_stars_need_more_than_half_in_each_group(tmp_path: Path, runner: CliRunner) -> None:
    forms = issue(runner, tmp_path, "member-model-stars-enterprise", [
        ("区商务局", "百货公司党支部", "BH1", "蒋德胜", "正式党员"),
        ("区商务局", "百货公司党支部", "BH2", "沈秀兰", "正式党员"),
        ("区商务局", "百货公司党支部", "BH3", "韩立军", "正式党员"),
    ], "2026H1")
    inbox = tmp_path / "input"
    inbox.mkdir()
    people = {
        "BH1": {"党员互评": [3, 4, 3], "群众参评": [6, 5, 8]},
        "BH2": {"党员互评": [4, 4, 4], "群众参评": [9, 9, 9]},
        "BH3": {"党员互评": [2, 0, 0], "群众参评": [10, 0, 0]},
    }
    fill(forms["百货公司党支部"], tallies(QIYE, {"党员互评": 4, "群众参评": 10}, people), inbox / "百货.xlsx")
    code, output = run(runner, inbox, tmp_path / "out")
    assert code == 0, output
    folder = tmp_path / "out" / "member-model-stars-enterprise" / "2026H1"
    got = {i: (r["stars"], r["star_names"], r["reason"]) for i, r in results_by_id(folder / "results.csv").items()}
    assert got == {
        "BH1": ("2", "岗位奉献星、技能进步星", "未获诚信经营星（党员互评得票率100.0%、群众参评得票率50.0%）"),
        "BH2": ("3", "岗位奉献星、诚信经营星、技能进步星", ""),
        "BH3": ("0", "", ("未获岗位奉献星（党员互评得票率50.0%、群众参评得票率100.0%）、"
                          "诚信经营星（党员互评得票率0.0%、群众参评得票率0.0%）、"
                          "技能进步星（党员互评得票率0.0%、群众参评得票率0.0%）")),
    }
    announcement_html = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
    announcement = words(announcement_html)
    assert "关于表扬2026年上半年企业三星党员的通报" in announcement
    assert listed_names(announcement_html) == ["沈秀兰"]


# ----------------------------------------------------------------------------- 气象局 set


def test_weather_set_half_yearly_with_staff_votes(tmp_path: Path, runner: CliRunner) -> None:
    forms = issue(runner, tmp_path, "member-model-stars-weather", [
        ("县气象局", "县气象局党支部", "QX1", "吕光明", "正式党员"),
        ("县气象局", "县气象局党支部", "QX2", "严晓琴", "非党员"),
    ], "2026H1")
    inbox = tmp_path / "input"
    inbox.mkdir()
    people = {"QX1": {"党员互评": [3, 2, 5, 0, 3], "职工参评": [11, 10, 20, 13, 10]},
              "QX2": {"党员互评": [5] * 5, "职工参评": [20] * 5}}
    fill(forms["县气象局党支部"], tallies(QIXIANG, {"党员互评": 5, "职工参评": 20}, people), inbox / "气象局.xlsx")
    code, output = run(runner, inbox, tmp_path / "out")
    assert code == 0, output
    folder = tmp_path / "out" / "member-model-stars-weather" / "2026H1"
    got = {i: (r["stars"], r["star_names"], r["reason"]) for i, r in results_by_id(folder / "results.csv").items()}
    assert got == {
        "QX1": ("4", "学习提高星、服务模范星、廉政模范星、岗位带头星", "未获争创佳绩星（得票率48.0%）"),
        "QX2": ("5", "学习提高星、争创佳绩星、服务模范星、廉政模范星、岗位带头星", ""),
    }
    notice = words((folder / "notices" / "县气象局-县气象局党支部-公示.html").read_text(encoding="utf-8"))
    assert "县气象局党支部2026年上半年党员评星结果公示" in notice and "（3天）" in notice
    announcement_html = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
    assert listed_names(announcement_html) == ["严晓琴"]


def test_model_star_schemes_describe_their_vote_sheets(runner: CliRunner) -> None:
    import json

    for scheme, stars, period, public in (("member-model-stars", JIGUAN, "quarter", "群众参评"),
                                          ("member-model-stars-enterprise", QIYE, ["quarter", "half"], "群众参评"),
                                          ("member-model-stars-weather", QIXIANG, "half", "职工参评")):
        result = runner.invoke(cli, ["describe", "--scheme", scheme, "--json"])
        assert result.exit_code == 0, result.output
        d = json.loads(result.output)
        assert (d["scheme"], d["level"], d["period"]) == (scheme, "member", period)
        assert [(c["sheet"], c["kind"]) for c in d["components"]] == [
            ("党员互评", "votes"), (public, "votes"), ("支部评定", "flags")]
        assert [c["header"] for c in d["components"][0]["columns"]] == [*stars, "有效票"]
        assert [c["header"] for c in d["components"][2]["columns"]] == ["不予授予的星", "否决事由"]


# ----------------------------------------------------------------------------- the rule kinds themselves


def test_vote_stars_with_another_threshold_says_reached_not_half() -> None:
    """share 0.6, not strict: 6 of 10 (exactly 60 %) earns; 5 of 10 does not; the branch may still
    withhold a star that reached the threshold."""
    from decimal import Decimal
    from types import SimpleNamespace

    from pingxing.rate.entities import Entity
    from pingxing.rate.rating import Rating
    from pingxing.rate.rules import named_stars
    from pingxing.scheme.model import Anonymity
    from pingxing.scheme.rules import VoteStarsRule

    rule = VoteStarsRule(kind="vote_stars", stars=["甲星", "乙星", "丙星"], groups=["互评"], share=Decimal("0.6"),
                         strict=False, veto_column="评定.不予授予的星")
    e = Entity("单位", "支部", "B1", "1", "张三", votes={"互评": {"甲星": (6, 10), "乙星": (7, 10), "丙星": (5, 10)}},
               flags={"评定.不予授予的星": "乙星"})
    r = Rating(e, "member", "rated")
    ctx = SimpleNamespace(scheme=SimpleNamespace(anonymity=Anonymity()), problems=[])  # (ten ballots: none withheld)
    named_stars.apply_votes(rule, ctx, [r])
    assert (r.stars, r.star_names) == (1, ["甲星"])
    assert r.reasons == ["乙星得票达到标准，但经支部评定不予授予", "未获丙星（得票率50.0%）"]


def test_announcement_periods_must_be_the_schemes_own(tmp_path: Path) -> None:
    import yaml

    from pingxing import scheme as schemes
    from pingxing.errors import SchemeError

    data = yaml.safe_load((schemes.SCHEMES_DIR / "town-member.yaml").read_text(encoding="utf-8"))
    data["notices"]["announcement"]["periods"] = ["year", "quarter"]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemeError) as err:
        schemes.load(str(path))
    assert str(err.value) == f"{path}: notices.announcement.periods[1]: “quarter”不是本方案的评定周期（half、year）"
