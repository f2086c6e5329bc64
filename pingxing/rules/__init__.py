"""Rule kinds: each turns entity figures into statuses, stars and reasons.

A rule kind is a function ``apply(rule, scheme, ratings)`` over the whole population of a
(scheme, period), because some kinds (quotas, single awards) compare entities. Rules run
in the order the scheme lists them; each skips entities already ``incomplete`` or
``disqualified``. Adding a kind = a pydantic model in :mod:`pingxing.schemes` + a module
here registered in :data:`APPLY`.
"""

from __future__ import annotations

from typing import Any, Callable

from . import bands, veto

APPLY: dict[str, Callable[[Any, Any, list[Any]], None]] = {
    "bands": bands.apply,
    "veto": veto.apply,
}
