"""Make the pictures in docs/: a 公示 and a 通报 as LibreOffice prints them, and report.html as
Chromium shows it. Run ``python scripts/docs_images.py`` from the repository root (needs
LibreOffice, poppler-utils, fonts-noto-cjk and Chromium; see .ci/run).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from click.testing import CliRunner
from demo_run import branch_bands_with_history
from viewer import screenshot, to_pdf, to_png

from pingxing.publish.notices import NoticeRenderer
from process import cli

DOCS = ROOT / "docs"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pingxing-docs-") as tmp:
        scratch = Path(tmp)
        out = scratch / "output"
        result = CliRunner().invoke(cli, ["run", "--input", str(ROOT / "examples" / "input" / "member-weighted"), "--output",
                                          str(out), "--publicity-start", "2026-12-01", "--quiet"])
        assert result.exit_code == 0, result.output
        notice = min((out / "member-weighted" / "2026Q4" / "notices").glob("*.docx"))
        announcement = scratch / "announcement.docx"
        announcement.write_bytes(NoticeRenderer(ROOT / "templates").docx_bytes(_announcement()))
        pdfs = to_pdf([notice, announcement], scratch / "pdf", scratch)
        for pdf, name in zip(pdfs, ("notice", "announcement"), strict=True):
            to_png(pdf, DOCS / name, dpi=70)
        report = branch_bands_with_history(scratch / "report") / "report.html"
        screenshot(report, DOCS / "report.png", scratch, width=1000, height=2000)
    for name in ("notice", "announcement", "report"):
        print(DOCS / f"{name}.png")
    return 0


def _announcement() -> dict[str, object]:
    names = [("张建国", 5), ("刘丽娟", 5), ("陈晓东", 5), ("黄婷婷", 5)]
    rows = [{"seq": i, "name": name, "unit": "市质量检验检测中心", "branch": branch, "stars": s,
             "stars_text": "★" * s, "star_word": "五星", "star_names": "", "grade": "", "note": branch}
            for i, ((name, s), branch) in enumerate(zip(names, ["第一党支部", "第一党支部", "第二党支部", "第二党支部"], strict=False), 1)]
    return {
        "kind": "通报", "red_header": True, "organ": "中共市质量检验检测中心委员会",
        "doc_number": "质检党发〔2026〕12号",
        "title": "关于表彰2026年第四季度五星级党员的通报",
        "intro": "2026年第四季度党员评星定级工作已经结束，经公示无异议，现对以下五星级党员予以通报表扬。"
                 "希望受表扬的同志珍惜荣誉、再接再厉，充分发挥先锋模范作用。",
        "unit": "市质量检验检测中心", "branch": "", "period": "2026Q4", "period_words": "2026年第四季度",
        "level": "member", "rows": rows, "publicity_days": 3, "publicity_start": "2026年12月1日",
        "publicity_end": "2026年12月4日", "contact": "", "issuer": "中共市质量检验检测中心委员会",
        "issue_date": "2026年12月7日",
    }


if __name__ == "__main__":
    raise SystemExit(main())
