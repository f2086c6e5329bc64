"""Nothing lost: inputs are never touched, a killed run leaves the previous output whole,
and the same inputs give the same bytes.

The kill tests run ``process.py run`` in a subprocess through a small wrapper that stops
at a chosen moment (while rendering the notices; between the two renames that publish the
folder), tell the test it is there, and wait to be SIGKILLed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clerk import by_sheet, fill
from click.testing import CliRunner
from make_bad_fixtures import SCHEME

from pingxing.publish import staging
from process import cli

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file below ``folder``: relative path → (sha256, mtime_ns)."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def contents(folder: Path) -> dict[str, str]:
    return {k: v[0] for k, v in tree(folder).items()}


# ------------------------------------------------------------------ inputs untouched
def test_no_command_modifies_its_inputs(bad_corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    """run (twice), check and forms over a folder holding every bad fixture, good forms and a
    roster: not a byte, not an mtime, not a file more or less."""
    inbox = tmp_path / "input"
    inbox.mkdir()
    shutil.copytree(bad_corpus / "bad", inbox / "bad")
    shutil.copytree(bad_corpus / "good", inbox / "good")
    shutil.copy(bad_corpus / "rosters" / "名册-gbk.csv", inbox / "名册.csv")
    before = tree(inbox)
    out = tmp_path / "output"
    commands = [
        ["run", "--input", str(inbox), "--output", str(out), "--publicity-start", "2026-12-01"],
        ["run", "--input", str(inbox), "--output", str(out)],  # again, over an existing output
        ["check", "--input", str(inbox)],
        ["forms", "--scheme", SCHEME, "--roster", str(inbox / "名册.csv"), "--period", "2026Q4",
         "--output", str(tmp_path / "forms")],
    ]
    for args in commands:
        result = runner.invoke(cli, args)
        assert result.exit_code in (0, 3), (args, result.output)
        assert tree(inbox) == before, args


def test_the_repository_sample_input_is_untouched(tmp_path: Path, runner: CliRunner) -> None:
    before = tree(ROOT / "examples" / "input")
    for args in (["run", "--output", str(tmp_path / "out")], ["check"]):
        result = runner.invoke(cli, [*args, "--input", str(ROOT / "examples" / "input")])
        assert result.exit_code in (0, 3), result.output
    assert tree(ROOT / "examples" / "input") == before


# ------------------------------------------------------------------ killed midway
_WRAPPER = """
import pathlib, sys, time
sys.path.insert(0, {root!r})
mark, moment = pathlib.Path({mark!r}), {moment!r}

def stop_here():
    mark.write_text("here")
    time.sleep(120)

if moment == "rendering":
    from pingxing import pipeline
    render, calls = pipeline.render_notice, []
    def slow(job):
        calls.append(job)
        if len(calls) == 2:  # the first notice is written, the second is being rendered
            stop_here()
        return render(job)
    pipeline.render_notice = slow
else:  # between the two renames: the old folder moved aside, the new one not yet in place
    rename = pathlib.Path.rename
    def paused(self, target):
        result = rename(self, target)
        if pathlib.Path(target).name.startswith(".old-"):
            stop_here()
        return result
    pathlib.Path.rename = paused

