"""What every rule kind sees besides the ratings: the scheme, the period, and where to put
problems and unit-level marks."""

from __future__ import annotations

from dataclasses import dataclass

from pingxing.problems import Problem
from pingxing.scheme.model import Scheme


@dataclass
class Context:
    scheme: Scheme
    period: str
    problems: list[Problem]
    units: dict[str, list[str]]  # unit → marks such as 不得评为优秀
