"""A user's mistake is one line naming the file (and the key, row or field) and what to do, exit 2;
an OS fault the user must fix says so in one line and never asks for the input folder."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from process import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "input" / "member-weighted"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _lines(output: str) -> list[str]:
    return output.strip().splitlines()


def test_a_mistyped_field_in_the_clerks_template_exits_2_naming_the_field_and_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    shutil.copytree(ROOT / "templates", work / "templates")
    page = work / "templates" / "notice.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ issuer }}", "{{ isuer }}"), encoding="utf-8")
    monkeypatch.chdir(work)  # the clerk's working folder, with their own templates
    code, output = _run("--input", str(SAMPLE), "--output", str(tmp_path / "out"),
                        "--history", str(tmp_path / "h.sqlite"), "--publicity-start", "2026-12-01")
    assert code == 2
    (line,) = _lines(output)
    assert line.startswith(f"错误：{work / 'templates' / 'notice.html'}: 模板中的字段“isuer”不存在；请改为可用的字段后重新运行（可用：")
    assert not (tmp_path / "out").exists() and not (tmp_path / "h.sqlite").exists()  # stopped before anything


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        code, output = _run("--input", str(SAMPLE), "--output", str(out), "--history", str(tmp_path / "h.sqlite"))
    finally:
        out.chmod(0o700)
    assert code == 2
    (line,) = _lines(output)
    assert "没有权限读写" in line and "维护人员" not in line


def test_an_output_path_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "results.txt"
    out.write_text("a file, not a folder", encoding="utf-8")
    code, output = _run("--input", str(SAMPLE), "--output", str(out), "--history", str(tmp_path / "h.sqlite"))
    assert code == 2
    (line,) = _lines(output)
    assert line.startswith("错误：") and "是一个文件" in line and "维护人员" not in line


def test_a_full_disk_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pingxing.publish import tables

    def full(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "problems.csv"))

    monkeypatch.setattr(tables, "_write_csv", full)
    code, output = _run("--input", str(SAMPLE), "--output", str(tmp_path / "out"), "--history",
                        str(tmp_path / "h.sqlite"), "--jobs", "1")
    assert code == 2
    assert _lines(output) == [f"错误：{tmp_path / 'out' / 'problems.csv'}: 磁盘空间不足，无法写入；"
                              "请清理磁盘或用 --output 换一个有空间的位置后重新运行"]


def test_a_record_another_program_holds_is_not_called_damaged(tmp_path: Path) -> None:
    record = tmp_path / "h.sqlite"
    CliRunner().invoke(cli, ["run", "--input", str(SAMPLE), "--output", str(tmp_path / "out"), "--history",
                             str(record), "--publicity-start", "2026-12-01"])
    holder = sqlite3.connect(record, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another run (or a program) is writing it
    try:
        code, output = _run("--input", str(SAMPLE), "--output", str(tmp_path / "out2"), "--history", str(record))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2
    (line,) = _lines(output)
    assert line == f"错误：{record}: 记录文件正被另一个程序或另一次运行占用；请等它结束（或关闭打开它的程序）后重新运行"


def test_a_damaged_record_says_so_and_what_to_do(tmp_path: Path) -> None:
    record = tmp_path / "h.sqlite"
    record.write_bytes(b"this is not a database, but it is long enough to be read as one" * 20)
    code, output = _run("--input", str(SAMPLE), "--output", str(tmp_path / "out"), "--history", str(record))
    assert code == 2
    assert _lines(output) == [f"错误：{record}: 不是有效的记录文件（可能已损坏）；请用备份替换，或用 --history 指定另一个文件"]


def test_the_tools_own_failure_is_exit_1_and_the_only_one_asking_for_the_input_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pingxing import pipeline

    def broken(*_: object, **__: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(pipeline, "rated_shards", broken)
    code, output = _run("--input", str(SAMPLE), "--output", str(tmp_path / "out"), "--history",
                        str(tmp_path / "h.sqlite"), "--jobs", "1")
    assert code == 1
    assert "内部错误" in output and "维护人员" in output


@pytest.mark.parametrize("code, words", [
    (13, "没有权限读写"), (30, "只读"), (28, "磁盘空间不足"), (20, "是一个文件"), (16, "被其他程序占用"), (21, "是一个文件夹"),
])
def test_each_os_fault_says_what_happened_and_what_to_do(code: int, words: str) -> None:
    from pingxing.errors import FileSystemError, os_fault

    fault = os_fault(OSError(code, os.strerror(code), "/data/输出"))
    assert isinstance(fault, FileSystemError)
    assert str(fault).startswith("/data/输出: ") and words in str(fault) and "维护人员" not in str(fault)
    assert "\n" not in str(fault)
