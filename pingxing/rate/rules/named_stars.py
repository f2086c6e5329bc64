"""Named stars (战斗堡垒星, 学习模范星 …): each assessed on its own; level = how many were earned."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from pingxing.problems import problem
from pingxing.rate.anonymity import share_words
from pingxing.rate.rules.conditions import label, passes
from pingxing.rounding import fraction, percent
from pingxing.scheme.rules import AllPassStarsRule, VoteStarsRule


def apply_votes(rule: VoteStarsRule, ctx: Any, ratings: list[Any]) -> None:
    """A star is earned when its share of valid ballots reaches the threshold and is not vetoed."""
    for r in ratings:
        if r.status != "rated":
            continue
        names = _names(r.entity.flags.get(rule.veto_column, "")) if rule.veto_column else []
        vetoed = set(names)
        unknown = [n for n in names if n not in rule.stars]
        if unknown and rule.veto_column:  # a mistyped star name must not silently leave that star granted
            sheet, _, header = rule.veto_column.partition(".")
            ctx.problems.append(problem("unknown-star", sheet=sheet, entity=f"{r.entity.id} {r.entity.name}",
                                        header=header, unknown="、".join(unknown), stars="、".join(rule.stars)))
            r.status, r.stars = "incomplete", None
            r.reasons.append(f"“{header}”中有不认识的星名：{'、'.join(unknown)}")
            continue
        earned, missed = [], []
        k = ctx.scheme.anonymity.min_ballots
        for star in rule.stars:
            shares = shares_of(rule, r.entity.votes, star)
            met = reaches(rule, shares)
            if met and star in vetoed:
                r.reasons.append(f"{star}{_reached(rule)}，但经支部评定不予授予")
            elif met:
                earned.append(star)
            elif len(shares) == 1:
                missed.append(f"{star}（得票率{share_words(r.entity, rule.groups, _pct(shares[0]), k)}）")
            else:  # each group on its own: say which group fell short
                missed.append(f"{star}（" + "、".join(f"{g}得票率{share_words(r.entity, [g], _pct(s), k)}"
                                                     for g, s in zip(rule.groups, shares, strict=True)) + "）")
        r.star_names, r.stars = earned, len(earned)
        if missed:
            r.reasons.append("未获" + "、".join(missed))


def shares_of(rule: VoteStarsRule, votes: Mapping[str, Mapping[str, tuple[int, int]]], star: str) -> list[Fraction]:
    """``star``'s share of the valid ballots (``votes``: sheet → star → (votes, valid ballots)): one per
    group (``each``), or one over the groups' summed votes."""
    counts = [votes[g][star] for g in rule.groups]
    if rule.mode == "combined":
        return [Fraction(sum(v for v, _ in counts), sum(n for _, n in counts))]
    return [Fraction(v, n) for v, n in counts]


def reaches(rule: VoteStarsRule, shares: list[Fraction]) -> bool:
    """Whether every share reaches the rule's threshold (strictly more when ``strict``)."""
    share = fraction(rule.share)
    return all(s > share if rule.strict else s >= share for s in shares)


def apply_all_pass(rule: AllPassStarsRule, ctx: Any, ratings: list[Any]) -> None:
    """只要有一项达不到要求的即不得星: the failed items of each missed star go into ``reason``."""
    for r in ratings:
        if r.status != "rated":
            continue
        earned = []
        for star in rule.stars:
            failed = [label(ctx.scheme, c) for c in star.items if not passes(c, r)]
            if failed:
                r.reasons.append(f"未获{star.name}：" + "；".join(failed) + " 未达标")
            else:
                earned.append(star.name)
        r.star_names, r.stars = earned, len(earned)


def _reached(rule: VoteStarsRule) -> str:
    return "得票过半" if rule.share == Fraction(1, 2) and rule.strict else "得票达到标准"


def _names(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", " "):
        text = text.replace(sep, "、")
    return [t for t in text.split("、") if t]


def _pct(f: Fraction) -> str:
    return f"{percent(f)}%"
