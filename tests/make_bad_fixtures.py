#!/usr/bin/env python3
"""Build the bad-forms corpus: one returned workbook per row of ``shared/BAD_FORMS.md``.

Every fixture starts as a real form: the project's own ``forms`` command writes the blank
member-weighted workbooks for :data:`ROSTER`, :func:`clerk.fill` fills them the way a
branch does, and then the form is broken the way the row says — with openpyxl (what a
clerk does in Excel), XlsxWriter-free raw zip edits (what WPS or a tool writes: a wrong
``<dimension>``, Strict namespaces, an external link), msoffcrypto-tool (a password) and
LibreOffice (``.xls``). ``tests/test_bad_forms.py`` says what each must produce.

    python tests/make_bad_fixtures.py        # rewrite tests/fixtures/{good,bad,rosters}/

The tests build the same corpus once per session in a temporary folder (so it always
matches the current scheme's form version); the committed copy is for reading. Without
``soffice`` the two LibreOffice fixtures are not written (their tests skip).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from clerk import by_sheet, fill, member_weighted
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from process import cli

SCHEME = "member-weighted"
PERIOD = "2026Q4"
LAST_YEAR = "2025Q4"
UNIT = "质检中心"
LONG_ID = "110101199003071234"
ROSTER = [
    (UNIT, "第一党支部", "1001", "张伟"),
    (UNIT, "第一党支部", "1002", "王芳"),
    (UNIT, "第一党支部", "1003", "李娜"),
    (UNIT, "第一党支部", LONG_ID, "刘洋"),  # an 18-digit 编号 (row 28)
    (UNIT, "第一党支部", "1005", "NA"),  # a name pandas would read as NaN (row 29)
    (UNIT, "第二党支部", "2001", "黄强"),
    (UNIT, "第二党支部", "2002", "周丽"),
    (UNIT, "第三党支部", "3001", "孙杰"),
    (UNIT, "第三党支部", "3002", "马超"),
]
FIVES, NINETY, SIXTY = [5] * 20, [5] * 18 + [0, 0], [5] * 12 + [0] * 8
#: at least three ballots in each part (the anonymity guard's minimum), the third of two the mean of the others
GOOD = {
    "第一党支部": {
        "1001": member_weighted(FIVES, [95, 90, 92], 93, [90, 95, 88, 92, 94], "是"),
        "1002": member_weighted([4] * 20, [80, 85, 82.5], 82, [80] * 5),
        "1003": member_weighted(NINETY, [90, 90, 90], 90, [90] * 5, "是"),
        LONG_ID: member_weighted(SIXTY, [60, 62, 61], 60, [60] * 5),
        "1005": member_weighted([3] * 20, [70, 75, 72.5], 65, [68, 70, 72]),
    },
    "第二党支部": {
        "2001": member_weighted([4.5] * 20, [88, 92, 95], 85.5, [80, 85, 90, 95, 100]),
        "2002": member_weighted([4] * 20, [75, 76, 75.5], 70, [65, 70, 75, 80, 85]),
    },
    "第三党支部": {
        "3001": member_weighted([4] * 20, [85, 85, 85], 80, [85, 90, 87.5]),
        "3002": member_weighted([5] * 20, [91, 93, 92], 95, [92, 94, 93], "是"),
    },
}
#: The good form of branch one, the one the bad fixtures break: ``good/第一党支部.xlsx``.
BASE = "第一党支部"
#: Fixtures only LibreOffice can make.
LIBREOFFICE_MADE = ("05-legacy.xls", "07-wps-binary.et")


# ------------------------------------------------------------------ helpers
def issue(roster: Path, period: str, out: Path) -> dict[str, Path]:
    """Blank forms by branch name, written by the project's ``forms`` command."""
    result = CliRunner().invoke(cli, ["forms", "--scheme", SCHEME, "--roster", str(roster), "--period", period,
                                      "--output", str(out), "--history", str(out / "record.sqlite")])
    if result.exit_code:
        raise RuntimeError(result.output)
    return {p.name.split("-")[1]: p for p in sorted(out.glob("*.xlsx"))}


