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
  id of the posted message (to retract it) and the last error; for a scheduled one, the
  time it is to go out.
- One person's requests (`follows`, `reminder_requests`; bot/announcements/follows.py): only
  for a user who pressed Follow or Remind me, their id with what they follow or which events
  they want reminders of, and the language they used; the messages to them are outbox rows
  (follow news an announcement of their own). /forget deletes every row about the user.

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
    """/lang choices of users, and of groups (by their admins), kept in memory: the answer
    path reads no table for a language.

    `preload` reads both tables at start when they are small enough (they hold only those who
    chose); then a user not in memory never chose, and a first question costs no database
    read (an announcement's readers are mostly first-timers). Past `limit` rows, choices are
    read on first use instead. The one owner of that memory: a choice is stored through
    `choose` or `choose_for_chat`, so no other code touches the cache.
    """

    def __init__(self, limit: int = LANGUAGE_CACHE) -> None:
        self.limit = limit
        self._known: dict[int, str | None] = {}  # users by id
        self._chats: dict[int, str | None] = {}  # groups by (negative) chat id
        self._complete = False  # _known and _chats hold every choice in the database

    async def preload(self, db: aiosqlite.Connection) -> None:
        users = await _small_table(db, "SELECT user_id, language FROM user_settings", self.limit)
        chats = await _small_table(
            db, "SELECT chat_id, language FROM chats WHERE language IS NOT NULL", self.limit)
        if users is not None and chats is not None:
            self._known, self._chats, self._complete = users, chats, True

    async def get(self, db: aiosqlite.Connection, user_id: int) -> str | None:
        """The language the user chose, or None if they never did."""
        if user_id not in self._known:
            if self._complete:
                return None
            self._make_room(self._known)
            self._known[user_id] = await user_language(db, user_id)
        return self._known[user_id]

    async def for_chat(self, db: aiosqlite.Connection, chat_id: int) -> str | None:
        """The language an admin chose for the group, or None."""
        if chat_id not in self._chats:
            if self._complete:
                return None
            self._make_room(self._chats)
            self._chats[chat_id] = await chat_language(db, chat_id)
        return self._chats[chat_id]

    async def choose(self, db: aiosqlite.Connection, user_id: int, language: str) -> None:
        await set_user_language(db, user_id, language)
        self._remember(self._known, user_id, language)

    async def choose_for_chat(self, db: aiosqlite.Connection, chat_id: int, chat_type: str,
                              title: str, language: str) -> None:
        await upsert_chat(db, chat_id, chat_type, title, language=language)
        self._remember(self._chats, chat_id, language)

    def invalidate(self, user_id: int) -> None:
        """Forget what is kept for the user: the next `get` reads the database."""
        self._known.pop(user_id, None)
        self._complete = False

    def _remember(self, cache: dict[int, str | None], key: int, language: str) -> None:
        if key not in cache:
            self._make_room(cache)
        cache[key] = language

    def _make_room(self, cache: dict[int, str | None]) -> None:
        if len(cache) >= self.limit:  # a cache, not a copy of the table: start afresh
            cache.clear()
            self._complete = False


async def _small_table(db: aiosqlite.Connection, sql: str, limit: int
                       ) -> dict[int, str | None] | None:
    """The (id, language) rows of `sql`, or None when there are more than `limit`."""
    async with db.execute(f"{sql} LIMIT ?", (limit + 1,)) as cursor:
        rows = await cursor.fetchall()
    return None if len(rows) > limit else {row[0]: row[1] for row in rows}
