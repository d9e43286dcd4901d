"""Which chats get announcements: subscribed groups and ANNOUNCE_CHAT_IDS, while reachable.

A group subscribes with /subscribe (bot.chats keeps the row); a group that became a
supergroup takes its subscription and its pending deliveries to the new id.
"""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite


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
