"""The campaign record: one SQLite file (``评星记录.sqlite`` in the working folder by default) that
keeps what was sent out (:mod:`.campaign`: the scheme as issued, the roster, every workbook) and
every period's final results (here), the publicity dates, the corrections made.

A run replaces its (scheme, period) results in one transaction, so a run that dies leaves the
record as it was. The schema carries a version in ``PRAGMA user_version`` and :func:`open_store`
migrates an older file forward step by step (a newer tool opens an older file; an older tool
refuses a newer one).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from pingxing.errors import RecordError, record_fault

SCHEMA_VERSION = 5
#: ``PRAGMA application_id`` of a campaign record ("PXNG"): another program's SQLite file is refused, never migrated
APPLICATION_ID = 0x50584E47

#: the campaign record's file unless ``--history`` names another: in the working folder, the same for
#: every command, never under ``--output`` (a new output folder for a new year keeps the history)
DEFAULT_RECORD = Path("评星记录.sqlite")
#: where earlier versions kept it (moved to :data:`DEFAULT_RECORD` on first use)
EARLIER_RECORD = Path("output") / "history.sqlite"

_MIGRATIONS: dict[int, list[str]] = {
    # version 1: results only
    1: [
        """CREATE TABLE results (
            scheme TEXT NOT NULL, period TEXT NOT NULL, entity_id TEXT NOT NULL,
            name TEXT NOT NULL, unit TEXT NOT NULL, branch TEXT NOT NULL,
            score TEXT, stars INTEGER, star_names TEXT NOT NULL DEFAULT '',
            grade TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            manifest_sha256 TEXT NOT NULL DEFAULT '', recorded_at TEXT NOT NULL,
            PRIMARY KEY (scheme, period, entity_id))""",
    ],
    # version 2: where a row came from (a run or an import), actions, and the corrections made
    2: [
        "ALTER TABLE results ADD COLUMN source TEXT NOT NULL DEFAULT 'run'",
        "ALTER TABLE results ADD COLUMN actions TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE adjustments (
            scheme TEXT NOT NULL, period TEXT NOT NULL, entity_id TEXT NOT NULL,
            action TEXT NOT NULL, value TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL,
            decided_on TEXT NOT NULL DEFAULT '', approved_by TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL)""",
    ],
    # version 3: the campaign — what was sent out (the scheme as issued, every workbook and whom it
    # lists) — and the publicity dates of every notice published
    3: [
        """CREATE TABLE campaigns (
            scheme TEXT NOT NULL, period TEXT NOT NULL, scheme_text TEXT NOT NULL,
            scheme_sha256 TEXT NOT NULL, how TEXT NOT NULL, recorded_at TEXT NOT NULL,
            PRIMARY KEY (scheme, period))""",
        """CREATE TABLE workbooks (
            form_id TEXT PRIMARY KEY, scheme TEXT NOT NULL, period TEXT NOT NULL,
            unit TEXT NOT NULL, branch TEXT NOT NULL, branch_id TEXT NOT NULL, book TEXT NOT NULL,
            file TEXT NOT NULL, sheets TEXT NOT NULL, how TEXT NOT NULL, issued_at TEXT NOT NULL,
            superseded_by TEXT)""",
        "CREATE INDEX workbooks_of ON workbooks (scheme, period)",
        """CREATE TABLE people (
            form_id TEXT NOT NULL, seq INTEGER NOT NULL, entity_id TEXT NOT NULL, name TEXT NOT NULL,
            identity TEXT NOT NULL DEFAULT '', direct INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (form_id, entity_id))""",
        """CREATE TABLE publicity (
            scheme TEXT NOT NULL, period TEXT NOT NULL, notice TEXT NOT NULL, start TEXT NOT NULL,
            recorded_at TEXT NOT NULL, PRIMARY KEY (scheme, period, notice))""",
    ],
    # version 4: the questions of each online survey (survey questions): one per member or branch, in
    # order, with the options offered and the workbook the entity is on
    4: [
        """CREATE TABLE survey_questions (
            survey TEXT NOT NULL, scheme TEXT NOT NULL, period TEXT NOT NULL, sheet TEXT NOT NULL,
            seq INTEGER NOT NULL, entity_id TEXT NOT NULL, name TEXT NOT NULL, options TEXT NOT NULL,
            multi INTEGER NOT NULL DEFAULT 0, form_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
            PRIMARY KEY (survey, seq))""",
        "CREATE INDEX survey_questions_of ON survey_questions (scheme, period, sheet)",
    ],
    # version 5: 评定计算明细 (``explain``) — per rated entity the facts of its rating (aggregates only,
    # never a ballot, JSON), and per period the scheme as rated and what each 公示 says about objections
    5: [
        """CREATE TABLE explanations (
            scheme TEXT NOT NULL, period TEXT NOT NULL, entity_id TEXT NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (scheme, period, entity_id)) WITHOUT ROWID""",
        """CREATE TABLE explained_periods (
            scheme TEXT NOT NULL, period TEXT NOT NULL, scheme_text TEXT NOT NULL, notices TEXT NOT NULL,
            recorded_at TEXT NOT NULL, PRIMARY KEY (scheme, period))""",
    ],
}