from process import cli
cli(sys.argv[1:])
"""


def _inbox(tmp_path: Path, bad_corpus: Path, name: str, leader: float | None = None) -> Path:
    inbox = tmp_path / name
    inbox.mkdir()
    for branch in ("第一党支部", "第二党支部"):
        shutil.copy(bad_corpus / "good" / f"{branch}.xlsx", inbox)
    if leader is not None:  # a corrected form: the next run's results differ
        values = {"1001": {"领导点评": {"得分": leader}}}
        fill(inbox / "第一党支部.xlsx", by_sheet(values))
    return inbox


def _killed_run(tmp_path: Path, inbox: Path, out: Path, moment: str) -> None:
    mark = tmp_path / f"mark-{moment}"
    wrapper = tmp_path / f"wrapper_{moment}.py"
    wrapper.write_text(_WRAPPER.format(root=str(ROOT), mark=str(mark), moment=moment), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(wrapper), "run", "--input", str(inbox), "--output", str(out),
                             "--publicity-start", "2026-12-01", "--jobs", "1"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not mark.exists():
            assert proc.poll() is None, "the run ended before the moment to kill it"
            assert time.monotonic() < deadline, "the run never reached the moment to kill it"
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _published_then_changed(bad_corpus: Path, tmp_path: Path, runner: CliRunner
                            ) -> tuple[Path, Path, dict[str, str], Path]:
    """A period published once (its folder's contents kept), and the forms changed since (a
    leader's score): the output folder, the period's folder, what it held, the new inbox."""
    out = tmp_path / "output"
    first = runner.invoke(cli, ["run", "--input", str(_inbox(tmp_path, bad_corpus, "v1")), "--output", str(out),
                                "--publicity-start", "2026-12-01"])
    assert first.exit_code == 0, first.output
    target = out / SCHEME / "2026Q4"
    return out, target, contents(target), _inbox(tmp_path, bad_corpus, "v2", leader=80)


def test_a_run_killed_while_rendering_leaves_the_previous_output_whole(
        bad_corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    out, target, published, inbox = _published_then_changed(bad_corpus, tmp_path, runner)
    _killed_run(tmp_path, inbox, out, "rendering")
    assert contents(target) == published  # the previous output, byte for byte
    leftovers = [p for p in target.parent.iterdir() if p.name.startswith(staging.STAGING_PREFIX)]
    assert leftovers and not (leftovers[0] / "manifest.json").exists()  # it did die half way
    assert any((leftovers[0] / "notices").glob("*.docx"))

    again = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--publicity-start", "2026-12-01"])
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026Q4"]  # the dead staging folder is gone
    assert contents(target) != published
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert {p: h for p, h in manifest["outputs"].items()} == {
        p: h for p, h in contents(target).items() if p != "manifest.json"}


def test_a_run_killed_between_the_renames_gets_its_previous_output_back(
        bad_corpus: Path, tmp_path: Path, runner: CliRunner) -> None:
    out, target, published, inbox = _published_then_changed(bad_corpus, tmp_path, runner)
    _killed_run(tmp_path, inbox, out, "renaming")
    assert not target.exists()  # killed with the old folder set aside: what the next start repairs
    staging.recover(target.parent)  # what every run does first
    assert contents(target) == published
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026Q4"]

    _killed_run(tmp_path, inbox, out, "renaming")
    again = runner.invoke(cli, ["run", "--input", str(inbox), "--output", str(out), "--publicity-start", "2026-12-01"])
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026Q4"]
    assert contents(target) != published


# ------------------------------------------------------------------ same inputs, same bytes
def test_a_rerun_gives_byte_identical_csv_xlsx_docx_html(bad_corpus: Path, tmp_path: Path,
                                                         runner: CliRunner) -> None:
    inbox = _inbox(tmp_path, bad_corpus, "input")
    shutil.copy(bad_corpus / "bad" / "24-unit-suffix.xlsx", inbox / "x.xlsx")  # a problem list too
    (inbox / "第一党支部.xlsx").unlink()
    out = tmp_path / "output"
    target = out / SCHEME / "2026Q4"
    args = ["run", "--input", str(inbox), "--output", str(out), "--publicity-start", "2026-12-01"]
    assert runner.invoke(cli, args).exit_code == 0
    first = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    time.sleep(1.1)  # zip and document timestamps have a resolution of seconds
    assert runner.invoke(cli, args).exit_code == 0
    second = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    kinds = {Path(name).suffix for name in first}
    assert {".csv", ".xlsx", ".docx", ".html", ".json"} <= kinds
    for name, data in first.items():
        if name == "manifest.json":
            a, b = json.loads(data), json.loads(second[name])
            for m in (a, b):
                for key in ("generated_at", "timings", "seconds"):
                    m.pop(key, None)
            assert a == b
        else:
            assert data == second[name], name


def test_a_publish_that_fails_at_the_last_rename_puts_the_old_folder_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / SCHEME / "2026Q4"
    target.mkdir(parents=True)
    (target / "results.csv").write_text("old", encoding="utf-8")
    rename = Path.rename

    def failing(self: Path, to: Path) -> Path:
        if self.name.startswith(staging.STAGING_PREFIX):
            raise PermissionError("the folder is open in Explorer")
        return rename(self, to)
    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(PermissionError), staging.staged(target) as stage:
        (stage / "results.csv").write_text("new", encoding="utf-8")
        (stage / "manifest.json").write_text("{}", encoding="utf-8")
    assert (target / "results.csv").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026Q4"]


def test_recovery_leaves_a_running_run_alone(tmp_path: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        parent = tmp_path / SCHEME
        live = parent / f"{staging.STAGING_PREFIX}2026Q4-{other.pid}"
        live.mkdir(parents=True)
        dead = parent / f"{staging.STAGING_PREFIX}2026Q3-999999999"
        dead.mkdir()
        staging.recover(parent)
        assert live.exists() and not dead.exists()
    finally:
        other.kill()
        other.wait()
