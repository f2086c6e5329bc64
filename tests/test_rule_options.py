"""Rule options added for the branch schemes, each generic and validated in the scheme file:
a ledger check that applies only ``when`` a condition holds, grades counting only some
checklist ``sheets``, ledger gaps named as a clerk names them, public notes on a tied award."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from clerk import scheme_variant

from pingxing import scheme as schemes
from pingxing.errors import SchemeError
from pingxing.periods import months as months_of
from pingxing.rate.rules.ledger import shortfall
from pingxing.scheme.rules import LedgerCheck


def _write(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    return scheme_variant(tmp_path, "branch-standard", change)


CASES = [
    (lambda d: d["rules"][0]["checks"][4]["when"].update(column="基本情况.设支委会"),
     "rules[0].checks[4].when.column: 工作表“基本情况”中没有“设支委会”列"),
    (lambda d: d["rules"][0]["checks"][4]["when"].update(equals="有"),
     "rules[0].checks[4].when.column: “有”不是“设支部委员会”列的可选项 ['是', '否']"),
    (lambda d: d["rules"][1].update(sheets=["台账"]), "rules[1].sheets[0]: 工作表“台账”的 kind 是 ledger，这里不能用"),
    (lambda d: d["rules"][1].update(sheets=["验收"]), "rules[1].sheets[0]: 没有名为“验收”的工作表（组成部分）"),
]


@pytest.mark.parametrize("change, message", CASES)
def test_invalid_option_names_the_key(tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str) -> None:
    path = _write(tmp_path, change)
    with pytest.raises(SchemeError) as err:
        schemes.load(str(path))
    assert str(err.value) == f"{path}: {message}"


@pytest.mark.parametrize("every, period, gap", [
    ("month", "2026", "缺1月、2月、3月、4月、5月、6月、7月、8月、9月、10月、11月、12月"),
    ("quarter", "2026", "缺第一季度、第二季度、第三季度、第四季度"),
    ("half", "2026H2", "缺下半年"),
    ("half", "2025-2026", "缺2025年上半年、2025年下半年、2026年上半年、2026年下半年"),
    ("year", "2025-2026", "缺2025年、2026年"),
    ("month", "2025-2026", "缺2025年1月、" + "、".join(f"2025年{m}月" for m in range(2, 13)) + "、"
     + "、".join(f"2026年{m}月" for m in range(1, 13))),
])
def test_ledger_gaps_are_named_as_a_clerk_names_them(every: str, period: str, gap: str) -> None:
    check = LedgerCheck(name="x", type="党员大会", every=every)
    assert shortfall(check, [], months_of(period)) == gap


def test_a_met_block_is_not_named() -> None:
    rows = [{"类型": "党员大会", "日期": date(2026, m, 20)} for m in (2, 5, 11)]
    check = LedgerCheck(name="x", type="党员大会", every="quarter")
    assert shortfall(check, rows, months_of("2026")) == "缺第三季度"
