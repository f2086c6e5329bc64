"""The one cell parser: NFKC, ASCII numbers, Decimal; blank, zero and n/a are different."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from pingxing.cells import normalize_header, normalize_id, normalize_text, parse_choice, parse_number


@pytest.mark.parametrize(
    "raw, state, value, code",
    [
        ("", "blank", None, ""),
        ("   ", "blank", None, ""),
        (0, "ok", Decimal(0), ""),
        (90, "ok", Decimal(90), ""),
        (89.9, "ok", Decimal("89.9"), ""),
        (0.1 + 0.2, "ok", Decimal("0.3"), ""),  # what Excel shows (15 significant digits)
        ("90", "ok", Decimal(90), "text-number"),
        (" 90 ", "ok", Decimal(90), "text-number"),
        ("９０", "ok", Decimal(90), "full-width"),
        ("９０．５", "ok", Decimal("90.5"), "full-width"),
        ("90分", "ok", Decimal(90), "unit-suffix"),
        ("/", "na", None, ""),
        ("无", "na", None, ""),
        ("nan", "bad", None, "not-a-number"),
        ("inf", "bad", None, "not-a-number"),
        ("1_000", "bad", None, "not-a-number"),
        ("٩٠", "bad", None, "not-a-number"),  # Arabic-Indic digits: float() would take them
        ("九十", "bad", None, "not-a-number"),
        ("85-90", "bad", None, "not-a-number"),
        ("缺考", "bad", None, "not-a-number"),
        (True, "bad", None, "not-a-number"),
        (datetime(1900, 3, 30), "bad", None, "date-not-number"),
        (float("nan"), "bad", None, "not-a-number"),
    ],
)
def test_parse_number(raw: object, state: str, value: Decimal | None, code: str) -> None:
    n = parse_number(raw)
    assert (n.state, n.value, n.code) == (state, value, code)


def test_invisible_characters_are_dropped_for_matching() -> None:
    assert normalize_text("\ufeff张\u200b伟\u3000 ") == "张伟"
    assert normalize_text("张\xa0\xa0伟") == "张 伟"
    assert normalize_header(" 得 分 ") == "得分"
    assert normalize_header(1.1) == "1.1"


def test_ids_are_text() -> None:
    assert normalize_id(1001.0) == "1001"
    assert normalize_id(" 007 ") == "007"
    assert normalize_id("1001.0") == "1001"


def test_choices() -> None:
    assert parse_choice(" 是 ", ["是", "否"]) == ("ok", "是")
    assert parse_choice("", ["是", "否"]) == ("blank", "")
    assert parse_choice("Y", ["是", "否"]) == ("bad", "Y")
