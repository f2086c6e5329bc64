"""What was sent out: a campaign's record (CONTRACT.md "The campaign record").

``forms`` (and ``register``, for forms issued before this tool or elsewhere) records, per
(scheme, period): the scheme **as issued** (its text and sha256), every workbook issued under a
``form_id`` (for whom — unit, branch — which sheets, under which file name) and whom each lists
(the roster). Issuing again for some branches supersedes their earlier workbooks (kept, marked).

``check`` and ``run`` judge returned forms against it (:func:`Campaign.match`): a form that names a
``form_id`` is that workbook; a form without one (issued before) is matched by unit, branch and
sheets; anything else is not-issued. A person belongs to the workbook that lists them last.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from pingxing.record.store import faults, open_store, transaction


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    identity: str = ""
    direct: bool = False


@dataclass(frozen=True)
class Workbook:
    """One workbook issued: whom it goes to, which sheets, whom it lists."""

    form_id: str
    unit: str
    branch: str  # "" for a unit's workbook (branch schemes)
    branch_id: str
    book: str  # the workbook's role when a scheme splits its sheets (支部自评 …), else ""
    file: str  # the file name it was issued under
    sheets: tuple[str, ...]
    people: tuple[Person, ...]
    issued_at: str = ""
    superseded_by: str | None = None
    how: str = "forms"

    @property
    def current(self) -> bool:
        return self.superseded_by is None

    @property
    def where(self) -> str:
        return f"{self.unit}{self.branch}" if self.branch else self.unit


@dataclass(frozen=True)
class Match:
    """What a returned form is, against the record."""

    kind: str  # issued | superseded | not-issued
    workbook: Workbook | None = None
    newer: Workbook | None = None  # superseded: the workbook that replaced it


@dataclass
class Campaign:
    scheme: str
    period: str
    scheme_text: str
    scheme_sha256: str
    how: str
    recorded_at: str
    workbooks: list[Workbook] = field(default_factory=list)

    @property
    def current(self) -> list[Workbook]:
        return [w for w in self.workbooks if w.current]

    # (a campaign is asked nothing before :func:`campaigns` has read all its workbooks: these are built once)
    @cached_property
    def _ids(self) -> dict[str, Workbook]:
        return {w.form_id: w for w in self.workbooks}

    @cached_property
    def _places(self) -> dict[tuple[str, str], list[Workbook]]:
        """The current workbooks by unit and branch, in the order issued."""
        out: dict[tuple[str, str], list[Workbook]] = {}
        for w in self.current:
            out.setdefault((w.unit, w.branch), []).append(w)
        return out

    def by_id(self, form_id: str) -> Workbook | None:
        return self._ids.get(form_id)

    def successors(self, form_id: str) -> Iterator[Workbook]:
        """The workbooks issued since in place of ``form_id``, each replacing the one before (the
        last is current unless the chain breaks)."""
        w = self.by_id(form_id)
        while w is not None and w.superseded_by:
            w = self.by_id(w.superseded_by)
            if w is not None:
                yield w

    def match(self, form_id: str, unit: str, branch: str, sheets: Iterable[str]) -> Match:
        """A returned form against the record: by its ``form_id``; without one (issued before this
        version), by unit, branch and the sheets it holds. A form whose id this record does not know
        may still be one of a campaign registered after the fact (its forms were issued on another
        machine): matched by place among the registered workbooks only."""
        if form_id:
            found = self.by_id(form_id)
            if found is None:
                books = [w for w in self._places.get((unit, branch), []) if w.how == "register"]
                return _by_sheets(books, sheets)
            registered = found  # registering again (a changed scheme) issues no new forms: the old ones stand
            for newer in self.successors(found.form_id):
                if newer.how != "register":
                    break
                registered = newer
            if not registered.current:
                return Match("superseded", found, self.by_id(found.superseded_by or ""))
            return Match("issued", registered)
        return _by_sheets(self._places.get((unit, branch), []), sheets)

    def homes(self, member: bool) -> dict[str, tuple[str, str]]:
        """Where each person (member schemes: unit and branch) or branch (branch schemes: its unit)
        belongs now: where the latest issue that lists them put them."""
        latest: dict[str, tuple[str, tuple[str, str]]] = {}
        for w in self.current:
            for p in w.people:
                seen = latest.get(p.id)
                if seen is None or w.issued_at >= seen[0]:  # (in the order issued: a later issue wins a tie)
                    latest[p.id] = (w.issued_at, place(w, member))
        return {eid: where for eid, (_, where) in latest.items()}


def _by_sheets(books: list[Workbook], sheets: Iterable[str]) -> Match:
    """The one workbook of ``books`` (those issued to the form's unit and branch) that holds its sheets."""
    held = set(sheets)
    fits = [w for w in books if held & set(w.sheets)]
    if len(fits) == 1:
        return Match("issued", fits[0])
    fits = [w for w in fits if held <= set(w.sheets)]
    return Match("issued", fits[0]) if len(fits) == 1 else Match("not-issued")


def place(w: Workbook, member: bool) -> tuple[str, str]:
    """Where a workbook's people belong: a member scheme's branch, a branch scheme's unit."""
    return (w.unit, w.branch if member else "")


def new_form_id() -> str:
    return "F" + secrets.token_hex(6).upper()


def scheme_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextmanager
def issuing(path: Path, scheme: str, period: str, scheme_text: str, how: str) -> Iterator[IssueLog]:
    """Record a campaign's issue in one transaction: the scheme as issued, then each workbook as it
    is added (:meth:`IssueLog.add`). Everything is kept only when the block ends without an error
    (the caller writes the workbooks inside it: a failed write records nothing)."""
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    with closing(open_store(path)) as conn, faults(path), transaction(conn):
        conn.execute(
            "INSERT INTO campaigns (scheme, period, scheme_text, scheme_sha256, how, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scheme, period) DO UPDATE SET scheme_text = excluded.scheme_text,"
            " scheme_sha256 = excluded.scheme_sha256, how = excluded.how, recorded_at = excluded.recorded_at",
            (scheme, period, scheme_text, scheme_sha256(scheme_text), how, now))
        yield IssueLog(conn, scheme, period, how, now)


class IssueLog:
    def __init__(self, conn: sqlite3.Connection, scheme: str, period: str, how: str, now: str) -> None:
        self.conn, self.scheme, self.period, self.how, self.now = conn, scheme, period, how, now

    def add(self, w: Workbook) -> None:
        """One workbook issued; an earlier one for the same unit, branch and role is superseded."""
        self.conn.execute(
            "UPDATE workbooks SET superseded_by = ? WHERE scheme = ? AND period = ? AND unit = ? AND branch = ?"
            " AND book = ? AND superseded_by IS NULL", (w.form_id, self.scheme, self.period, w.unit, w.branch, w.book))
        self.conn.execute(
            "INSERT INTO workbooks (form_id, scheme, period, unit, branch, branch_id, book, file, sheets, how,"
            " issued_at, superseded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (w.form_id, self.scheme, self.period, w.unit, w.branch, w.branch_id, w.book, w.file,
             json.dumps(list(w.sheets), ensure_ascii=False), self.how, self.now))
        self.conn.executemany(
            "INSERT INTO people (form_id, seq, entity_id, name, identity, direct) VALUES (?, ?, ?, ?, ?, ?)",
            [(w.form_id, i, p.id, p.name, p.identity, int(p.direct)) for i, p in enumerate(w.people)])


