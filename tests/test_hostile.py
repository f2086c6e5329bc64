"""Hostile input: text from workbooks and rosters never becomes markup or a formula, scheme
files and templates cannot run code or read files, and oversized files are refused.

Each test goes through the real commands (``forms`` → ``clerk.fill`` → ``run``).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import docx
import pytest
from clerk import by_sheet, fill, list_rows, member_weighted
from click.testing import CliRunner
from conftest import write_roster
from openpyxl import load_workbook

from pingxing.catalogue import message
from pingxing.intake import sniff
from pingxing.publish.notices import DEFAULT_TEMPLATE_DIR, NoticeRenderer, NoticeTemplateError
from process import cli

SCRIPT = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"
SCHEME = "member-weighted"


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture
def hostile_run(tmp_path: Path, runner: CliRunner) -> Path:
    """A branch whose roster names are markup and a formula; one ballot typed as ``=1+1`` text."""
    roster = write_roster(tmp_path / "名册.csv", [("质检中心", "第一党支部", "1001", SCRIPT),
                                                  ("质检中心", "第一党支部", "1002", FORMULA),
                                                  ("质检中心", "第一党支部", "1003", "@SUM(A1)")])
    result = runner.invoke(cli, ["forms", "--scheme", SCHEME, "--roster", str(roster), "--period", "2026Q4",
                                 "--output", str(tmp_path / "forms")])
    assert result.exit_code == 0, result.output
    blank = next((tmp_path / "forms").glob("*.xlsx"))
    issued = load_workbook(blank)["互评"]
    assert (issued["B5"].value, issued["B5"].data_type) == (FORMULA, "s")  # the issued form keeps it as text
    inbox = tmp_path / "input"
    inbox.mkdir()
    values = {eid: member_weighted([4] * 20, [80, 90], 85, [88]) for eid in ("1001", "1002", "1003")}
    form = fill(blank, by_sheet(values), inbox / "第一党支部.xlsx")
    wb = load_workbook(form)
    wb["职工参评"]["D6"] = "=1+1"
    wb["职工参评"]["D6"].data_type = "s"  # typed as text, as after a leading apostrophe
    wb.save(form)
    result = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(tmp_path / "out"),
                                 "--publicity-start", "2026-12-01", "--jobs", "1"])
    assert result.exit_code == 3, result.output  # the =1+1 ballot is a problem
    return tmp_path / "out" / SCHEME / "2026Q4"


def test_names_are_escaped_in_html_and_plain_text_in_word(hostile_run: Path, tmp_path: Path,
                                                           runner: CliRunner) -> None:
    # 1003's row has an error, so no notice is posted for the branch: render the fixed branch
    form = next((tmp_path / "input").glob("*.xlsx"))
    wb = load_workbook(form)
    wb["职工参评"]["D6"] = None
    wb.save(form)
    result = runner.invoke(cli, ["run", "--input", str(tmp_path / "input"), "--output", str(tmp_path / "out"),
                                 "--publicity-start", "2026-12-01", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    html = next((hostile_run / "notices").glob("*.html")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html and "<script" not in html.lower()
    document = docx.Document(str(next((hostile_run / "notices").glob("*.docx"))))
    cells = [cell for row in list_rows(document) for cell in row]
    assert SCRIPT in cells and FORMULA in cells


def test_formula_like_text_is_neutralised_in_csv_and_stays_text_in_xlsx(hostile_run: Path) -> None:
    rows = {r[3]: r for r in _csv(hostile_run / "results.csv")[1:]}
    assert rows["1001"][4] == SCRIPT
    assert rows["1002"][4] == "'" + FORMULA
    assert rows["1003"][4] == "'@SUM(A1)"
    problems = [p for p in _csv(hostile_run / "problems.csv")[1:] if p[6] == "not-a-number"]
    assert [(p[2], p[7]) for p in problems] == [("D6", "'=1+1")]

    wb = load_workbook(hostile_run / "results.xlsx")
    names = {ws_row[2].value: ws_row[3] for ws_row in wb["评定结果"].iter_rows(min_row=2)}
    assert (names["1002"].value, names["1002"].data_type) == (FORMULA, "s")
    assert (names["1003"].value, names["1003"].data_type) == ("@SUM(A1)", "s")
    value = next(r[7] for r in wb["问题清单"].iter_rows(min_row=2) if r[6].value == "not-a-number")
    assert (value.value, value.data_type) == ("=1+1", "s")
    for ws in wb.worksheets:  # no formula anywhere in what we publish
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_scheme_files_are_loaded_safely(tmp_path: Path, runner: CliRunner) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f'name: evil\nlevel: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    result = runner.invoke(cli, ["describe", "--scheme", str(evil)])
    assert result.exit_code == 2
    assert "YAML" in result.output and "Traceback" not in result.output
    assert not marker.exists()


@pytest.mark.parametrize("tag", [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].listdir('/') }}",
    '{% include "../schemes/member-weighted.yaml" %}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
])
def test_a_notice_template_cannot_reach_files_or_code(tmp_path: Path, tag: str) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATE_DIR, folder)
    (folder / "notice.html").write_text(f"<p>{{{{ issuer }}}}</p>{tag}", encoding="utf-8")
    with pytest.raises(NoticeTemplateError, match=r"notice\.html: 模板(中有不允许的写法（SecurityError|不能引用其他文件（TemplateNotFound|中的字段)"):
        NoticeRenderer(folder).html_text({"issuer": "x"})


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, runner: CliRunner, issued: dict[str, Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copy(issued["第一党支部"], inbox / "big.xlsx")
    monkeypatch.setattr(sniff, "MAX_FILE_BYTES", (inbox / "big.xlsx").stat().st_size - 1)
    result = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 3, result.output
    rows = _csv(tmp_path / "out" / "problems.csv")
    assert [(r[0], r[6]) for r in rows[1:]] == [("big.xlsx", "too-large")]
    assert rows[1][5] == message("too-large")


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path: Path, runner: CliRunner, issued: dict[str, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    inbox = tmp_path / "input"
    inbox.mkdir()
    bomb = inbox / "bomb.xlsx"
    with zipfile.ZipFile(issued["第一党支部"]) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/media/image1.png", b"\0" * (64 << 20))  # 64 MB of zeros in ~64 KB
    assert bomb.stat().st_size < 200_000

    def no_inflating(*_: object, **__: object) -> None:
        raise AssertionError("a member of a refused zip was read")
    monkeypatch.setattr(zipfile.ZipFile, "read", no_inflating)
    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    result = runner.invoke(cli, ["check", "--input", str(inbox), "--jobs", "1"])
    assert result.exit_code == 3, result.output
    assert message("zip-bomb") in result.output
