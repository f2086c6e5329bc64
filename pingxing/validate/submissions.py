"""Rules across returned files: which submissions of one scheme count in this run.

Forms name their scheme and period in ``_meta``. When the input holds forms of one scheme for
several periods of the same kind and no ``--period`` was given, one period is this run's (a scheme
rated both half-yearly and yearly keeps one of each kind): the period most forms belong to (on a
tie, a period whose campaign is recorded, then the latest). A form of another period is almost
always last year's form reused by mistake (BAD_FORMS.md row 18) — or a stray one — and rating it
would replace that period's published folder with a partial one: it gets a ``wrong-period``
problem saying how to rate that period on purpose. One stray form never outvotes the real period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pingxing import periods
from pingxing.problems import Problem, problem
from pingxing.validate.formdata import FormData

if TYPE_CHECKING:
    pass

_END_MONTH = {"quarter": 3, "half": 6, "year": 12, "biennium": 12}


def period_end(period: str) -> tuple[int, int]:
    """(year, month) a period ends in: ``2026Q3`` → (2026, 9); ``2025-2026`` → (2026, 12)."""
    kind = periods.kind_of(period)
    if kind in ("quarter", "half"):
        return int(period[:4]), _END_MONTH[kind] * int(period[5])
    if kind in ("year", "biennium"):
        return int(period[-4:]), 12
    return 0, 0


def keep_current_periods(by_key: dict[tuple[str, str], list[FormData]],
                         recorded: set[tuple[str, str]] = frozenset()) -> list[Problem]:  # type: ignore[assignment]
    """Drop from ``by_key`` every (scheme, period) that is not its scheme's period in this run."""
    current: dict[tuple[str, str | None], str] = {}  # per scheme and kind of period: 2026H1 and 2026 both count
    for scheme, period in by_key:
        kind = (scheme, periods.kind_of(period))
        weight = (len(by_key[scheme, period]), (scheme, period) in recorded, period_end(period))
        best = current.get(kind)
        if best is None or weight > (len(by_key[scheme, best]), (scheme, best) in recorded, period_end(best)):
            current[kind] = period
    problems = []
    for key in sorted(by_key):
        scheme, period = key
        chosen = current[(scheme, periods.kind_of(period))]
        if period == chosen:
            continue
        variant = "older" if period_end(period) < period_end(chosen) else "stray"
        for form in by_key.pop(key):
            problems.append(problem("wrong-period", variant, file=form.file, sheet="_meta", value=period,
                                    sha256=form.sha256, period=period, newest=chosen))
    return problems
