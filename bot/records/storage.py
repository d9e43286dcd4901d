"""The records in SQLite: the atomic loader, the archive read back, and the FTS5 search index."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite

from bot.records.archive import Defined

# Opening, migrating and the transaction block are bot.records.database; they are named here
# too because most callers hold this module for the records as well.
from bot.records.database import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from bot.records.database import MIGRATIONS as MIGRATIONS
from bot.records.database import SCHEMA_VERSION as SCHEMA_VERSION
from bot.records.database import DatabaseProblem as DatabaseProblem
from bot.records.database import SchemaTooNew as SchemaTooNew
from bot.records.database import connect as connect
from bot.records.database import explain as explain
from bot.records.database import migrate as migrate
from bot.records.database import transaction as transaction
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


async def loaded_digests(db: aiosqlite.Connection) -> dict[str, str]:
    async with db.execute("SELECT path, digest FROM sources") as cursor:
        return {row["path"]: row["digest"] for row in await cursor.fetchall()}


@dataclass
class LoadResult:
    new_events: list[str] = field(default_factory=list)  # ids of events new to the database
    announced: list[str] = field(default_factory=list)  # of those, the ones queued to announce
    notices: int = 0  # messages the `changes` hook queued (schedule changes, follow news)


@dataclass(frozen=True)
class Loaded:
    """What a load brings, for the hook that tells people about it: the files loaded and,
    for their events that were in the database before, the event and its statement ids as
    they were. An event of `records` not in `before` is new."""

    records: Sequence[RecordFile]
    before: dict[str, tuple[Event, frozenset[str]]]


# Runs inside the load's transaction, after the records are written: what it queues lands
# with them, or not at all. Returns how many messages it queued.
LoadHook = Callable[[aiosqlite.Connection, Loaded], Awaitable[int]]


async def load_records(
    db: aiosqlite.Connection, records: Sequence[RecordFile], *, loaded_at: str | None = None,
    announce: Callable[[Event], bool] | None = None,
    progress: Callable[[int, int], None] | None = None, changes: LoadHook | None = None,
) -> LoadResult:
    """Replace what the given files held before, in one transaction; on any error (a
    reference that another loaded file still needs, included) nothing changes.

    `announce` decides, for each event new to the database, whether its announcement is
    queued in the same transaction, for the running bot to send. `progress(done, total)` is
    called after each file. `changes` is shown what the load brings (see LoadHook).
    """
    result = LoadResult()
    paths = [str(record.path.resolve()) for record in records]
    loading = [record.event.id for record in records if record.event]
    async with transaction(db):
        before = await _as_before(db, set(loading)) if changes is not None else {}
        # Set-wise, not a statement per file: the search table has no index on its event
        # (an FTS5 column), so deleting each event's rows on its own scanned every row once
        # per file, and loading the archive again took twice as long as loading it new.
        async with db.execute(
                "SELECT event_id FROM sources WHERE path IN (SELECT value FROM json_each(?)) "
                "AND event_id IS NOT NULL", (json.dumps(paths),)) as cursor:
            previous = [row["event_id"] for row in await cursor.fetchall()]
        async with db.execute("SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))",
                              (json.dumps(loading),)) as cursor:
            loaded = {row["id"] for row in await cursor.fetchall()}
        # What the files held before goes: the events they hold now that were loaded, and
        # an event whose id was edited (or removed), or the old event lingers.
        going = [*loaded, *(event_id for event_id in previous if event_id not in loading)]
        if going:  # a new event has no rows to delete, and a fresh load deletes nothing
            await _delete_events(db, going)
        for table in ("sources", "people", "institutions"):
            await db.execute(f"DELETE FROM {table} WHERE path IN "
                             "(SELECT value FROM json_each(?))", (json.dumps(paths),))
        result.new_events = [event_id for event_id in loading if event_id not in loaded]
        await _insert_all(db, records, loaded_at, progress)
        if problems := await _dangling(db):
            raise RecordsInvalid(problems)
        if announce is not None:
            result.announced = [r.event.id for r in records if r.event
                                and r.event.id in result.new_events and announce(r.event)]
            await db.executemany(
                "INSERT INTO announcements (event_id, text, status) VALUES (?, '', 'queued')",
                [(event_id,) for event_id in result.announced],
            )
        if changes is not None:
            result.notices = await changes(db, Loaded(records, before))
    return result


async def _delete_events(db: aiosqlite.Connection, event_ids: list[str]) -> None:
    """The events and all of their rows (participants, themes and statements cascade)."""
    ids = json.dumps(event_ids)
    for sql in ("DELETE FROM search WHERE event_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM sources WHERE event_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))"):
        await db.execute(sql, (ids,))


async def _as_before(db: aiosqlite.Connection, loading: set[str]
                     ) -> dict[str, tuple[Event, frozenset[str]]]:
    """The events about to be loaded again, and their statement ids, as the database has them."""
    ids = json.dumps(sorted(loading))
    said: dict[str, set[str]] = {}
    async with db.execute("SELECT event_id, id FROM statements WHERE event_id IN "
                          "(SELECT value FROM json_each(?))", (ids,)) as cursor:
        for row in await cursor.fetchall():
            said.setdefault(row["event_id"], set()).add(row["id"])
    async with db.execute("SELECT id, record FROM events WHERE id IN "
                          "(SELECT value FROM json_each(?))", (ids,)) as cursor:
        return {row["id"]: (event_from(json.loads(row["record"])),
                            frozenset(said.get(row["id"], ()))) for row in await cursor.fetchall()}


def search_body(texts: Iterable[str]) -> str:
    """What the FTS index stores: stemmed, transliterated words, so any script matches."""
    words: list[str] = []
    for text in texts:
        words += normalize(text).split()
    # map, not a generator: ~2 million words at 1,000 events, each stem a cache hit.
    return " ".join(map(stem, words))


# Rows of this many files go to the database together: few round trips to its thread, and
# the next files' rows (JSON, stemmed search text) are made while it writes these.
CHUNK = 50
_INSERTS = (  # the search text first: the most work for SQLite, the longest overlap
    ("search", "INSERT INTO search VALUES (?, ?, ?, ?)"),
    ("sources", "INSERT INTO sources VALUES (?, ?, ?)"),
    # A definition the validator let through replaces a stale one of the same id (from a
    # file that no longer exists).
    ("people", "INSERT OR REPLACE INTO people VALUES (?, ?, ?, ?)"),
    ("institutions", "INSERT OR REPLACE INTO institutions VALUES (?, ?, ?, ?, ?)"),
    ("events", "INSERT INTO events (id, key, path, date, record, loaded_at, starts, finish) "
               "VALUES (?, ?, ?, ?, ?, COALESCE(?, CURRENT_TIMESTAMP), ?, ?)"),
    ("participants", "INSERT INTO participants VALUES (?, ?, ?, ?, ?)"),
    ("themes", "INSERT INTO themes VALUES (?, ?, ?, ?, ?)"),
    ("statements", "INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
)


async def _insert_all(db: aiosqlite.Connection, records: Sequence[RecordFile],
                      loaded_at: str | None,
                      progress: Callable[[int, int], None] | None) -> None:
    """Every file's rows, one executemany per table for each CHUNK of files; the rows of a
    chunk are made while the database thread writes the previous one."""
    writing: asyncio.Task | None = None
    try:
        for start in range(0, len(records) + CHUNK, CHUNK):
            rows = _rows(records[start:start + CHUNK], loaded_at)
            if writing is not None:
                await writing
                if progress is not None:
                    for done in range(max(0, start - CHUNK), min(start, len(records))):
                        progress(done + 1, len(records))
            writing = None
            if start < len(records):
                writing = asyncio.ensure_future(_write(db, rows))
                await asyncio.sleep(0)  # hands the first statement to the database thread
    finally:
        if writing is not None and not writing.done():  # an error: wait, then roll back
            await asyncio.wait([writing])


async def _write(db: aiosqlite.Connection, rows: dict[str, list[tuple]]) -> None:
    for table, sql in _INSERTS:
        if rows[table]:
            await db.executemany(sql, rows[table])


def _rows(records: Sequence[RecordFile], loaded_at: str | None) -> dict[str, list[tuple]]:
    """The rows of these files, by table, in the files' order."""
    rows: dict[str, list[tuple]] = {table: [] for table, _ in _INSERTS}
    for record in records:
        path = str(record.path.resolve())
        event = record.event
        rows["sources"].append((path, record.digest, event.id if event else None))
        rows["people"] += [(p.id, p.key, path, to_json(p)) for p in record.people]
        rows["institutions"] += [(i.id, i.key, path, i.parent, to_json(i))
                                 for i in record.institutions]
        if event is None:
            continue
        eid = event.id
        starts = event.starts.astimezone(dt.UTC).isoformat() if event.starts else None
        rows["events"].append((eid, event.key, path, event.date.isoformat(), to_json(event),
                               loaded_at, starts, event.finish.astimezone(dt.UTC).isoformat()))
        rows["participants"] += [(eid, p.person, position, p.institution, to_json(p))
                                 for position, p in enumerate(record.participants)]
        rows["themes"] += [(eid, t.id, t.key, position, to_json(t))
                           for position, t in enumerate(record.themes)]
        rows["statements"] += [(eid, s.id, s.key, s.position, s.speaker, s.by, s.paragraph,
                                to_json(s)) for s in record.statements]
        rows["search"] += [("statement", eid, s.id, search_body(
            [*s.text.values(), s.quote,
             *(f"{f.value} {label}" for f in s.figures for label in f.label.values())]))
            for s in record.statements]
    return rows


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
