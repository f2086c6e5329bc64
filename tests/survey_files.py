"""Survey-platform exports built the way 问卷星 and 腾讯问卷 write them (see the docstring of
pingxing/survey/export.py for the sources), for the tests of the reader and of ``survey import``.

``wjx_rows`` turns answer sheets — one per respondent, the option chosen per question (a list for a
multi-select, None for unanswered, ``SKIP`` for skipped by logic) — into the rows of a 问卷星 export in
either layout: "按选项文本" (option texts, multi-select joined by ``┋``, ``(空)``/``(跳过)``) or
"按选项序号" (1-based option numbers, multi-select as 0/1 columns ``第N题(选项)``, −2/−3).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

WJX_META = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
SKIP = "(跳过)"


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def csv_file(path: Path, rows: list[list[Any]], encoding: str) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def xls(path: Path, rows: list[list[Any]]) -> Path:
    """An .xls (Excel 97–2003) export, as 问卷星 also gives: written as .xlsx, converted by LibreOffice
    (the test is skipped without it: no .xls writer is installed)."""
    import shutil
    import subprocess

    import pytest

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not on PATH: .xls exports not built")
    source = xlsx(path.with_suffix(".xlsx"), rows)
    subprocess.run([soffice, f"-env:UserInstallation=file://{path.parent / 'lo-profile'}", "--headless",
                    "--convert-to", "xls", "--outdir", str(path.parent), str(source)],
                   check=True, capture_output=True, timeout=120)
    source.unlink()
    assert path.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    return path


def every_byte(folder: Path) -> bytes:
    """Every file under ``folder``, zip packages (.xlsx, .docx) unpacked: what a search for leaked data reads."""
    import zipfile

    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        out.append(data)
    return b"\n".join(out)


@dataclass
class Sheet:
    """One respondent's answer sheet: answers by question (1-based), and what the export says of them."""

    answers: list[Any]
    seconds: int = 300
    ip: str = "10.20.30.40(广东-深圳)"
    submitted: str = "2026/12/1 9:00:01"
    source: str = "微信"
    detail: str = "来源详情-甲"


def wjx_rows(stems: list[str], options: list[list[str]], multi: list[bool], sheets: list[Sheet],
             layout: str) -> list[list[Any]]:
    """A 问卷星 export: header, then one row per answer sheet."""
    header = list(WJX_META)
    for n, (stem, opts, many) in enumerate(zip(stems, options, multi, strict=True), 1):
        if many and layout == "number":
            header += [f"第{n}题({o})" for o in opts]
        else:
            header.append(f"{n}、{stem}")
    rows = [header]
    for i, s in enumerate(sheets, 1):
        row: list[Any] = [i, s.submitted, f"{s.seconds}秒", s.source, s.detail, s.ip]
        for answer, opts, many in zip(s.answers, options, multi, strict=True):
            row += _cells(answer, opts, many, layout)
        rows.append(row)
    return rows


def _cells(answer: Any, opts: list[str], many: bool, layout: str) -> list[Any]:
    if layout == "text":
        if answer is None:
            return ["(空)"]
        if answer == SKIP:
            return [SKIP]
        return ["┋".join(answer) if many else answer]
    if many:
        if answer is None or answer == SKIP:
            return [-2 if answer is None else -3] * len(opts)
        return [1 if o in answer else 0 for o in opts]
    if answer is None:
        return [-2]
    if answer == SKIP:
        return [-3]
    return [opts.index(answer) + 1]
