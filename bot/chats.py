"""What the bot remembers about users and chats: their language, and whether it can post there.

Subscriptions are bot.announcements.subscriptions; the question log is bot.answering.questions.

Privacy: what is stored, and nothing else.

- Questions (`questions`): when, the kind of answer, whether it was answered, the language
  and the records the answer named (for /stats: top themes and speakers). No user id, name
  or chat id is stored with a question. The question text is kept only for unanswered
  questions (what the record's editors need to see what it lacks), cut to 200 characters,
  and is deleted after QUESTION_TEXT_DAYS days (bot/answering/questions.py).
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

import aiosqlite

LANGUAGE_CACHE = 100_000  # users whose /lang choice is kept in memory


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


async def set_chat_active(db: aiosqlite.Connection, chat_id: int, active: bool) -> None:
    """Mark a known or unknown chat as (un)reachable, keeping its other settings."""
    await db.execute(
        "INSERT INTO chats (chat_id, type, active) VALUES (?, 'unknown', ?) ON CONFLICT(chat_id) "
        "DO UPDATE SET active = excluded.active, updated_at = CURRENT_TIMESTAMP",
        (chat_id, int(active)),
    )


class UserLanguages:
    """/lang choices of users, and of groups (by their admins), read from the database once
    and then kept in memory: the answer path reads no table for a language.

    The one owner of that memory: a choice is stored through `choose` or `choose_for_chat`,
    which forget what was kept, so no other code touches the cache.
    """

    def __init__(self, limit: int = LANGUAGE_CACHE) -> None:
        self.limit = limit
        self._known: dict[int, str | None] = {}  # users by id
        self._chats: dict[int, str | None] = {}  # groups by (negative) chat id

    async def get(self, db: aiosqlite.Connection, user_id: int) -> str | None:
        """The language the user chose, or None if they never did."""
        if user_id not in self._known:
            self._make_room(self._known)
            self._known[user_id] = await user_language(db, user_id)
        return self._known[user_id]

    async def for_chat(self, db: aiosqlite.Connection, chat_id: int) -> str | None:
        """The language an admin chose for the group, or None."""
        if chat_id not in self._chats:
            self._make_room(self._chats)
            self._chats[chat_id] = await chat_language(db, chat_id)
        return self._chats[chat_id]

    async def choose(self, db: aiosqlite.Connection, user_id: int, language: str) -> None:
        await set_user_language(db, user_id, language)
        self.invalidate(user_id)

    async def choose_for_chat(self, db: aiosqlite.Connection, chat_id: int, chat_type: str,
                              title: str, language: str) -> None:
        await upsert_chat(db, chat_id, chat_type, title, language=language)
        self._chats.pop(chat_id, None)

    def invalidate(self, user_id: int) -> None:
        """Forget what is kept for the user: the next `get` reads the database."""
        self._known.pop(user_id, None)

    def _make_room(self, cache: dict[int, str | None]) -> None:
        if len(cache) >= self.limit:  # a cache, not a copy of the table: start afresh
            cache.clear()
