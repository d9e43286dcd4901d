"""SQLite storage: schema and migrations, the atomic loader, the archive read back, and the
FTS5 search index."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite

from bot.records.archive import Defined
from bot.records.model import (
    COLLECTIVE,
    Archive,
    Event,
    RecordError,
    RecordFile,
    RecordsInvalid,
    event_from,
    institution_from,
    participant_from,
    person_from,
    statement_from,
    theme_from,
    to_json,
)
from bot.text import normalize, stem

log = logging.getLogger(__name__)

# Each entry migrates the schema from version N to N+1; PRAGMA user_version holds N.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE sources (
        path TEXT PRIMARY KEY, digest TEXT NOT NULL, event_id TEXT NOT NULL
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, date TEXT NOT NULL,
        participants_count INTEGER NOT NULL, chair TEXT NOT NULL, source TEXT NOT NULL,
        texts TEXT NOT NULL, aliases TEXT NOT NULL, loaded_at TEXT NOT NULL
    );
    CREATE TABLE institutions (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        id TEXT NOT NULL, key TEXT NOT NULL UNIQUE, parent TEXT, position INTEGER NOT NULL,
        texts TEXT NOT NULL, aliases TEXT NOT NULL, PRIMARY KEY (event_id, id)
    );
    CREATE TABLE people (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        id TEXT NOT NULL, key TEXT NOT NULL UNIQUE, institution TEXT NOT NULL,
        speaking_order INTEGER NOT NULL, spoke INTEGER NOT NULL, opened INTEGER NOT NULL,
        texts TEXT NOT NULL, aliases TEXT NOT NULL, role_aliases TEXT NOT NULL,
        PRIMARY KEY (event_id, id)
    );
    CREATE TABLE themes (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        id TEXT NOT NULL, key TEXT NOT NULL UNIQUE, position INTEGER NOT NULL,
        texts TEXT NOT NULL, keywords TEXT NOT NULL, PRIMARY KEY (event_id, id)
    );
    CREATE TABLE statements (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        id TEXT NOT NULL, key TEXT NOT NULL UNIQUE, speaker TEXT NOT NULL,
        position INTEGER NOT NULL, paragraph INTEGER NOT NULL, texts TEXT NOT NULL,
        figures TEXT NOT NULL, PRIMARY KEY (event_id, id)
    );
    CREATE TABLE statement_themes (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        statement TEXT NOT NULL, theme TEXT NOT NULL, PRIMARY KEY (event_id, statement, theme)
    );
    CREATE INDEX statement_themes_theme ON statement_themes(event_id, theme);
    CREATE VIRTUAL TABLE search USING fts5(
        kind UNINDEXED, event_id UNINDEXED, ref UNINDEXED, body,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE chats (
        chat_id INTEGER PRIMARY KEY, type TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
        subscribed INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1,
        language TEXT, updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE TABLE user_settings (
        user_id INTEGER PRIMARY KEY, language TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE TABLE announcements (
        id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT, text TEXT NOT NULL,
        button_url TEXT, created_by INTEGER, status TEXT NOT NULL DEFAULT 'draft',
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    CREATE TABLE outbox (
        announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,
        chat_id INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0, message_id INTEGER, last_error TEXT,
        not_before REAL NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        PRIMARY KEY (announcement_id, chat_id)
    );
    CREATE INDEX outbox_status ON outbox(status, not_before);
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, asked_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        kind TEXT NOT NULL, answered INTEGER NOT NULL, language TEXT NOT NULL,
        entities TEXT NOT NULL DEFAULT '[]', text TEXT
    );
    CREATE INDEX questions_asked_at ON questions(asked_at);
    """,
    # 2: who asked to retract an announcement (gets the report); outbox rows by chat.
    """
    ALTER TABLE announcements ADD COLUMN retracted_by INTEGER;
    CREATE INDEX outbox_chat ON outbox(chat_id, status);
    """,
    # 3: an archive. People and institutions exist once, whatever the number of events they
    # took part in; a person's role is per event (participants); statements may be
    # collective. Each record is stored as the JSON of its model class, so what is read back
    # is the model the files were parsed into. Records come from the event files: the old
    # tables are dropped (children first) and the files load again at the next start or
    # `load`. Chats, languages, announcements, the outbox and questions are untouched.
    """
    DROP TABLE statement_themes;
    DROP TABLE statements;
    DROP TABLE themes;
    DROP TABLE people;
    DROP TABLE institutions;
    DROP TABLE search;
    DROP TABLE sources;
    DROP TABLE events;
    CREATE TABLE sources (
        path TEXT PRIMARY KEY, digest TEXT NOT NULL, event_id TEXT
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, path TEXT NOT NULL, date TEXT NOT NULL,
        record TEXT NOT NULL, loaded_at TEXT NOT NULL
    );
    CREATE TABLE people (
        id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, path TEXT NOT NULL, record TEXT NOT NULL
    );
    CREATE TABLE institutions (
        id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, path TEXT NOT NULL, parent TEXT,
        record TEXT NOT NULL
    );
    CREATE TABLE participants (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        person TEXT NOT NULL, position INTEGER NOT NULL, institution TEXT,
        record TEXT NOT NULL, PRIMARY KEY (event_id, person)
    );
    CREATE INDEX participants_person ON participants(person);
    CREATE TABLE themes (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        id TEXT NOT NULL, key TEXT NOT NULL UNIQUE, position INTEGER NOT NULL,
        record TEXT NOT NULL, PRIMARY KEY (event_id, id)
    );
    CREATE TABLE statements (
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        id TEXT NOT NULL, key TEXT NOT NULL UNIQUE, position INTEGER NOT NULL,
        speaker TEXT, by_ TEXT, paragraph INTEGER NOT NULL, record TEXT NOT NULL,
        PRIMARY KEY (event_id, id)
    );
    CREATE VIRTUAL TABLE search USING fts5(
        kind UNINDEXED, event_id UNINDEXED, ref UNINDEXED, body,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    """,
    # 4: upcoming events. When each starts and is over, in UTC (ISO text, so it sorts), for
    # finding what is still to come; the schedule itself is in the record's JSON. Events
    # loaded before have no schedule: NULL here, the defaults when read back.
    """
    ALTER TABLE events ADD COLUMN starts TEXT;
    ALTER TABLE events ADD COLUMN finish TEXT;
    CREATE INDEX events_finish ON events(finish);
    """,
    # 5: reminders are announcements too (the outbox makes them crash-safe): of which event
    # start (UTC ISO) and how many seconds before it. One per event, start and lead, ever.
    """
    ALTER TABLE announcements ADD COLUMN reminder_lead INTEGER;
    ALTER TABLE announcements ADD COLUMN reminder_at TEXT;
    CREATE UNIQUE INDEX announcements_reminder
        ON announcements(event_id, reminder_at, reminder_lead) WHERE reminder_lead IS NOT NULL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another process's write lock


class DatabaseProblem(RuntimeError):
    """The database file can't be used; the message is one line for the operator."""