@dataclass(frozen=True)
class Record:
    """One entity's final result for one period."""

    scheme: str
    period: str
    entity_id: str
    name: str
    unit: str
    branch: str
    score: str | None
    stars: int | None
    star_names: str = ""
    grade: str = ""
    status: str = "rated"
    reason: str = ""
    actions: str = ""
    manifest_sha256: str = ""
    source: str = "run"


@dataclass(frozen=True)
class Adjustment:
    entity_id: str
    action: str
    value: str
    reason: str
    decided_on: str
    approved_by: str


def locate(given: Path | str | None) -> tuple[Path, str]:
    """The record's file: ``given``, else :data:`DEFAULT_RECORD`. An earlier version's record
    (``output/history.sqlite``) is copied there on first use; the second item then says so."""
    if _source(given) != EARLIER_RECORD:
        return Path(given) if given else DEFAULT_RECORD, ""
    import shutil

    shutil.copy2(EARLIER_RECORD, DEFAULT_RECORD)
    return DEFAULT_RECORD, str(EARLIER_RECORD)


def _source(given: Path | str | None) -> Path:
    """The record a command reads: ``given``, else :data:`DEFAULT_RECORD` — or, while that does not
    exist yet, an earlier version's :data:`EARLIER_RECORD` where there is one."""
    if given:
        return Path(given)
    return EARLIER_RECORD if not DEFAULT_RECORD.exists() and EARLIER_RECORD.is_file() else DEFAULT_RECORD


@contextmanager
def for_reading(given: Path | str | None) -> Iterator[tuple[Path, Path]]:
    """The record as a command that writes nothing (``check``) reads it — (the file to read, the
    user's file, as messages name it): where it is (the default place, else an earlier version's
    :data:`EARLIER_RECORD`, which is not moved); through a migrated copy in a temporary folder when
    it is an earlier version's schema. A file that is missing, newer, damaged or another program's is
    given as it is, for :func:`open_store` to refuse in its words. The record itself is moved and
    migrated by the first command that writes (``forms``, ``register``, ``run``)."""
    source = _source(given)
    if not (source.is_file() and _older(source)):
        yield source, source
        return
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="pingxing-record-") as folder:
        copy = Path(folder) / source.name
        shutil.copyfile(source, copy)
        yield copy, source


def _older(path: Path) -> bool:
    """Whether ``path`` is a campaign record of an earlier schema, read without writing."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            return version < SCHEMA_VERSION and _ours(conn, version)
    except sqlite3.Error:
        return False


@contextmanager
def faults(path: Path) -> Iterator[None]:
    """SQLite's errors on the record become one-line :class:`RecordError` records naming the file."""
    try:
        yield
    except sqlite3.Error as e:
        raise record_fault(e, path) from None


def open_store(path: Path) -> sqlite3.Connection:
    """Open (creating or migrating) the history file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with faults(path):
        conn = sqlite3.connect(path, isolation_level=None)  # transactions are explicit
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if not _ours(conn, version):
            conn.close()
            raise RecordError(f"{path}: 这不是评星记录文件（是别的程序的 SQLite 数据库），未作任何改动；"
                              "请用 --history 指定评星记录（默认为工作文件夹中的 评星记录.sqlite）")
        if version > SCHEMA_VERSION:
            conn.close()
            raise RecordError(f"{path}: 记录文件由更新版本的工具创建（版本 {version}），请升级本工具后再使用")
        if version < SCHEMA_VERSION:
            with transaction(conn):
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for sql in _MIGRATIONS[step]:
                        conn.execute(sql)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return conn


def _ours(conn: sqlite3.Connection, version: int) -> bool:
    """Whether the file is a campaign record (or empty, about to become one): ours by its application
    id; an earlier version's record (no id yet) by its ``results`` table; a new file has no tables."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    if app:
        return bool(app == APPLICATION_ID)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return not tables if version == 0 else "results" in tables


class transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


@dataclass(frozen=True)
class Explained:
    """What ``explain`` needs of a period besides each entity's facts: the scheme's text as rated, and
    per 公示 (by unit and branch) its title, publicity dates and how to object, as JSON."""

    scheme_text: str
    notices: str


