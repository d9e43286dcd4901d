"""The announcements and their outbox: the rows, their state transitions and the queries on them.

An announcement is either the event announcement (built from the engine, in each chat's own
language, when it is sent) or an admin's own text. Its life (`announcements.status`):

    draft -> approved -> sending -> done        /announce, then Send
    draft -> cancelled                          /announce, then Cancel
    draft -> scheduled -> approved -> ...       /announce, then a time (`send_at`, Unix time):
                                                the sender approves it once that time has come,
                                                after downtime up to schedule.GRACE late (one
                                                UPDATE; `fill` follows, or the next start does)
    scheduled -> cancelled                      Cancel in /announce's list, or /retract NUMBER:
                                                final, it is never sent
    scheduled -> skipped                        due more than schedule.GRACE ago (the bot was
                                                down): never sent, and its admin is told
    queued -> sending -> done                   `python -m bot load` of a new event
    sending -> waiting -> done                  some chats wait for a late retry (report twice)
    (approved | queued | sending | waiting | done) -> retracting -> retracted    /retract
    queued -> failed                            its event is not in the record
    queued -> sending -> done                   a reminder (bot.announcements.reminders), due
                                                at a REMINDER_LEADS lead before its event
    skipped                                     a reminder that was due long ago (downtime):
                                                written so, never sent
    queued -> sending -> done                   a notice (`notice` set; bot.announcements.
                                                notices), queued by `load` in its transaction:
                                                an upcoming event moved or was cancelled, or
                                                follow news for one user (`for_user`)

Who gets one (bot.announcements.notices.audience): announcements and reminders go to the
subscribed chats and ANNOUNCE_CHAT_IDS; a reminder also to the users who asked for it ("🔔
Remind me"), in direct messages; a schedule change to the chats its event's announcement
reached and to those users; follow news to its one user. Reminders and notices come
unasked: nobody gets a delivery report of them.

Only `approved` and `queued` ones get an outbox (`fill`), so nothing scheduled, cancelled or
skipped is ever posted; /retract without a number takes neither those nor reminders nor
notices.

Delivery (`outbox`: one row per announcement and chat, all written in ONE transaction before
the first post):

    pending -> sending -> sent -> retracted | retract_failed
       ^          |
       +----------+  Flood, Transient (later: not_before), Moved (new chat id)
    sending -> failed     Gone, Refused, too many attempts
    pending -> cancelled  retracted before it was posted
    (any) -> deleted      /forget: every row to that user goes (bot.announcements.follows)

A row to a user (a private chat: a positive chat id) has the `language` of their request, for
users who never chose one with /lang. Gone there means they blocked the bot: their follows and
reminder requests are dropped with the row.

(The failures are bot.announcements.delivery's kinds: Flood is Telegram's RetryAfter, Moved
its ChatMigrated, Gone Forbidden or "chat not found", Refused another bad request, Transient
network and other errors.)

The database is opened in autocommit mode: every UPDATE here is committed on its own, so the
sender's tasks can write rows side by side on one connection. Only `fill` is a transaction of
several statements (see there).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import aiosqlite

from bot.announcements import notices
from bot.records.storage import transaction

BATCH = 200  # due rows read at once

ACTIVE = ("sending", "waiting")  # announcements whose pending rows are posted
RETRACTABLE = ("queued", "approved", "sending", "waiting", "done")
SENT = ("sent", "retracted", "retract_failed")  # rows that reached their chat
NOT_OUT = ("draft", "cancelled", "scheduled", "skipped")  # announcements never posted

Key = tuple[int, int]  # (announcement_id, chat_id): one outbox row


def key(row: aiosqlite.Row) -> Key:
    return row["announcement_id"], row["chat_id"]


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" * len(values))


# ----- announcements -------------------------------------------------------------------------


async def create_draft(db: aiosqlite.Connection, *, event_id: str | None, text: str,
                       button_url: str | None, created_by: int) -> int:
    """A draft waiting for Send or Cancel; empty `text` means the event announcement."""
    cursor = await db.execute(
        "INSERT INTO announcements (event_id, text, button_url, created_by, status) "
        "VALUES (?, ?, ?, ?, 'draft')",
        (event_id, text, button_url, created_by),
    )
    return cursor.lastrowid


async def schedule(db: aiosqlite.Connection, announcement_id: int, send_at: float) -> bool:
    """draft -> scheduled at `send_at` (Unix time); False if it was no longer a draft."""
    cursor = await db.execute(
        "UPDATE announcements SET status = 'scheduled', send_at = ? "
        "WHERE id = ? AND status = 'draft'",
        (send_at, announcement_id),
    )
    return cursor.rowcount == 1


async def announcement(db: aiosqlite.Connection, announcement_id: int) -> aiosqlite.Row | None:
    """One announcement: its status, event, text and who prepared it."""
    async with db.execute(
        "SELECT id, status, event_id, text, created_by, send_at FROM announcements WHERE id = ?",
        (announcement_id,),
    ) as cursor:
        return await cursor.fetchone()


async def scheduled(db: aiosqlite.Connection) -> list[aiosqlite.Row]:
    """What is scheduled, soonest first."""
    async with db.execute(
        "SELECT id, event_id, text, send_at, created_by FROM announcements "
        "WHERE status = 'scheduled' ORDER BY send_at, id"
    ) as cursor:
        return await cursor.fetchall()


async def release(db: aiosqlite.Connection, now: float) -> int:
    """scheduled -> approved for those whose time has come; how many."""
    cursor = await db.execute(
        "UPDATE announcements SET status = 'approved' "
        "WHERE status = 'scheduled' AND send_at <= ?",
        (now,),
    )
    return cursor.rowcount


async def next_scheduled(db: aiosqlite.Connection) -> float | None:
    """When (Unix time) the next scheduled announcement is due."""
    async with db.execute(
        "SELECT MIN(send_at) FROM announcements WHERE status = 'scheduled'"
    ) as cursor:
        return (await cursor.fetchone())[0]


async def set_status(db: aiosqlite.Connection, announcement_id: int, new: str,
                     old: tuple[str, ...]) -> bool:
    """Move an announcement from one of `old` to `new`; False if it was not in `old`."""
    cursor = await db.execute(
        f"UPDATE announcements SET status = ? WHERE id = ? AND status IN ({_marks(old)})",
        (new, announcement_id, *old),
    )
    return cursor.rowcount == 1


async def to_prepare(db: aiosqlite.Connection) -> list[aiosqlite.Row]:
    """Announcements an admin approved or `load` queued, whose outbox is not written yet."""
    async with db.execute(
        "SELECT id, event_id, text, notice FROM announcements "
        "WHERE status IN ('queued', 'approved') ORDER BY id"
    ) as cursor:
        return await cursor.fetchall()


async def to_retract(db: aiosqlite.Connection) -> list[int]:
    async with db.execute(
        "SELECT id FROM announcements WHERE status = 'retracting' ORDER BY id"
    ) as cursor:
        return [row["id"] for row in await cursor.fetchall()]


async def progress(db: aiosqlite.Connection) -> list[aiosqlite.Row]:
    """Announcements being sent: rows `left` to post and when the next pending one is `due`."""
    async with db.execute(
        "SELECT a.id, a.status, a.reminder_lead, a.notice, "
        "SUM(o.status IN ('pending', 'sending')) AS left, "
        "MIN(CASE WHEN o.status = 'pending' THEN o.not_before END) AS due "
        "FROM announcements a LEFT JOIN outbox o ON o.announcement_id = a.id "
        f"WHERE a.status IN ({_marks(ACTIVE)}) GROUP BY a.id",
        ACTIVE,
    ) as cursor:
        return await cursor.fetchall()


async def asked_by(db: aiosqlite.Connection, announcement_id: int, *,
                   retracted: bool = False) -> int | None:
    """The admin who prepared (or retracted) the announcement; None for `load`ed events."""
    column = "retracted_by" if retracted else "created_by"
    async with db.execute(
        f"SELECT {column} FROM announcements WHERE id = ?", (announcement_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def start_retract(db: aiosqlite.Connection, by: int,
                        announcement_id: int | None = None) -> tuple[int, int] | None:
    """Mark an announcement for deletion; (its id, chats it reached so far) or None.

    Without an id, the latest one an admin or `load` sent: never a reminder or a notice (they
    come unasked, and would hide the announcement meant) nor one still scheduled. With an id,
    that one, a reminder or notice too.
    """
    if announcement_id is None:
        sql, args = (f"SELECT id FROM announcements WHERE status IN ({_marks(RETRACTABLE)}) "
                     "AND reminder_lead IS NULL AND notice IS NULL ORDER BY id DESC LIMIT 1",
                     RETRACTABLE)
    else:
        sql, args = (f"SELECT id FROM announcements WHERE status IN ({_marks(RETRACTABLE)}) "
                     "AND id = ?", (*RETRACTABLE, announcement_id))
    async with db.execute(sql, args) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    announcement_id = row["id"]
    await db.execute(
        "UPDATE announcements SET status = 'retracting', retracted_by = ? "
        f"WHERE id = ? AND status IN ({_marks(RETRACTABLE)})",
        (by, announcement_id, *RETRACTABLE),
    )
    await cancel_pending(db, announcement_id)
    async with db.execute(
        "SELECT COUNT(*) FROM outbox WHERE announcement_id = ? AND status IN ('sent', 'sending')",
        (announcement_id,),
    ) as cursor:
        reached = (await cursor.fetchone())[0]
    return announcement_id, reached


async def latest_announcement(db: aiosqlite.Connection) -> int | None:
    """The latest announcement that went (or is going) out; reminders and ones not sent are
    not what /stats means by it."""
    async with db.execute(
        "SELECT MAX(id) FROM announcements WHERE status NOT IN "
        f"({_marks(NOT_OUT)}) AND reminder_lead IS NULL AND notice IS NULL", NOT_OUT
    ) as cursor:
        return (await cursor.fetchone())[0]


# ----- outbox rows ---------------------------------------------------------------------------


async def fill(db: aiosqlite.Connection, announcement_id: int, configured: Iterable[int]) -> int:
    """Every target's row in one transaction, before anything is posted; how many.

    The one multi-statement transaction here: run it only while no post is in flight, or a
    row update from another task would land inside it.
    """
    async with transaction(db):
        async with db.execute(
            "SELECT event_id, reminder_lead, notice, for_user FROM announcements WHERE id = ?",
            (announcement_id,),
        ) as found:
            row = await found.fetchone()
        targets = await notices.audience(db, row, configured) if row else []
        cursor = await db.execute(
            "UPDATE announcements SET status = 'sending' "
            "WHERE id = ? AND status IN ('queued', 'approved')",
            (announcement_id,),
        )
        if cursor.rowcount == 1:
            await db.executemany(
                "INSERT OR IGNORE INTO outbox (announcement_id, chat_id, language) "
                "VALUES (?, ?, ?)",
                [(announcement_id, chat_id, language) for chat_id, language in targets],
            )
        else:
            targets = []
    return len(targets)


async def recover(db: aiosqlite.Connection) -> int:
    """After a crash: rows left 'sending' (they may have been posted) are pending again."""
    cursor = await db.execute(
        "UPDATE outbox SET status = 'pending', not_before = 0, "
        "last_error = 'interrupted; may have been posted', updated_at = CURRENT_TIMESTAMP "
        "WHERE status = 'sending'"
    )
    return cursor.rowcount


async def due_rows(db: aiosqlite.Connection, limit: int = BATCH) -> list[aiosqlite.Row]:
    """Pending rows of announcements being sent whose time has come, with what posting needs."""
    async with db.execute(
        "SELECT o.announcement_id, o.chat_id, o.attempts, a.event_id, a.text, a.button_url, "
        "a.reminder_lead, a.reminder_at, a.notice, c.active, "
        "COALESCE(c.language, u.language, o.language) AS language FROM outbox o "
        "JOIN announcements a ON a.id = o.announcement_id "
        "LEFT JOIN chats c ON c.chat_id = o.chat_id "
        "LEFT JOIN user_settings u ON u.user_id = o.chat_id "
        f"WHERE o.status = 'pending' AND o.not_before <= ? AND a.status IN ({_marks(ACTIVE)}) "
        "ORDER BY o.announcement_id, o.not_before, o.rowid LIMIT ?",
        (time.time(), *ACTIVE, limit),
    ) as cursor:
        return await cursor.fetchall()


async def next_due(db: aiosqlite.Connection) -> float | None:
    """When (time.time()) the next pending row of an announcement being sent is due."""
    async with db.execute(
        "SELECT MIN(o.not_before) FROM outbox o "
        "JOIN announcements a ON a.id = o.announcement_id "
        f"WHERE o.status = 'pending' AND a.status IN ({_marks(ACTIVE)})",
        ACTIVE,
    ) as cursor:
        return (await cursor.fetchone())[0]


async def defer(db: aiosqlite.Connection, row: Key, seconds: float) -> None:
    await db.execute(
        "UPDATE outbox SET not_before = ? WHERE announcement_id = ? AND chat_id = ? "
        "AND status = 'pending'",
        (time.time() + seconds, *row),
    )


async def claim(db: aiosqlite.Connection, row: Key) -> bool:
    """pending -> sending, committed before the request; False if the row moved meanwhile."""
    cursor = await db.execute(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
        "updated_at = CURRENT_TIMESTAMP "
        "WHERE announcement_id = ? AND chat_id = ? AND status = 'pending'",
        row,
    )
    return cursor.rowcount == 1


async def settle(db: aiosqlite.Connection, row: Key, status: str, *, error: str | None = None,
                 message_id: int | None = None, not_before: float = 0.0,
                 attempts: int = 0) -> None:
    """sending -> `status`: what became of the request (`attempts` corrects the count)."""
    await db.execute(
        "UPDATE outbox SET status = ?, last_error = ?, message_id = COALESCE(?, message_id), "
        "not_before = ?, attempts = attempts + ?, updated_at = CURRENT_TIMESTAMP "
        "WHERE announcement_id = ? AND chat_id = ? AND status = 'sending'",
        (status, error, message_id, not_before, attempts, *row),
    )


async def fail_chat(db: aiosqlite.Connection, chat_id: int, error: str) -> None:
    """The chat is gone: none of its pending rows is posted."""
    await db.execute(
        "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = CURRENT_TIMESTAMP "
        "WHERE chat_id = ? AND status = 'pending'",
        (error, chat_id),
    )


async def cancel_pending(db: aiosqlite.Connection, announcement_id: int) -> None:
    """Retracted: rows not posted yet never will be."""
    await db.execute(
        "UPDATE outbox SET status = 'cancelled', updated_at = CURRENT_TIMESTAMP "
        "WHERE announcement_id = ? AND status = 'pending'",
        (announcement_id,),
    )


async def sent_rows(db: aiosqlite.Connection, announcement_id: int) -> list[aiosqlite.Row]:
    """The posts of an announcement still standing in their chats (chat_id, message_id)."""
    async with db.execute(
        "SELECT chat_id, message_id FROM outbox WHERE announcement_id = ? "
        "AND status = 'sent' ORDER BY rowid",
        (announcement_id,),
    ) as cursor:
        return await cursor.fetchall()


async def set_retracted(db: aiosqlite.Connection, row: Key, status: str,
                        error: str | None) -> None:
    """sent -> retracted | retract_failed."""
    await db.execute(
        "UPDATE outbox SET status = ?, last_error = ?, updated_at = CURRENT_TIMESTAMP "
        "WHERE announcement_id = ? AND chat_id = ? AND status = 'sent'",
        (status, error, *row),
    )
