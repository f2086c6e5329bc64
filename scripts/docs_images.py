"""Make the pictures in docs/: the notices, the internal document and the 情况汇总 as the run's own
PDFs look (LibreOffice), a form's ballot sheet and results.xlsx's 统计 as they print, and report.html
as Chromium shows it on a desk screen (1280 px) and on a phone (390 px). Run
``python scripts/docs_images.py`` from the repository root (needs LibreOffice, poppler-utils,
fonts-noto-cjk and Chromium; see .ci/run).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from click.testing import CliRunner
from demo_run import branch_bands_with_history
from viewer import screenshot, to_pdf, to_png

from pingxing.publish.notices import NoticeRenderer
from pingxing.publish.sections import sections_by
from process import cli

DOCS = ROOT / "docs"
WITH_PDF = {"PINGXING_NO_PDF": ""}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pingxing-docs-") as tmp:
        scratch = Path(tmp)
        out = scratch / "output"
        record = shutil.copy(ROOT / "examples" / "评星记录.sqlite", scratch / "record.sqlite")  # the sample's own
        for scheme in ("member-weighted", "branch-five-stars"):
            result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "examples" / "input" / scheme), "--output",
                                              str(out), "--history", str(record), "--publicity-start", "2026-12-01",
                                              "--quiet"], env=WITH_PDF)
            assert result.exit_code == 0, result.output
        weighted, five = out / "member-weighted" / "2026Q4", out / "branch-five-stars" / "2026"
        to_png(min((weighted / "notices").glob("*.pdf")), DOCS / "notice", dpi=70)
        to_png(five / "internal" / "内部名单.pdf", DOCS / "internal", dpi=70)
        announcement = scratch / "announcement.docx"
        announcement.write_bytes(NoticeRenderer(ROOT / "templates").docx_bytes(_announcement()))
        to_png(to_pdf([announcement], scratch / "pdf", scratch)[0], DOCS / "announcement", dpi=70)

        history = branch_bands_with_history(scratch / "report")
        summary = to_pdf([history / "情况汇总.docx"], scratch / "pdf", scratch)[0]
        to_png(summary, DOCS / "summary", dpi=70)
        stats = to_pdf([history / "results.xlsx"], scratch / "pdf", scratch)[0]
        to_png(stats, DOCS / "results", dpi=60, page=2)

        forms = scratch / "forms"
        result = CliRunner().invoke(cli, ["forms", "--scheme", "member-weighted", "--roster",
                                          str(ROOT / "examples" / "名册.csv"), "--period", "2026Q4", "--output", str(forms),
                                          "--history", str(scratch / "forms-record.sqlite")])
        assert result.exit_code == 0, result.output
        form = to_pdf([next(forms.glob("*第一党支部*.xlsx"))], scratch / "pdf", scratch)[0]
        to_png(form, DOCS / "form", dpi=60, page=3)  # 互评: the paper tally sheet

        screenshot(history / "report.html", DOCS / "report.png", scratch, 1280, 2300)
        host = history / "phone.html"  # headless Chromium lays a page out 500 px wide at least: a 390 px frame
        host.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff}'
                        'iframe{border:0;width:390px;height:3000px;display:block}</style></head><body>'
                        '<iframe src="report.html"></iframe></body></html>', encoding="utf-8")
        screenshot(host, DOCS / "report-phone.png", scratch, 500, 3000)
    for name in ("notice", "announcement", "internal", "summary", "results", "form", "report", "report-phone"):
        print(DOCS / f"{name}.png")
    return 0


def _announcement() -> dict[str, object]:
    """A 通报 with everything the settings workbook gives it: 版头, 主送机关, the lists by section, 版记."""
    people = [("张建国", "第一党支部", 5, 4, ["通报表彰"]), ("刘丽娟", "第一党支部", 5, 5, []),
              ("陈晓东", "第二党支部", 5, 3, ["通报表彰"]), ("黄婷婷", "第二党支部", 4, 2, ["通报表彰"])]
    rows = [{"seq": i, "id": f"Q{i}", "name": name, "unit": "市质量检验检测中心", "branch": branch, "stars": s,
             "stars_text": "★" * s, "star_word": ["无星", "一星", "二星", "三星", "四星", "五星"][s], "star_names": "",
             "grade": "", "note": "", "prev_stars": prev, "actions": actions}
            for i, (name, branch, s, prev, actions) in enumerate(people, 1)]
    sections = sections_by([("五星级党员", [r for r in rows if r["stars"] == 5]),
                            ("晋升两星以上", [r for r in rows if r["stars"] < 5])], "member", ["通报表彰"])
    return {
        "kind": "通报", "red_header": True, "organ": "中共市质量检验检测中心委员会",
        "doc_number": "质检党发〔2026〕12号",
        "title": "关于表彰2026年第四季度五星级党员和晋星党员的通报",
        "intro": "2026年第四季度党员评星定级工作已经结束，经公示无异议，现对以下党员予以通报表扬。"
                 "希望受表扬的同志珍惜荣誉、再接再厉，充分发挥先锋模范作用。",
        "unit": "市质量检验检测中心", "branch": "", "period": "2026Q4", "period_words": "2026年第四季度",
        "level": "member", "rows": rows, "sections": sections, "publicity_days": 3,
        "publicity_start": "2026年12月1日", "publicity_end": "2026年12月4日", "contact": "",
        "issuer": "中共市质量检验检测中心委员会", "issue_date": "2026年12月7日",
        "addressee": "各党支部", "cc": "市直机关工委组织部", "print_organ": "中共市质量检验检测中心委员会办公室",
        "print_date": "2026年12月7日",
    }


if __name__ == "__main__":
    raise SystemExit(main())
