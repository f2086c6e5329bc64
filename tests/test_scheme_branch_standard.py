"""branch-standard: the superior's checklist plus the activity-ledger rules → 优秀 / 合格 / 未达标.

Items: 23 考评 checklist items + 10 ledger checks = 33. 优秀 = all 33 pass. 合格 = 考评 1.1
(≥ 3 full members) and 1.4 (term) pass, the ledger's monthly 主题党日, quarterly 党员大会 and
quarterly 党课 are met, and ≥ 80 % of the 33 pass (≥ 27, i.e. at most 6 fail). Else 未达标.

A full year's ledger (``_year``): 主题党日 on the 10th of every month, 8 of 10 present (exactly
80 %: met), 3 of them 改期 (exactly the limit: met); 党员大会 in Mar/Jun/Sep/Dec; 支委会 and
党小组会 monthly; 党课 in Mar/Jun/Sep/Dec, the secretary speaking in Mar and Sep (2: met);
组织生活会 in Jun and Dec; 民主评议党员 in Dec.

====  ===============================================================  ======  ====  ======
支部   what differs from the full year / the all-是 考评                     failed  share  grade
====  ===============================================================  ======  ====  ======
GB01  nothing                                                            0      33/33  优秀
GB02  no 主题党日 in March                                              1 (req)  32/33  未达标
GB03  June 主题党日 7 of 9 present (77.8 % < 80 %)                      1      32/33  合格
GB04  a 4th 主题党日 marked 改期                                         1      32/33  合格
GB05  the secretary gives only March's 党课 (September's is a 委员's)   1      32/33  合格
GB06  no 党员大会 in Q3                                                 1 (req)  32/33  未达标
GB07  no committee, no party groups (基本情况 否/否), no such meetings   0 (n/a) 33/33  优秀
GB08  no 支委会 in Feb, no 党小组会 in Nov, no H2 组织生活会, no 民主评议  4      29/33  合格
GB09  考评 2.3 and 5.5 否                                                2      31/33  合格
GB10  考评 2.1 2.2 3.2 3.3 4.3 4.4 6.4 否                                7      26/33  未达标 (78.8 %)
GB11  no 党课 in Q2                                                     1 (req)  32/33  未达标
GB12  考评 1.1 否 (fewer than 3 full members)                           1 (req)  32/33  未达标
====  ===============================================================  ======  ====  ======
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from clerk import add_ledger, fill, ids_of, read_csv, results_by_id, run
from click.testing import CliRunner

from process import cli

BRANCHES = [f"GB{i:02d}" for i in range(1, 13)]
NAMES = {b: f"第{'一二三四五六七八九十'[i] if i < 10 else '十' + '一二'[i - 10]}党支部" for i, b in enumerate(BRANCHES)}
ROSTER = "单位,支部,支部编号,编号,姓名\n" + "".join(
    f"机关党委,{NAMES[b]},{b},{i},党员{i}\n" for i, b in enumerate(BRANCHES, 1)) + "统计局党支部,统计局党支部,TJ01,99,郑\n"
CODES = [f"{a}.{i}" for a, n in enumerate((4, 3, 3, 4, 5, 4), 1) for i in range(1, n + 1)]
ALL_YES = {c: "是" for c in CODES}
VERDICT = {
    **{b: ALL_YES for b in BRANCHES},
    "GB09": {**ALL_YES, "2.3": "否", "5.5": "否"},
    "GB10": {**ALL_YES, **{c: "否" for c in ("2.1", "2.2", "3.2", "3.3", "4.3", "4.4", "6.4")}},
    "GB12": {**ALL_YES, "1.1": "否"},
}
BASICS = {"GB07": {"设支部委员会": "否", "划分党小组": "否"}}


def _row(bid: str, day: date, kind: str, due: int = 10, present: int = 8, moved: str = "否",
         speaker: str | None = None) -> dict[str, Any]:
    row = {"编号": bid, "支部": NAMES.get(bid, "统计局党支部"), "日期": day, "类型": kind, "应到人数": due,
           "实到人数": present, "改期": moved}
    return {**row, "主讲人": speaker} if speaker else row


def _year(bid: str, committee: bool = True, groups: bool = True) -> list[dict[str, Any]]:
    rows = [_row(bid, date(2026, m, 10), "主题党日", moved="是" if m in (2, 5, 8) else "否") for m in range(1, 13)]
    rows += [_row(bid, date(2026, m, 20), "党员大会") for m in (3, 6, 9, 12)]
    rows += [_row(bid, date(2026, m, 5), "支委会", 5, 5) for m in range(1, 13)] if committee else []
    rows += [_row(bid, date(2026, m, 12), "党小组会", 5, 4) for m in range(1, 13)] if groups else []
    rows += [_row(bid, date(2026, m, 25), "党课", speaker="书记" if m in (3, 9) else "委员") for m in (3, 6, 9, 12)]
    rows += [_row(bid, date(2026, m, 28), "组织生活会") for m in (6, 12)]
    return rows + [_row(bid, date(2026, 12, 30), "民主评议党员")]


def _without(rows: list[dict[str, Any]], kind: str, *months: int) -> list[dict[str, Any]]:
    return [r for r in rows if not (r["类型"] == kind and (not months or r["日期"].month in months))]


def _ledger() -> list[dict[str, Any]]:
    year = {b: _year(b) for b in BRANCHES}
    year["GB02"] = _without(year["GB02"], "主题党日", 3)
    year["GB03"] = _without(year["GB03"], "主题党日", 6) + [_row("GB03", date(2026, 6, 10), "主题党日", 9, 7)]
    year["GB04"] = _without(year["GB04"], "主题党日", 11) + [_row("GB04", date(2026, 11, 17), "主题党日", moved="是")]
    year["GB05"] = _without(year["GB05"], "党课", 9) + [_row("GB05", date(2026, 9, 25), "党课", speaker="委员")]
    year["GB06"] = _without(year["GB06"], "党员大会", 9)
    year["GB07"] = _year("GB07", committee=False, groups=False)
    year["GB08"] = _without(_without(_without(_without(year["GB08"], "支委会", 2), "党小组会", 11),
                                     "组织生活会", 12), "民主评议党员")
    year["GB11"] = _without(year["GB11"], "党课", 6)
    return [r for b in BRANCHES for r in year[b]]


@pytest.fixture
def forms(tmp_path: Path) -> dict[str, Path]:
    roster = tmp_path / "支部名册.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    result = CliRunner().invoke(cli, ["forms", "--scheme", "branch-standard", "--roster", str(roster),
                                      "--period", "2026", "--output", str(tmp_path / "forms")])
    assert result.exit_code == 0, result.output
    return {p.stem: p for p in (tmp_path / "forms").glob("*.xlsx")}


def _return(forms: dict[str, Path], inbox: Path, which: tuple[str, ...]) -> None:
    """Every workbook of a unit and role (``机关党委-支部自评``: each branch's own) comes back filled."""
    inbox.mkdir(exist_ok=True)
    for stem, path in sorted(forms.items()):
        if not any(stem.startswith(key.split("-")[0] + "-") and stem.endswith(key.split("-")[-1]) for key in which):
            continue
        ids = [i for i, _ in ids_of(path)]
        if stem.endswith("支部自评"):
            target = fill(path, {"自评": {i: ALL_YES for i in ids},
                                 "基本情况": {i: BASICS[i] for i in ids if i in BASICS}}, inbox / path.name)
            ledger = _year("TJ01") if "TJ01" in ids else [r for r in _ledger() if r["编号"] in ids]
            add_ledger(target, "台账", ledger)
        else:
            fill(path, {"考评": {i: VERDICT.get(i, ALL_YES) for i in ids}}, inbox / path.name)


def _run(inbox: Path, out: Path) -> tuple[int, Path]:
    return run(inbox, out, "2026-12-31"), out / "branch-standard" / "2026"


def test_grades_from_checklist_and_ledger(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input", ("机关党委-支部自评", "机关党委-考评验收", "统计局党支部-支部自评", "统计局党支部-考评验收"))
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 0
    rows = results_by_id(folder)
    assert (rows.pop("TJ01")["grade"], len(rows)) == ("优秀", len(BRANCHES))
    got = {i: (r["grade"], r["status"], r["stars"], r["score"]) for i, r in rows.items()}
    assert got == {b: (g, "rated", "", "") for b, g in zip(BRANCHES, [
        "优秀", "未达标", "合格", "合格", "合格", "未达标", "优秀", "合格", "合格", "未达标", "未达标", "未达标"], strict=False)}
    reasons = {i: r["reason"] for i, r in rows.items()}
    assert reasons == {
        "GB01": "",
        "GB02": "每月开展固定主题党日未达标（缺3月）",
        "GB03": "主题党日出勤率不低于80%未达标（6月10日出勤率低于80%）",
        "GB04": "主题党日全年调整不超过3次未达标（改期4次，超过3次）",
        "GB05": "书记每年讲党课不少于2次未达标（只有1次，应至少2次）",
        "GB06": "每季度召开党员大会未达标（缺第三季度）",
        "GB07": "",
        "GB08": "每月召开支委会未达标（缺2月）；每月召开党小组会未达标（缺11月）；"
                "每半年召开组织生活会未达标（缺下半年）；每年开展民主评议党员未达标（只有0次，应至少1次）",
        "GB09": "未达标项：2.3 入党积极分子严格选拔、加强培养，队伍素质过硬；"
                "5.5 活动经费按不少于工作人员工资总额的2%列入年度预算，专项活动单独列支",
        "GB10": "未达标项：" + "；".join([
            "2.1 支部委员会班子健全，团结协作，分工明确，党建责任落实",
            "2.2 党员队伍作风优良，先锋模范作用发挥明显",
            "3.2 每年至少开展一个有单位特色的主题实践活动",
            "3.3 党员联系群众活动深入，开展结对帮扶",
            "4.3 党内监督工作制度健全（党务公开、述职述廉、重要情况报告、谈话和诫勉等）",
            "4.4 党内激励关怀制度健全（表彰激励、谈心谈话、定期慰问、生活关怀等）",
            "6.4 特色党建工作台账（主题实践活动、特色工作情况和经验资料）"]),
        "GB11": "每季度上党课未达标（缺第二季度）",
        "GB12": "未达标项：1.1 正式党员3人以上，按规定成立党支部",
    }
    html = (folder / "notices" / "机关党委-公示.html").read_text(encoding="utf-8")
    assert "机关党委2026年度党支部规范化建设考评结果公示" in html
    assert html.count("优秀") == 2 and html.count("合格") == 5 and html.count("未达标") == 5
    announcement = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
    assert "关于公布2026年度党支部规范化建设达标名单的通报" in announcement
    listed = [b for b in BRANCHES if NAMES[b] in announcement]
    assert listed == ["GB01", "GB03", "GB04", "GB05", "GB07", "GB08", "GB09"]


def test_assessment_not_returned_is_incomplete(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input", ("统计局党支部-支部自评",))
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 3
    rows = results_by_id(folder)
    assert (rows["TJ01"]["grade"], rows["TJ01"]["status"], rows["TJ01"]["reason"]) == (
        "", "incomplete", "未交回“统计局党支部-各支部-branch-standard-2026-考评验收.xlsx”")
    assert not (folder / "notices").exists() or not any((folder / "notices").iterdir())


def test_a_ledger_row_of_an_unknown_branch_is_reported(forms: dict[str, Path], tmp_path: Path) -> None:
    """TJ01's full year (47 rows, sheet rows 4–50) → 优秀; row 51, typed with an 编号 not issued to this
    unit, is never dropped silently."""
    inbox = tmp_path / "input"
    _return(forms, inbox, ("统计局党支部-考评验收",))
    (self_check,) = [p for stem, p in forms.items() if stem.startswith("统计局党支部-") and stem.endswith("支部自评")]
    own = fill(self_check, {"自评": {"TJ01": ALL_YES}}, inbox / "统计局自评.xlsx")
    add_ledger(own, "台账", _year("TJ01") + [{**_row("TJ01", date(2026, 5, 8), "主题党日"), "编号": "GB01"}])
    code, folder = _run(inbox, tmp_path / "out")
    assert code == 3
    assert results_by_id(folder)["TJ01"]["grade"] == "优秀"  # (机关党委's forms are not back: exit 3)
    problems = [(p["sheet"], p["cell"], p["code"], p["message"]) for p in read_csv(folder / "problems.csv")
                if p["file"] == "统计局自评.xlsx"]
    assert problems == [("台账", "A51", "unknown-member",
                         "编号“GB01”（统计局党支部）不在下发的名单中，第 51 行的记录未计入；请按下拉列表选择支部编号")]
