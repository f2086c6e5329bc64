"""A validated form crosses from a worker to the main process and waits on disk pickled
compact (:mod:`pingxing.engine.formpack`): unpickled, it must be the same form, field for field."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pingxing.engine import formpack  # noqa: F401  (the compact pickling of FormData)
from pingxing.validate.formdata import FormData
from pingxing.validate.onefile import FileJob, assess_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sorted(p for p in (ROOT / "examples" / "input").rglob("*.xlsx") if not p.name.startswith("设置-"))
FORMS = SAMPLE + sorted((ROOT / "tests" / "fixtures" / "bad").rglob("*.xlsx"))


def _plain(data: FormData) -> bytes:
    """The default pickling of a dataclass (what the compact form replaces)."""
    return pickle.dumps((type(data), data.__dict__), pickle.HIGHEST_PROTOCOL)


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_a_form_comes_back_equal_field_for_field(path: Path) -> None:
    data = assess_file(FileJob(str(path), path.name)).data
    if data is None:
        assert path not in SAMPLE, path  # every returned form of the sample validates
        pytest.skip("a bad form that does not validate")
    again = pickle.loads(pickle.dumps(data, pickle.HIGHEST_PROTOCOL))
    assert again == data
    for key, sheet in data.sheets.items():
        for eid, row in sheet.rows.items():
            twin = again.sheets[key].rows[eid]
            assert [type(n) for n in twin.numbers] == [type(n) for n in row.numbers]
            assert type(twin.figure) is type(row.figure) and twin.values == row.values


def test_the_compact_form_is_smaller_than_the_plain_one() -> None:
    path = next(p for p in FORMS if "member-weighted" in p.name)
    data = assess_file(FileJob(str(path), path.name)).data
    assert data is not None
    assert len(pickle.dumps(data, pickle.HIGHEST_PROTOCOL)) < 0.6 * len(_plain(data))  # about half