class SchemaTooNew(DatabaseProblem):
    """The database was written by a newer version of the bot."""


# What to do about each kind of SQLite failure, by a word in its message.
_ADVICE = (
    ("not a database", "the file is damaged or not SQLite: restore a backup or move it away"),
    ("malformed", "the file is damaged: restore a backup or move it away"),
    ("readonly", "the bot needs write access to the file and its folder"),
    ("read-only", "the bot needs write access to the file and its folder"),
    ("unable to open", "check that the folder exists, is writable, and the path is a file"),
    ("locked", "another process holds the database lock: stop it or try again"),
    ("busy", "another process holds the database lock: stop it or try again"),
    ("disk i/o", "check the disk and the file's permissions"),
)


def explain(path: Path | str, error: BaseException) -> DatabaseProblem:
    """One line naming the file, what went wrong, and what to do."""
    reason = str(error).strip() or type(error).__name__
    advice = next((text for word, text in _ADVICE if word in reason.lower()),
                  "check the file and its folder")
    return DatabaseProblem(f"database {path}: {reason}; {advice}")


async def connect(path: Path | str) -> aiosqlite.Connection:
    """Open the database, migrate it to the current schema, and return the connection.

    Any failure closes the connection (its worker thread would keep the process alive) and
    raises DatabaseProblem with one line for the operator.
    """
    try:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # Open once in plain sqlite3 first: when aiosqlite's own open fails, its worker
            # thread outlives the event loop and prints a traceback at exit.
            await asyncio.to_thread(lambda: sqlite3.connect(path).close())
        db = await aiosqlite.connect(path, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        raise explain(path, error) from error
    try:
        db.row_factory = aiosqlite.Row
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await _refuse_foreign(db, path)  # before WAL, which would rewrite the file's header
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA synchronous = NORMAL")
        await migrate(db)
    except BaseException as error:
        await db.close()
        if isinstance(error, sqlite3.Error):
            raise explain(path, error) from error
        raise
    return db


async def _refuse_foreign(db: aiosqlite.Connection, path: Path | str) -> None:
    """A database of another program: never add our tables beside its data."""
    async with db.execute("PRAGMA user_version") as cursor:
        version = (await cursor.fetchone())[0]
    if version:
        return
    async with db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1"
    ) as cursor:
        other = await cursor.fetchone()
    if other:
        raise DatabaseProblem(
            f"database {path}: holds tables of another program (e.g. {other[0]!r}); "
            "set DATABASE_PATH to a new file"
        )


