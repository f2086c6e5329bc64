"""The questions of each online survey, as ``survey questions`` recorded them (table ``survey_questions``).

A survey (问卷星, 腾讯问卷) fills one component sheet of a campaign: one question per member or
branch, in order, each offering the same options. The record keeps, per question, who it is about,
the options offered (their text as pasted into the platform and what each counts as) and the
workbook (``form_id``) whose copy of the sheet the survey stands in for. ``survey import`` matches an
export's questions to these.

A new list for a sheet replaces every earlier list of that sheet that asks about any of the same
people (the clerk made the survey again); lists about other people stay (one survey per branch).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pingxing.record.store import faults, open_store, transaction


@dataclass(frozen=True)
class Offered:
    """One option of a question: the text shown on the platform, and what it counts as (a tally
    category, a score, a star, a grade, or ``""`` for none)."""

    label: str
    value: str


@dataclass(frozen=True)
class Asked:
    """One recorded question: its number in the survey (1-based), whom it is about and the options."""

    seq: int
    entity_id: str
    name: str
    options: tuple[Offered, ...]
    multi: bool
    form_id: str


@dataclass(frozen=True)
class QuestionList:
    """One survey of a sheet: its id, when it was recorded, its questions in order."""

    survey: str
    recorded_at: str
    questions: tuple[Asked, ...]

    @property
    def form_ids(self) -> list[str]:
        """The workbooks it stands in for, in the order their people are asked about."""
        return list(dict.fromkeys(q.form_id for q in self.questions))


def record_questions(path: Path, scheme: str, period: str, sheet: str, questions: Sequence[Asked]) -> str:
    """Record a survey's questions (replacing earlier lists of the sheet about any of the same people);
    its id."""
    survey = "Q" + secrets.token_hex(5).upper()
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    ids = {q.entity_id for q in questions}
    with closing(open_store(path)) as conn, faults(path), transaction(conn):
        earlier = conn.execute("SELECT DISTINCT survey, entity_id FROM survey_questions"
                               " WHERE scheme = ? AND period = ? AND sheet = ?", (scheme, period, sheet)).fetchall()
        for old in sorted({s for s, eid in earlier if eid in ids}):
            conn.execute("DELETE FROM survey_questions WHERE survey = ?", (old,))
        conn.executemany(
            "INSERT INTO survey_questions (survey, scheme, period, sheet, seq, entity_id, name, options, multi,"
            " form_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(survey, scheme, period, sheet, q.seq, q.entity_id, q.name,
              json.dumps([[o.label, o.value] for o in q.options], ensure_ascii=False), int(q.multi), q.form_id, now)
             for q in questions])
    return survey


def recorded_questions(path: Path, scheme: str, period: str, sheet: str) -> list[QuestionList]:
    """Every recorded survey of a sheet, oldest first (empty without a record file)."""
    if not path.is_file():
        return []
    with closing(open_store(path)) as conn, faults(path):
        rows = conn.execute(
            "SELECT survey, recorded_at, seq, entity_id, name, options, multi, form_id FROM survey_questions"
            " WHERE scheme = ? AND period = ? AND sheet = ? ORDER BY recorded_at, survey, seq",
            (scheme, period, sheet)).fetchall()
    lists: dict[str, tuple[str, list[Asked]]] = {}
    for survey, recorded_at, seq, eid, name, options, multi, form_id in rows:
        offered = tuple(Offered(label, value) for label, value in json.loads(options))
        lists.setdefault(survey, (recorded_at, []))[1].append(Asked(seq, eid, name, offered, bool(multi), form_id))
    return [QuestionList(survey, at, tuple(qs)) for survey, (at, qs) in lists.items()]
