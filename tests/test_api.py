"""The front door for analysts and scripts: the same jobs as the commands, data back, UserError for mistakes."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import pingxing

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "input" / "member-weighted"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    tmp = tmp_path_factory.mktemp("api")
    outcome = pingxing.run(input=SAMPLE, output=tmp / "out", history=tmp / "h.sqlite", publicity_start="2026-12-01",
                           jobs=1)
    return tmp / "out", tmp / "h.sqlite", outcome


def test_run_returns_data_and_never_prints(published: tuple[Path, Path, object], capsys: pytest.CaptureFixture[str]) -> None:
    out, _, outcome = published
    assert outcome.exit_code == 0
    (done,) = outcome.periods
    assert (done.scheme, done.period, done.summary.entities) == ("member-weighted", "2026Q4", 21)
    assert Path(str(done.folder)) == out / "member-weighted" / "2026Q4"
    assert capsys.readouterr() == ("", "")


def test_results_is_a_dataframe_with_exact_scores_and_nullable_stars(published: tuple[Path, Path, object]) -> None:
    out, _, _ = published
    df = pingxing.results(out / "member-weighted" / "2026Q4")
    assert isinstance(df, pd.DataFrame) and len(df) == 21
    assert str(df["stars"].dtype) == "Int64" and str(df["prev_stars"].dtype) == "Int64"
    assert all(isinstance(v, Decimal) for v in df["score"])
    csv = (out / "member-weighted" / "2026Q4" / "results.csv").read_text(encoding="utf-8-sig").splitlines()
    first = csv[1].split(",")
    assert str(df["score"][0]) == first[5] and str(df["id"][0]) == first[3]  # as published: 90.00 stays 90.00


def test_history_is_every_recorded_period_as_one_dataframe(published: tuple[Path, Path, object]) -> None:
    _, record, _ = published
    df = pingxing.history(record)
    assert len(df) == 21 and set(df["period"]) == {"2026Q4"} and str(df["stars"].dtype) == "Int64"
    assert df["stars"].isna().sum() == (df["status"] != "rated").sum()


def test_check_and_forms_return_data(tmp_path: Path) -> None:
    outcome = pingxing.check(input=SAMPLE, history=tmp_path / "h.sqlite", jobs=1)
    assert outcome.exit_code == 0 and not outcome.files[0].why
    roster = tmp_path / "名册.csv"
    roster.write_text("单位,支部,编号,姓名\n质检中心,第一党支部,1001,张伟\n", encoding="utf-8")
    written = pingxing.forms(scheme="member-weighted", roster=roster, period="2026Q4", output=tmp_path / "forms")
    assert [p.name for p in written] == ["质检中心-第一党支部-member-weighted-2026Q4.xlsx", "更正-member-weighted-2026Q4.xlsx",
                                         "设置-member-weighted-2026Q4.xlsx"]


def test_a_mistake_raises_user_error_with_the_commands_words(tmp_path: Path) -> None:
    with pytest.raises(pingxing.UserError) as err:
        pingxing.run(input=tmp_path / "nothing", output=tmp_path / "out", history=tmp_path / "h.sqlite")
    assert str(err.value) == f"{tmp_path / 'nothing'}: 找不到输入文件夹，请把收回的表格放进该文件夹，或用 --input 指定"
    with pytest.raises(pingxing.UserError, match="--publicity-start: “12/01”不是日期"):
        pingxing.run(input=SAMPLE, publicity_start="12/01")
    with pytest.raises(pingxing.UserError, match="找不到 results.csv"):
        pingxing.results(tmp_path)


def test_pip_install_gives_the_pingxing_command_and_ships_every_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"pingxing": "pingxing.cli:main"}
    packages = {str(p.parent.relative_to(ROOT)).replace("/", ".") for p in (ROOT / "pingxing").rglob("__init__.py")}
    listed = set(project["tool"]["setuptools"]["packages"])
    assert packages <= listed and listed - packages == {"pingxing._shipped.schemes", "pingxing._shipped.templates"}


def test_draw_recheck_refuses_a_share_that_is_no_number() -> None:
    """``share="1/0"`` through the API: the one-line InputError of any share out of range (it was a
    ZeroDivisionError)."""
    with pytest.raises(pingxing.InputError, match="抽取比例应大于 0、不超过 1"):
        pingxing.draw_recheck(scheme="branch-standard", period="2026", share="1/0")
