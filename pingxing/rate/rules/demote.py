"""违规违纪: a recorded violation lowers the stars by some steps, or revokes them (摘星 → 无星)."""

from __future__ import annotations

from typing import Any

from pingxing.scheme.rules import DemoteRule


def apply(rule: DemoteRule, ctx: Any, ratings: list[Any]) -> None:
    header = rule.column.partition(".")[2]
    for r in ratings:
        if r.status != "rated" or r.stars is None:
            continue
        value = r.entity.flags.get(rule.column, "")
        step = rule.steps.get(value)
        if step is None or step == 0:
            continue
        before = r.stars
        r.stars = 0 if step == "all" else max(0, r.stars - step)
        action = "摘星" if step == "all" else f"降{step}星"
        r.reasons.append(f"{header}：{value}，{action}（由{before}星改为{r.stars}星）")
