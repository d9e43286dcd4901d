"""What the bot remembers about users and chats: language, subscriptions, and question stats.

Privacy: the questions log keeps the kind of answer, the entities it named and the language;
the question text is kept only for unanswered questions (what the record's editors need to
see what it lacks), cut to 200 characters, and is deleted after QUESTION_TEXT_DAYS days.
"""

from __future__ import annotations

import json

import aiosqlite

from bot.answer import Answer

QUESTION_TEXT_DAYS = 30


async def user_language(db: aiosqlite.Connection, user_id: int) -> str | None:
    async with db.execute(
        "SELECT language FROM user_settings WHERE user_id = ?", (user_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return row["language"] if row else None


async def set_user_language(db: aiosqlite.Connection, user_id: int, language: str) -> None:
    await db.execute(
        "INSERT INTO user_settings (user_id, language) VALUES (?, ?) ON CONFLICT(user_id) "
        "DO UPDATE SET language = excluded.language, updated_at = CURRENT_TIMESTAMP",
        (user_id, language),
    )


async def chat_language(db: aiosqlite.Connection, chat_id: int) -> str | None:
    async with db.execute("SELECT language FROM chats WHERE chat_id = ?", (chat_id,)) as cursor:
        row = await cursor.fetchone()
    return row["language"] if row else None


async def upsert_chat(db: aiosqlite.Connection, chat_id: int, chat_type: str, title: str,
                      **fields: object) -> None:
    """Create or update a chat row; `fields` may set subscribed, active or language."""
    allowed = {"subscribed", "active", "language"}
    assert set(fields) <= allowed, fields
    columns = ["chat_id", "type", "title", *fields]
    values = [chat_id, chat_type, title, *fields.values()]
    updates = ", ".join(f"{c} = excluded.{c}" for c in ["type", "title", *fields])
    await db.execute(
        f"INSERT INTO chats ({', '.join(columns)}) VALUES ({', '.join('?' * len(values))}) "
        f"ON CONFLICT(chat_id) DO UPDATE SET {updates}, updated_at = CURRENT_TIMESTAMP",
        values,
    )


async def log_question(db: aiosqlite.Connection, answer: Answer) -> None:
    text = None if answer.answered else answer.question[:200]
    entities = [f"{ref.kind}:{ref.event_id}:{ref.id}" for ref in answer.entities]
    await db.execute(
        "INSERT INTO questions (kind, answered, language, entities, text) VALUES (?, ?, ?, ?, ?)",
        (answer.kind, int(answer.answered), answer.lang, json.dumps(entities), text),
    )
    await db.execute(
        "UPDATE questions SET text = NULL WHERE text IS NOT NULL "
        "AND asked_at < datetime('now', ?)", (f"-{QUESTION_TEXT_DAYS} days",),
    )
