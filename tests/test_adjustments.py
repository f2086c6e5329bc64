"""Corrections after publicity: re-issue exactly the affected notices, keep the reason.

From the end-to-end quarter (see test_end_to_end.py): 王芳 (1002) 81.15 ★4, 周丽 (2002) 75.15 ★3.

- 2026-12-03, 更正项目 领导点评.得分=92 for 1002: 16 + 24.75 + 0.2×92 + 24 = 83.15, still ★4 —
  the 公示 shows names and stars only, so branch one's notice is not re-issued.
- 2026-12-05, 摘星 for 2002: ★3 → 无星, action 摘星 — branch two's notice is re-issued as
  ``…-公示-更正1`` replacing the original, dated from 2026-12-05.
- a correction for 9999 (nobody) is a problem, not applied.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from clerk import by_sheet, fill, read_csv, results_by_id
from click.testing import CliRunner
from openpyxl import load_workbook
from test_end_to_end import BRANCH_ONE, BRANCH_TWO

from pingxing.record import store as history
from process import cli

DECISIONS = [
    ("1002", "王芳", "更正项目", "领导点评.得分=92", "领导点评分录入错误，经核对原始评分表更正", datetime(2026, 12, 3), "党委"),
    ("2002", "周丽", "摘星", None, "公示期间查实违反廉洁纪律", datetime(2026, 12, 5), "党委"),
    ("9999", "某某", "降星", 1, "测试", datetime(2026, 12, 5), "党委"),
]


def test_corrections_reissue_only_the_affected_notices(tmp_path: Path, issued: dict[str, Path]) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir()
    fill(issued["第一党支部"], by_sheet(BRANCH_ONE), inbox / "第一党支部.xlsx")
    fill(issued["第二党支部"], by_sheet(BRANCH_TWO), inbox / "第二党支部.xlsx")
    template = next(issued["第一党支部"].parent.glob("更正表/更正-*.xlsx"))
    wb = load_workbook(template)
    ws = wb["更正"]
    for r, row in enumerate(DECISIONS, 4):
        for c, value in enumerate(row, 1):
            ws.cell(r, c).value = value
    wb.save(inbox / "更正表.xlsx")
    out = tmp_path / "out"
    ran = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out),
                                   "--publicity-start", "2026-12-01"])
    assert ran.exit_code == 3, ran.output  # the correction for nobody is an error
    folder = out / "member-weighted" / "2026Q4"
    rows = results_by_id(folder)
    assert (rows["1002"]["score"], rows["1002"]["stars"]) == ("83.15", "4")
    assert rows["1002"]["reason"] == "更正（2026年12月3日，党委批准）：更正项目 领导点评.得分=92，领导点评分录入错误，经核对原始评分表更正"
    assert (rows["2002"]["stars"], rows["2002"]["actions"]) == ("0", "摘星")
    assert rows["2002"]["reason"] == "更正（2026年12月5日，党委批准）：摘星，公示期间查实违反廉洁纪律"
    [problem] = [p for p in read_csv(folder / "problems.csv") if p["severity"] == "error"]
    assert (problem["code"], problem["file"], problem["sheet"], problem["cell"]) == (
        "adjustment-unknown-entity", "更正表.xlsx", "更正", "C6")
    names = sorted(p.name for p in (folder / "notices").iterdir())
    assert names == ["质检中心-第一党支部-公示.docx", "质检中心-第一党支部-公示.html",
                     "质检中心-第二党支部-公示-更正1.docx", "质检中心-第二党支部-公示-更正1.html",
                     "质检中心-第二党支部-公示.docx", "质检中心-第二党支部-公示.html"]
    original = (folder / "notices" / "质检中心-第二党支部-公示.html").read_text(encoding="utf-8")
    revised = (folder / "notices" / "质检中心-第二党支部-公示-更正1.html").read_text(encoding="utf-8")
    assert "三星" in original and "无星" not in original
    assert "无星" in revised and "2026年12月5日" in revised
    assert "替代原公示" in revised and "《质检中心第二党支部2026年第四季度党员评星定级结果公示》" in revised
    kept = history.adjustments_of(Path("评星记录.sqlite"), "member-weighted", "2026Q4")  # the working folder's record
    assert [(a.entity_id, a.action, a.reason, a.decided_on) for a in kept] == [
        ("1002", "更正项目", "领导点评分录入错误，经核对原始评分表更正", "2026-12-03"),
        ("2002", "摘星", "公示期间查实违反廉洁纪律", "2026-12-05"),
    ]
