"""The same forms give the same files whether read by one process, by two, or on a Dask cluster."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from process import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample plus a file sent twice and a stray file: every path of the per-file step."""
    folder = tmp_path_factory.mktemp("parallel") / "input"
    shutil.copytree(ROOT / "examples" / "input", folder)
    first = min(folder.rglob("*.xlsx"))
    shutil.copy(first, folder / "zz-sent-twice.xlsx")  # later in sorted order: the duplicate
    (folder / "说明.txt").write_text("not a form", encoding="utf-8")
    return folder


def _run(inbox: str, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(cli, ["run", "--input", inbox, "--output", str(out),
                                      "--publicity-start", "2026-12-01", *extra])
    assert result.exit_code in (0, 3), result.output
    assert "Traceback" not in result.output


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _same(a: Path, b: Path) -> None:
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    assert len([n for n in fa if n.endswith("/results.csv")]) == 12  # every scheme of the sample published
    for name in fa:
        if name.endswith("manifest.json"):  # differs only in the run time and the options
            ma, mb = (json.loads(f[name]) for f in (fa, fb))
            for m in (ma, mb):
                del m["generated_at"], m["options"]
            assert ma == mb, name
        elif name == "history.sqlite":  # the run's record, with the time it was recorded
            continue
        else:
            assert fa[name] == fb[name], name


def test_one_or_two_workers_give_identical_outputs(inbox: Path, tmp_path: Path) -> None:
    _run(str(inbox), tmp_path / "one", "--jobs", "1")
    _run(str(inbox), tmp_path / "two", "--jobs", "2", "--quiet")
    _same(tmp_path / "one", tmp_path / "two")
    manifest = next((tmp_path / "two").rglob("manifest.json"))
    files = {f["file"]: f for f in json.loads(manifest.read_text(encoding="utf-8"))["files"]}
    assert files["zz-sent-twice.xlsx"]["status"] == "duplicate"
    assert files["说明.txt"]["status"] == "skipped"


def test_no_progress_bar_when_stderr_is_not_a_terminal(inbox: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--input", str(inbox), "--jobs", "2"])
    assert "%|" not in result.output and "读取表格" not in result.output


def test_dask_cluster_gives_identical_outputs(inbox: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    _run(str(inbox), tmp_path / "local", "--jobs", "1")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        _run(inbox.as_uri(), tmp_path / "dask", "--dask", cluster.scheduler_address,
             "--output", (tmp_path / "dask").as_uri())
    _same(tmp_path / "local", tmp_path / "dask")


def test_missing_dask_is_a_one_line_error(inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    result = CliRunner().invoke(cli, ["run", "--input", str(inbox), "--output", str(tmp_path / "o"),
                                      "--dask", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2
    assert result.output == "错误：--dask 需要可选组件 Dask：请先运行 pip install -r requirements-dask.txt\n"
