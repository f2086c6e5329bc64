"""Rule kinds: each turns entity figures into statuses, stars, names, grades and reasons.

A rule kind is a function ``apply(rule, ctx, ratings)`` over the whole population of a
(scheme, period), because some kinds (quotas, single awards) compare entities. Rules run
in the order the scheme lists them; each leaves ``incomplete`` and ``disqualified``
entities alone. Adding a kind = a pydantic model in :mod:`pingxing.rule_models` + a module
here registered in :data:`APPLY`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..problems import Problem
from ..schemes import Scheme


@dataclass
class Context:
    scheme: Scheme
    period: str
    problems: list[Problem]
    units: dict[str, list[str]]  # unit → marks such as 不得评为优秀


from . import award, bands, demote, grades, ledger, lists, named_stars, quota, veto  # noqa: E402

APPLY: dict[str, Callable[[Any, Context, list[Any]], None]] = {
    "bands": bands.apply,
    "veto": veto.apply,
    "demote": demote.apply,
    "vote_stars": named_stars.apply_votes,
    "all_pass_stars": named_stars.apply_all_pass,
    "quota": quota.apply,
    "award": award.apply,
    "ledger": ledger.apply,
    "grades": grades.apply,
    "lists": lists.apply,
    "unit_limit": lists.apply_unit_limit,
}
