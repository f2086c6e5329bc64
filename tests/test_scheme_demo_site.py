"""demo-site: every 考评 item met, 活动场所 ≥ 200 m² and leadership satisfaction ≥ 90 % → 示范点.

Hand calculation (satisfaction = (满意 + 基本满意) ÷ valid; 废票 not valid, 不了解 valid; compared
exactly, never rounded):

====  =================  =========  =======================================================  ======
支部   考评 (20 items)     面积 m²     测评 发放: 满意 基本 不满意 不了解 废票 → rate                 grade
====  =================  =========  =======================================================  ======
SF01  all 是              260        52: 40 5 4 1 2 → 45/50 = 90 % (just)                      示范点
SF02  all 是              300        10000: 8000 999 1001 0 0 → 8999/10000 = 89.99 %           — (satisfaction)
SF03  all 是              199.5      40: 38 2 0 0 0 → 100 %                                     — (area)
SF04  1.2 否              250        40: 38 2 0 0 0 → 100 %                                     — (one item)
SF05  all 是              200        50: 40 5 0 5 0 → 45/50 = 90 % (不了解 is valid)             示范点
TJ01  all 是              220        survey workbook not returned                               incomplete
====  =================  =========  =======================================================  ======
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clerk import issue, read_csv, results_by_id, return_forms, run

ROSTER = """单位,支部,支部编号,编号,姓名
区教育局党委,第一中学党支部,SF01,1,甲
区教育局党委,第二中学党支部,SF02,2,乙
区教育局党委,实验小学党支部,SF03,3,丙
区教育局党委,机关党支部,SF04,4,丁
区教育局党委,幼儿园党支部,SF05,5,戊
区统计局党支部,区统计局党支部,TJ01,6,己
"""
CODES = [f"{a}.{i}" for a, n in enumerate((5, 4, 4, 4, 2, 1), 1) for i in range(1, n + 1)]
ALL_YES = {c: "是" for c in CODES}
VERDICT = {"SF04": {**ALL_YES, "1.2": "否"}}
AREA = {"SF01": 260, "SF02": 300, "SF03": 199.5, "SF04": 250, "SF05": 200, "TJ01": 220}
HEADS = ("发放", "满意", "基本满意", "不满意", "不了解", "废票")
SURVEY = {
    "SF01": (52, 40, 5, 4, 1, 2),
    "SF02": (10000, 8000, 999, 1001, 0, 0),
    "SF03": (40, 38, 2, 0, 0, 0),
    "SF04": (40, 38, 2, 0, 0, 0),
    "SF05": (50, 40, 5, 0, 5, 0),
    "TJ01": (30, 30, 0, 0, 0, 0),
}


@pytest.fixture
def forms(tmp_path: Path) -> dict[str, Path]:
    return issue(tmp_path, "demo-site", ROSTER, "2026")


def _return(forms: dict[str, Path], inbox: Path, skip: tuple[str, ...] = ()) -> None:
    return_forms(forms, inbox, {
        "支部自评": lambda ids: {"自评": {i: ALL_YES for i in ids}},
        "群众测评": lambda ids: {"测评": {i: dict(zip(HEADS, SURVEY[i], strict=False)) for i in ids}},
        "": lambda ids: {"考评": {i: VERDICT.get(i, ALL_YES) for i in ids},
                         "阵地": {i: {"活动场所面积": AREA[i]} for i in ids}},
    }, skip)


def _run(inbox: Path, out: Path) -> tuple[int, Path]:
    return run(inbox, out, "2026-12-21"), out / "demo-site" / "2026"


def test_demo_sites_by_checklist_area_and_satisfaction(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input", skip=("区统计局党支部-各支部-demo-site-2026-群众测评",))
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 3
    rows = results_by_id(folder)
    got = {i: (r["grade"], r["status"], r["reason"]) for i, r in rows.items()}
    assert got == {
        "SF01": ("示范点", "rated", ""),
        "SF02": ("", "rated", "未达示范点条件：民主测评领导班子群众满意度达到90%以上"),
        "SF03": ("", "rated", "未达示范点条件：活动场所建筑面积达到200平方米以上"),
        "SF04": ("", "rated", "未达标项：1.2 活动场所有明显的党建标识，办公室有党旗，党员活动室有党徽"),
        "SF05": ("示范点", "rated", ""),
        "TJ01": ("", "incomplete", "未交回“区统计局党支部-各支部-demo-site-2026-群众测评.xlsx”"),
    }
    assert (rows["SF02"]["测评"], rows["SF01"]["测评"], rows["SF03"]["阵地"]) == ("89.99", "90.00", "199.50")
    notices = sorted(p.name for p in (folder / "notices").iterdir())
    assert notices == ["区教育局党委-公示.docx", "区教育局党委-公示.html"]  # 统计局 and the 通报 wait
    html = (folder / "notices" / "区教育局党委-公示.html").read_text(encoding="utf-8")
    assert "区教育局党委2026年度基层党建示范点验收结果公示" in html
    assert "2026年12月21日至12月27日（7天）" in html
    assert html.count("示范点</td>") == 2
    for figure in ("89.99", "90.00", "199.5", "260"):
        assert figure not in html


def test_announcement_names_the_demo_sites(forms: dict[str, Path], tmp_path: Path) -> None:
    _return(forms, tmp_path / "input")
    code, folder = _run(tmp_path / "input", tmp_path / "out")
    assert code == 0
    assert {r["id"] for r in read_csv(folder / "results.csv") if r["grade"] == "示范点"} == {"SF01", "SF05", "TJ01"}
    html = (folder / "notices" / "通报.html").read_text(encoding="utf-8")
    assert "关于命名2026年度基层党建示范点的通报" in html
    listed = [name for name in ("第一中学", "第二中学", "实验小学", "机关党支部", "幼儿园", "区统计局党支部")
              if name in html]
    assert listed == ["第一中学", "幼儿园", "区统计局党支部"]
