"""党员之星 (town-member): 100 points, member vetoes, 7-day publicity, 2026H1 初评 and 2026 总评.

Total = 0.2 自评 + 0.2 党员互评 (mean) + 0.2 群众参评 (mean) + 0.4 支部考评; 自评 and 支部考评 are
the sums of 12 items (五个带头 2 × 8 points each, 我是党员我奉献 2 × 10). Bands on the published
total: ≥ 90 five (党员之星), [80,90) four, [70,80) three, [60,70) two, below 60 无星.

2026H1 (初评):

====  ======  ====  ==============  ============  ======  ========================================  =====  ======
id    name    自评  互评            群众          考评    total                                     shown  stars
====  ======  ====  ==============  ============  ======  ========================================  =====  ======
T1    金长林  100   [95,90,92]      [90,94] = 92  98      20 + 18.4666… + 18.4 + 39.2 = 96.0666…    96.07  5
T2    魏桂香  90    [90,89.95]      [90]          90      18 + 17.995 + 18 + 36 = 89.995            90.00  5 (rounded up: 90.00 is five)
                      = 89.975
T3    陶建设  88    [85,80] = 82.5  [80,84,82]    86      17.6 + 16.5 + 16.4 + 34.4 = 84.9          84.90  4
T4    姜玉梅  100   [100]           [100]         100     100                                       100.00 — 受党内警告及以上处分 = 是: disqualified
T5    戚文忠  50    [60]            [50]          48      10 + 12 + 10 + 19.2 = 51.2                51.20  0 (无星, rated)
T6    谢凤英  80    [80]            [80]          80      80 (西关村党支部)                         80.00  4
====  ======  ====  ==============  ============  ======  ========================================  =====  ======

比例控制 (宁缺勿滥, the seed's "五星级党支部和党员之星要从严控制"): at most 20 % of the town's members
are five-star, at least one: ⌊0.2 × 6⌋ = 1 place in 城关镇. T1 (96.07) keeps it; T2 (90.00) is
rated four stars, the reason saying so.

2026 (总评): the same, except T3 = 自评 100, 互评 [92,94] = 93, 群众 [90,91,92] = 91, 考评 95:
20 + 18.6 + 18.2 + 38 = 94.8 → 94.80, five by score; the one place still goes to T1, so T3 and T2
are four stars. The 通报 (annual only) lists T1.
Publicity is 7 days: from 2026-07-01 to 2026-07-08, and from 2027-01-04 to 2027-01-11.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import docx
import pytest
from clerk import by_sheet, fill, listed_names, results_by_id, run, settle, words
from click.testing import CliRunner

from process import cli

ROSTER = [
    ("城关镇", "东关村党支部", "T1", "金长林", "正式党员"),
    ("城关镇", "东关村党支部", "T2", "魏桂香", "正式党员"),
    ("城关镇", "东关村党支部", "T3", "陶建设", "正式党员"),
    ("城关镇", "东关村党支部", "T4", "姜玉梅", "正式党员"),
    ("城关镇", "东关村党支部", "T5", "戚文忠", "预备党员"),
    ("城关镇", "西关村党支部", "T6", "谢凤英", "正式党员"),
]
CODES = [f"{a}.{i}" for a in range(1, 7) for i in (1, 2)]
FULL = [8] * 10 + [10, 10]  # 100


def member(self_items: list[float], peers: list[float], public: list[float], branch_items: list[float],
           veto: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    entry: dict[str, dict[str, Any]] = {
        "自评": dict(zip(CODES, self_items, strict=False)),
        "党员互评": {f"票{i}": v for i, v in enumerate(peers, 1)},
        "群众参评": {f"票{i}": v for i, v in enumerate(public, 1)},
        "支部考评": dict(zip(CODES, branch_items, strict=False)),
    }
    if veto:
        entry["取消资格情形"] = veto
    return entry


H1 = {
    "T1": member(FULL, [95, 90, 92], [90, 94], [8] * 10 + [10, 8]),
    "T2": member([8] * 10 + [5, 5], [90, 89.95], [90], [8] * 10 + [5, 5]),
    "T3": member([7] * 10 + [9, 9], [85, 80], [80, 84, 82], [7] * 10 + [8, 8]),
    "T4": member(FULL, [100], [100], FULL, veto={"受党内警告及以上处分": "是", "违反计划生育政策": "否"}),
    "T5": member([4] * 10 + [5, 5], [60], [50], [4] * 12),
}
WEST = {"T6": member([6.5] * 10 + [7.5, 7.5], [80], [80], [6.5] * 10 + [7.5, 7.5])}
ANNUAL = dict(H1, T3=member(FULL, [92, 94], [90, 91, 92], [7.5] * 10 + [10, 10]))

VETO = "取消评星资格（有违法违纪行为，受党内警告及以上处分）"
QUOTA = "城关镇五星名额1个（20%），按得分排序未进入名额，按四星评定"
H1_EXPECTED = {  # id: score, stars, status, reason
    "T1": ("96.07", "5", "rated", ""),
    "T2": ("90.00", "4", "rated", QUOTA),
    "T3": ("84.90", "4", "rated", ""),
    "T4": ("100.00", "", "disqualified", VETO),
    "T5": ("51.20", "0", "rated", ""),
    "T6": ("80.00", "4", "rated", ""),
}


def issue(runner: CliRunner, tmp: Path, period: str) -> dict[str, Path]:
    roster = tmp / "名册.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([("单位", "支部", "编号", "姓名", "身份"), *ROSTER])
    out = tmp / f"forms-{period}"
    result = runner.invoke(cli, ["forms", "--scheme", "town-member", "--roster", str(roster), "--period", period,
                                 "--output", str(out)])
    assert result.exit_code == 0, result.output
    return {p.name.split("-")[1]: p for p in sorted(out.glob("*.xlsx"))}


def returned(forms: dict[str, Path], inbox: Path, east: dict[str, Any]) -> Path:
    inbox.mkdir(parents=True)
    fill(forms["东关村党支部"], by_sheet(east), inbox / "东关村.xlsx")
    fill(forms["西关村党支部"], by_sheet(WEST), inbox / "西关村.xlsx")
    settle(forms["东关村党支部"].parent, inbox)  # the clerk's settings: a phone for objections
    return inbox




@pytest.fixture(scope="module")
def both_periods(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clerk's year: the half-year run in July, the annual run in January, one output folder."""
    tmp = tmp_path_factory.mktemp("town-member")
    runner = CliRunner()
    out = tmp / "output"
    assert run(returned(issue(runner, tmp, "2026H1"), tmp / "in-h1", H1), out, "2026-07-01") == 0
    assert run(returned(issue(runner, tmp, "2026"), tmp / "in-year", ANNUAL), out, "2027-01-04") == 0
    return out / "town-member"