def replace_period(path: Path, scheme: str, period: str, records: Iterable[Record],
                   adjustments: Iterable[Adjustment] = (), manifest_sha256: str | None = None,
                   starts: dict[str, str] | None = None, explanations: Iterable[tuple[str, str]] = (),
                   explained: Explained | None = None) -> None:
    """Replace one (scheme, period) in one transaction: all the new rows, or none.
    ``manifest_sha256``: the published folder's manifest, for every record (else each its own).
    ``explanations``: (编号, facts as JSON) of each rated entity, with ``explained`` (评定计算明细);
    none (a history import) leaves the period without them."""
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    with closing(open_store(path)) as conn, faults(path), transaction(conn):
        conn.execute("DELETE FROM results WHERE scheme = ? AND period = ?", (scheme, period))
        conn.execute("DELETE FROM adjustments WHERE scheme = ? AND period = ?", (scheme, period))
        conn.execute("DELETE FROM explanations WHERE scheme = ? AND period = ?", (scheme, period))
        conn.execute("DELETE FROM explained_periods WHERE scheme = ? AND period = ?", (scheme, period))
        conn.executemany(
            "INSERT INTO results (scheme, period, entity_id, name, unit, branch, score, stars, star_names, grade,"
            " status, reason, actions, manifest_sha256, source, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((scheme, period, r.entity_id, r.name, r.unit, r.branch, r.score, r.stars, r.star_names, r.grade,
              r.status, r.reason, r.actions, manifest_sha256 or r.manifest_sha256, r.source, now)
             for r in records))  # streamed
        conn.executemany(
            "INSERT INTO adjustments (scheme, period, entity_id, action, value, reason, decided_on, approved_by,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(scheme, period, a.entity_id, a.action, a.value, a.reason, a.decided_on, a.approved_by, now)
             for a in adjustments])
        conn.executemany(  # each notice's publicity start, kept from its first publication
            "INSERT INTO publicity (scheme, period, notice, start, recorded_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (scheme, period, notice) DO UPDATE SET start = excluded.start, recorded_at = excluded.recorded_at",
            [(scheme, period, notice, when, now) for notice, when in sorted((starts or {}).items())])
        if explained is not None:
            conn.executemany("INSERT INTO explanations (scheme, period, entity_id, body) VALUES (?, ?, ?, ?)",
                             ((scheme, period, eid, body) for eid, body in explanations))  # streamed
            conn.execute("INSERT INTO explained_periods (scheme, period, scheme_text, notices, recorded_at)"
                         " VALUES (?, ?, ?, ?, ?)", (scheme, period, explained.scheme_text, explained.notices, now))


#: every column of :class:`Record`, in its order, from the results table (a ``WHERE`` follows)
SELECT_RECORDS = f"SELECT {', '.join(f.name for f in fields(Record))} FROM results"


class PeriodLookup:
    """One period's records, looked up a shard's entity ids at a time (the whole period is
    never read into memory). Reads a store that exists; without one every lookup is empty."""

    _SQL = SELECT_RECORDS + " WHERE scheme = ? AND period = ? AND entity_id IN ({})"

    def __init__(self, path: Path, scheme: str, period: str) -> None:
        self.scheme, self.period = scheme, period
        self._conn = open_store(path) if path.is_file() else None
        self.any = self._conn is not None and self._conn.execute(
            "SELECT 1 FROM results WHERE scheme = ? AND period = ? LIMIT 1", (scheme, period)).fetchone() is not None

    def records(self, ids: Iterable[str]) -> dict[str, Record]:
        if not self.any:
            return {}
        out: dict[str, Record] = {}
        ids = sorted(set(ids))
        for k in range(0, len(ids), 500):  # SQLite's limit on ? parameters
            part = ids[k:k + 500]
            rows = self._conn.execute(self._SQL.format(", ".join("?" * len(part))),  # type: ignore[union-attr]
                                      (self.scheme, self.period, *part))
            out.update((r[2], Record(*r)) for r in rows)
        return out

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def period_rows(path: Path, scheme: str, period: str) -> dict[str, Record]:
    """Every entity's record of one period, by entity id (empty when nothing is stored)."""
    if not path.is_file():
        return {}
    with closing(open_store(path)) as conn, faults(path):
        rows = conn.execute(SELECT_RECORDS + " WHERE scheme = ? AND period = ?", (scheme, period))
        return {r[2]: Record(*r) for r in rows}


def entity_rows(path: Path, scheme: str, entity: str | None) -> list[Record]:
    if not path.is_file():
        return []
    with closing(open_store(path)) as conn, faults(path):
        sql = SELECT_RECORDS + " WHERE scheme = ?"
        args: tuple[str, ...] = (scheme,)
        if entity:
            sql += " AND (entity_id = ? OR name = ?)"
            args += (entity, entity)
        return [Record(*r) for r in conn.execute(sql + " ORDER BY unit, branch, entity_id, period", args)]


def adjustments_of(path: Path, scheme: str, period: str) -> list[Adjustment]:
    if not path.is_file():
        return []
    with closing(open_store(path)) as conn, faults(path):
        rows = conn.execute("SELECT entity_id, action, value, reason, decided_on, approved_by FROM adjustments"
                            " WHERE scheme = ? AND period = ? ORDER BY rowid", (scheme, period))
        return [Adjustment(*r) for r in rows]


def all_rows(path: Path, scheme: str | None = None) -> list[Record]:
    """Every recorded row (of one scheme, or of all), by scheme, period, unit, branch and 编号."""
    if not path.is_file():
        return []
    with closing(open_store(path)) as conn, faults(path):
        sql = SELECT_RECORDS
        args: tuple[str, ...] = ()
        if scheme:
            sql += " WHERE scheme = ?"
            args = (scheme,)
        return [Record(*r) for r in conn.execute(sql + " ORDER BY scheme, period, unit, branch, entity_id", args)]