def write_roster(path: Path, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位", "支部", "编号", "姓名"])
        w.writerows(ROSTER)
    return path


def edit_book(src: Path, dst: Path, change: Callable[[Workbook], None]) -> Path:
    """Open a filled form in "Excel" (openpyxl), change it, save it under a new name."""
    wb = load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


def rezip(src: Path, dst: Path, edit: Callable[[str, bytes], bytes] = lambda n, d: d,
          extra: dict[str, bytes] | None = None) -> Path:
    """Copy a zip member by member through ``edit(name, data)``, adding ``extra`` members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, edit(info.filename, zin.read(info.filename)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member holding ``sheet`` (via workbook.xml and its rels, never by position)."""
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(\w+)"', wb)[1]  # type: ignore[index]
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    assert target
    t = target[1]
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


def form_version_of(path: Path) -> str | None:
    """The ``form_version`` in a form's ``_meta`` sheet (None if there is no such form)."""
    if not path.is_file():
        return None
    wb = load_workbook(path, read_only=True)
    try:
        return next((str(r[1]) for r in wb["_meta"].iter_rows(values_only=True) if r[0] == "form_version"), None)
    finally:
        wb.close()


def cells(sheet: str, values: dict[str, Any]) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        for ref, v in values.items():
            wb[sheet][ref] = v
    return change


# ------------------------------------------------------------------ the corpus
def build(root: Path, soffice: str | None = None) -> dict[str, Path]:
    """Write ``good/``, ``bad/`` and ``rosters/`` under ``root``; return every file by name.

    ``soffice``: the LibreOffice binary for the .xls fixtures (rows 5 and 7b); None skips them.
    """
    for d in ("good", "bad", "rosters"):
        shutil.rmtree(root / d, ignore_errors=True)
        (root / d).mkdir(parents=True)
    good, bad = root / "good", root / "bad"
    with tempfile.TemporaryDirectory(prefix="pingxing-fixtures-") as tmp_name:
        tmp = Path(tmp_name)
        roster = write_roster(tmp / "名册.csv")
        blank = issue(roster, PERIOD, tmp / "forms")
        blank_last_year = issue(roster, LAST_YEAR, tmp / "forms-last-year")
        for branch, values in GOOD.items():
            fill(blank[branch], by_sheet(values), good / f"{branch}.xlsx")
        base = good / f"{BASE}.xlsx"
        _break(base, bad, blank, blank_last_year, tmp)
        if soffice:
            _libreoffice(base, bad, soffice, tmp)
    write_roster(root / "rosters" / "名册-gbk.csv", "gbk")
    write_roster(root / "rosters" / "名册-bom.csv", "utf-8-sig")
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def _break(base: Path, bad: Path, blank: dict[str, Path], blank_last_year: dict[str, Path], tmp: Path) -> None:
    data = base.read_bytes()
    # 1 zero bytes; 2 cut in half
    (bad / "01-empty.xlsx").write_bytes(b"")
    (bad / "02-truncated.xlsx").write_bytes(data[: len(data) // 2])
    rezip(base, bad / "02-bad-xml.xlsx", lambda n, d: d.replace(  # the reader copes, the XML is broken
        b"</sheets>", b'</sheets><externalReferences><externalReference r:id="rId99"/></externalReferences>')
        if n == "xl/workbook.xml" else d)
    # 3 Excel's owner file for an open workbook: 1 byte length, the user name, padding
    owner = b"\x06zhangs" + b" " * 47 + b"\x06\x00z\x00h\x00a\x00n\x00g\x00s\x00" + b"\x00" * 98
    (bad / "~$03-lock.xlsx").write_bytes(owner[:165])
    # 4 a password to open (Excel's agile encryption, as 文件→信息→用密码进行加密 writes it)
    from msoffcrypto.format.ooxml import OOXMLFile

    with base.open("rb") as fin, (bad / "04-password.xlsx").open("wb") as fout:
        OOXMLFile(fin).encrypt("1234", fout)
    # 6 xlsx content named .xls; a web page named .xls
    (bad / "06-xlsx-named.xls").write_bytes(data)
    (bad / "06-web-export.xls").write_text(
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head><body>'
        "<table><tr><td>编号</td><td>姓名</td><td>得分</td></tr><tr><td>1001</td><td>张伟</td><td>93</td></tr>"
        "</table></body></html>", encoding="utf-8")
    # 7 xlsx content under WPS's .et
    (bad / "07-wps.et").write_bytes(data)
    # 8 macro-enabled workbook
    rezip(base, bad / "08-macro.xlsm", lambda n, d: d.replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml") if n == "[Content_Types].xml" else d)
    # 9 Strict Open XML: the ISO namespaces
    def strict(name: str, d: bytes) -> bytes:
        if not name.endswith((".xml", ".rels")):
            return d
        return (d.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                          b"http://purl.oclc.org/ooxml/spreadsheetml/main")
                 .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                          b"http://purl.oclc.org/ooxml/officeDocument/relationships"))
    rezip(base, bad / "09-strict.xlsx", strict)
    # 10 a "picture" of 3 MB of zeros (compresses 1000:1); a space typed in the last cell
    rezip(base, bad / "10-zip-bomb.xlsx", extra={"xl/media/image1.png": b"\x00" * (3 << 20)})
    edit_book(base, bad / "10-far-cell.xlsx", cells("互评", {"XFD1048576": " "}))
    # 11 formatting down to row 1,048,576 and a blank row between members
    def formatted_to_bottom(wb: Workbook) -> None:
        from openpyxl.styles import PatternFill

        ws = wb["互评"]
        for col in range(1, 33):
            ws.cell(1048576, col).fill = PatternFill("solid", fgColor="FFFF00")
        ws.move_range("A6:AF8", rows=1)
    edit_book(base, bad / "11-formatted-to-bottom.xlsx", formatted_to_bottom)
    # 12 WPS writes <dimension ref="A1"/> whatever the sheet holds
    rezip(base, bad / "12-wps-dimension.xlsx",
          lambda n, d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', d)
          if n.startswith("xl/worksheets/") else d)
    # 13 a hidden old copy of a sheet, placed first
    def hidden_copy(wb: Workbook) -> None:
        old = wb.copy_worksheet(wb["互评"])
        old.title = "互评(去年)"
        for r in range(4, 9):
            old.cell(r, 3).value = 10
        old.sheet_state = "hidden"
        wb.move_sheet(old, offset=-wb.index(old))
    edit_book(base, bad / "13-hidden-old-sheet.xlsx", hidden_copy)
    # 14 sheets reordered and title rows inserted; a sheet renamed
    def reordered(wb: Workbook) -> None:
        wb.move_sheet("支部评定", offset=-4)
        wb["互评"].insert_rows(1, 2)
        wb["互评"]["A1"] = "第一党支部互评汇总（支委会整理）"
    edit_book(base, bad / "14-reordered-titled.xlsx", reordered)
    edit_book(base, bad / "14-renamed-sheet.xlsx", lambda wb: setattr(wb["职工参评"], "title", "职工参评表"))
    # 15 a row hidden (as a filter or 隐藏 leaves it)
    edit_book(base, bad / "15-hidden-row.xlsx",
              lambda wb: setattr(wb["互评"].row_dimensions[5], "hidden", True))
    # 16 two members' 领导点评 merged into one cell
    edit_book(base, bad / "16-merged.xlsx", lambda wb: wb["领导点评"].merge_cells("C5:C6"))
    # 17 a 备注 column inserted and a header with spaces (fine); a duplicate column; a renamed one
    def inserted(wb: Workbook) -> None:
        ws = wb["互评"]
        ws.insert_cols(3)
        ws["C3"] = "备注"
        ws["C4"] = "外出学习两周"
        wb["领导点评"]["C3"] = " 得 分 "
    edit_book(base, bad / "17-inserted-column.xlsx", inserted)
    edit_book(base, bad / "17-duplicate-column.xlsx",
              cells("领导点评", {"D3": "得分", "D4": 60, "D5": 60, "D6": 60, "D7": 60, "D8": 60}))
    edit_book(base, bad / "17-renamed-column.xlsx", cells("职工参评", {"E3": "第3票"}))
    # 18 last year's form, filled again
    fill(blank_last_year[BASE], by_sheet(GOOD[BASE]), bad / "18-last-year.xlsx")
    # 19 a formula nobody calculated (openpyxl writes <f> without <v>)
    edit_book(base, bad / "19-formula.xlsx", cells("领导点评", {"C5": "=80+2"}))
    # 20 an error value
    edit_book(base, bad / "20-error-cell.xlsx", cells("互评", {"D4": "#DIV/0!"}))
    # 21 a value taken from another workbook (external link, cached value 82)
    _external_link(base, bad / "21-external-link.xlsx", tmp)
    # 22 numbers stored as text; 23 full-width digits (same values as the good form)
    edit_book(base, bad / "22-text-numbers.xlsx", cells("互评", {"C4": "95", "D4": "90", "E4": "92"}))
    edit_book(base, bad / "23-full-width.xlsx", cells("职工参评", {"C4": "９０", "D4": "９５．０"}))
    # 24 annotations: 93分 (accepted with a warning); 九十 and 85-90 (problems)
    edit_book(base, bad / "24-unit-suffix.xlsx", cells("领导点评", {"C4": "93分"}))
    edit_book(base, bad / "24-words.xlsx", cells("领导点评", {"C5": "九十", "C6": "85-90"}))
    # 25 invisible characters around names and ids
    edit_book(base, bad / "25-invisible.xlsx", cells("互评", {
        "B4": "张伟\u200b", "B5": "\u3000王芳", "B6": "李\xa0娜 ", "A5": "1002\u200b", "A6": "\ufeff1003"}))
    # 26 a score in a date-formatted cell
    def dated(wb: Workbook) -> None:
        wb["领导点评"]["C5"] = 90
        wb["领导点评"]["C5"].number_format = "yyyy/m/d"
    edit_book(base, bad / "26-date.xlsx", dated)
    # 27 90% typed for 90; 89.5 shown as 90 (fine: the value counts)
    def percent(wb: Workbook) -> None:
        wb["职工参评"]["D4"] = 0.95
        wb["职工参评"]["D4"].number_format = "0%"
    edit_book(base, bad / "27-percent.xlsx", percent)
    def rounded(wb: Workbook) -> None:
        wb["领导点评"]["C6"] = 89.5
        wb["领导点评"]["C6"].number_format = "0"
    edit_book(base, bad / "27-shown-rounded.xlsx", rounded)
    # 28 the 18-digit 编号 retyped as a number: Excel keeps 15 digits
    edit_book(base, bad / "28-long-id-number.xlsx", cells("互评", {"A7": 110101199003071000.0}))
    # 29 'NA' typed in a ballot (pandas would read NaN: a silent blank)
    edit_book(base, bad / "29-na-text.xlsx", cells("互评", {"E4": "NA"}))
    # 30 '/' (not applicable) and a blank where an item score is needed; a 0 is a score
    edit_book(base, bad / "30-slash-blank-zero.xlsx", cells("自评", {"C7": "/", "D8": None, "E6": 0}))
    # 31 out of range: 850 on a 100 scale, 90 on a 5-point item
    edit_book(base, bad / "31-out-of-range.xlsx", cells("互评", {"C5": 850}))
    # 32 a ballot with two scores
    edit_book(base, bad / "32-two-scores.xlsx", cells("互评", {"E4": "85/90"}))
    # 33 a value pasted past the drop-down
    edit_book(base, bad / "33-pasted-choice.xlsx", cells("支部评定", {"C4": "很突出"}))
    # 34 a member's row copied below with another score
    edit_book(base, bad / "34-duplicate-row.xlsx", cells("领导点评", {"A9": "1002", "B9": "王芳", "C9": 60}))
    # 35 someone not on the roster; a name typed in traditional characters
    edit_book(base, bad / "35-not-on-roster.xlsx", cells("领导点评", {"A9": "1099", "B9": "赵新", "C9": 88}))
    edit_book(base, bad / "35-name-typo.xlsx", cells("互评", {"B4": "張偉"}))
    # 36 a member's row deleted
    edit_book(base, bad / "36-row-deleted.xlsx", lambda wb: wb["职工参评"].delete_rows(6))
    # 37 the same file sent twice
    (bad / f"{BASE} (1).xlsx").write_bytes(data)
    # 38 a corrected copy sent after the first
    edit_book(base, bad / "38-corrected.xlsx", cells("领导点评", {"C5": 84}))
    # 39 branch two typed its people into branch one's form; last year's form; another scheme
    def other_branch(wb: Workbook) -> None:
        for name in ("自评", "互评", "领导点评", "职工参评", "支部评定"):
            ws = wb[name]
            first = 6 if name == "自评" else 4
            for r, (eid, who) in enumerate([("2001", "黄强"), ("2002", "周丽")], first):
                ws.cell(r, 1).value, ws.cell(r, 2).value = eid, who
            ws.delete_rows(first + 2, 3)
    edit_book(base, bad / "39-other-branch.xlsx", other_branch)
    shutil.copy(bad / "18-last-year.xlsx", bad / "39-other-period.xlsx")
    edit_book(base, bad / "39-other-scheme.xlsx", cells("_meta", {"B2": "branch-quarterly"}))
    # 40 a zip from Chinese Windows: GBK names without the UTF-8 flag
    gbk = f"{BASE}.xlsx".encode("gbk")  # zipfile itself writes UTF-8 names with the flag: patch the bytes
    placeholder = b"N" * (len(gbk) - 5) + b".xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo(placeholder.decode(), date_time=(2026, 12, 1, 9, 0, 0)), data)
    (bad / "40-gbk-names.zip").write_bytes(buf.getvalue().replace(placeholder, gbk))
    # 41 one sheet saved as CSV on Chinese Windows (GBK)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(
        [["编号", "姓名", "得分"], ["1001", "张伟", "93"], ["1002", "王芳", "82"]])
    (bad / "41-sheet-export.csv").write_bytes(buf.getvalue().encode("gbk"))


def _external_link(base: Path, dst: Path, tmp: Path) -> None:
    """领导点评!C5 becomes ``=[1]Sheet1!$A$1`` (cached 82) pointing at another workbook."""
    part = sheet_part(base, "领导点评")
    ns_r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    link = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{ns_r}"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
            '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>82</v></cell></row></sheetData>'
            '</sheetDataSet></externalBook></externalLink>').encode()
    link_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{ns_r}/externalLinkPath" '
                 'Target="file:///C:/Users/dangban/Desktop/%E5%8E%BB%E5%B9%B4.xlsx" TargetMode="External"/>'
                 '</Relationships>').encode()

    def edit(name: str, d: bytes) -> bytes:
        if name == part:
            return re.sub(rb'(<c r="C5"[^>]*>)(<v>)', rb"\1<f>[1]Sheet1!$A$1</f>\2", d)
        if name == "xl/workbook.xml":
            return d.replace(b"</sheets>", b'</sheets><externalReferences><externalReference xmlns:r="'
                                           + ns_r.encode() + b'" r:id="rIdX1"/></externalReferences>')
        if name == "xl/_rels/workbook.xml.rels":
            return d.replace(b"</Relationships>", f'<Relationship Id="rIdX1" Type="{ns_r}/externalLink" '
                                                  'Target="externalLinks/externalLink1.xml"/></Relationships>'.encode())
        if name == "[Content_Types].xml":
            return d.replace(b"</Types>", b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType='
                                          b'"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink'
                                          b'+xml"/></Types>')
        return d
    rezip(base, dst, edit, extra={"xl/externalLinks/externalLink1.xml": link,
                                  "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})


def _libreoffice(base: Path, bad: Path, soffice: str, tmp: Path) -> None:
    """5: the good form saved by LibreOffice as .xls (compatibility mode); 7b: an OLE2 file
    with no workbook stream under .et (WPS's own binary format is not readable)."""
    src = tmp / "05-legacy.xlsx"
    shutil.copy(base, src)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp), str(src)], check=False, capture_output=True, timeout=120)
    xls = tmp / "05-legacy.xls"
    if not xls.exists():
        return
    shutil.copy(xls, bad / "05-legacy.xls")
    raw = xls.read_bytes()
    stream = "Workbook".encode("utf-16-le")
    assert stream in raw
    (bad / "07-wps-binary.et").write_bytes(raw.replace(stream, "WpsSheet".encode("utf-16-le"), 1))


def main() -> None:
    root = HERE / "fixtures"
    files = build(root, shutil.which("soffice"))
    for name in files:
        print(f"tests/fixtures/{name}")


if __name__ == "__main__":
    main()
