"""Rate entities: weighted total (exact), published score, then the scheme's rules in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .aggregate import Entity
from .rounding import exact, publish
from .rules import APPLY
from .schemes import Scheme


@dataclass
class Rating:
    """The result for one entity, as it will be published (CONTRACT ``results.csv``)."""

    entity: Entity
    level: str
    status: str  # rated | incomplete | disqualified
    total: Fraction | None = None  # exact
    score: Decimal | None = None  # published (rounded half away from zero)
    stars: int | None = None
    star_names: list[str] = field(default_factory=list)
    grade: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)

    def component_scores(self, decimals: int) -> dict[str, Decimal]:
        return {k: publish(v, decimals) for k, v in self.entity.components.items()}


def rate(scheme: Scheme, entities: list[Entity]) -> list[Rating]:
    ratings: list[Rating] = []
    for e in entities:
        if not e.complete:
            ratings.append(Rating(e, scheme.level, "incomplete", reasons=list(e.reasons)))
            continue
        total = sum(
            (exact(w) * e.components[sheet] for sheet, w in scheme.total.weights.items()), Fraction(0)
        )
        ratings.append(Rating(e, scheme.level, "rated", total=total, score=publish(total, scheme.decimals)))
    for rule in scheme.rules:
        APPLY[rule.kind](rule, scheme, ratings)
    return ratings
