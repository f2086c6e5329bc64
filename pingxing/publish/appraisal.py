"""民主评议 in the internal document: whom it lists (the grades the scheme keeps internal, such as
基本合格 and 不合格, and every member whose decided grade differs from the proposal) and what it says
of each (where, the branch's reason, the lists: 需组织处置 …). Never in a public notice."""

from __future__ import annotations

from typing import Any

from pingxing.rate.rules.appraisal import proposing

INTRO = ("以下为{words}民主评议党员中评定为{grades}的党员，以及支部评定等次与票决建议等次不同的党员（附理由），"
         "仅供党组织内部掌握，不得公开张贴或转发。评为不合格的，由党组织按规定处置（限期改正、劝退或除名）。")


def listed(scheme: Any, r: Any) -> bool:
    """Whether the internal document lists ``r`` for its grade or for a decision against the votes."""
    rule = proposing(scheme)
    return (rule is not None and r.status == "rated"
            and (r.grade in rule.internal or r.grade != r.proposed_grade))


def note(scheme: Any, r: Any, public: set[str]) -> str:
    """What the internal document says beside the name: the branch, a decision against the votes
    with its reason, the (internal) lists."""
    rule = proposing(scheme)
    e = r.entity
    parts = [f"{e.unit}{e.branch}"]
    if rule is not None and r.grade != r.proposed_grade:
        why = e.flags.get(rule.decision.reason, "").strip() if rule.decision is not None else ""
        parts.append(f"建议等次{r.proposed_grade}，支部评定为{r.grade}，理由：{why}")
    lists = "、".join(a for a in r.actions if a not in public)
    return "；".join([*parts, lists] if lists else parts)


def intro(scheme: Any, words: str) -> str | None:
    """The internal document's opening for a scheme that proposes grades (None for other schemes)."""
    rule = proposing(scheme)
    if rule is None:
        return None
    return INTRO.format(words=words, grades="、".join(rule.internal) or "—")
