"""SQLite storage: schema and migrations, the atomic loader, and the FTS5 search index."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path

import aiosqlite

from bot.records.model import EventRecord, stable_key
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


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


async def loaded_digests(db: aiosqlite.Connection) -> dict[str, str]:
    async with db.execute("SELECT path, digest FROM sources") as cursor:
        return {row["path"]: row["digest"] for row in await cursor.fetchall()}


async def load_records(
    db: aiosqlite.Connection, records: Sequence[EventRecord], *, loaded_at: str | None = None,
    announce_new: bool = False,
) -> list[str]:
    """Replace the given events in one transaction; on any error nothing changes.

    With `announce_new`, an announcement of each new event is queued in the same transaction,
    for the running bot to send. Returns the ids of events that are new to the database.
    """
    async with transaction(db):
        new_events = []
        loading = {record.event.id for record in records}
        for record in records:
            event_id = record.event.id
            # A file whose event id was edited: drop what it held before, or the
            # sources.path key clashes and the old event lingers.
            path = str(record.path.resolve())
            async with db.execute("SELECT event_id FROM sources WHERE path = ?", (path,)) as cur:
                previous = await cur.fetchone()
            if previous is not None and previous["event_id"] != event_id:
                await db.execute("DELETE FROM sources WHERE path = ?", (path,))
                if previous["event_id"] not in loading:
                    await _delete_event(db, previous["event_id"])
            async with db.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)) as cursor:
                if await cursor.fetchone() is None:
                    new_events.append(event_id)
            await _delete_event(db, event_id)
            await _insert_event(db, record, loaded_at)
        if announce_new and new_events:
            await db.executemany(
                "INSERT INTO announcements (event_id, text, status) VALUES (?, '', 'queued')",
                [(event_id,) for event_id in new_events],
            )
    return new_events


async def _delete_event(db: aiosqlite.Connection, event_id: str) -> None:
    await db.execute("DELETE FROM search WHERE event_id = ?", (event_id,))
    await db.execute("DELETE FROM sources WHERE event_id = ?", (event_id,))
    await db.execute("DELETE FROM events WHERE id = ?", (event_id,))


def _texts(**fields: dict[str, str]) -> str:
    return _json(fields)


def search_body(texts: Iterable[str]) -> str:
    """What the FTS index stores: stemmed, transliterated words, so any script matches."""
    return " ".join(stem(token) for text in texts for token in normalize(text).split())


async def _insert_event(db: aiosqlite.Connection, record: EventRecord, loaded_at: str | None):
    event = record.event
    eid = event.id
    rows_search: list[tuple[str, str, str, str]] = []
    await db.execute(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, CURRENT_TIMESTAMP))",
        (
            eid, stable_key(eid), event.date.isoformat(), event.participants_count, event.chair,
            event.source,
            _texts(title=event.title, city=event.city, participants=event.participants,
                   conclusion=event.conclusion, summary=event.summary),
            _json(list(event.aliases)), loaded_at,
        ),
    )
    rows_search.append(("event", eid, eid, search_body(
        [*event.title.values(), *event.city.values(), *event.summary.values(),
         *event.conclusion.values(), *event.participants.values(), *event.aliases])))
    await db.execute(
        "INSERT INTO sources VALUES (?, ?, ?)", (str(record.path.resolve()), record.digest, eid)
    )
    # One executemany per table: a thousand events load in seconds, not a minute.
    await db.executemany("INSERT INTO institutions VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (eid, item.id, stable_key(eid, "i", item.id), item.parent, position,
         _texts(name=item.name, short=item.short), _json(list(item.aliases)))
        for position, item in enumerate(record.institutions)])
    rows_search += [("institution", eid, item.id, search_body(
        [*item.name.values(), *item.short.values(), *item.aliases]))
        for item in record.institutions]
    await db.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (eid, person.id, stable_key(eid, "p", person.id), person.institution, person.order,
         int(person.spoke), int(person.opened), _texts(name=person.name, role=person.role),
         _json(list(person.aliases)), _json(list(person.role_aliases)))
        for person in record.people])
    rows_search += [("person", eid, person.id, search_body(
        [*person.name.values(), *person.role.values(), *person.aliases, *person.role_aliases]))
        for person in record.people]
    await db.executemany("INSERT INTO themes VALUES (?, ?, ?, ?, ?, ?)", [
        (eid, theme.id, stable_key(eid, "t", theme.id), position,
         _texts(name=theme.name, description=theme.description),
         _json({lang: list(words) for lang, words in theme.keywords.items()}))
        for position, theme in enumerate(record.themes)])
    rows_search += [("theme", eid, theme.id, search_body(
        [*theme.name.values(), *theme.description.values(),
         *(word for words in theme.keywords.values() for word in words)]))
        for theme in record.themes]
    await db.executemany("INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (eid, statement.id, stable_key(eid, "s", statement.id), statement.speaker, position,
         statement.paragraph, _texts(text=statement.text),
         _json([{"value": f.value, "label": f.label} for f in statement.figures]))
        for position, statement in enumerate(record.statements)])
    await db.executemany("INSERT OR IGNORE INTO statement_themes VALUES (?, ?, ?)", [
        (eid, statement.id, theme) for statement in record.statements
        for theme in statement.themes])
    rows_search += [("statement", eid, statement.id, search_body(
        [*statement.text.values(),
         *(f"{f.value} {label}" for f in statement.figures for label in f.label.values())]))
        for statement in record.statements]
    await db.executemany("INSERT INTO search VALUES (?, ?, ?, ?)", rows_search)
