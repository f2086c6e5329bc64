"""Every way a returned workbook goes wrong (``shared/BAD_FORMS.md``), one fixture each.

The corpus is built by ``tests/make_bad_fixtures.py`` from real forms (the ``forms``
command, filled by ``clerk.fill``) and broken the way each row says. Each case runs the
real ``run`` command on a folder holding the fixture beside good forms and checks the
exact problems (file, code, sheet, cell, message) — all of them, nothing more — the exit
code, what the manifest says became of the file, and for forms that must be accepted,
that the results are exactly those of the good form.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from clerk import read_csv, results_by_id
from click.testing import CliRunner
from make_bad_fixtures import BASE, LONG_ID, ROSTER, SCHEME
from openpyxl import load_workbook

from process import cli

ME = "*"  # the fixture's own file name in an expected problem
GOOD_TWO = ("第二党支部",)
BOTH = ("第一党支部", "第二党支部")
_SAVE_AS = "请在 Excel 或 WPS 中另存为 Excel 工作簿(.xlsx)后重新发送"


@dataclass(frozen=True)
class Case:
    row: str  # BAD_FORMS.md row
    fixture: str  # file in bad/
    problems: tuple[tuple[str, str, str, str, str], ...]  # (file, code, sheet, cell, message)
    exit: int = 3
    status: str = "rejected"  # what manifest.json says became of the fixture
    beside: tuple[str, ...] = GOOD_TWO  # good forms in the same folder
    args: tuple[str, ...] = ()
    same: bool = False  # rated exactly as the good form of branch one
    soffice: bool = False  # the fixture is made by LibreOffice


def P(code: str, sheet: str, cell: str, message: str, file: str = ME) -> tuple[str, str, str, str, str]:
    return (file, code, sheet, cell, message)


CASES = [
    Case("1", "01-empty.xlsx", (P("empty-file", "", "", "文件是空的(0 字节)，可能下载或复制失败，请重新发送"),)),
    Case("2", "02-truncated.xlsx", (P("damaged-file", "", "", "文件已损坏或不是 Excel 表格，无法打开，请重新发送"),)),
    Case("2", "02-bad-xml.xlsx", (P("damaged-file", "", "", "文件内容无法读取，请在 Excel 中打开后另存为 .xlsx 再发送；另存后仍出现此提示的，请把文件交维护人员"),)),
    Case("3", "~$03-lock.xlsx", (), exit=0, status="skipped"),
    Case("4", "04-password.xlsx", (P("encrypted", "", "", "文件设有打开密码，请取消密码后重新发送"),)),
    Case("5", "05-legacy.xls", (), exit=0, status="read", same=True, soffice=True),
    Case("6", "06-xlsx-named.xls", (), exit=0, status="read", same=True),
    Case("6", "06-web-export.xls", (P("html-not-excel", "", "", "这是网页导出的文件，不是真正的 Excel 文件，请在 Excel 中另存为 .xlsx"),)),
    Case("7", "07-wps.et", (), exit=0, status="read", same=True),
    Case("7", "07-wps-binary.et", (P("unsupported-format", "", "", "文件格式无法读取(如 WPS 专用格式、.xlsb、XML 表格或 CSV)，"
                                     + _SAVE_AS),), soffice=True),
    Case("8", "08-macro.xlsm", (), exit=0, status="read", same=True),
    Case("9", "09-strict.xlsx", (P("strict-ooxml", "", "", "该文件为 Strict Open XML 格式，请在 Excel 中另存为普通的 Excel 工作簿(.xlsx)"),)),
    Case("10", "10-zip-bomb.xlsx", (P("zip-bomb", "", "", "文件内部数据异常(压缩比过高)，无法安全打开，请在 Excel 中另存为新的 .xlsx 后重新发送"),)),
    Case("10", "10-far-cell.xlsx", (P("sheet-too-large", "互评", "XFD1048576",
                                      "工作表“互评”中有内容的区域过大（远到 XFD1048576 单元格，可能是误填了很远处的格子），无法安全读取；"
                                      "请删除多余的内容（选中多余的行列后“删除”）后重新发送"),)),
    Case("11", "11-formatted-to-bottom.xlsx", (), exit=0, status="read", same=True),
    Case("12", "12-wps-dimension.xlsx", (), exit=0, status="read", same=True),
    Case("13", "13-hidden-old-sheet.xlsx", (), exit=0, status="read", same=True),
    Case("14", "14-reordered-titled.xlsx", (), exit=0, status="read", same=True),
    Case("14", "14-renamed-sheet.xlsx", (P("missing-sheet", "职工参评", "",
                                           "质检中心第一党支部没有交来“职工参评”表（14-renamed-sheet.xlsx 中都没有；表中的工作表为："
                                           "说明、自评、互评、领导点评、职工参评表、支部评定），该支部人员暂不评定；请催交或检查工作表名称"),),
         status="read"),
    Case("15", "15-hidden-row.xlsx", (P("hidden-row", "互评", "A5", "第 5 行被隐藏（或被筛选隐藏），已照常计入；请取消隐藏或筛选，核对这一行"),),
         exit=0, status="read", same=True),
    Case("16", "16-merged.xlsx", (P("merged-cell", "领导点评", "C5:C6",
                                    "单元格 C5:C6 被合并了：合并后只有左上角的格子有值，其余格子会被当作空白；请取消合并，逐格填写"),),
         status="read"),
    Case("17", "17-inserted-column.xlsx", (), exit=0, status="read", same=True),
    Case("17", "17-duplicate-column.xlsx", (P("duplicate-column", "领导点评", "D3", "表头“得分”出现了两次（C列和D列），请删除多余的一列"),),
         status="read"),
    Case("17", "17-renamed-column.xlsx", (P("missing-column", "职工参评", "A3", "缺少列“票3”，请使用下发的标准表格，不要删除或改名列"),),
         status="read"),
    Case("18", "18-last-year.xlsx", (P("wrong-period", "_meta", "",
                                       "表格属于“2025Q4”期，而收到的同一方案的表格最新为 2026Q4 期；可能是误用了往年的表格，未计入。"
                                       "请用本期表格重新填写；如确要评定 2025Q4 期，请运行时加上 --period 2025Q4"),),
         beside=BOTH, same=True),
    Case("19", "19-formula.xlsx", (P("formula-not-calculated", "领导点评", "C5", "公式未计算，请在Excel中打开并保存"),), status="read"),
    Case("20", "20-error-cell.xlsx", (P("error-cell", "互评", "D4", "单元格是错误值 #DIV/0!，请改为正确的数值"),), status="read"),
    Case("21", "21-external-link.xlsx", (P("external-link", "领导点评", "C5", "单元格的公式引用了另一个工作簿（外部链接），读到的是"
                                           "上次保存时的值，可能已过期；请核对后改为直接填写数值"),),
         exit=0, status="read", same=True),
    Case("22", "22-text-numbers.xlsx", (), exit=0, status="read", same=True),
    Case("23", "23-full-width.xlsx", (), exit=0, status="read", same=True),
    Case("24", "24-unit-suffix.xlsx", (P("unit-suffix", "领导点评", "C4", "“93分”带有“分”字，已按 93 读取，请确认"),),
         exit=0, status="read", same=True),
    Case("24", "24-words.xlsx", (P("not-a-number", "领导点评", "C5", "“九十”不是数字，请改为 0–100 之间的数字"),
                                 P("not-a-number", "领导点评", "C6", "“85-90”不是数字，请改为 0–100 之间的数字")), status="read"),
    Case("25", "25-invisible.xlsx", (), exit=0, status="read", same=True),
    Case("26", "26-date.xlsx", (P("date-not-number", "领导点评", "C5", "单元格显示为日期“1900-03-30”（填的数字 90 被设成了日期格式），"
                                  "请把单元格格式改为“常规”并重新填写分数"),), status="read"),
    Case("27", "27-percent.xlsx", (P("wrong-scale", "职工参评", "D4", "“0.95”不像 0–100 分的分数（单元格若显示为“95%”，实际存的是 0.95）；"
                                     "请把单元格格式改为“常规”，填写分数，如 95"),), status="read"),
    Case("27", "27-shown-rounded.xlsx", (), exit=0, status="read"),
    Case("28", "28-long-id-number.xlsx", (
        P("id-as-number", "互评", "A7", "编号被存成了数字（显示为 1.10101E+17），超过 15 位的数字会被 Excel 改掉末尾几位，无法核对是谁；"
          "未计入，请把编号列设为“文本”格式后重新输入完整编号"),
        P("missing-member", "互评", "", f"名单中的“{LONG_ID} 刘洋”在“互评”表中没有对应行，该人员暂不评定；请补上该行")), status="read"),
    Case("29", "29-na-text.xlsx", (P("not-a-number", "互评", "E4", "“NA”不是数字，请改为 0–100 之间的数字"),), status="read"),
    Case("30", "30-slash-blank-zero.xlsx", (
        P("not-applicable", "自评", "C7", "“/”表示不适用，但这里须填数字；未评请留空，有分请填数字"),
        P("blank-cell", "自评", "D8", "“1.2”未填写，该人员暂不评定；请补填分数（留空不会按 0 分计算）")), status="read"),
    Case("31", "31-out-of-range.xlsx", (P("out-of-range", "互评", "C5", "分数 850 超出范围，应在 0 到 100 之间，请核对"),), status="read"),
    Case("32", "32-two-scores.xlsx", (P("invalid-ballot", "互评", "E4", "一张票填了几个分数（“85/90”），按废票处理，不计入平均分；"
                                        "如是录入错误，请改为一个分数"),
                                      # two valid ballots left: fewer than three, the anonymity guard says so
                                      P("few-ballots", "互评", "A4", "张伟的“互评”只有 2 张有效票，少于 3 张：为免推知评议人，"
                                        "结果表、报告和计算明细中该项显示为“不足3票，不单独列示”（results.csv 中仍有该项得分，"
                                        "只供党委内部使用）；能补收选票的请补录后重新运行，否则可照常公示")), exit=0, status="read"),
    Case("33", "33-pasted-choice.xlsx", (P("invalid-choice", "支部评定", "C4", "“很突出”不是可选项，请填写 是/否"),), status="read"),
    Case("34", "34-duplicate-row.xlsx", (P("duplicate-row", "领导点评", "A9", "编号“1002”出现了两行（第 5 行和第 9 行），内容不同，"
                                           "无法判断以哪行为准，该人员暂不评定；请删除错误的一行"),), status="read"),
    Case("35", "35-not-on-roster.xlsx", (P("unknown-member", "领导点评", "A9", "编号“1099”（赵新）不在下发的名单中，未计入；"
                                           "如确需参评，请先报组织部门补入名册"),), status="read", same=True),
    Case("35", "35-name-typo.xlsx", (P("name-mismatch", "互评", "B4", "编号“1001”在名单中是“张伟”，表中写作“張偉”，按编号计入；请核对"),),
         exit=0, status="read", same=True),
    Case("36", "36-row-deleted.xlsx", (P("missing-member", "职工参评", "", "名单中的“1003 李娜”在“职工参评”表中没有对应行，"
                                         "该人员暂不评定；请补上该行"),), status="read"),
    # the copy sorts first ("第一党支部 (1)" < "第一党支部."), so the original is the one counted once
    Case("37", f"{BASE} (1).xlsx", (P("duplicate-file", "", "", f"与“{BASE} (1).xlsx”内容完全相同，只计算一次；可删除其中一份",
                                      file=f"{BASE}.xlsx"),), exit=0, status="read", beside=BOTH, same=True),
    Case("38", "38-corrected.xlsx", tuple(
        P("conflicting-submission", "领导点评", "", "质检中心第一党支部的“领导点评”表收到 2 份内容不同的文件（38-corrected.xlsx、"
          f"{BASE}.xlsx），不会取平均，也不会任选其一；请删除错误的一份后重新运行", file=f)
        for f in (ME, f"{BASE}.xlsx")), status="read", beside=BOTH),
    Case("39", "39-other-branch.xlsx", (P("wrong-branch", "_meta", "", "这是下发给“质检中心第一党支部”的表格，但表中填写的 2 个编号"
                                          "（如 2001）都不在质检中心第一党支部的名单中，可能是其他支部误用了这份表格；未计入，"
                                          "请用本支部下发的表格重新填写"),)),
    Case("39", "39-other-period.xlsx", (P("wrong-period", "_meta", "", "表格属于“2025Q4”期，与本次指定的 2026Q4 不符，未计入；"
                                          "请确认是否交错了表格"),), beside=BOTH, args=("--period", "2026Q4"), same=True),
    Case("39", "39-other-scheme.xlsx", (P("wrong-scheme", "_meta", "", "表格属于方案“branch-quarterly”，与本次指定的 "
                                          "member-weighted 不符，未计入；请确认是否交错了表格"),),
         beside=BOTH, args=("--scheme", SCHEME), same=True),
    Case("40", "40-gbk-names.zip", (P("zip-archive", "", "", f"这是压缩包，请解压后发送其中的 Excel 表格（压缩包内有：{BASE}.xlsx）"),)),
    Case("41", "41-sheet-export.csv", (P("unsupported-format", "", "", "文件格式无法读取(如 WPS 专用格式、.xlsb、XML 表格或 CSV)，"
                                         + _SAVE_AS),)),
]


def run_folder(runner: CliRunner, inbox: Path, out: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(out),
                                 "--publicity-start", "2026-12-01", "--jobs", "1", *args])
    assert result.exit_code in (0, 3), (result.output, result.exception)
    return result.exit_code, result.output


@pytest.fixture(scope="session")
def baseline(bad_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    """results.csv for the good forms of branches one and two, alone."""
    tmp = tmp_path_factory.mktemp("baseline")
    inbox = tmp / "input"
    inbox.mkdir()
    for branch in BOTH:
        shutil.copy(bad_corpus / "good" / f"{branch}.xlsx", inbox)
    code, output = run_folder(CliRunner(), inbox, tmp / "output")
    assert code == 0, output
    return read_csv(tmp / "output" / SCHEME / "2026Q4" / "results.csv")


def test_every_row_of_bad_forms_has_a_case() -> None:
    rows = {c.row for c in CASES} | {"41"}  # 41: the GBK roster has its own test below
    assert rows == {str(n) for n in range(1, 42)}


def test_the_committed_corpus_has_every_fixture(bad_corpus: Path) -> None:
    """tests/fixtures/ is what tests/make_bad_fixtures.py writes (rerun it after adding a case)."""
    committed = Path(__file__).resolve().parent / "fixtures"
    for folder in ("good", "bad", "rosters"):
        names = sorted(p.name for p in (committed / folder).iterdir())
        built = sorted(p.name for p in (bad_corpus / folder).iterdir())
        assert set(built) <= set(names), folder
    assert {c.fixture for c in CASES} <= set(names_in(committed / "bad"))


def names_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("case", CASES, ids=[f"{c.row}:{c.fixture}" for c in CASES])
def test_bad_form(case: Case, bad_corpus: Path, baseline: list[dict[str, str]], tmp_path: Path,
                  runner: CliRunner) -> None:
    fixture = bad_corpus / "bad" / case.fixture
    if case.soffice and not fixture.exists():
        pytest.skip("this fixture is made by LibreOffice: install libreoffice-calc (soffice) to build it")
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copy(fixture, inbox / case.fixture)
    for branch in case.beside:
        shutil.copy(bad_corpus / "good" / f"{branch}.xlsx", inbox / f"{branch}.xlsx")
    out = tmp_path / "output"
    code, output = run_folder(runner, inbox, out, *case.args)
    assert code == case.exit, output

    problems = read_csv(out / "problems.csv")
    found = sorted((p["file"], p["code"], p["sheet"], p["cell"], p["message"]) for p in problems if p["file"])
    expected = sorted((case.fixture if f == ME else f, *rest) for f, *rest in case.problems)
    assert found == expected
    for p in problems:  # every problem names the file's sha256 and, for cells, the raw value is kept
        if p["file"]:
            assert len(p["sha256"]) == 64

    folder = out / SCHEME / "2026Q4"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    record = next(f for f in manifest["files"] if f["file"] == case.fixture)
    assert record["status"] == case.status, record
    if case.status in ("rejected", "skipped"):
        assert record["why"]
    if case.same:
        assert read_csv(folder / "results.csv") == baseline


def test_row_22_23_coercions_are_listed_in_the_manifest(bad_corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    def coercions(name: str) -> list[dict[str, str]]:
        inbox = tmp_path / name / "input"
        inbox.mkdir(parents=True)
        shutil.copy(bad_corpus / "bad" / name, inbox)
        assert run_folder(runner, inbox, tmp_path / name / "out")[0] == 0
        path = tmp_path / name / "out" / SCHEME / "2026Q4" / "manifest.json"
        return json.loads(path.read_text(encoding="utf-8"))["coercions"]

    assert coercions("23-full-width.xlsx") == [
        {"file": "23-full-width.xlsx", "sheet": "职工参评", "cell": "C4", "value": "９０", "read_as": "90",
         "how": "full-width"},
        {"file": "23-full-width.xlsx", "sheet": "职工参评", "cell": "D4", "value": "９５．０", "read_as": "95.0",
         "how": "full-width"},
    ]
    assert [(c["cell"], c["value"], c["how"]) for c in coercions("22-text-numbers.xlsx")] == [
        ("C4", "95", "text-number"), ("D4", "90", "text-number"), ("E4", "92", "text-number")]


def test_row_27_the_value_counts_not_what_the_cell_shows(bad_corpus: Path, baseline: list[dict[str, str]],
                                                        tmp_path: Path, runner: CliRunner) -> None:
    """89.5 formatted "0" shows 90; the score uses 89.5."""
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copy(bad_corpus / "bad" / "27-shown-rounded.xlsx", inbox)
    run_folder(runner, inbox, tmp_path / "out")
    rows = results_by_id(tmp_path / "out" / SCHEME / "2026Q4")
    before = {r["id"]: r for r in baseline}
    assert (before["1003"]["领导点评"], rows["1003"]["领导点评"]) == ("90.00", "89.50")
    assert rows["1003"]["score"] == "89.90" and rows["1003"]["stars"] == "4"


def test_row_29_names_pandas_would_read_as_nan_survive(baseline: list[dict[str, str]]) -> None:
    assert [r["name"] for r in baseline if r["id"] == "1005"] == ["NA"]
    assert [r["id"] for r in baseline if r["name"] == "刘洋"] == [LONG_ID]  # 18 digits, as text


def test_row_32_an_invalid_ballot_is_not_counted(bad_corpus: Path, baseline: list[dict[str, str]], tmp_path: Path,
                                                 runner: CliRunner) -> None:
    """1001's 互评 [95, 90, '85/90'] → mean of the valid ballots 95 and 90 = 92.5 (not 92.33)."""
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copy(bad_corpus / "bad" / "32-two-scores.xlsx", inbox)
    run_folder(runner, inbox, tmp_path / "out")
    rows = results_by_id(tmp_path / "out" / SCHEME / "2026Q4")
    assert {r["id"]: r for r in baseline}["1001"]["互评"] == "92.33"
    assert rows["1001"]["互评"] == "92.50" and rows["1001"]["status"] == "rated"