def test_half_year_preliminary_gives_the_hand_worked_results_by_id(both_periods: Path) -> None:
    got = {i: (r["score"], r["stars"], r["status"], r["reason"]) for i, r in results_by_id(both_periods / "2026H1").items()}
    assert got == H1_EXPECTED
    row = results_by_id(both_periods / "2026H1")["T1"]
    assert [row[k] for k in ("自评", "党员互评", "群众参评", "支部考评")] == ["100.00", "92.33", "92.00", "98.00"]


def test_annual_final_is_rated_on_its_own(both_periods: Path) -> None:
    got = {i: (r["score"], r["stars"], r["status"], r["reason"]) for i, r in results_by_id(both_periods / "2026").items()}
    assert got == dict(H1_EXPECTED, T3=("94.80", "4", "rated", QUOTA))


def test_publicity_is_seven_days_and_lists_names_and_stars_only(both_periods: Path) -> None:
    h1 = words(both_periods / "2026H1" / "notices" / "城关镇-东关村党支部-公示.html")
    assert "城关镇东关村党支部2026年上半年党员星级评定结果公示" in h1
    assert "2026年7月1日至7月7日（7天）" in h1
    assert "金长林 ★★★★★ 五星" in h1 and "姜玉梅 取消评星资格" in h1 and "戚文忠 无星" in h1
    assert "谢凤英" not in h1  # 西关村 has its own notice
    for secret in ("96.07", "90.00", "51.20", "92.33", "受党内警告"):
        assert secret not in h1
    year = words(both_periods / "2026" / "notices" / "城关镇-东关村党支部-公示.html")
    assert "城关镇东关村党支部2026年度党员星级评定结果公示" in year
    assert "2027年1月4日至1月10日（7天）" in year and "陶建设 ★★★★ 四星" in year
    document = docx.Document(str(both_periods / "2026" / "notices" / "城关镇-东关村党支部-公示.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2027年1月4日至1月10日（7天）" in text


def test_commendation_only_after_the_annual_final(both_periods: Path) -> None:
    assert sorted(p.name for p in (both_periods / "2026H1" / "notices").iterdir()) == [
        "城关镇-东关村党支部-公示.docx", "城关镇-东关村党支部-公示.html",
        "城关镇-西关村党支部-公示.docx", "城关镇-西关村党支部-公示.html"]  # 初评: no 通报
    announcement_html = (both_periods / "2026" / "notices" / "通报.html").read_text(encoding="utf-8")
    announcement = words(announcement_html)
    assert "关于表彰2026年度“党员之星”的通报" in announcement
    assert listed_names(announcement_html) == ["金长林"]
    assert "中共城关镇委员会" in announcement and "2027年1月11日" in announcement
    assert "94.80" not in announcement


def test_blank_item_holds_back_the_member_and_the_branch_notice(tmp_path: Path, runner: CliRunner) -> None:
    east = dict(ANNUAL, T5=member([4] * 10 + [5, 5], [60], [50], [4] * 11 + [None]))
    assert run(returned(issue(runner, tmp_path, "2026"), tmp_path / "in", east), tmp_path / "out", "2027-01-04") == 3
    folder = tmp_path / "out" / "town-member" / "2026"
    row = results_by_id(folder)["T5"]
    assert (row["score"], row["stars"], row["status"], row["reason"]) == ("", "", "incomplete",
                                                                          "“支部考评”表第 10 行有错误")
    text = (folder / "problems.csv").read_bytes().decode("utf-8").lstrip("\ufeff")
    errors = [(p["sheet"], p["cell"], p["entity"], p["message"])
              for p in csv.DictReader(io.StringIO(text)) if p["severity"] == "error"]
    assert errors == [("支部考评", "N10", "T5 戚文忠", "“6.2”未填写，该人员暂不评定；请补填分数（留空不会按 0 分计算）")]
    assert sorted(p.name for p in (folder / "notices").iterdir()) == [
        "城关镇-西关村党支部-公示.docx", "城关镇-西关村党支部-公示.html"]  # no 东关村 公示, no 通报


def test_town_member_describe_has_both_periods(runner: CliRunner, tmp_path: Path) -> None:
    import json

    result = runner.invoke(cli, ["describe", "--scheme", "town-member", "--json"])
    d = json.loads(result.output)
    assert d["period"] == ["half", "year"]
    assert [(c["sheet"], c["kind"]) for c in d["components"]] == [
        ("自评", "items"), ("党员互评", "ballots"), ("群众参评", "ballots"), ("支部考评", "items"),
        ("取消资格情形", "flags")]
    assert sum(c["max"] for c in d["components"][0]["columns"]) == 100
    roster = Path(__file__).resolve().parents[1] / "examples" / "镇名册.csv"
    wrong = runner.invoke(cli, ["forms", "--scheme", "town-member", "--roster", str(roster),
                                "--period", "2026Q2", "--output", str(tmp_path / "forms")])
    assert wrong.exit_code == 2
    assert "本方案按半年或年度评定，请写成 2026H2 或 2026 这样的形式" in wrong.output
