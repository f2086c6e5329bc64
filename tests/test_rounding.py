"""Rounding half away from zero, exact means, and bands on the published score."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from pingxing import scheme as schemes
from pingxing.rate.entities import Entity
from pingxing.rate.rating import rate
from pingxing.rounding import mean, percent, publish, trimmed_mean


@pytest.mark.parametrize(
    "value, decimals, shown",
    [
        ("89.995", 2, "90.00"),
        ("59.995", 2, "60.00"),
        ("89.994999", 2, "89.99"),
        ("90", 2, "90.00"),
        ("0.125", 2, "0.13"),  # round() would give 0.12
        ("-0.125", 2, "-0.13"),
        ("2.5", 0, "3"),  # round() would give 2
        ("1/3", 2, "0.33"),
        ("2/3", 2, "0.67"),
    ],
)
def test_publish_rounds_half_away_from_zero(value: str, decimals: int, shown: str) -> None:
    assert str(publish(Fraction(value), decimals)) == shown


def test_means_are_exact() -> None:
    assert mean([Fraction(95), Fraction(90), Fraction(92)]) == Fraction(277, 3)
    # 去掉一个最高分和一个最低分: 100 and 60 go, (80+85+90)/3 = 85
    assert trimmed_mean([Fraction(v) for v in (80, 100, 85, 60, 90)], 1) == 85


def _entity(self_: str, peer: str, leader: str, staff: str, outstanding: str = "否") -> Entity:
    return Entity("单位", "支部", "", "1", "某人",
                  components={"自评": Fraction(self_), "互评": Fraction(peer),
                              "领导点评": Fraction(leader), "职工参评": Fraction(staff)},
                  flags={"支部评定.特别突出": outstanding, "支部评定.否决事由": ""})


@pytest.mark.parametrize(
    "parts, outstanding, score, stars",
    [
        # 0.2×90 + 0.3×5399/60 + 0.2×90 + 0.3×90 = 18 + 26.995 + 18 + 27 = 89.995 → 90.00
        (("90", "5399/60", "90", "90"), "是", "90.00", 5),
        (("90", "5399/60", "90", "90"), "否", "90.00", 4),
        # 0.2×60 + 0.3×3599/60 + 0.2×60 + 0.3×60 = 59.995 → 60.00 → two stars
        (("60", "3599/60", "60", "60"), "否", "60.00", 2),
        # 59.99 stays below 60 → one star (the floor of this scheme)
        (("59.99", "59.99", "59.99", "59.99"), "否", "59.99", 1),
        (("80", "80", "80", "80"), "否", "80.00", 4),
        (("79.99", "79.99", "79.99", "79.99"), "否", "79.99", 3),
        (("0", "0", "0", "0"), "否", "0.00", 1),
    ],
)
def test_bands_apply_to_published_score(parts: tuple[str, ...], outstanding: str, score: str, stars: int) -> None:
    scheme = schemes.load("member-weighted")
    [r] = rate(scheme, [_entity(*parts, outstanding=outstanding)])
    assert (str(r.score), r.stars, r.status) == (score, stars, "rated")


def test_five_stars_need_outstanding_and_reason_says_so() -> None:
    scheme = schemes.load("member-weighted")
    [r] = rate(scheme, [_entity("95", "95", "95", "95", "否")])
    assert r.stars == 4
    assert r.reason == "得分达到五星标准，但未评为“特别突出”，按四星评定"


def test_exact_total_is_kept_beside_published() -> None:
    scheme = schemes.load("member-weighted")
    [r] = rate(scheme, [_entity("100", "277/3", "93", "91.8", "是")])
    assert r.total == Fraction("93.84")
    assert r.score == Decimal("93.84")


def test_a_share_in_percent_has_one_decimal_and_a_target_shows_as_set() -> None:
    """One rounding for every share shown: 1/8 → 12.5, 2/3 → 66.7, 1/2 → 50.0 (report.html trims the
    .0); a scheme's target of 82.5 % reads 82.5, never 83 (the 情况汇总 once rounded it whole)."""
    assert [percent(Fraction(n, d)) for n, d in ((1, 8), (2, 3), (1, 2), (0, 5))] == ["12.5", "66.7", "50.0", "0.0"]
    assert percent(Fraction(1, 2), trim=True) == "50" and percent(Fraction("0.825"), trim=True) == "82.5"
    assert percent(Fraction(1, 2000)) == "0.1"  # 0.05 % rounds half away from zero
