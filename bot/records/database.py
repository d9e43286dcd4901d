"""The SQLite database: opening it (every failure one line for the operator), its schema and
migrations (PRAGMA user_version), and the one transaction block."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite

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
    # 6: scheduled announcements: when (Unix time, UTC) an admin's announcement is to go out.
    """
    ALTER TABLE announcements ADD COLUMN send_at REAL;
    CREATE INDEX announcements_scheduled ON announcements(send_at) WHERE status = 'scheduled';
    """,
    # 7: one person's requests, stored only for a user who pressed "Follow" or "Remind me":
    # what they follow (a person, theme or institution, by id) and which events they asked
    # to be reminded of, each with the language they read then (nothing else keeps a user's
    # app language, and these messages come unasked). Schedule-change notices and follow news
    # are announcements, so the outbox makes them crash-safe and once: `notice` is the JSON
    # of what one says, fixed when `load` saw the change; follow news is for one user
    # (`for_user`), once per user and event, ever. An outbox row to a user has the
    # `language` it is written in.
    """
    CREATE TABLE follows (
        user_id INTEGER NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
        language TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        PRIMARY KEY (user_id, kind, target)
    );
    CREATE INDEX follows_target ON follows(kind, target);
    CREATE TABLE reminder_requests (
        user_id INTEGER NOT NULL, event_id TEXT NOT NULL, language TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (user_id, event_id)
    );
    CREATE INDEX reminder_requests_event ON reminder_requests(event_id);
    ALTER TABLE announcements ADD COLUMN notice TEXT;
    ALTER TABLE announcements ADD COLUMN for_user INTEGER;
    CREATE UNIQUE INDEX announcements_news
        ON announcements(for_user, event_id) WHERE for_user IS NOT NULL;
    ALTER TABLE outbox ADD COLUMN language TEXT;
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
