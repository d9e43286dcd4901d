"""SQLite storage against a real file: schema, migrations, the atomic loader, FTS search."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from bot.records import storage
from bot.records.files import parse_all
from bot.text import normalize, stem

EVENT = "roundtable-2026-02-09-astana"


async def scalar(db, sql: str, *args):
    async with db.execute(sql, args) as cursor:
        return (await cursor.fetchone())[0]


async def test_fresh_load(db, events_dir):
    records = parse_all([events_dir])
    assert await storage.load_records(db, records) == [EVENT]
    assert await scalar(db, "SELECT count(*) FROM events") == 1
    assert await scalar(db, "SELECT count(*) FROM people WHERE event_id = ?", EVENT) == 9
    assert await scalar(db, "SELECT count(*) FROM institutions") == 6
    assert await scalar(db, "SELECT count(*) FROM themes") >= 15
    statements = await scalar(db, "SELECT count(*) FROM statements")
    assert statements == len(records[0].statements) > 0
    assert await scalar(db, "SELECT count(*) FROM statement_themes") >= statements
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
    assert await storage.load_records(db, records) == [EVENT]
    first = db_dump(tmp_path / "bot.db")
    assert await storage.load_records(db, parse_all([events_dir])) == []
    assert db_dump(tmp_path / "bot.db") == first
    assert first["people"] and first["search"]


async def test_loaded_at_is_kept_when_given(db, events_dir):
    await storage.load_records(db, parse_all([events_dir]), loaded_at="2026-02-10 00:00:00")
    assert await scalar(db, "SELECT loaded_at FROM events") == "2026-02-10 00:00:00"


async def test_edited_event_id_replaces_the_old_event(db, events_dir, break_file):
    await storage.load_records(db, parse_all([events_dir]))
    break_file((f'id = "{EVENT}"', 'id = "renamed"'))
    assert await storage.load_records(db, parse_all([events_dir])) == ["renamed"]
    async with db.execute("SELECT id FROM events") as cursor:
        assert [row[0] for row in await cursor.fetchall()] == ["renamed"]
    assert await scalar(db, "SELECT count(*) FROM sources") == 1
    assert await scalar(db, "SELECT count(*) FROM people WHERE event_id = ?", EVENT) == 0
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
    broken = dataclasses.replace(record, people=(*record.people, record.people[0]))
    with pytest.raises(sqlite3.IntegrityError):
        await storage.load_records(db, [good, broken])
    for table in ("events", "sources", "people", "statements", "search"):
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

    monkeypatch.setattr(storage, "_run_script", fail)
    db = await storage.connect(path)
    try:
        assert await scalar(db, "PRAGMA user_version") == storage.SCHEMA_VERSION
        assert await scalar(db, "SELECT count(*) FROM chats") == 1
    finally:
        await db.close()


def test_migrations_split_into_whole_statements():
    for script in storage.MIGRATIONS:
        for statement in storage._split_sql(script):
            assert sqlite3.complete_statement(statement), statement


async def test_old_question_texts_are_forgotten(db):
    from bot.answering import questions
    from bot.answering.answer import Answer

    await questions.log_question(db, Answer("who won the match?", "unknown", answered=False))
    await questions.log_question(db, Answer("who talked about ecology?", "theme"))
    await db.execute("UPDATE questions SET asked_at = datetime('now', '-40 days') WHERE id = 1")
    await questions.log_question(db, Answer("what is bitcoin?", "unknown", answered=False))
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