def test_row_41_roster_csv_in_gbk_or_with_bom(bad_corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    for name in ("名册-gbk.csv", "名册-bom.csv"):
        out = tmp_path / name
        result = runner.invoke(cli, ["forms", "--scheme", SCHEME, "--roster", str(bad_corpus / "rosters" / name),
                                     "--period", "2026Q4", "--output", str(out)])
        assert result.exit_code == 0, result.output
        forms = sorted(out.glob("*.xlsx"))
        assert [f.name.split("-")[1] for f in forms] == ["第一党支部", "第三党支部", "第二党支部"]
        wb = load_workbook(forms[0])
        ids = [(c.value, wb["_roster"].cell(c.row, 2).value) for c in wb["_roster"]["A"][1:]]
        assert ids == [(eid, who) for _, branch, eid, who in ROSTER if branch == "第一党支部"]


def test_every_problem_code_the_package_can_emit_is_in_the_catalogue() -> None:
    """Each code the readers use is in :mod:`pingxing.catalogue` (and so on docs/problems.md)."""
    from pingxing.catalogue import CATALOGUE

    root = Path(__file__).resolve().parent.parent
    emitted: set[str] = set()
    for path in (root / "pingxing").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        emitted |= set(re.findall(r'\b(?:Problem|problem|bad|_problem|_skip)\(\s*"([a-z0-9]+(?:-[a-z0-9]+)+)"', text))
        emitted |= set(re.findall(r'\bcode="([a-z0-9-]+)"', text))
    assert len(emitted) > 40
    assert sorted(emitted - set(CATALOGUE)) == []


def test_mixed_folder_good_forms_rated_as_if_alone(bad_corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    """Good forms of branches two and three among every bad fixture: each good one rated
    exactly as when alone, every bad one named in problems.csv, exit 3."""
    alone = tmp_path / "alone"
    alone.mkdir()
    for branch in ("第二党支部", "第三党支部"):
        shutil.copy(bad_corpus / "good" / f"{branch}.xlsx", alone)
    assert run_folder(runner, alone, tmp_path / "out-alone")[0] == 0
    expected = read_csv(tmp_path / "out-alone" / SCHEME / "2026Q4" / "results.csv")

    mixed = tmp_path / "mixed"
    shutil.copytree(alone, mixed)
    bad = [c.fixture for c in CASES if c.problems and (bad_corpus / "bad" / c.fixture).exists()
           and c.fixture != f"{BASE} (1).xlsx"]
    for name in bad:
        shutil.copy(bad_corpus / "bad" / name, mixed / name)
    shutil.copy(bad_corpus / "bad" / "~$03-lock.xlsx", mixed / "~$03-lock.xlsx")
    shutil.copy(bad_corpus / "bad" / "19-formula.xlsx", mixed / "19-formula (1).xlsx")
    code, output = run_folder(runner, mixed, tmp_path / "out-mixed")
    assert code == 3, output
    results = read_csv(tmp_path / "out-mixed" / SCHEME / "2026Q4" / "results.csv")
    assert [r for r in results if r["branch"] != BASE] == expected
    named = {p["file"] for p in read_csv(tmp_path / "out-mixed" / "problems.csv")}
    assert set(bad) <= named
    assert not named & {"第二党支部.xlsx", "第三党支部.xlsx"}

    # the manifest: every file found, once, and what became of it
    manifest = json.loads((tmp_path / "out-mixed" / SCHEME / "2026Q4" / "manifest.json").read_text(encoding="utf-8"))
    files = {f["file"]: f for f in manifest["files"]}
    assert sorted(files) == sorted(p.name for p in mixed.iterdir()) and len(files) == len(manifest["files"])
    assert files["~$03-lock.xlsx"]["status"] == "skipped"
    assert (files["19-formula.xlsx"]["status"], files["19-formula.xlsx"]["duplicate_of"]) == (
        "duplicate", "19-formula (1).xlsx")
    assert files["01-empty.xlsx"]["status"] == "rejected" and files["01-empty.xlsx"]["why"]
    assert files["第二党支部.xlsx"]["status"] == "read" and "why" not in files["第二党支部.xlsx"]
    for f in files.values():
        assert len(f["sha256"]) == 64
        assert f["status"] in ("read", "skipped", "rejected", "duplicate")
        assert f["status"] == "read" or f.get("why")
