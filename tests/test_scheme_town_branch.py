"""Town five-star branches (town-branch): 100 points + capped bonus, vetoes, ≥ 90 five-star, quota.

Total = 0.2 自评 + 0.2 互评 (mean of the secretaries' ballots) + 0.6 党委考评 + 加分 (3/2/2/2 points,
at most 5), the whole at most 100. Bands: ≥ 90 five, [80,90) four, [70,80) three, [60,70) two,
below 60 无星. Quota: per town (单位) at most 20 % of its branches five-star, rounded down, at
least 1; ties broken by 党委考评, then 互评; still tied across the cut-off → none (宁缺勿滥).

2026 (annual), 城关镇, six branches → one five-star place:

====  ======  ====  ===========  ====  =================  ===========================================  ======  =====
id    branch  自评  互评         党委  加分               total                                        shown   stars
====  ======  ====  ===========  ====  =================  ===========================================  ======  =====
DG    东关村  100   [100,100]    100   3+2+2+2 = 9 → 5    20 + 20 + 60 + 5 = 105 → capped at 100       100.00  5
XG    西关村  90    [92,90] = 91 90    3                  18 + 18.2 + 54 + 3 = 93.2                    93.20   4 (band five; quota taken by DG)
NP    南坪村  85    [80,84] = 82 86    2                  17 + 16.4 + 51.6 + 2 = 87                    87.00   4
BL    北岭村  95    [95]         95    —                  95; 党费未按时缴纳 = 是                      95.00   — disqualified
SQ    石桥村  70    [65,70,75]   72    3+2+2 = 7 → 5      14 + 14 + 43.2 + 5 = 76.2 (uncapped 78.2)    76.20   3
LH    柳河村  60    [50]         50    —                  12 + 10 + 30 = 52                            52.00   0 (无星)
====  ======  ====  ===========  ====  =================  ===========================================  ======  =====

2026H1 (初评), 河口镇 (four branches) and 三里镇 (three), one five-star place each:

====  ======  ====  ===========  ====  ===========================  ======  =====================================
HK    河口村  90    [90,90] = 90 92    18 + 18 + 55.2 = 91.2        91.20   4 — tied with QT on score, 党委考评 92
QT    桥头村  90    [88,92] = 90 92    91.2                         91.20   4   and 互评 90: 宁缺勿滥, neither five
XZ    新庄村  80    [80]         80    80                           80.00   4
MF    马坊村  70    [70]         70    70                           70.00   3
SL    三里村  88    [88,90] = 89 93    17.6 + 17.8 + 55.8 = 91.2    91.20   5 — same score as GZ, 党委考评 93 > 92
GZ    郭庄村  90    [90]         92    18 + 18 + 55.2 = 91.2        91.20   4
WW    王湾村  65    [65]         65    65                           65.00   2
====  ======  ====  ===========  ====  ===========================  ======  =====================================
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from clerk import fill, ids_of, listed_names, read_csv, settle, words
from click.testing import CliRunner

from process import cli

BRANCHES = [  # 单位, 支部, 支部编号
    ("城关镇", "东关村党支部", "DG"), ("城关镇", "西关村党支部", "XG"), ("城关镇", "南坪村党支部", "NP"),
    ("城关镇", "北岭村党支部", "BL"), ("城关镇", "石桥村党支部", "SQ"), ("城关镇", "柳河村党支部", "LH"),
    ("河口镇", "河口村党支部", "HK"), ("河口镇", "桥头村党支部", "QT"), ("河口镇", "新庄村党支部", "XZ"),
    ("河口镇", "马坊村党支部", "MF"),
    ("三里镇", "三里村党支部", "SL"), ("三里镇", "郭庄村党支部", "GZ"), ("三里镇", "王湾村党支部", "WW"),
]
CODES = [f"{a}.{i}" for a in range(1, 6) for i in (1, 2)]
BONUS = ["经验被市级以上推广", "党建宣传获省市表彰", "市级以上通报表扬或典型发言", "两委获市级以上表彰"]


def items(total: float) -> dict[str, float]:
    """Ten items of 10 points adding up to ``total`` (e.g. 86 → 8.6 each)."""
    return {c: total / 10 for c in CODES}


def branch(self_total: float, peers: list[float], superior: float, bonus: list[str] = (),  # type: ignore[assignment]
           veto: str | None = None) -> dict[str, dict[str, Any]]:
    """One branch's entries. The 互评 ballots of the table, made up to three with their mean (the anonymity
    guard's minimum: fewer would be withheld from the tables with a warning) — the same mean."""
    peers = peers + [sum(peers) / len(peers)] * (3 - len(peers))
    return {
        "自评": items(self_total),
        "互评": {f"票{i}": v for i, v in enumerate(peers, 1)},
        "党委考评": items(superior),
        "加分": {h: "是" for h in bonus},
        "否决情形": {veto: "是"} if veto else {},
    }


