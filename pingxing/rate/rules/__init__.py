"""Rule kinds: each turns entity figures into statuses, stars, names, grades and reasons.

A rule kind is a function ``apply(rule, ctx, ratings)`` over the whole population of a
(scheme, period), because some kinds (quotas, single awards) compare entities. Rules run
in the order the scheme lists them; each leaves ``incomplete`` and ``disqualified``
entities alone. Adding a kind = a pydantic model in :mod:`pingxing.scheme.rules` + a module
here registered in :data:`APPLY`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pingxing.rate.rules import appraisal, award, bands, demote, grades, ledger, lists, named_stars, quota, veto
from pingxing.rate.rules.context import Context

__all__ = ["APPLY", "Context"]

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
    "exclude": appraisal.apply_exclude,
    "propose_grade": appraisal.apply_propose,
}
