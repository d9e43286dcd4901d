"""SQLite storage against a real file: schema, migrations, the atomic loader, FTS search."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.records import database, storage
from bot.records.files import parse_all
from bot.records.loader import load_paths
from bot.text import normalize, stem

EVENT = "roundtable-2026-02-09-astana"
REPO = Path(__file__).resolve().parent.parent


async def scalar(db, sql: str, *args):
    async with db.execute(sql, args) as cursor:
        return (await cursor.fetchone())[0]


async def test_fresh_load(db, events_dir):
    records = parse_all([events_dir])
    assert (await storage.load_records(db, records)).new_events == [EVENT]
    assert await scalar(db, "SELECT count(*) FROM events") == 1
    assert await scalar(db, "SELECT count(*) FROM participants WHERE event_id = ?", EVENT) == 9
    assert await scalar(db, "SELECT count(*) FROM people") == 9
    assert await scalar(db, "SELECT count(*) FROM institutions") == 6
    assert await scalar(db, "SELECT count(*) FROM themes") >= 15
    statements = await scalar(db, "SELECT count(*) FROM statements")
    assert statements == len(records[0].statements) > 0
    assert await scalar(db, "SELECT count(*) FROM search WHERE kind = 'statement'") == statements
    assert await scalar(db, "SELECT event_id FROM sources") == EVENT
    assert await scalar(db, "PRAGMA journal_mode") == "wal"
    assert await scalar(db, "PRAGMA foreign_keys") == 1
    assert await scalar(db, "PRAGMA user_version") == storage.SCHEMA_VERSION


@pytest.mark.parametrize(
    ("word", "ref"),
    [
        ("Miranda", "perepechina-3"),
        ("intellectual", "perepechina-4"),
        ("Курултая", "beknazarov-1"),
    ],
)
async def test_search_finds_a_statement_by_a_word(db, events_dir, word, ref):
    await storage.load_records(db, parse_all([events_dir]))
    query = storage.search_body([word])
    assert query == stem(normalize(word))
    async with db.execute(
        "SELECT kind, ref FROM search WHERE search MATCH ? AND kind = 'statement'", (query,)
    ) as cursor:
        hits = {tuple(row) for row in await cursor.fetchall()}
    assert ("statement", ref) in hits


async def test_loading_twice_gives_the_same_database(db, tmp_path, events_dir, db_dump):
    records = parse_all([events_dir])
    assert (await storage.load_records(db, records)).new_events == [EVENT]
    first = db_dump(tmp_path / "bot.db")
    assert (await storage.load_records(db, parse_all([events_dir]))).new_events == []
    assert db_dump(tmp_path / "bot.db") == first
    assert first["people"] and first["search"]


async def test_reloading_an_archive_replaces_only_what_its_files_held(db, tmp_path, db_dump):
    folder = tmp_path / "archive"
    shutil.copytree(REPO / "data" / "events", folder)
    records = parse_all([folder])
    assert len((await storage.load_records(db, records)).new_events) == len(records) == 3
    first = db_dump(tmp_path / "bot.db")
    # Every file again: nothing changes, nothing is new.
    assert (await storage.load_records(db, parse_all([folder]))).new_events == []
    assert db_dump(tmp_path / "bot.db") == first
    # One file again, its event id edited: that event is replaced, the others stay as they were.
    path = folder / f"{EVENT}.toml"
    path.write_text(path.read_text("utf-8").replace(f'id = "{EVENT}"', 'id = "renamed"', 1),
                    "utf-8")
    _, result = await load_paths(db, [path])
    assert result.new_events == ["renamed"]
    after = db_dump(tmp_path / "bot.db")
    for table in ("events", "participants", "statements", "search"):
        others = [row for row in first[table] if EVENT not in row]
        assert [row for row in after[table] if "renamed" not in row] == others, table
        assert len(after[table]) == len(first[table]), table
    assert await scalar(db, "SELECT count(*) FROM sources WHERE event_id = ?", EVENT) == 0


async def test_loaded_at_is_kept_when_given(db, events_dir):
    await storage.load_records(db, parse_all([events_dir]), loaded_at="2026-02-10 00:00:00")
    assert await scalar(db, "SELECT loaded_at FROM events") == "2026-02-10 00:00:00"


async def test_edited_event_id_replaces_the_old_event(db, events_dir, break_file):
    await storage.load_records(db, parse_all([events_dir]))
    break_file((f'id = "{EVENT}"', 'id = "renamed"'))
    assert (await storage.load_records(db, parse_all([events_dir]))).new_events == ["renamed"]
    async with db.execute("SELECT id FROM events") as cursor:
        assert [row[0] for row in await cursor.fetchall()] == ["renamed"]
    assert await scalar(db, "SELECT count(*) FROM sources") == 1
    assert await scalar(db, "SELECT count(*) FROM participants WHERE event_id = ?", EVENT) == 0
    assert await scalar(db, "SELECT count(*) FROM search WHERE event_id = ?", EVENT) == 0


async def test_error_in_the_middle_rolls_back(db, tmp_path, events_dir, db_dump):
    (record,) = parse_all([events_dir])
    await storage.load_records(db, [record])
    before = db_dump(tmp_path / "bot.db", frozenset())
    # Bypass validation: the repeated statement violates the (event_id, id) primary key,
    # after the event, its people and half its statements were already written.
    statements = record.statements
    broken = dataclasses.replace(
        record, statements=(*statements[:10], statements[0], *statements[10:])
    )
    with pytest.raises(sqlite3.IntegrityError):
        await storage.load_records(db, [broken])
    assert not db.in_transaction
    assert db_dump(tmp_path / "bot.db", frozenset()) == before


async def test_error_on_a_fresh_database_leaves_it_empty(db, tmp_path, events_dir):
    (record,) = parse_all([events_dir])
    good = dataclasses.replace(record, event=dataclasses.replace(record.event, id="first"))
    broken = dataclasses.replace(record, participants=(*record.participants,
                                                       record.participants[0]))
    with pytest.raises(sqlite3.IntegrityError):
        await storage.load_records(db, [good, broken])
    for table in ("events", "sources", "people", "participants", "statements", "search"):
        assert await scalar(db, f"SELECT count(*) FROM {table}") == 0, table


async def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "bot.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(storage.SchemaTooNew, match="newer than this bot"):
        await storage.connect(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION + 1
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    conn.close()


async def test_reconnect_does_not_rerun_migrations(tmp_path, monkeypatch):
    path = tmp_path / "bot.db"
    db = await storage.connect(path)
    await db.execute("INSERT INTO chats (chat_id, type) VALUES (42, 'private')")
    await db.close()

    async def fail(*args):
        raise AssertionError("migration re-run")

    monkeypatch.setattr(database, "_run_script", fail)
    db = await storage.connect(path)
    try:
        assert await scalar(db, "PRAGMA user_version") == storage.SCHEMA_VERSION
        assert await scalar(db, "SELECT count(*) FROM chats") == 1
    finally:
        await db.close()


def test_migrations_split_into_whole_statements():
    for script in storage.MIGRATIONS:
        for statement in database._split_sql(script):
            assert sqlite3.complete_statement(statement), statement


async def test_old_question_texts_are_forgotten(db):
    from bot.answering import questions
    from bot.answering.answer import Answer

    log = questions.QuestionLog()
    log.record(Answer("who won the match?", "unknown", answered=False))
    log.record(Answer("who talked about ecology?", "theme"))
    assert await log.flush(db) == 2
    await db.execute("UPDATE questions SET asked_at = datetime('now', '-40 days') WHERE id = 1")
    log.record(Answer("what is bitcoin?", "unknown", answered=False))
    assert await log.flush(db) == 1
    assert await questions.forget_old_question_texts(db) == 1
    async with db.execute("SELECT text FROM questions ORDER BY id") as cursor:
        texts = [row[0] for row in await cursor.fetchall()]
    assert texts == [None, None, "what is bitcoin?"]  # answered questions never keep text


async def test_transaction_commits_together_or_not_at_all(db):
    async with storage.transaction(db):
        await db.execute("INSERT INTO user_settings (user_id, language) VALUES (1, 'ru')")
        await db.execute("INSERT INTO user_settings (user_id, language) VALUES (2, 'kk')")
    with pytest.raises(sqlite3.IntegrityError):
        async with storage.transaction(db):
            await db.execute("INSERT INTO user_settings (user_id, language) VALUES (3, 'en')")
            await db.execute("INSERT INTO user_settings (user_id, language) VALUES (1, 'en')")
    assert await scalar(db, "SELECT group_concat(user_id || language) FROM user_settings") == (
        "1ru,2kk")
    assert not db.in_transaction  # the next statement autocommits again


# ----- the archive across files, and the migration to it -----------------------------------

LATER = """schema = 2
[event]
id = "hearing"
title = "Hearing on the reforms"
date = 2026-05-01
sources = ["https://example.org/hearing"]
[[participants]]
person = "ashimbayev"
institution = "senate"
[[statements]]
id = "ashimbayev-1"
speaker = "ashimbayev"
paragraph = 2
text = "The reforms continue."
"""


async def test_a_file_loaded_alone_may_refer_to_people_loaded_from_another(db, events_dir,
                                                                           tmp_path):
    from bot.records.loader import load_paths

    await load_paths(db, [events_dir])
    later = tmp_path / "hearing.toml"
    later.write_text(LATER, encoding="utf-8")
    _, result = await load_paths(db, [later])
    assert result.new_events == ["hearing"]
    archive = await storage.read_archive(db)
    assert [p.person for p in archive.participants["hearing"]] == ["ashimbayev"]
    assert len(archive.people) == 9  # one Ashimbayev, whatever the number of events


async def test_a_file_loaded_alone_cannot_repeat_an_alias_loaded_from_another(
        db, events_dir, tmp_path, db_dump):
    from bot.records.loader import load_paths
    from bot.records.model import RecordsInvalid

    await load_paths(db, [events_dir])
    before = db_dump(tmp_path / "bot.db", frozenset())
    later = tmp_path / "hearing.toml"
    later.write_text(LATER.replace('[[participants]]\nperson = "ashimbayev"',
                                   '[[people]]\nid = "ashimbaev"\nname = "Maulen Ashimbayev"\n'
                                   '[[participants]]\nperson = "ashimbaev"').replace(
        'speaker = "ashimbayev"', 'speaker = "ashimbaev"'), encoding="utf-8")
    with pytest.raises(RecordsInvalid) as caught:
        await load_paths(db, [later])
    (error,) = caught.value.errors
    assert error.path == later and "also names person 'ashimbayev'" in error.message
    assert "loaded earlier" in error.message
    assert db_dump(tmp_path / "bot.db", frozenset()) == before


async def test_a_load_that_would_leave_a_reference_dangling_is_refused(
        db, events_dir, tmp_path, break_file, db_dump):
    from bot.records.loader import load_paths
    from bot.records.model import RecordsInvalid

    later = events_dir / "hearing.toml"
    later.write_text(LATER, encoding="utf-8")
    await load_paths(db, [events_dir])
    before = db_dump(tmp_path / "bot.db", frozenset())
    roundtable = events_dir / f"{EVENT}.toml"
    text = roundtable.read_text(encoding="utf-8")
    # The roundtable's file no longer defines the Senate, which the hearing refers to;
    # loading that file alone must not strand the hearing.
    start = text.index("[[institutions]]\nid = \"senate\"")
    end = text.index("[[institutions]]", start + 10)
    roundtable.write_text(text[:start] + text[end:].replace('parent = "senate"\n', "")
                          .replace('institution = "senate"\n', ""), encoding="utf-8")
    with pytest.raises(RecordsInvalid) as caught:
        await load_paths(db, [roundtable])
    assert any("refers to institution 'senate'" in e.message and e.path.name == "hearing.toml"
               for e in caught.value.errors), [str(e) for e in caught.value.errors]
    assert not db.in_transaction
    assert db_dump(tmp_path / "bot.db", frozenset()) == before


async def test_a_populated_schema_2_database_migrates_keeping_chats_and_the_outbox(
        tmp_path, events_dir):
    """Schema 2 held one event per file with people inside it; schema 3 is an archive. The
    records are rebuilt from the files; what the bot learnt from Telegram stays."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for script in storage.MIGRATIONS[:2]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 2")
    conn.executescript("""
        INSERT INTO events VALUES ('old-event', 'k1', '2026-02-09', 200, 'p', 'seeds/x.txt',
                                   '{}', '[]', '2026-02-10');
        INSERT INTO people VALUES ('old-event', 'p', 'k2', 'i', 1, 1, 1, '{}', '[]', '[]');
        INSERT INTO sources VALUES ('/gone.toml', 'abc', 'old-event');
        INSERT INTO chats (chat_id, type, title, subscribed, active, language)
            VALUES (-4001, 'group', 'Press', 1, 1, 'kk'), (-4002, 'supergroup', 'Old', 0, 0, NULL);
        INSERT INTO user_settings (user_id, language) VALUES (1001, 'ru'), (1002, 'kk');
        INSERT INTO announcements (id, event_id, text, status, retracted_by)
            VALUES (1, 'old-event', '', 'sending', NULL), (2, NULL, 'Hello', 'sent', 42);
        INSERT INTO outbox (announcement_id, chat_id, status, attempts, message_id)
            VALUES (1, -4001, 'pending', 1, NULL), (2, -4001, 'sent', 1, 77);
        INSERT INTO questions (kind, answered, language, entities, text)
            VALUES ('unknown', 0, 'en', '[]', 'what is bitcoin?');
    """)
    conn.commit()
    kept = {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall()) for table in
            ("chats", "user_settings", "announcements", "outbox", "questions")}
    # Later migrations may add columns: the old ones must hold what they held.
    columns = {table: ", ".join(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
               for table in kept}
    conn.close()

    db = await storage.connect(path)
    try:
        assert await scalar(db, "PRAGMA user_version") == storage.SCHEMA_VERSION
        for table, rows in kept.items():
            async with db.execute(f"SELECT {columns[table]} FROM {table}") as cursor:
                assert sorted(tuple(r) for r in await cursor.fetchall()) == rows, table
        assert await scalar(db, "SELECT count(*) FROM events") == 0  # rebuilt from the files
        assert await storage.loaded_digests(db) == {}  # so the bot loads them at start
        result = await storage.load_records(db, parse_all([events_dir]))
        assert result.new_events == [EVENT]
        assert await scalar(db, "SELECT count(*) FROM outbox") == 2
    finally:
        await db.close()


async def test_load_reports_progress_after_each_file(db, events_dir):
    records = parse_all([events_dir])
    seen = []
    await storage.load_records(db, records, progress=lambda *step: seen.append(step))
    assert seen == [(n, len(records)) for n in range(1, len(records) + 1)]
