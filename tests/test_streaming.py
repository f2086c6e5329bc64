"""A run holds one shard of forms at a time: forms wait on disk, shards are rated in order,
and notices are handed to the workers as the shards come (never all at once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pingxing import scheme as schemes
from pingxing.engine.pool import Runner
from pingxing.engine.shards import ALL, BRANCH, UNIT, shard_scope
from pingxing.pipeline import Options, rated_shards, read_input
from pingxing.rate.stages import rate_shard
from pingxing.record import store as history

ROOT = Path(__file__).resolve().parent.parent


def _double(x: int) -> int:
    return 2 * x


@pytest.mark.parametrize("jobs", [1, 2])
def test_imap_draws_items_only_as_room_frees_and_keeps_their_order(jobs: int) -> None:
    drawn = []

    def items():
        for i in range(40):
            drawn.append(i)
            yield i

    taken = []
    runner = Runner(jobs=jobs)
    try:
        for result in runner.imap(_double, items(), window=3, batch=2):
            taken.append(result)
            assert len(drawn) - len(taken) <= (3 + 1) * 2  # the window of tasks, and the batch being made
    finally:
        runner.close()
    assert taken == [2 * i for i in range(40)]


def test_a_scheme_is_rated_in_the_smallest_shard_its_rules_allow() -> None:
    assert shard_scope(schemes.load("member-weighted")) == BRANCH  # bands and veto: one member at a time
    assert shard_scope(schemes.load("branch-five-stars")) == UNIT  # a 公示 lists a unit's branches
    assert shard_scope(schemes.load("town-branch")) == UNIT  # a quota per unit
    assert shard_scope(schemes.load("pioneer-flag")) == ALL  # one award among everyone
    assert shard_scope(schemes.load("member-weighted"), corrections=True) == ALL  # corrections name anyone


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("streaming")
    a = read_input(Options(ROOT / "examples" / "input" / "member-weighted", out, history=out / "history.sqlite"))
    yield a
    a.close()


def test_forms_wait_on_disk_until_their_shard_is_rated(assessed) -> None:
    (group,) = assessed.groups
    forms = [f for f in group.forms if f.settings is None]  # (the clerk's settings workbook has no sheets to keep)
    assert forms and all(not f.sheets and not f.roster for f in forms)  # headers only
    assert set(group.refs) == {f.file for f in forms}


def test_shards_come_branch_by_branch_and_give_what_rating_everything_at_once_gives(assessed, tmp_path: Path) -> None:
    (group,) = assessed.groups
    shards = list(rated_shards(group, tmp_path / "none.sqlite"))
    assert [s.key for s in shards] == sorted({(f.unit, f.branch) for f in group.forms if f.settings is None})
    for s in shards:
        assert {(r.entity.unit, r.entity.branch) for r in s.ratings} == {s.key}
    forms = [group.load(f) for f in group.forms if f.settings is None]
    lookup = history.PeriodLookup(tmp_path / "none.sqlite", group.scheme.name, "2026Q3")
    (_, everyone), = rate_shard(group.scheme, group.period, forms, [], [], lookup, [], {}, [])
    key = lambda r: (r.entity.id, r.status, r.score, r.stars, r.reason)  # noqa: E731
    assert [key(r) for s in shards for r in s.ratings] == [key(r) for r in everyone]
    assert group.summary is not None and group.summary.entities == len(everyone)
