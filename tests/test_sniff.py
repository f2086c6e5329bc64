"""Tests for pingxing.sniff: every fixture is a real file built here, in tmp_path."""
from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from make_bad_fixtures import rezip
from python_calamine import CalamineError, CalamineWorkbook

from pingxing.intake.sheet_scan import CellFlag, sheet_facts
from pingxing.intake.sniff import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, scan_sheet_flags, sniff


# ------------------------------------------------------------------ builders
def opx_book(path: Path, rows: int = 9) -> Path:
    """openpyxl workbook '评分': names/scores, two uncached formulas, a hidden row, a merge."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分"
    for r in range(1, rows + 1):
        ws.append([f"党员{r}", r, r * 2])
    ws["D1"] = "=SUM(B1:C1)"
    ws["D2"] = "=B2*2"
    ws.row_dimensions[5].hidden = True
    ws.column_dimensions["F"].hidden = True
    ws.merge_cells("E3:F3")
    wb.save(path)
    return path


def error_book(path: Path) -> Path:
    """XlsxWriter workbook with cached error results, a cached formula and a cached ''."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write(0, 0, "得分")
    ws.write_formula(1, 0, "=1/0", None, "#DIV/0!")
    ws.write_formula(2, 0, "=NA()", None, "#N/A")
    ws.write_formula(3, 0, "=1+1", None, 2)
    ws.write_formula(4, 0, '=IF(1,"","x")', None, "")
    wb.close()
    return path


