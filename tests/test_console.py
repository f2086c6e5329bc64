"""Messages on every console; options out of range (issue 13, class 8).

``check`` and ``run`` print on a GBK console (Chinese Windows' code page 936) or into a file it is
redirected to without crashing on characters GBK lacks (a file named with ✓, a name with 𠀀): such a
character prints as ``?``. Dates, numbers and periods out of range are exit 2 with the value named,
never "内部错误".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pingxing.engine.pool import max_jobs
from pingxing.storage import cpu_count
from process import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAMPLE = EXAMPLES / "input" / "member-weighted"


def test_check_and_run_print_on_a_gbk_console(tmp_path: Path) -> None:
    inbox = tmp_path / "input"
    shutil.copytree(SAMPLE, inbox)
    first = sorted(inbox.glob("*.xlsx"))[0]
    shutil.copy(first, inbox / "第一党支部（已核✓）.xlsx")  # the same form again, under a name GBK cannot show
    record = str(shutil.copy(EXAMPLES / "评星记录.sqlite", tmp_path / "record.sqlite"))  # the sample's own
    console = CliRunner(charset="gbk")
    checked = console.invoke(cli, ["check", "--input", str(inbox), "--jobs", "1", "--history", record])
    assert checked.exit_code == 0, checked.output
    assert "提示 第一党支部（已核?）.xlsx: 与“" in checked.output
    out = tmp_path / "结果✓"
    ran = console.invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--jobs", "1",
                               "--publicity-start", "2026-12-01", "--history", record])
    assert ran.exit_code == 0, ran.output
    assert "2026年第四季度：已评定 21/21 → " in ran.output and "结果?" in ran.output


@pytest.mark.parametrize(("args", "message"), [
    (["run", "--publicity-start", "9999-12-30"],
     "错误：--publicity-start 9999-12-30：日期超出范围，应在 2000-01-01 至 2099-12-31 之间，请写成 2026-12-01 这样的形式"),
    (["run", "--publicity-start", "0001-01-01"],
     "错误：--publicity-start 0001-01-01：日期超出范围，应在 2000-01-01 至 2099-12-31 之间，请写成 2026-12-01 这样的形式"),
    (["run", "--jobs", "100000"], f"错误：--jobs 100000：超出范围，同时处理的进程数应在 1 到 {max_jobs()} 之间"
                                  f"（本机 {cpu_count()} 核，一般不必超过核数）"),
    (["check", "--jobs", "0"], f"错误：--jobs 0：超出范围，同时处理的进程数应在 1 到 {max_jobs()} 之间"
                               f"（本机 {cpu_count()} 核，一般不必超过核数）"),
    (["audit", "draw", "--scheme", "branch-standard", "--period", "2026", "--share", "nan"],
     "错误：--share nan：抽取比例应大于 0、不超过 1，如 0.3"),
    (["audit", "draw", "--scheme", "branch-standard", "--period", "2026", "--share", "0"],
     "错误：--share 0.0：抽取比例应大于 0、不超过 1，如 0.3"),
    (["forms", "--scheme", "member-weighted", "--roster", "名册.csv", "--period", "9999Q4"],
     "错误：评星周期“9999Q4”的年份超出范围（2000—2099 年），请检查是否写错"),
])
def test_options_out_of_range_are_exit_2_naming_the_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          args: list[str], message: str) -> None:
    inbox = tmp_path / "input"
    shutil.copytree(SAMPLE, inbox)
    (tmp_path / "名册.csv").write_text("单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*args, *(["--input", "input"] if args[0] in ("run", "check") else [])])
    assert (result.exit_code, result.output.splitlines()) == (2, [message])
    assert not (tmp_path / "output").exists() and not (tmp_path / "forms").exists()
