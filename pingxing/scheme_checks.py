"""Semantic checks of a parsed scheme, each failing with the key path of the culprit.

Pydantic checks the shape (keys, types, ranges); these check what the pieces say about
each other: weights sum to 1, references name real columns, bands neither overlap nor
leave gaps, a band's requirement has a band to fall back to.
"""

from __future__ import annotations

from decimal import Decimal

from .errors import SchemeError
from .schemes import (
    NUMERIC_KINDS,
    RESERVED_SHEETS,
    BallotsComponent,
    BandsRule,
    FlagsComponent,
    Scheme,
    VetoRule,
)


def check(s: Scheme, file: str) -> None:
    def fail(path: str, message: str) -> None:
        raise SchemeError(file, path, message)

    seen: set[str] = set()
    for i, c in enumerate(s.components):
        if c.sheet in RESERVED_SHEETS:
            fail(f"components[{i}].sheet", f"“{c.sheet}”是保留的工作表名，请换一个名称")
        if c.sheet in seen:
            fail(f"components[{i}].sheet", f"工作表“{c.sheet}”重复")
        seen.add(c.sheet)
        if isinstance(c, BallotsComponent) and c.aggregate.method == "trimmed_mean":
            need = 2 * c.aggregate.trim + 1
            if c.aggregate.min_ballots is None or c.aggregate.min_ballots < need:
                fail(
                    f"components[{i}].aggregate.min_ballots",
                    f"去掉最高分和最低分时至少需要 {need} 张票，请设置 min_ballots ≥ {need}",
                )
        if isinstance(c, FlagsComponent):
            for j, col in enumerate(c.columns):
                if col.default is not None and col.choices and col.default not in col.choices:
                    fail(
                        f"components[{i}].columns[{j}].default",
                        f"默认值“{col.default}”不在可选项 {col.choices} 中",
                    )

    numeric = {c.sheet: c for c in s.components if c.kind in NUMERIC_KINDS}
    for sheet, w in s.total.weights.items():
        if sheet not in numeric:
            fail(f"total.weights.{sheet}", f"没有名为“{sheet}”的计分组成部分（items/ballots/score）")
        if not Decimal(0) < w <= 1:
            fail(f"total.weights.{sheet}", "权重必须大于 0 且不超过 1")
    total = sum(s.total.weights.values(), Decimal(0))
    if total != 1:
        fail("total.weights", f"权重之和必须等于 1（现在是 {total.normalize()}）")
    for sheet in numeric:
        if sheet not in s.total.weights:
            fail("total.weights", f"计分组成部分“{sheet}”没有权重")
    top = sum((numeric[k].max * w for k, w in s.total.weights.items()), Decimal(0))

    for r, rule in enumerate(s.rules):
        base = f"rules[{r}]"
        if isinstance(rule, VetoRule):
            for k, cond in enumerate(rule.conditions):
                _check_column(s, cond.column, f"{base}.conditions[{k}].column", fail, cond.when)
        if isinstance(rule, BandsRule):
            _check_bands(s, rule, base, top, fail)
    if sum(isinstance(r, BandsRule) for r in s.rules) != 1:
        fail("rules", "必须有且只有一条 kind: bands 规则")


def _check_column(s: Scheme, ref: str, path: str, fail, value: str | None = None) -> None:  # type: ignore[no-untyped-def]
    sheet, _, header = ref.partition(".")
    comp = next((c for c in s.components if c.sheet == sheet), None)
    if not isinstance(comp, FlagsComponent):
        fail(path, f"“{ref}”应写成 <支部评定类工作表>.<列名>，没有名为“{sheet}”的 flags 工作表")
        return
    col = next((c for c in comp.columns if c.header == header), None)
    if col is None:
        fail(path, f"工作表“{sheet}”中没有“{header}”列")
        return
    if value not in (None, "filled") and col.choices and value not in col.choices:
        fail(path, f"“{value}”不是“{header}”列的可选项 {col.choices}")


def _check_bands(s: Scheme, rule: BandsRule, base: str, top: Decimal, fail) -> None:  # type: ignore[no-untyped-def]
    spans = []
    for b, band in enumerate(rule.bands):
        lo = band.min if band.min is not None else Decimal(0)
        hi = band.max
        if hi is not None and hi <= lo:
            fail(f"{base}.bands[{b}]", f"区间下限 {lo} 不小于上限 {hi}")
        if band.requires is not None:
            _check_column(s, band.requires.column, f"{base}.bands[{b}].requires.column", fail,
                          band.requires.equals)
        spans.append((lo, hi, b))
    spans.sort(key=lambda x: x[0])
    if spans[0][0] > 0:
        fail(f"{base}.bands[{spans[0][2]}]", f"分数段没有覆盖 0 到 {spans[0][0]}")
    for (lo1, hi1, b1), (lo2, _hi2, b2) in zip(spans, spans[1:]):
        if hi1 is None or hi1 > lo2:
            fail(f"{base}.bands[{b2}]", f"分数段与 bands[{b1}] 重叠")
        if hi1 < lo2:
            fail(f"{base}.bands[{b2}]", f"分数段 [{hi1}, {lo2}) 没有对应的星级")
    if spans[-1][1] is not None and spans[-1][1] <= top:
        fail(f"{base}.bands[{spans[-1][2]}]", f"最高分数段应不设 max（总分最高可达 {top.normalize()}）")
    for b, band in enumerate(rule.bands):
        if band.requires is not None:
            below = [x for x in spans if x[1] == band.min]
            if not below:
                fail(f"{base}.bands[{b}].requires", "不满足条件时无下一档可降，请在其下方设置分数段")
