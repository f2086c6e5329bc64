"""The shipped sample against saved outputs (golden files): results.csv, problems.csv and the text of
every notice, scheme by scheme. A change here is a change a clerk would see: regenerate with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden_sample.py`` only for a deliberate change, and read
the diff before committing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from process import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "input"
GOLDEN = Path(__file__).resolve().parent / "golden" / "sample"
PERIODS = sorted(p.parent.relative_to(SAMPLE).parts[0] for p in SAMPLE.glob("*/*.xlsx"))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "output"
    record = shutil.copy(ROOT / "examples" / "评星记录.sqlite", out.parent / "record.sqlite")  # the sample's own
    result = CliRunner().invoke(cli, ["run", "--input", str(SAMPLE), "--output", str(out), "--history",
                                      str(record), "--publicity-start", "2026-12-01"])
    assert result.exit_code == 0, result.output  # the sample is clean
    assert (out / "problems.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == []  # not even a warning
    return out


def notice_text(path: Path) -> str:
    """What a .docx says: its paragraphs and table cells in order, one per line."""
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines).strip() + "\n"


def outputs(folder: Path) -> dict[str, str]:
    out = {name: (folder / name).read_text(encoding="utf-8-sig") for name in ("results.csv", "problems.csv")}
    texts = [f"== {p.relative_to(folder).as_posix()}\n{notice_text(p)}"
             for p in sorted(folder.rglob("*.docx")) if p.parent.name in ("notices", "internal")]
    out["notices.txt"] = "".join(texts)
    return out


def test_every_scheme_of_the_sample_is_published(published: Path) -> None:
    folders = sorted(p.parent.relative_to(published).as_posix() for p in published.glob("*/*/manifest.json"))
    assert folders == sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.glob("*/*") if p.is_dir())
    assert len(folders) == 12


@pytest.mark.parametrize("scheme", sorted(set(PERIODS)))
def test_outputs_match_the_golden_files(published: Path, scheme: str) -> None:
    (folder,) = [p for p in (published / scheme).iterdir() if p.is_dir()]
    golden = GOLDEN / scheme / folder.name
    got = outputs(folder)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.mkdir(parents=True, exist_ok=True)
        for name, text in got.items():
            (golden / name).write_text(text, encoding="utf-8")
    for name, text in got.items():
        assert text == (golden / name).read_text(encoding="utf-8"), f"{scheme}/{folder.name}/{name}"
