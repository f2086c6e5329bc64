from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from process import cli

ROSTER = [
    ("质检中心", "第一党支部", "1001", "张伟", "正式党员"),
    ("质检中心", "第一党支部", "1002", "王芳", "正式党员"),
    ("质检中心", "第一党支部", "1003", "李娜", "正式党员"),
    ("质检中心", "第一党支部", "1004", "刘洋", "预备党员"),
    ("质检中心", "第一党支部", "1005", "陈静", "正式党员"),
    ("质检中心", "第一党支部", "1006", "杨磊", "正式党员"),
    ("质检中心", "第一党支部", "1007", "赵敏", "正式党员"),
    ("质检中心", "第二党支部", "2001", "黄强", "正式党员"),
    ("质检中心", "第二党支部", "2002", "周丽", "正式党员"),
]


def pytest_configure(config: pytest.Config) -> None:
    """Runs make no PDFs (LibreOffice takes seconds a run) unless a test asks for them:
    ``env={"PINGXING_NO_PDF": ""}`` or ``pdf=True`` (tests/test_pdf.py, tests/test_as_seen.py)."""
    os.environ.setdefault("PINGXING_NO_PDF", "1")


@pytest.fixture(scope="module", autouse=True)
def _module_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A test module works in a folder of its own, like a clerk in theirs: the campaign record's
    default file (评星记录.sqlite) and the clerk's own schemes/ or templates/ live there."""
    folder = tmp_path_factory.mktemp("work")
    with contextlib.chdir(folder):
        yield folder


@pytest.fixture(autouse=True)
def _test_folder(_module_folder: Path, tmp_path: Path) -> Iterator[Path]:
    """Each test works in a folder of its own (its tmp_path), so that no test sees another's record —
    starting from a copy of its module's record (forms a module fixture issued are known there)."""
    import shutil

    record = _module_folder / "评星记录.sqlite"
    if record.is_file() and not (tmp_path / record.name).exists():
        shutil.copy(record, tmp_path / record.name)
    with contextlib.chdir(tmp_path):
        yield tmp_path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_roster(path: Path, rows: list[tuple[str, ...]] = ROSTER) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位", "支部", "编号", "姓名", "身份"])
        w.writerows(rows)
    return path


@pytest.fixture
def issued(tmp_path: Path, runner: CliRunner) -> dict[str, Path]:
    """Blank member-weighted forms for 2026Q4, as `forms` writes them, by branch name."""
    roster = write_roster(tmp_path / "名册.csv")
    out = tmp_path / "forms"
    result = runner.invoke(cli, ["forms", "--scheme", "member-weighted", "--roster", str(roster),
                                 "--period", "2026Q4", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return {p.name.split("-")[1]: p for p in sorted(out.glob("*.xlsx"))}


@pytest.fixture(scope="session")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bad-forms corpus (tests/make_bad_fixtures.py), built once per session: ``good/``,
    ``bad/``, ``rosters/``. Without soffice the LibreOffice fixtures come from the committed
    corpus (tests/fixtures/) when it was made for the current form version, else they are
    missing and their tests skip."""
    import shutil

    from make_bad_fixtures import LIBREOFFICE_MADE, build, form_version_of

    root = tmp_path_factory.mktemp("corpus")
    build(root, shutil.which("soffice"))
    committed = Path(__file__).resolve().parent / "fixtures"
    if form_version_of(committed / "good" / "第一党支部.xlsx") == form_version_of(root / "good" / "第一党支部.xlsx"):
        for name in LIBREOFFICE_MADE:
            if not (root / "bad" / name).exists() and (committed / "bad" / name).exists():
                shutil.copy(committed / "bad" / name, root / "bad" / name)
    return root