@contextlib.asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """BEGIN IMMEDIATE ... COMMIT; any error (a cancellation too) rolls everything back.

    The connection is in autocommit mode (see `connect`), so statements of several steps that
    must land together, or not at all, run inside this block.
    """
    await db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        await db.execute("COMMIT")
    except BaseException:
        await db.execute("ROLLBACK")
        raise


async def migrate(db: aiosqlite.Connection) -> None:
    async with db.execute("PRAGMA user_version") as cursor:
        version = (await cursor.fetchone())[0]
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"database schema {version} is newer than this bot's {SCHEMA_VERSION}; upgrade the bot"
        )
    for target in range(version, SCHEMA_VERSION):
        async with transaction(db):
            await _run_script(db, MIGRATIONS[target])
            await db.execute(f"PRAGMA user_version = {target + 1}")
        log.info("database migrated to schema %d", target + 1)


async def _run_script(db: aiosqlite.Connection, script: str) -> None:
    # executescript() would COMMIT first; run statement by statement to stay in our transaction.
    for statement in _split_sql(script):
        await db.execute(statement)


def _split_sql(script: str) -> list[str]:
    parts, current = [], []
    for line in script.splitlines():
        current.append(line)
        joined = "\n".join(current)
        if line.rstrip().endswith(";") and _complete(joined):
            parts.append(joined.strip())
            current = []
    if "\n".join(current).strip():
        parts.append("\n".join(current).strip())
    return parts


def _complete(sql: str) -> bool:
    return sqlite3.complete_statement(sql)


async def loaded_digests(db: aiosqlite.Connection) -> dict[str, str]:
    async with db.execute("SELECT path, digest FROM sources") as cursor:
        return {row["path"]: row["digest"] for row in await cursor.fetchall()}


@dataclass
class LoadResult:
    new_events: list[str] = field(default_factory=list)  # ids of events new to the database
    announced: list[str] = field(default_factory=list)  # of those, the ones queued to announce


