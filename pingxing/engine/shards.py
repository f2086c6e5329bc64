"""A (scheme, period) found in the input, and the shards it is rated in.

A run of a province reads 100,000 workbooks: each validated form's sheets wait in the run's
spool on disk until their shard is rated. A shard is the smallest part of a (scheme, period)
the scheme's rules allow to be rated on its own (:func:`shard_scope`).
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field
from datetime import date

from pingxing.engine.spool import Spool
from pingxing.problems import Problem
from pingxing.rate.rating import Rating
from pingxing.rate.summary import Summary
from pingxing.record.campaign import Workbook
from pingxing.record.store import Adjustment
from pingxing.scheme.model import Scheme
from pingxing.validate.corrections import Correction
from pingxing.validate.formdata import FormData
from pingxing.validate.issued import Roll
from pingxing.validate.recheck import Recheck
from pingxing.validate.settings import Settings

#: how far a scheme's rules look across entities: a shard is rated on its own
BRANCH, UNIT, ALL = "branch", "unit", "all"


def shard_scope(scheme: Scheme, corrections: bool = False) -> str:
    """The smallest part of a (scheme, period) that can be rated on its own.

    Most rules look at one entity (bands, veto, named stars …): a member scheme is rated
    branch by branch, one branch's forms in memory at a time. A rule that compares the branches
    of a unit (a unit quota, 不得评为优秀) — and every branch scheme, whose 公示 lists a unit —
    needs a unit at a time; a rule over everyone (a city-wide quota, a single award) and
    corrections or re-checks (which name entities anywhere and re-issue changed notices) need
    the whole period at once.
    """
    kinds = {rule.kind for rule in scheme.rules}
    if corrections or "award" in kinds or any(getattr(r, "scope", None) == "all" for r in scheme.rules):
        return ALL
    if scheme.level != "member" or "unit_limit" in kinds or "quota" in kinds:
        return UNIT
    return BRANCH


@dataclass
class Shard:
    key: tuple[str, str]  # (unit, branch), (unit, "") or ("", "")
    stages: list[tuple[date | None, list[Rating]]]  # original, then each revision (corrections)

    @property
    def ratings(self) -> list[Rating]:
        return self.stages[-1][1]


@dataclass
class Group:
    """One (scheme, period) found in the input. Its forms' headers are here; their sheets wait
    in the run's spool until their shard is rated (:meth:`parts`, :meth:`load`). Once rated
    (:func:`pingxing.pipeline.rated_shards`), the rating's tallies are filled in."""

    scheme: Scheme
    period: str
    forms: list[FormData]  # every form's header; its sheets wait in the run's spool
    spool: Spool | None = None
    refs: dict[str, tuple[int, int]] = field(default_factory=dict)  # form file → where its sheets are in the spool
    problems: list[Problem] = field(default_factory=list)  # its files' problems; once rated, all of the group's
    units: dict[str, list[str]] = field(default_factory=dict)  # once rated: unit → marks (不得评为优秀 …)
    adjustments: list[Adjustment] = field(default_factory=list)  # once rated: the corrections applied
    summary: Summary | None = None  # once rated: the counts of the ratings
    timings: dict[str, float] = field(default_factory=dict)
    roll: Roll | None = None  # who should be rated, as the record says (None: no campaign recorded)
    starts: dict[str, str] = field(default_factory=dict)  # once published: each notice's publicity start

    @property
    def files(self) -> set[str]:
        return {f.file for f in self.forms}

    @property
    def corrections(self) -> list[Correction]:
        return [c for f in self.forms if f.corrections for c in f.corrections]

    @property
    def rechecks(self) -> list[Recheck]:
        return [c for f in self.forms if f.rechecks for c in f.rechecks]

    @property
    def settings(self) -> list[Settings]:
        """The clerk's settings workbooks for this (scheme, period), in file order."""
        return [s for f in sorted(self.forms, key=lambda f: f.file) if f.settings for s in f.settings]

    @property
    def scope(self) -> str:
        return shard_scope(self.scheme, bool(self.corrections or self.rechecks))

    @property
    def rated(self) -> bool:
        return self.summary is not None

    def parts(self) -> list[tuple[tuple[str, str], list[FormData], list[Workbook]]]:
        """The shards to rate, in order: their keys, the headers of their forms and the workbooks the
        record says were issued for them (returned or not)."""
        scope = self.scope

        def key(unit: str, branch: str) -> tuple[str, str]:
            return ("", "") if scope == ALL else (unit, "") if scope == UNIT else (unit, branch)

        forms: dict[tuple[str, str], list[FormData]] = {}
        books: dict[tuple[str, str], list[Workbook]] = {}
        for f in self.forms:
            if f.corrections is None and f.rechecks is None and f.settings is None:
                forms.setdefault(key(f.unit, f.branch), []).append(f)
        for w in self.roll.books if self.roll is not None else ():
            books.setdefault(key(w.unit, w.branch), []).append(w)
        return [(k, forms.get(k, []), books.get(k, [])) for k in sorted(set(forms) | set(books))]

    def load(self, header: FormData) -> FormData:
        """A form whole again: its sheets read back from the spool."""
        ref = self.refs.get(header.file)
        if ref is None or self.spool is None:
            return header
        sheets, roster = pickle.loads(self.spool.get(ref))
        return dataclasses.replace(header, sheets=sheets, roster=roster)  # (the header as judged: its form_id …)
