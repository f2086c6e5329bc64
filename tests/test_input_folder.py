"""Every folder the clerk points at is read whole (issue 13, class 3).

Forms in a linked sub-folder are read (a link back up is no loop); a file that vanishes or cannot be
read between listing and reading is a problem naming it; a file name that is not valid UTF-8 (a zip
from Chinese Windows unpacked on Linux) is read and named readably; ``--output`` inside or equal to
``--input`` never has the tool read its own outputs as returned forms.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from clerk import by_sheet, fill, issue, member_weighted, read_csv, results_by_id, settle
from click.testing import CliRunner

from pingxing import pipeline
from process import cli

ROSTER = "单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n质检中心,第二党支部,2001,王芳\n质检中心,第三党支部,3001,李娜\n"
VALUES = {eid: by_sheet({eid: member_weighted([4] * 20, [80, 90, 85], 85, [88, 88, 88])}) for eid in ("1001", "2001", "3001")}


@pytest.fixture
def blank(tmp_path: Path) -> dict[str, Path]:
    forms = issue(tmp_path, "member-weighted", ROSTER, "2026Q4")
    settle(tmp_path / "forms", tmp_path / "input")  # the clerk's settings go in with the returns
    return {eid: next(p for s, p in forms.items() if branch in s)
            for eid, branch in (("1001", "第一"), ("2001", "第二"), ("3001", "第三"))}


def _run(inbox: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--publicity-start",
                                      "2026-12-01", "--jobs", "1", *extra])
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    return result.exit_code, result.output


def _problems(out: Path) -> list[tuple[str, str, str]]:
    return [(p["file"], p["code"], p["message"]) for p in read_csv(out / "problems.csv")]


def test_linked_sub_folders_are_read_and_a_link_upwards_is_no_loop(tmp_path: Path, blank: dict[str, Path]) -> None:
    inbox, share = tmp_path / "input", tmp_path / "共享盘"
    inbox.mkdir(exist_ok=True)
    share.mkdir()
    fill(blank["1001"], VALUES["1001"], inbox / "一支部.xlsx")
    fill(blank["2001"], VALUES["2001"], share / "二支部.xlsx")
    os.symlink(share, inbox / "共享")  # a mounted share, a linked folder
    os.symlink(inbox, share / "回到上级")  # a link back up: read once, no loop
    (inbox / "第三").mkdir()
    fill(blank["3001"], VALUES["3001"], inbox / "第三" / "三支部.xlsx")
    code, _ = _run(inbox, tmp_path / "out")
    assert code == 0
    rows = results_by_id(tmp_path / "out" / "member-weighted" / "2026Q4")
    assert {i: r["status"] for i, r in rows.items()} == {"1001": "rated", "2001": "rated", "3001": "rated"}


def test_a_file_that_vanishes_or_cannot_be_read_is_a_problem_naming_it(tmp_path: Path, blank: dict[str, Path],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir(exist_ok=True)
    for eid, name in (("1001", "一支部.xlsx"), ("2001", "二支部.xlsx"), ("3001", "三支部.xlsx")):
        fill(blank[eid], VALUES[eid], inbox / name)
    os.symlink(tmp_path / "nowhere.xlsx", inbox / "失效的链接.xlsx")
    listed = pipeline.list_files

    def then_moved(*args: object) -> list[tuple[str, str]]:
        found = listed(*args)  # type: ignore[arg-type]
        (inbox / "二支部.xlsx").rename(tmp_path / "moved.xlsx")  # moved away after the folder was listed
        return found

    monkeypatch.setattr(pipeline, "list_files", then_moved)
    real_read = Path.read_bytes

    def locked(self: Path) -> bytes:
        if self.name == "三支部.xlsx":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", locked)
    code, _ = _run(inbox, tmp_path / "out")
    assert code == 3
    gone = "开始读取时找不到这个文件了（可能刚被移走、删除或改名，或是指向不存在文件的快捷方式或链接），未读取；请确认文件在文件夹中后重新运行"
    assert [p for p in _problems(tmp_path / "out") if p[1] not in ("not-returned", "notice-withheld")] == [
        ("三支部.xlsx", "unreadable", "文件无法读取(可能被占用或没有权限)，请关闭文件或重新复制后再试"),
        ("二支部.xlsx", "vanished-file", gone),
        ("失效的链接.xlsx", "vanished-file", gone),
    ]
    rows = results_by_id(tmp_path / "out" / "member-weighted" / "2026Q4")
    assert rows["1001"]["status"] == "rated"


def test_a_file_name_that_is_not_utf8_is_read_under_a_readable_name(tmp_path: Path, blank: dict[str, Path]) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir(exist_ok=True)
    fill(blank["1001"], VALUES["1001"], inbox / "一支部.xlsx")
    gbk = os.fsdecode("二支部（已填）.xlsx".encode("gbk"))  # as unzip leaves a name from Chinese Windows
    fill(blank["2001"], VALUES["2001"], inbox / gbk)
    sub = inbox / os.fsdecode("三支部".encode("gbk"))
    sub.mkdir()
    fill(blank["3001"], VALUES["3001"], sub / "表.xlsx")
    code, output = _run(inbox, tmp_path / "out")
    assert code == 0, output
    assert _problems(tmp_path / "out") == [
        ("三支部/表.xlsx", "file-name-encoding", "文件名不是 UTF-8 编码（多为中文 Windows 上压缩的 zip 在其他系统上解压），"
         "已按 GBK 识读为“三支部/表.xlsx”并照常读取；如名称不对，可把文件改名"),
        ("二支部（已填）.xlsx", "file-name-encoding", "文件名不是 UTF-8 编码（多为中文 Windows 上压缩的 zip 在其他系统上解压），"
         "已按 GBK 识读为“二支部（已填）.xlsx”并照常读取；如名称不对，可把文件改名"),
    ]
    folder = tmp_path / "out" / "member-weighted" / "2026Q4"
    assert {i: r["status"] for i, r in results_by_id(folder).items()} == {"1001": "rated", "2001": "rated",
                                                                          "3001": "rated"}
    manifest = (folder / "manifest.json").read_text(encoding="utf-8")
    assert "二支部（已填）.xlsx" in manifest


@pytest.mark.parametrize("where", ["same", "inside"])
def test_the_tools_own_outputs_are_never_read_as_returns(tmp_path: Path, blank: dict[str, Path], where: str) -> None:
    inbox = tmp_path / "input"
    inbox.mkdir(exist_ok=True)
    for eid, name in (("1001", "一支部.xlsx"), ("2001", "二支部.xlsx"), ("3001", "三支部.xlsx")):
        fill(blank[eid], VALUES[eid], inbox / name)
    out = inbox if where == "same" else inbox / "结果"
    first = _run(inbox, out)
    results = (out / "member-weighted" / "2026Q4" / "results.csv").read_bytes()
    shutil.copytree(out / "member-weighted", inbox / "去年的结果")  # an earlier run's outputs, copied in
    second = _run(inbox, out)
    assert first == second and first[0] == 0, second
    assert not (out / "problems.csv").read_text(encoding="utf-8-sig").strip().count("\n")  # the header only
    assert (out / "member-weighted" / "2026Q4" / "results.csv").read_bytes() == results


def test_returned_forms_inside_the_folder_a_run_replaces_are_never_replaced(tmp_path: Path,
                                                                           blank: dict[str, Path]) -> None:
    out = tmp_path / "out"
    inbox = out / "member-weighted" / "2026Q4" / "收回"  # where the last run's results are
    inbox.mkdir(parents=True)
    fill(blank["1001"], VALUES["1001"], inbox / "一支部.xlsx")
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--jobs", "1"])
    assert result.exit_code == 2
    assert result.output.startswith(f"错误：{inbox}: 收回的表格在本次要替换的输出文件夹 {out / 'member-weighted' / '2026Q4'} 之中")
    assert (inbox / "一支部.xlsx").is_file()