ANNUAL = {
    "DG": branch(100, [100, 100], 100, BONUS),
    "XG": branch(90, [92, 90], 90, BONUS[:1]),
    "NP": branch(85, [80, 84], 86, BONUS[3:]),
    "BL": branch(95, [95], 95, veto="党费未按时缴纳"),
    "SQ": branch(70, [65, 70, 75], 72, BONUS[:3]),
    "LH": branch(60, [50], 50),
}
HALF = {
    "HK": branch(90, [90, 90], 92), "QT": branch(90, [88, 92], 92), "XZ": branch(80, [80], 80),
    "MF": branch(70, [70], 70),
    "SL": branch(88, [88, 90], 93), "GZ": branch(90, [90], 92), "WW": branch(65, [65], 65),
}
QUOTA = "城关镇五星名额1个（20%），按得分排序未进入名额，按四星评定"
ANNUAL_EXPECTED = {  # id: name, score, stars, status, reason, 自评, 互评, 党委考评
    "DG": ("东关村党支部", "100.00", "5", "rated", "", "100.00", "100.00", "100.00"),
    "XG": ("西关村党支部", "93.20", "4", "rated", QUOTA, "90.00", "91.00", "90.00"),
    "NP": ("南坪村党支部", "87.00", "4", "rated", "", "85.00", "82.00", "86.00"),
    "BL": ("北岭村党支部", "95.00", "", "disqualified", "取消评星资格（党费不能按时缴纳）", "95.00", "95.00", "95.00"),
    "SQ": ("石桥村党支部", "76.20", "3", "rated", "", "70.00", "70.00", "72.00"),
    "LH": ("柳河村党支部", "52.00", "0", "rated", "", "60.00", "50.00", "50.00"),
}
TIE = "河口镇五星名额1个，河口村党支部、桥头村党支部得分及比较项完全相同、并列于名额线，宁缺勿滥，均按四星评定"
HALF_EXPECTED = {  # id: unit, score, stars, reason
    "HK": ("河口镇", "91.20", "4", TIE),
    "QT": ("河口镇", "91.20", "4", TIE),
    "XZ": ("河口镇", "80.00", "4", ""),
    "MF": ("河口镇", "70.00", "3", ""),
    "SL": ("三里镇", "91.20", "5", ""),
    "GZ": ("三里镇", "91.20", "4", "三里镇五星名额1个（20%），按得分排序未进入名额，按四星评定"),
    "WW": ("三里镇", "65.00", "2", ""),
}


def write_roster(path: Path, units: set[str] | None = None) -> Path:
    """The roster of the towns of ``units`` (or of the branches of that name)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位", "支部", "支部编号", "编号", "姓名", "身份"])
        for unit, name, bid in BRANCHES:
            if units is None or unit in units or name in units:
                w.writerow([unit, name, bid, f"{bid}01", f"{name[:2]}党员", "正式党员"])
    return path


def issue(runner: CliRunner, tmp: Path, scheme: str, period: str, units: set[str] | None = None) -> list[Path]:
    """The towns' forms (those of ``units`` only: a campaign of those towns)."""
    out = tmp / f"forms-{scheme}-{period}"
    result = runner.invoke(cli, ["forms", "--scheme", scheme, "--roster", str(write_roster(tmp / "名册.csv", units)),
                                 "--period", period, "--output", str(out)])
    assert result.exit_code == 0, result.output
    return sorted(out.glob("*.xlsx"))


