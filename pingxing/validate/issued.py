"""Returned forms judged against what was sent out (CONTRACT.md "The campaign record").

For a (scheme, period) whose campaign is recorded, every returned form is matched to the workbook it
was issued as (:meth:`~pingxing.record.campaign.Campaign.match`): a form that matches nothing issued
is ``not-issued``, a form replaced by a newer issue is ``superseded-form``; both are not counted.
Every current workbook that did not come back is ``not-returned``. The :class:`Roll` that results
says who is rated where — from the record, never from the copy of the roster inside a form.

Without a record of the campaign, the forms are rated as before (each form's own ``_roster``) with
one ``not-registered`` warning: who has not returned cannot be known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pingxing import periods
from pingxing.problems import Problem, problem
from pingxing.record.campaign import Campaign, Workbook
from pingxing.scheme.model import Scheme
from pingxing.validate.formdata import FormData


@dataclass
class Roll:
    """Who should be rated in a (scheme, period), as the record says."""

    books: list[Workbook]  # the current workbooks, in the order issued
    returned: dict[str, list[str]] = field(default_factory=dict)  # form_id → the returned files matched to it
    surveyed: dict[str, set[str]] = field(default_factory=dict)  # form_id → its sheets a survey import stands in for
    homes: dict[str, tuple[str, str]] = field(default_factory=dict)  # 编号 → where they belong now (record.campaign.place)

    def owed(self) -> list[Workbook]:
        """The workbooks not back yet (催交): a survey import stands in for its own sheet only."""
        return [w for w in self.books if w.form_id not in self.returned
                and not set(w.sheets) <= self.surveyed.get(w.form_id, set())]


def judge(scheme: Scheme, period: str, forms: list[FormData], recorded: Campaign | None,
          record: str) -> tuple[list[FormData], list[Problem], Roll | None]:
    """The forms that count, the problems, and the roll (None without a recorded campaign)."""
    kept = [f for f in forms if _judged(f)]
    others = [f for f in forms if not _judged(f)]
    if recorded is None:
        if not kept:
            return forms, [], None
        return forms, [problem("not-registered", entity=scheme.title, scheme=scheme.title, period=period, record=record,
                               period_words=periods.in_words(period))], None
    problems: list[Problem] = []
    roll = Roll(recorded.current, homes=recorded.homes(scheme.level == "member"))
    counted: list[FormData] = []
    for f in kept:
        m = recorded.match(f.form_id, f.unit, f.branch, f.sheet_names or f.sheets)
        if m.kind == "issued" and m.workbook is not None:
            f.form_id = m.workbook.form_id  # a form issued before this version gets its workbook's id
            if f.survey:
                roll.surveyed.setdefault(f.form_id, set()).update(f.sheet_names)
            else:
                roll.returned.setdefault(f.form_id, []).append(f.file)
            counted.append(f)
        elif m.kind == "superseded" and m.workbook is not None:
            newer = m.newer.file if m.newer is not None else ""
            problems.append(problem("superseded-form", file=f.file, sheet="_meta", value=f.form_id, sha256=f.sha256,
                                    where=m.workbook.where, newer=newer))
        else:
            where = f"{f.unit}{f.branch}" or f.file
            problems.append(problem("not-issued", file=f.file, sheet="_meta", value=f.form_id, sha256=f.sha256,
                                    where=where, period_words=periods.in_words(period)))
    for w in roll.owed():
        problems.append(problem("not-returned", file=w.file, entity=w.where, where=w.where, book=w.book or "表格",
                                file_name=w.file))
    for p in problems:  # a superseded form whose newer issue came back is only a warning
        if p.code == "superseded-form" and any(f for f in counted if f.form_id and f.file != p.file
                                                and _newer_back(recorded, p.value, f.form_id)):
            problems[problems.index(p)] = problem("superseded-form", "replaced", file=p.file, sheet="_meta",
                                                  value=p.value, sha256=p.sha256, severity="warning",
                                                  where=_where(recorded, p.value))
    return counted + others, problems, roll


def _judged(f: FormData) -> bool:
    """A returned form (not the committee's corrections, re-check or settings workbook)."""
    return f.corrections is None and f.rechecks is None and f.settings is None


def _newer_back(recorded: Campaign, old: str, returned: str) -> bool:
    return any(w.form_id == returned for w in recorded.successors(old))


def _where(recorded: Campaign, form_id: str) -> str:
    w = recorded.by_id(form_id)
    return w.where if w is not None else ""
