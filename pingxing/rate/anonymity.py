"""The anonymity guard (DOMAIN.md "Objections during publicity"): a part that rests on fewer than
k ballots would let a rater be traced, so everywhere outside ``results.csv`` (the committee's own
file) it is shown as 不足{k}票，不单独列示, and a warning ``few-ballots`` tells the committee.

Which parts rest on ballots (票) — anonymous raters' marks, counted per entity in
:attr:`Entity.ballots <pingxing.rate.entities.Entity.ballots>`:

* ``ballots`` (互评, 职工参评): the figure is the mean of the raters' scores; k counts the ballots
  that were filled in;
* ``tally`` (群众测评): the satisfaction counts and rate; k counts the valid ballots the figure is
  worked out over (with ``score_weights``, those scored);
* ``votes`` (named stars) and ``grade_votes`` (民主评议): the votes per star or grade and their
  shares; k counts the valid ballots.

Not ballots: ``items`` (the member's own 自评, or the assessment group's 考评), ``score`` (领导点评: an
official's open mark, one column per role), ``checklist``, ``flags``, ``bonus``, ``ledger``.

Every writer that shows a part's figure asks :func:`withheld` — the one place the guard's words are
made (:func:`guard_text`).
"""

from __future__ import annotations

from typing import Any

from pingxing.problems import Problem, problem

#: the component kinds whose figure rests on anonymous ballots
BALLOT_KINDS = ("ballots", "tally", "votes", "grade_votes")
#: what a ballot cell's correction shows instead of the new value (one rater's ballot)
BALLOT_VALUE_HIDDEN = "（选票数值不列示）"


def guard_text(k: int) -> str:
    """What is shown instead of a part resting on fewer than ``k`` ballots."""
    return f"不足{k}票，不单独列示"


def withheld(entity: Any, sheet: str, k: int) -> str:
    """:func:`guard_text` when ``entity``'s part ``sheet`` rests on fewer than ``k`` ballots, else ""."""
    n = entity.ballots.get(sheet)
    return guard_text(k) if n is not None and n < k else ""


def correction_value(c: Any, scheme: Any, entity: Any) -> str:
    """A correction's value as every output but the record shows it (the reason in results.csv and
    results.xlsx, 计算明细): a 更正项目 of a ballot cell never with its new value (one rater's ballot),
    nor one of a count (votes, a tally) of a part withheld for fewer than k ballots."""
    if c.action != "更正项目":
        return str(c.value)
    ref = str(c.value).partition("=")[0].strip()
    sheet = ref.partition(".")[0]
    kind = next((x.kind for x in scheme.components if x.sheet == sheet), "")
    if kind == "ballots":
        return f"{ref}={BALLOT_VALUE_HIDDEN}"
    guard = withheld(entity, sheet, scheme.anonymity.min_ballots) if kind in BALLOT_KINDS else ""
    return f"{ref}=（{guard}）" if guard else str(c.value)


def share_words(entity: Any, sheets: Any, words: str, k: int) -> str:
    """``words`` (a vote share, a rate) of parts ``sheets`` of ``entity``; :func:`guard_text` when any of
    them rests on fewer than ``k`` ballots."""
    ballots = entity.ballots
    return guard_text(k) if any(ballots.get(s, k) < k for s in sheets) else words


def few_ballots(scheme: Any, entity: Any, sheet: str, source: Any, row: int, problems: list[Problem]) -> None:
    """A warning ``few-ballots`` when ``entity``'s part ``sheet`` rests on fewer ballots than the
    scheme's ``anonymity.min_ballots`` (``source``: the form its row came from)."""
    k = scheme.anonymity.min_ballots
    n = entity.ballots[sheet]
    if n < k:
        problems.append(problem("few-ballots", file=source.file, sheet=sheet, cell=f"A{row}",
                                entity=f"{entity.id} {entity.name}", sha256=source.sha256, name=entity.name,
                                n=n, k=k, shown=guard_text(k)))
