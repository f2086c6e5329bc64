"""Looking at outputs the way a person does: LibreOffice prints the Word notices to PDF,
poppler reads the PDF (pages, text, pictures), headless Chromium opens the HTML.

Used by tests/test_as_seen.py and scripts/docs_images.py. Every helper takes a scratch
folder for the programs' profiles, so a LibreOffice or Chromium the user has open is never
disturbed and no state leaks between runs. Nothing here reaches the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONTS_CONF = ROOT / "templates" / "fonts.conf"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdftoppm"))
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p and Path(p).exists()), None)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                  "--disable-default-apps", "--disable-extensions"]
INSTALL = ("apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk chromium "
           "(.ci/run installs them)")
_PAGE = re.compile(r"^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", re.MULTILINE)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if FONTS_CONF.exists():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


#: Word documents as LibreOffice prints them: without the blank pages it inserts to keep a section
#: numbered from 1 on a right-hand page (as the PDF step does, pingxing/publish/pdf.py)
WRITER_PDF = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"true"}}'


def to_pdf(documents: list[Path], out_dir: Path, scratch: Path) -> list[Path]:
    """Convert documents (.docx, .xlsx …) to PDF, one LibreOffice call for the Word documents and one
    for the rest; the PDFs, in order."""
    assert SOFFICE, "LibreOffice is not installed"
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (scratch / "lo-profile").resolve()
    words = [d for d in documents if d.suffix.lower() == ".docx"]
    others = [d for d in documents if d.suffix.lower() != ".docx"]
    outputs = []
    for target, group in ((WRITER_PDF, words), ("pdf", others)):
        if group:
            outputs.append(subprocess.run(
                [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                 "--convert-to", target, "--outdir", str(out_dir), *map(str, group)],
                check=False, capture_output=True, text=True, timeout=180, env=_env()))
    pdfs = [out_dir / (d.stem + ".pdf") for d in documents]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}: {[(r.stdout, r.stderr) for r in outputs]}"
    return pdfs


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return [(float(w), float(h)) for w, h in _PAGE.findall(out)]


def is_a4_portrait(size: tuple[float, float]) -> bool:
    return abs(size[0] - 595.3) < 1.5 and abs(size[1] - 841.9) < 1.5


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text with every kind of white space removed (lines break inside titles)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return squeeze(out)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def to_png(pdf: Path, prefix: Path, dpi: int = 80, page: int = 1) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(prefix)], check=True, capture_output=True)
    return prefix.with_suffix(".png")


def chromium(page: Path, scratch: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Open ``page`` in headless Chromium (offline: a file URL, no background networking)."""
    assert CHROMIUM, "Chromium is not installed"
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={scratch / 'chromium-profile'}", "--enable-logging=stderr",
         "--v=0", *args, page.resolve().as_uri()],
        check=False, capture_output=True, text=True, timeout=120)


def dom_and_console(page: Path, scratch: Path) -> tuple[str, list[str]]:
    """The DOM after loading, and every message the page wrote to the console."""
    result = chromium(page, scratch, "--dump-dom")
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return result.stdout, console


def screenshot(page: Path, png: Path, scratch: Path, width: int = 1000, height: int = 1400) -> Path:
    chromium(page, scratch, f"--window-size={width},{height}", f"--screenshot={png.resolve()}")
    assert png.exists(), f"Chromium wrote no screenshot of {page}"
    return png
