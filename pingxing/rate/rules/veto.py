"""一票否决: any condition met → ``disqualified`` (no star level — not the same as 无星)."""

from __future__ import annotations

from typing import Any

from pingxing.scheme.rules import VetoRule


def apply(rule: VetoRule, ctx: Any, ratings: list[Any]) -> None:
    for r in ratings:
        if r.status != "rated":
            continue
        hits = []
        for cond in rule.conditions:
            value = r.entity.flags.get(cond.column, "")
            if (cond.when == "filled" and value) or (cond.when != "filled" and value == cond.when):
                label = cond.label or cond.column.partition(".")[2]
                hits.append(f"{label}：{value}" if cond.when == "filled" else label)
        if hits:
            r.status, r.stars = "disqualified", None
            r.reasons.append("取消评星资格（" + "；".join(hits) + "）")