def replace_sheet_data(src: Path, dst: Path, sheet_data: str, member="xl/worksheets/sheet1.xml") -> Path:
    def edit(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        head, rest = data.split(b"<sheetData", 1)
        tail = rest.split(b"</sheetData>", 1)[1] if b"</sheetData>" in rest else rest.split(b"/>", 1)[1]
        return head + sheet_data.encode() + tail
    return rezip(src, dst, edit)


@pytest.fixture(scope="session")
def lo_files(tmp_path_factory) -> dict[str, Path]:
    """xls and ods made by LibreOffice from error_book(); skipped without soffice+Calc."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) not installed")
    d = tmp_path_factory.mktemp("lo")
    src = error_book(d / "src.xlsx")
    out = {}
    for fmt in ("xls", "ods"):
        subprocess.run([soffice, f"-env:UserInstallation=file://{d}/profile", "--headless",
                        "--convert-to", fmt, "--outdir", str(d), str(src)],
                       check=False, capture_output=True, timeout=60)
        if not (d / f"src.{fmt}").exists():
            pytest.skip("soffice could not convert spreadsheets (package libreoffice-calc missing?)")
        out[fmt] = d / f"src.{fmt}"
    return out


def kind_code(p: Path) -> tuple[str, str | None]:
    s = sniff(p)
    return s.kind, s.code


# ------------------------------------------------------------------ sniff: recognition
def test_xlsx_recognised_whatever_the_name(tmp_path):
    src = opx_book(tmp_path / "form.xlsx")
    assert sniff(src).kind == "xlsx"
    for name in ("form.et", "form.xls", "form", "form.xlsm"):
        p = tmp_path / name
        shutil.copy(src, p)
        assert kind_code(p) == ("xlsx", None), name
    xlsm = rezip(src, tmp_path / "macro.xlsm", lambda n, d: d.replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
        if n == "[Content_Types].xml" else d)
    assert b"macroEnabled" in zipfile.ZipFile(xlsm).read("[Content_Types].xml")
    assert kind_code(xlsm) == ("xlsx", None)
    # guard for the reader: calamine.from_path chooses by extension, from_filelike by content
    with pytest.raises(CalamineError, match="Invalid OLE"):
        CalamineWorkbook.from_path(str(tmp_path / "form.xls"))
    with open(tmp_path / "form.xls", "rb") as fh:
        assert CalamineWorkbook.from_filelike(fh).sheet_names == ["评分"]


def test_empty_file(tmp_path):
    p = tmp_path / "支部.xlsx"
    p.write_bytes(b"")
    s = sniff(p)
    assert (s.kind, s.code) == ("problem", "empty-file") and "重新发送" in s.message


def test_truncated_zip_is_damaged(tmp_path):
    src = opx_book(tmp_path / "full.xlsx").read_bytes()
    p = tmp_path / "cut.xlsx"
    p.write_bytes(src[: len(src) // 2])
    assert kind_code(p) == ("problem", "damaged-file")


def test_lock_hidden_and_system_files_are_skipped(tmp_path):
    cases = {"~$支部.xlsx": "lock-file", ".~lock.支部.xlsx#": "lock-file",
             ".DS_Store": "hidden-file", "._支部.xlsx": "hidden-file",
             "Thumbs.db": "system-file", "desktop.ini": "system-file"}
    for name, code in cases.items():
        p = tmp_path / name
        p.write_bytes(b"\x0cZhang San   " + b"\x00" * 40)
        assert kind_code(p) == ("skip", code), name
    # a lock file is skipped even when it holds a real workbook
    lock = tmp_path / "~$real.xlsx"
    opx_book(lock)
    assert kind_code(lock) == ("skip", "lock-file")


def test_plain_non_spreadsheets_skipped_by_content(tmp_path):
    for name, data in {"readme.txt": "说明".encode(), "scan.pdf": b"%PDF-1.4\n%\xe2\xe3",
                       "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF"}.items():
        p = tmp_path / name
        p.write_bytes(data)
        s = sniff(p)
        assert (s.kind, s.code) == ("skip", "not-a-spreadsheet") and s.message, name
    # the same bytes under a spreadsheet name are a problem, never silently skipped
    p = tmp_path / "支部.xlsx"
    p.write_bytes(b"%PDF-1.4\n")
    assert kind_code(p) == ("problem", "damaged-file")
    p = tmp_path / "支部.csv"
    p.write_bytes("姓名,得分\n张三,90\n".encode("gbk"))
    assert kind_code(p) == ("problem", "unsupported-format")


def test_html_saved_as_xls(tmp_path):
    for i, head in enumerate([b"<html><body><table><tr><td>90</td></tr></table></body></html>",
                              b"\xef\xbb\xbf\r\n  <!DOCTYPE html><html></html>",
                              b"<table border=1><tr><td>1</td></tr></table>",
                              b'<html xmlns:o="urn:schemas-microsoft-com:office:office">',
                              b"MIME-Version: 1.0\r\nContent-Type: multipart/related"]):
        p = tmp_path / f"web{i}.xls"
        p.write_bytes(head)
        s = sniff(p)
        assert (s.kind, s.code) == ("problem", "html-not-excel"), head
        assert s.message == "这是网页导出的文件，不是真正的 Excel 文件，请在 Excel 中另存为 .xlsx"
    p = tmp_path / "xml2003.xls"
    p.write_bytes(b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                  b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>')
    assert kind_code(p) == ("problem", "unsupported-format")


@pytest.mark.filterwarnings("ignore:File contains an invalid specification")
def test_strict_open_xml(tmp_path):
    # LibreOffice 7.4 cannot write Strict, so namespaces of a normal xlsx are rewritten
    # the way Excel's "Strict Open XML Spreadsheet" writes them.
    ns = {b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
          b"http://purl.oclc.org/ooxml/officeDocument/relationships",
          b"http://schemas.openxmlformats.org/spreadsheetml/2006/main":
          b"http://purl.oclc.org/ooxml/spreadsheetml/main"}

    def edit(_name: str, data: bytes) -> bytes:
        for old, new in ns.items():
            data = data.replace(old, new)
        return data
    p = rezip(error_book(tmp_path / "t.xlsx"), tmp_path / "strict.xlsx", edit)
    s = sniff(p)
    assert (s.kind, s.code) == ("problem", "strict-ooxml")
    assert s.message == "该文件为 Strict Open XML 格式，请在 Excel 中另存为普通的 Excel 工作簿(.xlsx)"
    assert openpyxl.load_workbook(p).sheetnames == []  # why it is a problem


def test_docx_and_zip_archives(tmp_path):
    p = tmp_path / "报告.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<Relationships><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", "<document/>")
    assert kind_code(p) == ("problem", "not-a-spreadsheet")
    xlsb = tmp_path / "binary.xlsb"
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("[Content_Types].xml", "<Types><Override PartName=\"/xl/workbook.bin\" "
                   "ContentType=\"application/vnd.ms-excel.sheet.binary.macroEnabled.main\"/></Types>")
        z.writestr("_rels/.rels", '<Relationships><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="xl/workbook.bin"/></Relationships>')
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert kind_code(xlsb) == ("problem", "unsupported-format")
    arc = tmp_path / "三支部.zip"
    with zipfile.ZipFile(arc, "w") as z:
        z.write(opx_book(tmp_path / "a.xlsx"), "a.xlsx")
    assert kind_code(arc) == ("problem", "zip-archive")


# ------------------------------------------------------------------ sniff: size limits
def test_zip_bomb_member_ratio(tmp_path):
    # 8 MiB of zeros deflates to ~8 KB: ratio ~1000 on a member > 1 MiB
    p = rezip(opx_book(tmp_path / "a.xlsx"), tmp_path / "bomb.xlsx",
              extra={"xl/media/image1.png": b"\0" * (8 * 1024 * 1024)})
    assert kind_code(p) == ("problem", "zip-bomb")


def test_declared_uncompressed_total_too_large(tmp_path):
    # craft the central directory: one stored member declares 510 MiB (ratio 1)
    p = rezip(opx_book(tmp_path / "a.xlsx"), tmp_path / "big.xlsx",
              extra={"xl/media/zz.bin": b"x" * 64})
    data = bytearray(p.read_bytes())
    cd = data.rindex(b"PK\x01\x02")  # last central directory header = the extra member
    assert data[cd + 46: cd + 46 + 15] == b"xl/media/zz.bin"
    struct.pack_into("<II", data, cd + 20, MAX_UNCOMPRESSED_BYTES + 10, MAX_UNCOMPRESSED_BYTES + 10)
    p.write_bytes(bytes(data))
    assert kind_code(p) == ("problem", "too-large")


def test_file_too_large(tmp_path):
    p = opx_book(tmp_path / "huge.xlsx")
    with open(p, "r+b") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: fast
    assert kind_code(p) == ("problem", "too-large")


# ------------------------------------------------------------------ sniff: OLE2
def test_encrypted_ooxml(tmp_path):
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool needed only to build the fixture")
    from msoffcrypto.format.ooxml import OOXMLFile
    src = opx_book(tmp_path / "plain.xlsx")
    p = tmp_path / "加密.xlsx"
    with open(src, "rb") as fin, open(p, "wb") as fout:
        OOXMLFile(fin).encrypt("123456", fout)
    s = sniff(p)
    assert (s.kind, s.code, s.message) == ("problem", "encrypted", "文件设有打开密码，请取消密码后重新发送")
    from python_calamine import PasswordError
    with pytest.raises(PasswordError):
        CalamineWorkbook.from_path(str(p))


def test_legacy_xls_and_its_findings(tmp_path, lo_files):
    xls = lo_files["xls"]
    assert kind_code(xls) == ("xls", None)
    renamed = tmp_path / "compat.xlsx"
    shutil.copy(xls, renamed)
    assert kind_code(renamed) == ("xls", None)
    assert scan_sheet_flags(xls, "S") == []  # BIFF not scanned (documented gap)
    # calamine shows the error cells of a LibreOffice xls as '' too
    with open(renamed, "rb") as fh:
        rows = CalamineWorkbook.from_filelike(fh).get_sheet_by_name("S").to_python()
    assert [r[0] for r in rows] == ["得分", "", "", 2.0, ""]


def test_xls_with_filepass_is_encrypted(tmp_path, lo_files):
    import olefile
    p = tmp_path / "pw.xls"
    shutil.copy(lo_files["xls"], p)
    with olefile.OleFileIO(str(p), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        assert struct.unpack_from("<H", data, 0)[0] == 0x0809  # BOF
        struct.pack_into("<H", data, 4 + struct.unpack_from("<H", data, 2)[0], 0x002F)
        ole.write_stream("Workbook", bytes(data))  # the record after BOF becomes FILEPASS
    assert kind_code(p) == ("problem", "encrypted")


def test_ole2_without_workbook(tmp_path, lo_files):
    import olefile
    p = tmp_path / "wps.et"
    shutil.copy(lo_files["xls"], p)
    raw = bytearray(p.read_bytes())
    i = raw.index("Workbook".encode("utf-16-le"))
    raw[i: i + 16] = "Wpsbook!".encode("utf-16-le")  # rename the stream in the directory
    p.write_bytes(bytes(raw))
    assert olefile.isOleFile(str(p))
    s = sniff(p)
    assert (s.kind, s.code) == ("problem", "unsupported-format") and "另存为" in s.message
    cut = tmp_path / "cut.xls"
    cut.write_bytes(lo_files["xls"].read_bytes()[:1000])
    assert kind_code(cut) == ("problem", "damaged-file")


# ------------------------------------------------------------------ ods
def test_ods_recognised_and_error_cells_found(tmp_path, lo_files):
    ods = lo_files["ods"]
    assert kind_code(ods) == ("ods", None)
    renamed = tmp_path / "x.xlsx"
    shutil.copy(ods, renamed)
    assert kind_code(renamed) == ("ods", None)
    assert scan_sheet_flags(ods, "S") == [CellFlag("A2", "error-cell", "#DIV/0!"),
                                          CellFlag("A3", "error-cell", "#N/A")]
    rows = CalamineWorkbook.from_path(str(ods)).get_sheet_by_name("S").to_python()
    assert rows[1][0] == "" and rows[2][0] == ""  # calamine: errors look blank
    # LibreOffice writes a formula whose result is "" without any value type: not flagged
    assert b'table:formula="of:=IF(1;&quot;&quot;;&quot;x&quot;)">' in \
        zipfile.ZipFile(ods).read("content.xml")
    with pytest.raises(KeyError):
        scan_sheet_flags(ods, "不存在")
    enc = rezip(ods, tmp_path / "enc.ods", lambda n, d: d.replace(
        b"</manifest:manifest>", b'<manifest:file-entry manifest:full-path="content.xml">'
        b"<manifest:encryption-data/></manifest:file-entry></manifest:manifest>")
        if n == "META-INF/manifest.xml" else d)
    assert kind_code(enc) == ("problem", "encrypted")


# ------------------------------------------------------------------ scan_sheet_flags
def test_uncached_formulas_from_openpyxl(tmp_path):
    p = opx_book(tmp_path / "f.xlsx")
    assert scan_sheet_flags(p, "评分") == [
        CellFlag("D1", "formula-not-calculated", "=SUM(B1:C1)"),
        CellFlag("D2", "formula-not-calculated", "=B2*2")]
    # finding: calamine drops the whole uncached column (the row is 3 wide, not 4)
    rows = CalamineWorkbook.from_path(str(p)).get_sheet_by_name("评分").to_python()
    assert rows[0] == ["党员1", 1.0, 2.0]


def test_error_cells_from_xlsxwriter(tmp_path):
    p = error_book(tmp_path / "e.xlsx")
    # XlsxWriter stores a cached "" as <v></v> without t="str" (Excel and LibreOffice add
    # t="str"): indistinguishable from an uncached formula, so it is flagged.
    assert scan_sheet_flags(p, "S") == [CellFlag("A2", "error-cell", "#DIV/0!"),
                                        CellFlag("A3", "error-cell", "#N/A"),
                                        CellFlag("A5", "formula-not-calculated", '=IF(1,"","x")')]
    rows = CalamineWorkbook.from_path(str(p)).get_sheet_by_name("S").to_python()
    assert [r[0] for r in rows] == ["得分", "", "", 2.0]  # errors look blank


def test_shared_formulas_prefixes_and_missing_refs(tmp_path):
    src = opx_book(tmp_path / "f.xlsx")
    data = ('<sheetData><row r="1"><c r="A1"><v>1</v></c>'
            '<c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f><v>2</v></c></row>'
            '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/></c></row>'
            '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/><v/></c></row>'
            '<row><c><v>4</v></c><c><f>A4&amp;"分"</f></c><c t="str"><f>""</f><v></v></c></row>'
            '</sheetData>')
    p = replace_sheet_data(src, tmp_path / "shared.xlsx", data)
    assert scan_sheet_flags(p, "评分") == [
        CellFlag("B2", "formula-not-calculated", "=A1*2"),
        CellFlag("B3", "formula-not-calculated", "=A1*2"),
        CellFlag("B4", "formula-not-calculated", '=A4&"分"')]
    # a prefixed-namespace writer (x:worksheet) is read the same way
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

    def prefix(name: str, d: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return d
        d = d.replace(ns, ns.replace(b"xmlns=", b"xmlns:x="))
        return d.replace(b"</", b"</x:").replace(b"<", b"<x:").replace(b"<x:/x:", b"</x:") \
                .replace(b"<x:?xml", b"<?xml")
    px = rezip(p, tmp_path / "prefixed.xlsx", prefix)
    assert b"<x:c " in zipfile.ZipFile(px).read("xl/worksheets/sheet1.xml")
    assert [f.cell for f in scan_sheet_flags(px, "评分")] == ["B2", "B3", "B4"]


def test_sheet_found_through_relationships_not_file_order(tmp_path):
    p = tmp_path / "two.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("第一").write(0, 0, 1)
    wb.add_worksheet("第二").write_formula(0, 0, "=1/0", None, "#DIV/0!")
    wb.close()
    swapped = rezip(p, tmp_path / "swapped.xlsx", lambda n, d: d.replace(
        b"sheet1.xml", b"@").replace(b"sheet2.xml", b"sheet1.xml").replace(b"@", b"sheet2.xml")
        if n == "xl/_rels/workbook.xml.rels" else d)
    assert scan_sheet_flags(p, "第二") == [CellFlag("A1", "error-cell", "#DIV/0!")]
    assert scan_sheet_flags(swapped, "第一") == [CellFlag("A1", "error-cell", "#DIV/0!")]
    assert scan_sheet_flags(swapped, "第二") == []
    with pytest.raises(KeyError):
        scan_sheet_flags(p, "第三")


def test_big_sheet_is_streamed(tmp_path):
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c><c r="B{r}"><v>{r}.5</v></c>'
                   f'<c r="C{r}" s="1"/></row>' for r in range(1, 60001))
    rows = rows.replace('<c r="B50000"><v>50000.5</v></c>', '<c r="B50000"><f>A1/0</f></c>')
    p = replace_sheet_data(opx_book(tmp_path / "f.xlsx"), tmp_path / "big.xlsx",
                           f"<sheetData>{rows}<row><c/><c t=\"e\"><v>#REF!</v></c></row></sheetData>")
    assert zipfile.ZipFile(p).getinfo("xl/worksheets/sheet1.xml").file_size > 4 * 1024 * 1024
    assert scan_sheet_flags(p, "评分") == [CellFlag("B50000", "formula-not-calculated", "=A1/0"),
                                         CellFlag("B60001", "error-cell", "#REF!")]


def test_scan_reads_the_sheet_xml_not_a_workbook(tmp_path, monkeypatch):
    """The error-cell scan must not make every file pay an openpyxl parse (issue 6): it reads
    the sheet's XML. (How fast it is, bench/ measures; a test does not time it.)"""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 31):
        ws.append([r] + [f"=A{r}+{c}" for c in range(2, 41)])  # 1170 uncached formulas
    wb.save(tmp_path / "f.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 31):
        ws.append([r * c for c in range(1, 41)])
    wb.save(tmp_path / "v.xlsx")

    def no_openpyxl(*a, **k):
        raise AssertionError("the scan opened the workbook with openpyxl")

    monkeypatch.setattr(openpyxl, "load_workbook", no_openpyxl)
    monkeypatch.setattr(openpyxl.reader.excel, "load_workbook", no_openpyxl)
    assert len(scan_sheet_flags(tmp_path / "f.xlsx", "S")) == 1170
    assert scan_sheet_flags(tmp_path / "v.xlsx", "S") == []


# ------------------------------------------------------------------ sheet_facts
def test_sheet_facts(tmp_path):
    src = opx_book(tmp_path / "f.xlsx")
    facts = sheet_facts(src, "评分")
    assert facts.hidden_rows == (5,) and facts.hidden_columns == ("F:F",)
    assert facts.merged_ranges == ("E3:F3",) and facts.dimension == "A1:F9"
    assert not facts.has_external_links and facts.state == "visible"
    linked = rezip(src, tmp_path / "linked.xlsx",
                   extra={"xl/externalLinks/externalLink1.xml": "<externalLink/>"})
    assert sheet_facts(linked, "评分").has_external_links
    wb = openpyxl.load_workbook(src)
    wb.create_sheet("旧表").sheet_state = "hidden"
    wb.save(tmp_path / "hidden.xlsx")
    assert sheet_facts(tmp_path / "hidden.xlsx", "旧表").state == "hidden"


def test_wrong_wps_dimension_calamine_reads_all_rows(tmp_path):
    src = opx_book(tmp_path / "f.xlsx")
    p = rezip(src, tmp_path / "wps.xlsx", lambda n, d: d.replace(b'<dimension ref="A1:F9"/>',
              b'<dimension ref="A1"/>') if n == "xl/worksheets/sheet1.xml" else d)
    assert sheet_facts(p, "评分").dimension == "A1"
    rows = CalamineWorkbook.from_path(str(p)).get_sheet_by_name("评分").to_python(skip_empty_area=False)
    assert len(rows) == 9 and rows[-1][:3] == ["党员9", 9.0, 18.0]
    ro = openpyxl.load_workbook(p, read_only=True)["评分"]
    assert len(list(ro.iter_rows(values_only=True))) == 1  # why the reader must not use it
