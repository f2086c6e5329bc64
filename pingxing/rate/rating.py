"""Rate entities: total (exact), published score, then the scheme's rules in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pingxing.problems import Problem
from pingxing.rate.entities import Entity
from pingxing.rate.rules import APPLY
from pingxing.rate.rules.context import Context
from pingxing.rounding import exact, publish
from pingxing.scheme.model import Scheme


@dataclass
class Rating:
    """The result for one entity, as it will be published (CONTRACT ``results.csv``)."""

    entity: Entity
    level: str
    status: str  # rated | incomplete | disqualified | excluded
    total: Fraction | None = None  # exact
    score: Decimal | None = None  # published (rounded half away from zero)
    stars: int | None = None
    star_names: list[str] = field(default_factory=list)
    grade: str = ""
    proposed_grade: str = ""  # 民主评议: the grade the votes propose (``grade`` is the branch's decision)
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # public remarks printed beside the name in notices
    actions: list[str] = field(default_factory=list)  # 通报表彰, 诫勉谈话 … (CONTRACT ``actions``)
    explanation: Any = None  # 评定计算明细: what :mod:`pingxing.rate.explain` made of it (final ratings only)

    @property
    def prev_stars(self) -> int | None:
        return self.entity.prev_stars

    @property
    def change(self) -> str:
        """升 / 降 / 持平 / 新 against the previous period ('' when there is nothing to compare)."""
        if not self.entity.has_history:
            return "新"
        if self.stars is None or self.entity.prev_stars is None:
            return ""
        return "升" if self.stars > self.entity.prev_stars else "降" if self.stars < self.entity.prev_stars else "持平"

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)

    def component_scores(self, decimals: int) -> dict[str, Decimal]:
        return {k: publish(v, decimals) for k, v in self.entity.components.items()}


def total_of(scheme: Scheme, e: Entity) -> Fraction | None:
    """Σ weight × component, plus capped bonus components, the whole capped at ``total.max``."""
    spec = scheme.total
    if spec is None:
        return None
    weights, top = _weights(spec)
    components = e.components
    num, den = 0, 1  # the sum as one integer fraction, normalised once (Fraction arithmetic is slow)
    for sheet, w in weights:
        c = components[sheet]
        n, d = w.numerator * c.numerator, w.denominator * c.denominator
        num, den = num * d + n * den, den * d
    for sheet in spec.bonus:
        c = components[sheet]
        num, den = num * c.denominator + c.numerator * den, den * c.denominator
    total = Fraction(num, den)
    if top is not None:
        total = min(total, top)
    return total


_WEIGHTS: dict[int, tuple[Any, list[tuple[str, Fraction]], Fraction | None]] = {}


def _weights(spec: Any) -> tuple[list[tuple[str, Fraction]], Fraction | None]:
    """A total's weights (and cap) as Fractions, converted once per scheme, not once per entity."""
    hit = _WEIGHTS.get(id(spec))
    if hit is None or hit[0] is not spec:
        hit = _WEIGHTS[id(spec)] = (spec, [(sheet, exact(w)) for sheet, w in spec.weights.items()],
                                    exact(spec.max) if spec.max is not None else None)
    return hit[1], hit[2]


#: one rating as a rule finds it: (status, stars, grade, how many reasons, star names)
Snapshot = tuple[str, int | None, str, int, tuple[str, ...]]


def snapshot(ratings: list[Rating]) -> list[Snapshot]:
    """Where each rating stands now (:data:`Snapshot`), in order — what a rule is then seen to change."""
    return [(r.status, r.stars, r.grade, len(r.reasons), tuple(r.star_names)) for r in ratings]


def rate(scheme: Scheme, entities: list[Entity], period: str = "", problems: list[Problem] | None = None,
         units: dict[str, list[str]] | None = None, trace: list[list[Snapshot]] | None = None) -> list[Rating]:
    """Rate every entity; ``units`` collects unit-level marks (e.g. a unit 不得评为优秀). ``trace``
    collects a :func:`snapshot` before each rule and one after the last (for 评定计算明细)."""
    ratings: list[Rating] = []
    for e in entities:
        if e.excluded:  # 不参评: not rated, whatever its forms say
            ratings.append(Rating(e, scheme.level, "excluded", reasons=[e.excluded]))
            continue
        if not e.complete:
            ratings.append(Rating(e, scheme.level, "incomplete", reasons=list(e.reasons)))
            continue
        total = total_of(scheme, e)
        score = publish(total, scheme.decimals) if total is not None else None
        ratings.append(Rating(e, scheme.level, "rated", total=total, score=score))
    ctx = Context(scheme, period, problems if problems is not None else [], units if units is not None else {})
    for rule in scheme.rules:
        if trace is not None:
            trace.append(snapshot(ratings))
        APPLY[rule.kind](rule, ctx, ratings)
    if trace is not None:
        trace.append(snapshot(ratings))
    return ratings