def returned(forms: list[Path], inbox: Path, values: dict[str, dict[str, dict[str, Any]]], units: set[str]) -> None:
    """Each town's three workbooks (自评申报, 互评, 党委考评), filled by whoever holds them."""
    inbox.mkdir(parents=True, exist_ok=True)
    for form in forms:
        if form.name.split("-")[0] not in units:
            continue
        sheets = {"支部自评": ["自评"], "支部互评": ["互评"], "党委考评": ["党委考评", "加分", "否决情形"]}[
            form.stem.rsplit("-", 1)[1]]
        ids = [bid for bid, _ in ids_of(form)]
        fill(form, {s: {b: values[b][s] for b in ids} for s in sheets}, inbox / form.name)
    if forms:
        settle(forms[0].parent, inbox)  # the clerk's settings: a phone for objections


def run(inbox: Path, out: Path, start: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--publicity-start", start])
    return result.exit_code, result.output




@pytest.fixture(scope="module")
def annual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("town-branch-2026")
    returned(issue(CliRunner(), tmp, "town-branch", "2026", {"城关镇"}), tmp / "input", ANNUAL, {"城关镇"})
    code, output = run(tmp / "input", tmp / "output", "2027-01-04")
    assert code == 0, output
    return tmp / "output" / "town-branch" / "2026"


@pytest.fixture(scope="module")
def half(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """河口镇 and 三里镇's 初评, plus one village's 党员之星 form in the same input folder."""
    tmp = tmp_path_factory.mktemp("town-branch-2026H1")
    runner = CliRunner()
    returned(issue(runner, tmp, "town-branch", "2026H1", {"河口镇", "三里镇"}), tmp / "input", HALF, {"河口镇", "三里镇"})
    member_form = next(p for p in issue(runner, tmp, "town-member", "2026H1", {"河口村党支部"}) if "河口村党支部" in p.name)
    codes = [f"{a}.{i}" for a in range(1, 7) for i in (1, 2)]
    three = {"票1": 80, "票2": 80, "票3": 80}  # (three ballots: the anonymity guard's minimum)
    fill(member_form, {"自评": {"HK01": dict.fromkeys(codes, 6)}, "党员互评": {"HK01": three},
                       "群众参评": {"HK01": three}, "支部考评": {"HK01": dict.fromkeys(codes, 6)}},
         tmp / "input" / "河口村党员.xlsx")
    settle(member_form.parent, tmp / "input")  # the clerk's settings of the 党员之星 campaign
    code, output = run(tmp / "input", tmp / "output", "2026-07-01")
    assert code == 0, output
    return tmp / "output"


def test_annual_scores_caps_veto_and_quota(annual: Path) -> None:
    got = {r["id"]: (r["name"], r["score"], r["stars"], r["status"], r["reason"], r["自评"], r["互评"], r["党委考评"])
           for r in read_csv(annual / "results.csv")}
    assert got == ANNUAL_EXPECTED
    assert all(r["level"] == "branch" and r["unit"] == "城关镇" for r in read_csv(annual / "results.csv"))
    assert read_csv(annual / "problems.csv") == []


def test_tie_across_the_cut_off_gives_nobody_five_stars(half: Path) -> None:
    folder = half / "town-branch" / "2026H1"
    got = {r["id"]: (r["unit"], r["score"], r["stars"], r["reason"]) for r in read_csv(folder / "results.csv")}
    assert got == HALF_EXPECTED
    problems = [(p["code"], p["entity"], p["severity"], p["message"]) for p in read_csv(folder / "problems.csv")]
    assert problems == [("quota-tie", "河口镇", "warning",
                         "河口镇五星名额线上有并列，均未评为五星；如需调整，请由党委研究决定")]
    # the warning belongs to the branch rating only, not to another scheme rated in the same run
    assert read_csv(half / "town-member" / "2026H1" / "problems.csv") == []


def test_branch_notices_by_town_name_branches_never_scores(annual: Path, half: Path) -> None:
    notice = words(annual / "notices" / "城关镇-公示.html")
    assert "城关镇2026年度星级党支部评定结果公示" in notice
    assert "东关村党支部 ★★★★★ 五星" in notice and "西关村党支部 ★★★★ 四星" in notice
    assert "北岭村党支部 取消评星资格" in notice and "柳河村党支部 无星" in notice
    assert "2027年1月4日至1月10日（7天）" in notice and "中共城关镇委员会" in notice
    for secret in ("100.00", "93.20", "名额", "党费"):
        assert secret not in notice
    announcement_html = (annual / "notices" / "通报.html").read_text(encoding="utf-8")
    announcement = words(announcement_html)
    assert "关于命名2026年度“五星级”党支部的通报" in announcement
    assert listed_names(announcement_html) == ["东关村党支部"]
    assert "中共城关镇委员会" in announcement and "2027年1月11日" in announcement
    h1 = half / "town-branch" / "2026H1" / "notices"
    assert sorted(p.name for p in h1.iterdir()) == ["三里镇-公示.docx", "三里镇-公示.html",
                                                    "河口镇-公示.docx", "河口镇-公示.html"]  # 初评: no 通报
    hekou = words(h1 / "河口镇-公示.html")
    assert "河口镇2026年上半年星级党支部评定结果公示" in hekou
    assert "河口村党支部 ★★★★ 四星" in hekou and "三里村" not in hekou and "宁缺勿滥" not in hekou


def test_blank_superior_item_makes_the_branch_incomplete(tmp_path: Path, runner: CliRunner) -> None:
    values = dict(ANNUAL, NP={**ANNUAL["NP"], "党委考评": {**items(86), "5.2": None}})
    returned(issue(runner, tmp_path, "town-branch", "2026", {"城关镇"}), tmp_path / "input", values, {"城关镇"})
    code, _ = run(tmp_path / "input", tmp_path / "out", "2027-01-04")
    assert code == 3
    folder = tmp_path / "out" / "town-branch" / "2026"
    row = next(r for r in read_csv(folder / "results.csv") if r["id"] == "NP")
    assert (row["score"], row["stars"], row["status"], row["reason"]) == ("", "", "incomplete",
                                                                          "“党委考评”表第 8 行有错误")
    errors = [(p["sheet"], p["cell"], p["entity"], p["message"])
              for p in read_csv(folder / "problems.csv") if p["severity"] == "error"]
    assert errors == [("党委考评", "L8", "NP 南坪村党支部", "“5.2”未填写，该支部暂不评定；请补填分数（留空不会按 0 分计算）")]
    assert list((folder / "notices").iterdir()) == []  # the town's list is not posted with a branch missing


def test_town_branch_describe(runner: CliRunner) -> None:
    import json

    d = json.loads(runner.invoke(cli, ["describe", "--scheme", "town-branch", "--json"]).output)
    assert (d["level"], d["period"]) == ("branch", ["half", "year"])
    assert [(c["sheet"], c["kind"]) for c in d["components"]] == [
        ("自评", "items"), ("互评", "ballots"), ("党委考评", "items"), ("加分", "bonus"), ("否决情形", "flags")]
    assert [(c["header"], c["points"]) for c in d["components"][3]["columns"]] == [
        ("经验被市级以上推广", 3), ("党建宣传获省市表彰", 2), ("市级以上通报表扬或典型发言", 2), ("两委获市级以上表彰", 2)]
    assert len(d["components"][4]["columns"]) == 7
