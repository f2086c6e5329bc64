"""Every word a clerk sees is Chinese (issue 14): click's own words around the help and the usage
errors, the names of the options' values; a usage error still exits 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_docs import _commands

from process import cli

#: click's English frame: none of it may show
ENGLISH = ("Usage", "Options", "Commands", "Show this message", "Show the version", "[default", "[required",
           "TEXT", "PATH", "INTEGER", "FLOAT", "RANGE", "Error", "Try ", "Missing", "No such", "Invalid value",
           "Got unexpected", "COMMAND", "ARGS", "OPTIONS", "FILE")


def _visible(text: str) -> str:
    """The help without what a clerk types or reads as a name: option and command names, the examples,
    addresses and file names, and the names of programs (Word, PDF, LibreOffice, Dask, JSON)."""
    lines = [line for line in text.splitlines() if not re.match(r"\s*(例：)?python process\.py", line.strip())]
    text = "\n".join(lines)
    text = re.sub(r"(?<![\w-])--?[a-z][\w-]*", " ", text)  # --input, -h
    text = re.sub(r"[a-z]+(-[a-z]+)+", " ", text)  # scheme names (branch-standard): what is typed after --scheme
    text = re.sub(r"\S*(://|\.xlsx|\.yaml|\.sqlite|\.txt|\.csv|\.md)\S*", " ", text)
    text = re.sub(r"\b(process\.py|cli|pingxing|audit|check|describe|explain|forms|history|register|run|schemes|survey|questions|import|show|draw)\b", " ", text)
    text = re.sub(r"[A-Za-z_]*\d[\w]*|_meta|\b(Word|PDF|LibreOffice|Dask|JSON|output|input|forms|member|branch)\b",
                  " ", text)
    return text


@pytest.mark.parametrize("path", [(), *_commands(cli)], ids=lambda p: " ".join(p) or "process.py")
def test_help_is_chinese(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="process.py")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：process.py")
    assert "选项：" in result.output and "显示本帮助并退出。" in result.output
    assert not [w for w in ENGLISH if w in result.output]
    words = re.findall(r"[A-Za-z]{2,}", _visible(result.output))
    assert not words, words


def test_a_missing_option_says_which_and_what_for_and_exits_2() -> None:
    result = CliRunner().invoke(cli, ["forms", "--period", "2026Q4"], prog_name="process.py")
    assert result.exit_code == 2
    assert "用法：process.py forms [选项]" in result.output
    assert "运行“process.py forms --help”查看帮助。" in result.output
    assert "错误：缺少选项“--scheme”（方案名称（见 schemes 命令）或 .yaml 文件路径）。" in result.output
    assert not [w for w in ENGLISH if w in result.output]


@pytest.mark.parametrize(("args", "said"), [
    (["nosuch"], "错误：没有命令“nosuch”。"),
    (["run", "--nosuch"], "错误：没有选项“--nosuch”"),
    (["run", "--jobs", "x"], "错误：“--jobs”/“-j” 的值不对：“x”不是有效的数字。"),
    (["run", "--jobs", "0"], "超出范围，同时处理的进程数应在 1 到"),
    (["run", "--publicity-start", "明天"], "“明天”不是日期，请写成 2026-12-01 这样的形式"),
    (["history", "import", "--scheme", "x", "--period", "2025"], "错误：缺少参数“文件”。"),
])
def test_usage_errors_are_chinese_and_exit_2(args: list[str], said: str) -> None:
    result = CliRunner().invoke(cli, args, prog_name="process.py")
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert not [w for w in ENGLISH if w in result.output]


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("pingxing 版本 ")


def test_the_options_values_are_named_in_chinese() -> None:
    out = CliRunner().invoke(cli, ["run", "--help"]).output
    assert "--input 文件夹" in out and "--publicity-start 日期" in out and "-j, --jobs 进程数" in out
    assert "[默认：input]" in out
    out = CliRunner().invoke(cli, ["forms", "--help"]).output
    assert "--roster 名册" in out and "[必填]" in out


def test_the_run_says_what_it_did_in_words(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(cli, ["run", "--input", str(root / "examples" / "input" / "branch-five-stars"),
                                      "--output", str(tmp_path), "--quiet", "--no-pdf"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("五星级党支部评定 2026年度：已评定 8/8 → "), first
    assert not re.search("[A-Za-z]", first.split(" → ")[0])  # the folder's name aside