async def load_records(
    db: aiosqlite.Connection, records: Sequence[RecordFile], *, loaded_at: str | None = None,
    announce: Callable[[Event], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """Replace what the given files held before, in one transaction; on any error (a
    reference that another loaded file still needs, included) nothing changes.

    `announce` decides, for each event new to the database, whether its announcement is
    queued in the same transaction, for the running bot to send. `progress(done, total)` is
    called after each file.
    """
    result = LoadResult()
    async with transaction(db):
        loading = {record.event.id for record in records if record.event}
        for record in records:
            path = str(record.path.resolve())
            async with db.execute("SELECT event_id FROM sources WHERE path = ?", (path,)) as cur:
                previous = await cur.fetchone()
            # A file whose event id was edited (or removed): what it held before goes, or
            # the old event lingers.
            if previous is not None and previous["event_id"] and previous["event_id"] not in \
                    loading:
                await _delete_event(db, previous["event_id"])
            await db.execute("DELETE FROM sources WHERE path = ?", (path,))
            await db.execute("DELETE FROM people WHERE path = ?", (path,))
            await db.execute("DELETE FROM institutions WHERE path = ?", (path,))
        for done, record in enumerate(records):
            if record.event is not None:
                async with db.execute("SELECT 1 FROM events WHERE id = ?",
                                      (record.event.id,)) as cursor:
                    if await cursor.fetchone() is None:
                        result.new_events.append(record.event.id)
                    else:  # a new event has no rows to delete: an FTS delete scans them all
                        await _delete_event(db, record.event.id)
            await _insert(db, record, loaded_at)
            if progress is not None:
                progress(done + 1, len(records))
        if problems := await _dangling(db):
            raise RecordsInvalid(problems)
        if announce is not None:
            result.announced = [r.event.id for r in records if r.event
                                and r.event.id in result.new_events and announce(r.event)]
            await db.executemany(
                "INSERT INTO announcements (event_id, text, status) VALUES (?, '', 'queued')",
                [(event_id,) for event_id in result.announced],
            )
    return result


async def _delete_event(db: aiosqlite.Connection, event_id: str) -> None:
    await db.execute("DELETE FROM search WHERE event_id = ?", (event_id,))
    await db.execute("DELETE FROM sources WHERE event_id = ?", (event_id,))
    await db.execute("DELETE FROM events WHERE id = ?", (event_id,))


def search_body(texts: Iterable[str]) -> str:
    """What the FTS index stores: stemmed, transliterated words, so any script matches."""
    return " ".join(stem(token) for text in texts for token in normalize(text).split())


async def _insert(db: aiosqlite.Connection, record: RecordFile, loaded_at: str | None) -> None:
    path = str(record.path.resolve())
    event = record.event
    await db.execute("INSERT INTO sources VALUES (?, ?, ?)",
                     (path, record.digest, event.id if event else None))
    # A definition the validator let through replaces a stale one of the same id (from a
    # file that no longer exists).
    await db.executemany("INSERT OR REPLACE INTO people VALUES (?, ?, ?, ?)", [
        (p.id, p.key, path, to_json(p)) for p in record.people])
    await db.executemany("INSERT OR REPLACE INTO institutions VALUES (?, ?, ?, ?, ?)", [
        (i.id, i.key, path, i.parent, to_json(i)) for i in record.institutions])
    if event is None:
        return
    eid = event.id
    starts = event.starts.astimezone(dt.UTC).isoformat() if event.starts else None
    await db.execute(
        "INSERT INTO events (id, key, path, date, record, loaded_at, starts, finish) "
        "VALUES (?, ?, ?, ?, ?, COALESCE(?, CURRENT_TIMESTAMP), ?, ?)",
        (eid, event.key, path, event.date.isoformat(), to_json(event), loaded_at, starts,
         event.finish.astimezone(dt.UTC).isoformat()))
    # One executemany per table: a thousand events load in seconds, not a minute.
    await db.executemany("INSERT INTO participants VALUES (?, ?, ?, ?, ?)", [
        (eid, p.person, position, p.institution, to_json(p))
        for position, p in enumerate(record.participants)])
    await db.executemany("INSERT INTO themes VALUES (?, ?, ?, ?, ?)", [
        (eid, t.id, t.key, position, to_json(t)) for position, t in enumerate(record.themes)])
    await db.executemany("INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (eid, s.id, s.key, s.position, s.speaker, s.by, s.paragraph, to_json(s))
        for s in record.statements])
    await db.executemany("INSERT INTO search VALUES (?, ?, ?, ?)", [
        ("statement", eid, s.id, search_body(
            [*s.text.values(), s.quote,
             *(f"{f.value} {label}" for f in s.figures for label in f.label.values())]))
        for s in record.statements])


# References the files being loaded may break in events loaded earlier from other files.
_DANGLING = (
    ("SELECT p.event_id, p.person FROM participants p LEFT JOIN people x ON x.id = p.person "
     "WHERE x.id IS NULL", "person"),
    ("SELECT p.event_id, p.institution FROM participants p LEFT JOIN institutions x "
     "ON x.id = p.institution WHERE p.institution IS NOT NULL AND x.id IS NULL", "institution"),
    ("SELECT s.event_id, s.by_ FROM statements s LEFT JOIN institutions x ON x.id = s.by_ "
     f"WHERE s.by_ IS NOT NULL AND s.by_ NOT IN {COLLECTIVE!r} AND x.id IS NULL",
     "institution"),
    ("SELECT '', i.parent FROM institutions i LEFT JOIN institutions x ON x.id = i.parent "
     "WHERE i.parent IS NOT NULL AND x.id IS NULL", "institution"),
)


async def _dangling(db: aiosqlite.Connection) -> list[RecordError]:
    problems = []
    for sql, kind in _DANGLING:
        async with db.execute(sql) as cursor:
            for event_id, missing in await cursor.fetchall():
                async with db.execute("SELECT path FROM events WHERE id = ?",
                                      (event_id,)) as found:
                    row = await found.fetchone()
                where = Path(row["path"]) if row else Path("")
                problems.append(RecordError(
                    where, f"event '{event_id}'" if event_id else "institutions",
                    f"refers to {kind} '{missing}', which no loaded file defines any more: load "
                    "the file that defines it too, or every file (python -m bot load)"))
    return problems


async def loaded_elsewhere(db: aiosqlite.Connection, paths: Iterable[Path]) -> list[Defined]:
    """People, institutions and events loaded from other files that still exist: a partial
    load is checked against them (references may name them, aliases must not repeat)."""
    skip = {str(path.resolve()) for path in paths}
    exists: dict[str, bool] = {}
    found: list[Defined] = []
    for kind, table, names in (
        ("person", "people", lambda r: [*r["name"].values(), *r["aliases"]]),
        ("institution", "institutions",
         lambda r: [*r["name"].values(), *r["short"].values(), *r["aliases"]]),
        ("event", "events", lambda r: [*r["title"].values(), *r["aliases"]]),
    ):
        async with db.execute(f"SELECT id, path, record FROM {table}") as cursor:
            for row in await cursor.fetchall():
                if row["path"] not in exists:  # a few files: no thread needed
                    exists[row["path"]] = _exists(row["path"])
                if row["path"] in skip or not exists[row["path"]]:
                    continue
                record = json.loads(row["record"])
                found.append(Defined(kind, row["id"], Path(row["path"]), tuple(names(record))))
    return found


def _exists(path: str) -> bool:
    return Path(path).exists()


async def read_archive(db: aiosqlite.Connection) -> Archive:
    """Every loaded record, as the model the files were parsed into."""
    archive = Archive()

    async def rows(sql: str) -> list[aiosqlite.Row]:
        async with db.execute(sql) as cursor:
            return list(await cursor.fetchall())

    for row in await rows("SELECT record FROM events ORDER BY date, id"):
        event = event_from(json.loads(row["record"]))
        archive.events[event.id] = event
        archive.participants[event.id], archive.themes[event.id] = [], []
        archive.statements[event.id] = []
    for row in await rows("SELECT record FROM people ORDER BY id"):
        person = person_from(json.loads(row["record"]))
        archive.people[person.id] = person
    for row in await rows("SELECT record FROM institutions ORDER BY id"):
        item = institution_from(json.loads(row["record"]))
        archive.institutions[item.id] = item
    for table, build, into in (("participants", participant_from, archive.participants),
                               ("themes", theme_from, archive.themes),
                               ("statements", statement_from, archive.statements)):
        for row in await rows(f"SELECT record FROM {table} ORDER BY event_id, position"):
            item = build(json.loads(row["record"]))
            into[item.event_id].append(item)
    return archive
