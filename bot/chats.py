"""What the bot remembers about users and chats: language, subscriptions, and question stats.

Privacy: what is stored, and nothing else.

- Questions (`questions`): when, the kind of answer, whether it was answered, the language
  and the records the answer named (for /stats: top themes and speakers). No user id, name
  or chat id is stored with a question. The question text is kept only for unanswered
  questions (what the record's editors need to see what it lacks), cut to 200 characters,
  and is deleted after QUESTION_TEXT_DAYS days.
- Users (`user_settings`): the user id and the interface language they chose with /lang;
  only for users who chose one.
- Chats (`chats`): for groups and channels the bot is or was in: the chat id, type and
  title, whether it receives announcements (`subscribed`), whether the bot can still post
  there (`active`), and the language an admin chose. For a private chat that blocked the
  bot, only its id and `active = 0`; no name.
- Announcements (`announcements`, `outbox`): the text or event announced, the id of the
  bot admin who prepared or retracted it, and per chat the delivery status, attempts, the
  id of the posted message (to retract it) and the last error.

Nothing is shared with third parties; deleting the database file forgets everything.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import aiosqlite

from bot.answering.answer import Answer

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


async def forget_old_question_texts(db: aiosqlite.Connection) -> int:
    """Erase question texts older than QUESTION_TEXT_DAYS; run now and then, not per question."""
    cursor = await db.execute(
        "UPDATE questions SET text = NULL WHERE text IS NOT NULL "
        "AND asked_at < datetime('now', ?)", (f"-{QUESTION_TEXT_DAYS} days",),
    )
    return cursor.rowcount


async def announcement_targets(db: aiosqlite.Connection, configured: Iterable[int]) -> list[int]:
    """Chats that get announcements: subscribed ones and ANNOUNCE_CHAT_IDS, unless inactive."""
    async with db.execute("SELECT chat_id, subscribed, active FROM chats") as cursor:
        rows = await cursor.fetchall()
    inactive = {row["chat_id"] for row in rows if not row["active"]}
    targets = {row["chat_id"] for row in rows if row["subscribed"] and row["active"]}
    targets |= {chat_id for chat_id in configured if chat_id not in inactive}
    return sorted(targets)


async def inactive_chat_count(db: aiosqlite.Connection) -> int:
    async with db.execute("SELECT COUNT(*) FROM chats WHERE active = 0") as cursor:
        return (await cursor.fetchone())[0]


async def set_chat_active(db: aiosqlite.Connection, chat_id: int, active: bool) -> None:
    """Mark a known or unknown chat as (un)reachable, keeping its other settings."""
    await db.execute(
        "INSERT INTO chats (chat_id, type, active) VALUES (?, 'unknown', ?) ON CONFLICT(chat_id) "
        "DO UPDATE SET active = excluded.active, updated_at = CURRENT_TIMESTAMP",
        (chat_id, int(active)),
    )


async def move_chat(db: aiosqlite.Connection, old_id: int, new_id: int, *,
                    was_target: bool = False) -> None:
    """A group became a supergroup: its settings and pending deliveries follow the new id.

    `was_target`: the old id got announcements without a subscription (ANNOUNCE_CHAT_IDS), so
    the new id is subscribed. Each statement is idempotent: running it again finishes a move.
    """
    async with db.execute("SELECT * FROM chats WHERE chat_id = ?", (old_id,)) as cursor:
        old = await cursor.fetchone()
    title = old["title"] if old else ""
    await db.execute(
        "INSERT INTO chats (chat_id, type, title, subscribed, active, language) "
        "VALUES (?, 'supergroup', ?, ?, 1, ?) ON CONFLICT(chat_id) DO UPDATE SET "
        "subscribed = MAX(subscribed, excluded.subscribed), active = 1, "
        "language = COALESCE(language, excluded.language), updated_at = CURRENT_TIMESTAMP",
        (new_id, title, int(was_target or bool(old and old["subscribed"])),
         old["language"] if old else None),
    )
    await db.execute(
        "INSERT INTO chats (chat_id, type, title, subscribed, active) "
        "VALUES (?, 'group', ?, 0, 0) ON CONFLICT(chat_id) DO UPDATE SET subscribed = 0, "
        "active = 0, updated_at = CURRENT_TIMESTAMP",
        (old_id, title),
    )
    note = f"migrated to {new_id}"
    await db.execute(
        "UPDATE OR IGNORE outbox SET chat_id = ?, status = 'pending', not_before = 0, "
        "last_error = ?, updated_at = CURRENT_TIMESTAMP "
        "WHERE chat_id = ? AND status IN ('pending', 'sending')",
        (new_id, note, old_id),
    )
    # Rows left are announcements the new chat already has a row for.
    await db.execute(
        "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = CURRENT_TIMESTAMP "
        "WHERE chat_id = ? AND status IN ('pending', 'sending')",
        (f"{note}, which already has it", old_id),
    )


@dataclass
class QuestionStats:
    """The questions of the last `days` days, for /stats."""

    days: int
    total: int = 0
    answered: int = 0
    entities: Counter[str] = field(default_factory=Counter)  # "kind:event_id:id" -> questions
    unanswered: list[tuple[str, str]] = field(default_factory=list)  # (asked_at, text), newest

    def top(self, kind: str, limit: int = 5) -> list[tuple[tuple[str, str, str], int]]:
        found = []
        for entity, count in self.entities.most_common():
            parts = tuple(entity.split(":", 2))
            if len(parts) == 3 and parts[0] == kind:
                found.append((parts, count))
        return found[:limit]


async def question_stats(db: aiosqlite.Connection, days: int = 7,
                         latest: int = 5) -> QuestionStats:
    stats = QuestionStats(days)
    since = f"-{days} days"
    async with db.execute(
        "SELECT answered, entities FROM questions WHERE asked_at >= datetime('now', ?)",
        (since,),
    ) as cursor:
        async for row in cursor:
            stats.total += 1
            stats.answered += bool(row["answered"])
            try:
                names = json.loads(row["entities"])
            except ValueError:
                names = []
            stats.entities.update(set(names))  # a question counts once per record it named
    async with db.execute(
        "SELECT asked_at, text FROM questions WHERE answered = 0 AND text IS NOT NULL "
        "AND asked_at >= datetime('now', ?) ORDER BY id DESC LIMIT ?",
        (since, latest),
    ) as cursor:
        stats.unanswered = [(row["asked_at"], row["text"]) for row in await cursor.fetchall()]
    return stats