def campaign(path: Path, scheme: str, period: str) -> Campaign | None:
    """The recorded campaign of (scheme, period), or None (nothing recorded, or no record file)."""
    found = campaigns(path, [(scheme, period)])
    return found.get((scheme, period))


def campaigns(path: Path, keys: Iterable[tuple[str, str]] | None = None) -> dict[tuple[str, str], Campaign]:
    """The recorded campaigns (every one, or those of ``keys``), with their workbooks and people."""
    if not path.is_file():
        return {}
    wanted = set(keys) if keys is not None else None
    with closing(open_store(path)) as conn, faults(path):
        out: dict[tuple[str, str], Campaign] = {}
        for row in conn.execute("SELECT scheme, period, scheme_text, scheme_sha256, how, recorded_at FROM campaigns"):
            if wanted is None or (row[0], row[1]) in wanted:
                out[row[0], row[1]] = Campaign(*row)
        for key, found in out.items():  # only the people and workbooks of these campaigns are read
            people: dict[str, list[Person]] = {}
            for form_id, eid, name, identity, direct in conn.execute(
                    "SELECT p.form_id, p.entity_id, p.name, p.identity, p.direct FROM people p"
                    " JOIN workbooks w ON w.form_id = p.form_id WHERE w.scheme = ? AND w.period = ?"
                    " ORDER BY p.form_id, p.seq", key):
                people.setdefault(form_id, []).append(Person(eid, name, identity, bool(direct)))
            for r in conn.execute(
                    "SELECT form_id, unit, branch, branch_id, book, file, sheets, how, issued_at, superseded_by"
                    " FROM workbooks WHERE scheme = ? AND period = ? ORDER BY issued_at, rowid", key):
                found.workbooks.append(Workbook(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])),
                                                tuple(people.get(r[0], ())), r[8], r[9], r[7]))
        return out


def issued_schemes(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """The scheme each recorded campaign was issued with: (scheme, period) → (its text, its sha256);
    no workbooks or people read."""
    if not path.is_file():
        return {}
    with closing(open_store(path)) as conn, faults(path):
        return {(scheme, period): (text, sha) for scheme, period, text, sha in
                conn.execute("SELECT scheme, period, scheme_text, scheme_sha256 FROM campaigns")}


def recorded_starts(path: Path, scheme: str, period: str) -> dict[str, str]:
    """The publicity start of every notice published so far (notice file stem → ISO date)."""
    if not path.is_file():
        return {}
    with closing(open_store(path)) as conn, faults(path):
        return dict(conn.execute("SELECT notice, start FROM publicity WHERE scheme = ? AND period = ?", (scheme, period)))
