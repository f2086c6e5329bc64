"""Rosters as clerks keep them (issue 13, class 7): read correctly, or a clear message at the row —
never a branch merged into another.

Read: Excel's “Unicode 文本” export (UTF-16, tab-separated), the header names clerks use (党支部,
党员编号, 单位名称; 序号 is left alone), control characters in names. Refused with the row named: a
支部编号 shared by two branches, an 18-digit 编号 typed as a number (in a workbook, or saved to CSV as
``1.10101E+17``), a roster without 编号 (what to add is offered). Generated branch ids of
``A/B``+``C`` and ``A``+``B/C`` differ.
"""

from __future__ import annotations

from pathlib import Path

from clerk import ids_of
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from pingxing.record.roster import branch_id
from process import cli


def _forms(tmp_path: Path, roster: Path, scheme: str = "member-weighted", period: str = "2026Q4") -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["forms", "--scheme", scheme, "--roster", str(roster), "--period", period,
                                      "--output", str(tmp_path / "forms")])
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result.exit_code, result.output.replace(str(tmp_path) + "/", "")


def _csv(tmp_path: Path, text: str, name: str = "名册.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_unicode_text_export_with_the_usual_header_names_is_read(tmp_path: Path) -> None:
    text = ("序号\t单位名称\t党支部\t党员编号\t姓名\n"
            "1\t质检中心\t第一党支部\t1001\t张\x07伟\n"  # a control character pasted in
            "2\t质检中心\t第一党支部\t1002\t王芳\n"
            "3\t质检中心\t第二党支部\t2001\t李娜\n")
    roster = tmp_path / "名册.txt"
    roster.write_bytes(text.encode("utf-16"))  # 另存为 → Unicode 文本(*.txt)
    code, output = _forms(tmp_path, roster)
    assert code == 0, output
    forms = sorted((tmp_path / "forms").glob("*.xlsx"))
    assert [p.name for p in forms] == ["质检中心-第一党支部-member-weighted-2026Q4.xlsx",
                                       "质检中心-第二党支部-member-weighted-2026Q4.xlsx"]
    assert ids_of(forms[0]) == [("1001", "张伟"), ("1002", "王芳")]
    assert ids_of(forms[1]) == [("2001", "李娜")]


def test_a_shared_branch_id_is_refused_at_its_row(tmp_path: Path) -> None:
    roster = _csv(tmp_path, "单位,支部,支部编号,编号,姓名\n"
                            "发改委,第一党支部,FG01,1,甲\n"
                            "发改委,第二党支部,FG01,2,乙\n"  # copied down: two branches, one id
                            "发改委,第一党支部,FG03,3,丙\n")  # one branch, two ids
    code, output = _forms(tmp_path, roster, "branch-bands", "2025-2026")
    assert code == 2
    assert output.splitlines() == [
        "错误：名册.csv: 第 3 行“发改委 第二党支部”的支部编号“FG01”已用于第 2 行的“发改委 第一党支部”，"
        "两个支部不能共用一个支部编号（否则会被当作同一个支部）；请改为各自的编号",
        "错误：名册.csv: 第 4 行“发改委 第一党支部”的支部编号“FG03”与第 2 行的“FG01”不同，同一支部只能有一个支部编号；请改为一致",
    ]
    assert not (tmp_path / "forms").exists()


def test_an_18_digit_id_typed_as_a_number_is_refused_at_its_row(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["单位", "支部", "编号", "姓名"])
    ws.append(["质检中心", "第一党支部", "110101199001011234", "张伟"])  # typed as text: fine
    ws.append(["质检中心", "第一党支部", 110101199001011235, "王芳"])  # typed as a number: digits lost
    wb.save(tmp_path / "名册.xlsx")
    code, output = _forms(tmp_path, tmp_path / "名册.xlsx")
    assert code == 2
    assert output.splitlines() == ["错误：名册.xlsx: 第 3 行编号（显示为 1.10101E+17）被存成了数字，超过 15 位的数字 Excel 会改掉末尾几位；"
                                   "请把该列设为“文本”格式后重新输入完整编号"]
    roster = _csv(tmp_path, "单位,支部,编号,姓名\n质检中心,第一党支部,1.10101E+17,张伟\n质检中心,第一党支部,1.10101E+17,王芳\n")
    code, output = _forms(tmp_path, roster)
    assert code == 2
    assert output.splitlines() == [
        f"错误：名册.csv: 第 {r} 行编号（显示为 1.10101E+17）被存成了数字，超过 15 位的数字 Excel 会改掉末尾几位；"
        "请把该列设为“文本”格式后重新输入完整编号" for r in (2, 3)]


def test_a_roster_without_ids_says_what_to_add(tmp_path: Path) -> None:
    roster = _csv(tmp_path, "序号,单位,支部,姓名\n1,质检中心,第一党支部,张伟\n2,质检中心,第一党支部,王芳\n")
    code, output = _forms(tmp_path, roster)
    assert code == 2
    assert output.splitlines() == [
        "错误：名册.csv: 第 1 行表头没有“编号”列（现有：序号、单位、支部、姓名）；“序号”只是行号，每次排序都会变，不能当作编号。"
        "编号用来核对收回的表格和历年记录，每人一个、以后各期沿用不变；请加一列“编号”，填党员编号、工号等，"
        "没有的可按顺序编号（如 张伟 → 0001，王芳 → 0002 ……），保存后重新运行"]


def test_generated_branch_ids_never_merge_two_branches(tmp_path: Path) -> None:
    assert branch_id("发改委", "第一党支部") == "B" + __import__("hashlib").sha256(
        "发改委/第一党支部".encode()).hexdigest()[:8].upper()  # unchanged for names without "/"
    roster = _csv(tmp_path, "单位,支部,编号,姓名\n局/委,一支部,1,甲\n局,委/一支部,2,乙\n局,二支部,3,丙\n")
    code, output = _forms(tmp_path, roster, "branch-bands", "2025-2026")
    assert code == 0, output
    ids = [i for p in sorted((tmp_path / "forms").glob("*.xlsx")) for i, _ in ids_of(p)]
    assert len(set(ids)) == 3  # (each unit gets a workbook per part of the scheme)
    book = load_workbook(next((tmp_path / "forms").glob("局-各支部-*.xlsx")), read_only=True)
    assert [r[1] for r in book["_roster"].iter_rows(min_row=2, values_only=True)] == ["委/一支部", "二支部"]


def test_a_roster_csv_that_cannot_be_read_is_one_line_naming_it(tmp_path: Path) -> None:
    """A “Unicode 文本” cut off inside a character, and a CSV with a cell beyond what the csv module
    reads: each one line naming the file and what to do (both were an internal error)."""
    cut = tmp_path / "名册.txt"
    cut.write_bytes("单位\t支部\t编号\t姓名\n质检中心\t第一党支部\t1001\t张伟\n".encode("utf-16")[:-1])
    huge = _csv(tmp_path, "单位,支部,编号,姓名\n质检中心,第一党支部,1001,\"" + "张" * 140000 + "\"\n")
    for roster, words in ((cut, "文件不完整或编码有误"), (huge, "无法按表格读取")):
        code, output = _forms(tmp_path, roster)
        assert code == 2 and len(output.strip().splitlines()) == 1, output
        assert output.startswith(f"错误：{roster.name}: ") and words in output
