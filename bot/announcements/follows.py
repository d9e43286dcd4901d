"""What one person asked for in a private chat: follows, reminders by direct message, and
forgetting it all.

Stored only for a user who pressed "➕ Follow" or "🔔 Remind me" (README: Privacy): their
user id with what they follow (`follows`: a person, theme or institution, by its id in the
records) or which events they asked to be reminded of (`reminder_requests`), each with the
language they read then. `forget` deletes all of it, with every other row about them (the
language they chose, their chat's row, their deliveries); `gone` drops their requests when
they blocked the bot.

A theme is followed by its id: a later event's theme of the same id counts as the same.
What is done with these rows when a `load` brings news is bot.announcements.notices.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

KINDS = ("person", "theme", "institution")


def personal(chat_id: int) -> bool:
    """A private chat (Telegram gives users positive ids, groups and channels negative)."""
    return chat_id > 0


@dataclass(frozen=True)
class Request:
    """One row a user can stop from /following: `number` is its row id, for its button."""

    number: int
    kind: str  # person | theme | institution | event (a reminder)
    target: str  # the record's id


async def follow(db: aiosqlite.Connection, user_id: int, kind: str, target: str,
                 language: str) -> bool:
    """Follow a person, theme or institution; False if the user already did."""
    if kind not in KINDS:
        raise ValueError(f"cannot follow a {kind}")
    cursor = await db.execute(
        "INSERT OR IGNORE INTO follows (user_id, kind, target, language) VALUES (?, ?, ?, ?)",
        (user_id, kind, target, language))
    return cursor.rowcount == 1


async def remind(db: aiosqlite.Connection, user_id: int, event_id: str, language: str) -> bool:
    """Ask for an event's reminders by direct message; False if the user already did."""
    cursor = await db.execute(
        "INSERT OR IGNORE INTO reminder_requests (user_id, event_id, language) VALUES (?, ?, ?)",
        (user_id, event_id, language))
    return cursor.rowcount == 1


async def requests(db: aiosqlite.Connection, user_id: int) -> list[Request]:
    """What the user follows, then the events they asked reminders of, oldest first."""
    async with db.execute(
        "SELECT rowid, kind, target FROM follows WHERE user_id = ? ORDER BY created_at, rowid",
        (user_id,),
    ) as cursor:
        found = [Request(r[0], r[1], r[2]) for r in await cursor.fetchall()]
    async with db.execute(
        "SELECT rowid, event_id FROM reminder_requests WHERE user_id = ? "
        "ORDER BY created_at, rowid", (user_id,),
    ) as cursor:
        found += [Request(r[0], "event", r[1]) for r in await cursor.fetchall()]
    return found


async def stop(db: aiosqlite.Connection, user_id: int, reminder: bool, number: int) -> bool:
    """Stop one follow (or reminder) by its row id; only the user's own. False if none."""
    table = "reminder_requests" if reminder else "follows"
    cursor = await db.execute(f"DELETE FROM {table} WHERE rowid = ? AND user_id = ?",
                              (number, user_id))
    return cursor.rowcount == 1


async def gone(db: aiosqlite.Connection, user_id: int) -> None:
    """The user blocked the bot: nothing more is sent to them unasked."""
    await db.execute("DELETE FROM follows WHERE user_id = ?", (user_id,))
    await db.execute("DELETE FROM reminder_requests WHERE user_id = ?", (user_id,))


# Every row about a user, by the column that holds their id: what /forget deletes. Their
# deliveries go with the announcements made for them alone (the outbox rows cascade), then
# the rows of shared announcements (a reminder) addressed to them.
_ABOUT_USER = (
    ("follows", "user_id"),
    ("reminder_requests", "user_id"),
    ("announcements", "for_user"),
    ("outbox", "chat_id"),
    ("user_settings", "user_id"),
    ("chats", "chat_id"),
)


async def forget(db: aiosqlite.Connection, user_id: int) -> int:
    """Delete everything stored about the user; how many rows went.

    Statement by statement, not one transaction: the sender writes outbox rows on this
    connection meanwhile, and each delete holds on its own (a repeat finishes the job).
    """
    if not personal(user_id):
        raise ValueError("only a user is forgotten")
    deleted = 0
    for table, column in _ABOUT_USER:
        cursor = await db.execute(f"DELETE FROM {table} WHERE {column} = ?", (user_id,))
        deleted += cursor.rowcount
    return deleted


async def all_follows(db: aiosqlite.Connection) -> dict[tuple[str, str], set[int]]:
    """Who follows what: (kind, id) to user ids. Read once per load (follows are few, and a
    load of a thousand events would otherwise ask for each of their people and themes)."""
    found: dict[tuple[str, str], set[int]] = {}
    async with db.execute("SELECT user_id, kind, target FROM follows") as cursor:
        for row in await cursor.fetchall():
            found.setdefault((row[1], row[2]), set()).add(row[0])
    return found


async def language(db: aiosqlite.Connection, user_id: int) -> str | None:
    """The language of the user's latest request (their /lang choice, if any, comes first
    when the message is written)."""
    async with db.execute(
        "SELECT language FROM (SELECT language, created_at, rowid FROM follows WHERE user_id = ?"
        " UNION ALL SELECT language, created_at, rowid FROM reminder_requests WHERE user_id = ?)"
        " ORDER BY created_at DESC, rowid DESC LIMIT 1", (user_id, user_id),
    ) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def reminded(db: aiosqlite.Connection, event_id: str) -> list[tuple[int, str]]:
    """The users who asked for the event's reminders, with their language then."""
    async with db.execute(
        "SELECT user_id, language FROM reminder_requests WHERE event_id = ? ORDER BY user_id",
        (event_id,),
    ) as cursor:
        return [(row[0], row[1]) for row in await cursor.fetchall()]
