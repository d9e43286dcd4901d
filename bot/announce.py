"""Announcements to groups and channels, delivered through an outbox that survives restarts.

An announcement is either the event announcement (built from the engine, in each chat's own
language, when it is sent) or an admin's own text. Its life (`announcements.status`):

    draft -> approved -> sending -> done        /announce, then Send
    draft -> cancelled                          /announce, then Cancel
    queued -> sending -> done                   `python -m bot load` of a new event
    sending -> waiting -> done                  some chats wait for a late retry (report twice)
    (approved | queued | sending | waiting | done) -> retracting -> retracted    /retract
    queued -> failed                            its event is not in the record

Delivery (`outbox`: one row per announcement and chat, all written in ONE transaction before
the first post):

    pending -> sending -> sent -> retracted | retract_failed
       ^          |
       +----------+  RetryAfter, network errors (later: not_before), ChatMigrated (new chat id)
    sending -> failed     Forbidden, bad request, too many attempts
    pending -> cancelled  retracted before it was posted

Crash safety: one sender task does all posting, one post at a time. A row is committed as
'sending' before its request and as 'sent' (with the message id) right after Telegram
answers. After a crash (SIGKILL included) `recover()` turns the 'sending' row back into
'pending': that post, the only one in flight, may repeat; every other row is either 'sent'
(never posted again) or still 'pending' (posted after the restart), so no chat is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html import escape

import aiosqlite
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ContextTypes
from telegram.warnings import PTBDeprecationWarning

from bot import chats
from bot.engine import AnswerEngine, pick
from bot.i18n import DEFAULT_LANGUAGE, t
from bot.index import EventData
from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096
MAX_ATTEMPTS = 8  # network errors and the like; RetryAfter does not count
MAX_BACKOFF = 300.0  # seconds
POLL_SECONDS = 2.0  # how often the announcements table is checked for `load`ed events
STOP_CHECK = 0.25  # how quickly the sender notices the application stopping
REPORT_WAIT = 60.0  # rows due later than this get an interim report
BATCH = 200
REPORT_FAILURES = 10  # failed chats listed in a report

ACTIVE = ("sending", "waiting")  # announcements whose pending rows are posted
RETRACTABLE = ("queued", "approved", "sending", "waiting", "done")
SENT = ("sent", "retracted", "retract_failed")  # rows that reached their chat


# ----- the announcements table ---------------------------------------------------------------


async def create_draft(db: aiosqlite.Connection, *, event_id: str | None, text: str,
                       button_url: str | None, created_by: int) -> int:
    """A draft waiting for Send or Cancel; empty `text` means the event announcement."""
    cursor = await db.execute(
        "INSERT INTO announcements (event_id, text, button_url, created_by, status) "
        "VALUES (?, ?, ?, ?, 'draft')",
        (event_id, text, button_url, created_by),
    )
    return cursor.lastrowid


async def set_status(db: aiosqlite.Connection, announcement_id: int, new: str,
                     old: tuple[str, ...]) -> bool:
    """Move an announcement from one of `old` to `new`; False if it was not in `old`."""
    marks = ", ".join("?" * len(old))
    cursor = await db.execute(
        f"UPDATE announcements SET status = ? WHERE id = ? AND status IN ({marks})",
        (new, announcement_id, *old),
    )
    return cursor.rowcount == 1


async def start_retract(db: aiosqlite.Connection, by: int) -> tuple[int, int] | None:
    """Mark the latest announcement for deletion; (its id, chats it reached so far) or None."""
    marks = ", ".join("?" * len(RETRACTABLE))
    async with db.execute(
        f"SELECT id FROM announcements WHERE status IN ({marks}) ORDER BY id DESC LIMIT 1",
        RETRACTABLE,
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    announcement_id = row["id"]
    await db.execute(
        f"UPDATE announcements SET status = 'retracting', retracted_by = ? "
        f"WHERE id = ? AND status IN ({marks})",
        (by, announcement_id, *RETRACTABLE),
    )
    await db.execute(
        "UPDATE outbox SET status = 'cancelled', updated_at = CURRENT_TIMESTAMP "
        "WHERE announcement_id = ? AND status = 'pending'",
        (announcement_id,),
    )
    async with db.execute(
        "SELECT COUNT(*) FROM outbox WHERE announcement_id = ? AND status IN ('sent', 'sending')",
        (announcement_id,),
    ) as cursor:
        reached = (await cursor.fetchone())[0]
    return announcement_id, reached


@dataclass
class Delivery:
    """Where one announcement stands, for reports and /stats."""

    announcement_id: int
    status: str
    sent: int = 0
    failed: int = 0
    pending: int = 0
    retracted: int = 0
    retract_failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (chat, last error)


async def delivery(db: aiosqlite.Connection, announcement_id: int) -> Delivery | None:
    async with db.execute(
        "SELECT status FROM announcements WHERE id = ?", (announcement_id,)
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    report = Delivery(announcement_id, row["status"])
    async with db.execute(
        "SELECT status, COUNT(*) AS n FROM outbox WHERE announcement_id = ? GROUP BY status",
        (announcement_id,),
    ) as cursor:
        counts = {r["status"]: r["n"] for r in await cursor.fetchall()}
    report.sent = sum(counts.get(status, 0) for status in SENT)
    report.failed = counts.get("failed", 0)
    report.pending = counts.get("pending", 0) + counts.get("sending", 0)
    report.retracted = counts.get("retracted", 0)
    report.retract_failed = counts.get("retract_failed", 0)
    async with db.execute(
        "SELECT o.chat_id, c.title, o.last_error FROM outbox o "
        "LEFT JOIN chats c ON c.chat_id = o.chat_id WHERE o.announcement_id = ? "
        "AND o.status IN ('failed', 'retract_failed') ORDER BY o.rowid LIMIT ?",
        (announcement_id, REPORT_FAILURES),
    ) as cursor:
        report.failures = [(r["title"] or str(r["chat_id"]), r["last_error"] or "")
                           for r in await cursor.fetchall()]
    return report


async def latest_announcement(db: aiosqlite.Connection) -> int | None:
    async with db.execute(
        "SELECT MAX(id) FROM announcements WHERE status NOT IN ('draft', 'cancelled')"
    ) as cursor:
        return (await cursor.fetchone())[0]


# ----- the text ------------------------------------------------------------------------------


def deep_link(bot_username: str, event: EventData) -> str:
    """The URL that opens the bot on the event card (handled by /start event-<key>)."""
    return f"https://t.me/{bot_username}?start=event-{event.key}"


def event_announcement(engine: AnswerEngine, event: EventData, lang: str,
                       bot_username: str) -> str:
    """The event announcement in HTML: title, date, place, speakers, themes, how to ask."""
    people = sorted(engine.speakers_of(event), key=lambda p: (not p.spoke, p.order))
    speakers = [p for p in people if p.spoke] or people
    themes = sorted((th for th in engine.index.themes.values() if th.event_id == event.id),
                    key=lambda th: th.position)
    head = [
        t(lang, "ann.event.header", title=escape(pick(event.texts["title"], lang))),
        t(lang, "ann.event.when_where", date=escape(engine.format_date(event.date, lang)),
          city=escape(pick(event.texts["city"], lang))),
    ]
    tail = [t(lang, "ann.event.how_to_ask", bot=escape(bot_username))]
    names = [escape(pick(p.texts["name"], lang)) for p in speakers]
    roles = [escape(pick(p.texts["role"], lang)) for p in speakers]
    theme_lines = [f"• {escape(pick(th.texts['name'], lang))}" for th in themes]

    def build(with_roles: bool, people_shown: int, themes_shown: int) -> str:
        lines = [*head]
        if speakers:
            lines += ["", t(lang, "ann.event.speakers")]
            lines += [f"• {name}, {role}" if with_roles and role else f"• {name}"
                      for name, role in zip(names[:people_shown], roles, strict=False)]
            lines += ["…"] if people_shown < len(names) else []
        if themes:
            lines += ["", t(lang, "ann.event.themes"), *theme_lines[:themes_shown]]
            lines += ["…"] if themes_shown < len(theme_lines) else []
        return "\n".join([*lines, "", *tail])

    text = build(True, len(names), len(theme_lines))
    if _visible_length(text) > MAX_MESSAGE:
        text = build(False, len(names), len(theme_lines))
    people_shown, themes_shown = len(names), len(theme_lines)
    while _visible_length(text) > MAX_MESSAGE and (people_shown or themes_shown):
        if people_shown >= themes_shown:
            people_shown -= 1
        else:
            themes_shown -= 1
        text = build(False, people_shown, themes_shown)
    return text


def _visible_length(html_text: str) -> int:
    """About what Telegram counts: the text without tags (entities count as one)."""
    return len(re.sub(r"&[a-z]+;|&#\d+;", "x", re.sub(r"<[^>]+>", "", html_text)))


def render(engine: AnswerEngine, row: aiosqlite.Row | dict, lang: str, bot_username: str
           ) -> tuple[str, InlineKeyboardMarkup | None]:
    """An announcement as posted in a chat of language `lang`: HTML and its URL button.

    Raises LookupError when an event announcement's event is no longer in the record.
    """
    event = engine.index.events.get(row["event_id"]) if row["event_id"] else None
    if row["text"]:
        text = row["text"]
        url = row["button_url"]
    else:
        if event is None:
            raise LookupError(f"event {row['event_id']!r} is not in the record")
        text = event_announcement(engine, event, lang, bot_username)
        url = deep_link(bot_username, event)
    if not url:
        return text, None
    button = InlineKeyboardButton(t(lang, "button.open_bot"), url=url)
    return text, InlineKeyboardMarkup([[button]])


# ----- pacing --------------------------------------------------------------------------------


class Pacer:
    """Spaces posts under Telegram's limits: per second overall, per minute in one group.

    Posts are spaced evenly, measured from the moment the previous one really started, so a
    late post never lets the next ones bunch up; this is what keeps a sliding-window flood
    check at zero 429s. The margins cover jitter between our clock and the server's.
    """

    def __init__(self, per_second: float = 29.0, per_group: int = 19,
                 group_window: float = 61.0, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.interval = 1.0 / per_second
        self.per_group = per_group
        self.group_window = group_window
        self.clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._groups: dict[int, deque[float]] = {}

    def group_ready_at(self, chat_id: int) -> float:
        """When the group `chat_id` may get its next post (monotonic clock; 0 = now)."""
        times = self._groups.get(chat_id)
        if not times:
            return 0.0
        now = self.clock()
        while times and now - times[0] >= self.group_window:
            times.popleft()
        if not times:
            del self._groups[chat_id]
            return 0.0
        return times[0] + self.group_window if len(times) >= self.per_group else 0.0

    def pause(self, seconds: float) -> None:
        """Telegram asked to wait (RetryAfter) or the network is down: nothing goes out."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    async def acquire(self, chat_id: int, *, counts_for_group: bool = True,
                      keep_going: Callable[[], bool] = lambda: True) -> bool:
        """Wait for this post's turn and count it; False if `keep_going()` turned false."""
        while True:
            now = self.clock()
            start = max(self._next, self._paused_until)
            if start <= now:
                break
            if not keep_going():
                return False
            await asyncio.sleep(min(start - now, STOP_CHECK))
        now = self.clock()
        self._next = now + self.interval
        if counts_for_group and chat_id < 0:
            if len(self._groups) > 10_000:  # forget groups whose window has passed
                for group in list(self._groups):
                    self.group_ready_at(group)
            self._groups.setdefault(chat_id, deque()).append(now)
        return True


# ----- the sender ----------------------------------------------------------------------------


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        return _seconds(error.retry_after)


def backoff(attempts: int) -> float:
    return min(2.0 ** max(attempts, 1), MAX_BACKOFF)


class Broadcaster:
    """The one sender: fills outboxes, posts and deletes within the limits, reports back.

    Runs as a single task (`run`), so no two posts are ever in flight at once.
    """

    def __init__(self, application: Application, pacer: Pacer | None = None) -> None:
        self.application = application
        self.pacer = pacer or Pacer()
        self.wake_event = asyncio.Event()
        self._rendered: dict[tuple[int, str], tuple[str, InlineKeyboardMarkup | None]] = {}

    @property
    def engine(self) -> AnswerEngine:
        return self.application.bot_data["engine"]

    @property
    def db(self) -> aiosqlite.Connection:
        return self.engine.db

    @property
    def settings(self) -> Settings:
        return self.application.bot_data["settings"]

    def wake(self) -> None:
        """Something to send or delete: start now instead of at the next poll."""
        self.wake_event.set()

    def _running(self) -> bool:
        return self.application.running

    async def recover(self) -> int:
        """After a crash: the post that was in flight is retried (it may repeat)."""
        cursor = await self.db.execute(
            "UPDATE outbox SET status = 'pending', not_before = 0, "
            "last_error = 'interrupted; may have been posted', updated_at = CURRENT_TIMESTAMP "
            "WHERE status = 'sending'"
        )
        if cursor.rowcount:
            log.warning("%d announcement post(s) were in flight at a crash; retrying",
                        cursor.rowcount)
        return cursor.rowcount

    async def run(self) -> None:
        """Loop until the application stops: prepare, post, delete, report; then wait."""
        log.info("announcement sender started")
        while self.application.running:
            self.wake_event.clear()
            try:
                delay = await self.step()
            except Exception:
                log.exception("announcement sender failed; trying again shortly")
                delay = 5.0
                with contextlib.suppress(Exception):
                    await self.recover()  # nothing is in flight now: retry a row left 'sending'
            await self._sleep(delay)
        log.info("announcement sender stopped")

    async def step(self) -> float:
        """One round of work; the seconds until more is due."""
        await self.prepare()
        delay = await self.drain()
        await self.retract()
        await self.finish()
        return min(delay, POLL_SECONDS)

    async def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self.application.running and not self.wake_event.is_set():
            remaining = end - time.monotonic()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake_event.wait(), min(remaining, STOP_CHECK))

    # ----- filling the outbox ----------------------------------------------------------------

    async def prepare(self) -> None:
        """Write the outbox of announcements an admin approved or `load` queued."""
        async with self.db.execute(
            "SELECT id, event_id, text FROM announcements "
            "WHERE status IN ('queued', 'approved') ORDER BY id"
        ) as cursor:
            rows = await cursor.fetchall()
        for row in rows:
            if not row["text"] and row["event_id"] not in self.engine.index.events:
                await self.engine.reload()  # `python -m bot load` added it after we started
                if row["event_id"] not in self.engine.index.events:
                    log.error("announcement %d: event %r is not in the record",
                              row["id"], row["event_id"])
                    await set_status(self.db, row["id"], "failed", ("queued", "approved"))
                    continue
            count = await self.fill_outbox(row["id"])
            log.info("announcement %d: %d chat(s) to post to", row["id"], count)

    async def fill_outbox(self, announcement_id: int) -> int:
        """Every target's row in one transaction, before anything is posted."""
        db = self.db
        await db.execute("BEGIN IMMEDIATE")
        try:
            targets = await chats.announcement_targets(db, self.settings.announce_chat_ids)
            cursor = await db.execute(
                "UPDATE announcements SET status = 'sending' "
                "WHERE id = ? AND status IN ('queued', 'approved')",
                (announcement_id,),
            )
            if cursor.rowcount == 1:
                await db.executemany(
                    "INSERT OR IGNORE INTO outbox (announcement_id, chat_id) VALUES (?, ?)",
                    [(announcement_id, chat_id) for chat_id in targets],
                )
            else:
                targets = []
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        return len(targets)

    # ----- posting -------------------------------------------------------------------------

    async def drain(self) -> float:
        """Post every due row, one at a time; the seconds until the next row is due."""
        while self.application.running:
            rows = await self._due_rows()
            if not rows:
                break
            for row in rows:
                if not self.application.running:
                    break
                ready = self.pacer.group_ready_at(row["chat_id"])
                if ready > self.pacer.clock():
                    await self._defer(row, ready - self.pacer.clock())
                    continue
                await self.deliver(row)
        return await self._next_due_in()

    async def _due_rows(self) -> list[aiosqlite.Row]:
        async with self.db.execute(
            "SELECT o.announcement_id, o.chat_id, o.attempts, a.event_id, a.text, a.button_url, "
            "c.active, c.language FROM outbox o "
            "JOIN announcements a ON a.id = o.announcement_id "
            "LEFT JOIN chats c ON c.chat_id = o.chat_id "
            "WHERE o.status = 'pending' AND o.not_before <= ? AND a.status IN (?, ?) "
            "ORDER BY o.announcement_id, o.not_before, o.rowid LIMIT ?",
            (time.time(), *ACTIVE, BATCH),
        ) as cursor:
            return await cursor.fetchall()

    async def _next_due_in(self) -> float:
        async with self.db.execute(
            "SELECT MIN(o.not_before) FROM outbox o "
            "JOIN announcements a ON a.id = o.announcement_id "
            "WHERE o.status = 'pending' AND a.status IN (?, ?)",
            ACTIVE,
        ) as cursor:
            due = (await cursor.fetchone())[0]
        return POLL_SECONDS if due is None else max(0.0, due - time.time())

    async def _defer(self, row: aiosqlite.Row, seconds: float) -> None:
        await self.db.execute(
            "UPDATE outbox SET not_before = ? WHERE announcement_id = ? AND chat_id = ? "
            "AND status = 'pending'",
            (time.time() + seconds, row["announcement_id"], row["chat_id"]),
        )

    async def _mark(self, row: aiosqlite.Row | tuple[int, int], status: str, *,
                    error: str | None = None, message_id: int | None = None,
                    not_before: float = 0.0, attempts: int = 0) -> None:
        announcement_id, chat_id = (
            (row["announcement_id"], row["chat_id"]) if not isinstance(row, tuple) else row
        )
        await self.db.execute(
            "UPDATE outbox SET status = ?, last_error = ?, message_id = COALESCE(?, message_id), "
            "not_before = ?, attempts = attempts + ?, updated_at = CURRENT_TIMESTAMP "
            "WHERE announcement_id = ? AND chat_id = ? AND status = 'sending'",
            (status, error, message_id, not_before, attempts, announcement_id, chat_id),
        )

    def _rendered_for(self, row: aiosqlite.Row
                      ) -> tuple[str, InlineKeyboardMarkup | None]:
        lang = row["language"] or DEFAULT_LANGUAGE
        key = (row["announcement_id"], lang)
        if key not in self._rendered:
            self._rendered[key] = render(self.engine, row, lang, self.application.bot.username)
        return self._rendered[key]

    async def deliver(self, row: aiosqlite.Row) -> None:
        """Post one row: 'sending' is committed before the request, 'sent' right after."""
        db, chat_id = self.db, row["chat_id"]
        cursor = await db.execute(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
            "updated_at = CURRENT_TIMESTAMP "
            "WHERE announcement_id = ? AND chat_id = ? AND status = 'pending'",
            (row["announcement_id"], chat_id),
        )
        if cursor.rowcount != 1:
            return  # retracted or moved meanwhile
        if row["active"] == 0:
            await self._mark(row, "failed", error="the bot is no longer in this chat")
            return
        try:
            text, markup = self._rendered_for(row)
        except Exception as error:
            if not isinstance(error, LookupError):
                log.exception("announcement %d could not be written", row["announcement_id"])
            await self._mark(row, "failed", error=f"{type(error).__name__}: {error}")
            return
        if not await self.pacer.acquire(chat_id, keep_going=self._running):
            await self._mark(row, "pending", attempts=-1)  # stopping: not posted
            return
        try:
            message = await self.application.bot.send_message(chat_id, text,
                                                              reply_markup=markup)
        except RetryAfter as error:
            seconds = retry_after_seconds(error)
            log.warning("announcement to %s: flood control, waiting %.0f s", chat_id, seconds)
            self.pacer.pause(seconds)
            await self._mark(row, "pending", error=str(error), attempts=-1,
                             not_before=time.time() + seconds)
        except ChatMigrated as error:
            log.info("chat %s became supergroup %s; posting there", chat_id, error.new_chat_id)
            await self._mark(row, "pending", error=f"migrated to {error.new_chat_id}")
            await chats.move_chat(db, chat_id, error.new_chat_id, was_target=True)
        except Forbidden as error:
            log.info("announcement to %s: %s; the chat is no longer a target", chat_id, error)
            await self._mark(row, "failed", error=str(error))
            await self._chat_gone(chat_id, str(error))
        except BadRequest as error:
            log.warning("announcement to %s refused: %s", chat_id, error)
            await self._mark(row, "failed", error=str(error))
            if "chat not found" in str(error).lower():
                await self._chat_gone(chat_id, str(error))
        except (NetworkError, TelegramError) as error:
            await self._retry_later(row, error)
        except Exception as error:
            log.exception("announcement to %s failed", chat_id)
            await self._retry_later(row, error)
        else:
            await self._mark(row, "sent", message_id=message.message_id)

    async def _retry_later(self, row: aiosqlite.Row, error: Exception) -> None:
        attempts = row["attempts"] + 1
        if attempts >= MAX_ATTEMPTS:
            log.warning("announcement to %s: giving up after %d attempts: %s",
                        row["chat_id"], attempts, error)
            await self._mark(row, "failed", error=f"{type(error).__name__}: {error}")
            return
        wait = backoff(attempts)
        log.info("announcement to %s: %s; retrying in %.0f s", row["chat_id"], error, wait)
        if isinstance(error, NetworkError):
            self.pacer.pause(min(wait, 30.0))  # probably the network, not this chat
        await self._mark(row, "pending", error=f"{type(error).__name__}: {error}",
                         not_before=time.time() + wait)

    async def _chat_gone(self, chat_id: int, error: str) -> None:
        await chats.set_chat_active(self.db, chat_id, False)
        await self.db.execute(
            "UPDATE outbox SET status = 'failed', last_error = ?, updated_at = CURRENT_TIMESTAMP "
            "WHERE chat_id = ? AND status = 'pending'",
            (error, chat_id),
        )

    # ----- retracting ----------------------------------------------------------------------

    async def retract(self) -> None:
        """Delete the posts of announcements marked by /retract; report when done."""
        async with self.db.execute(
            "SELECT id FROM announcements WHERE status = 'retracting' ORDER BY id"
        ) as cursor:
            ids = [row["id"] for row in await cursor.fetchall()]
        for announcement_id in ids:
            await self.db.execute(
                "UPDATE outbox SET status = 'cancelled', updated_at = CURRENT_TIMESTAMP "
                "WHERE announcement_id = ? AND status = 'pending'",
                (announcement_id,),
            )
            async with self.db.execute(
                "SELECT chat_id, message_id FROM outbox WHERE announcement_id = ? "
                "AND status = 'sent' ORDER BY rowid",
                (announcement_id,),
            ) as cursor:
                rows = await cursor.fetchall()
            for row in rows:
                if not self.application.running or not await self._delete(announcement_id, row):
                    return  # stopping, or Telegram asked to wait: continue next round
            if await set_status(self.db, announcement_id, "retracted", ("retracting",)):
                await self.report(announcement_id, retracted=True)

    async def _delete(self, announcement_id: int, row: aiosqlite.Row) -> bool:
        chat_id, key = row["chat_id"], (announcement_id, row["chat_id"])
        if not await self.pacer.acquire(chat_id, counts_for_group=False,
                                        keep_going=self._running):
            return False
        status, error = "retracted", None
        try:
            await self.application.bot.delete_message(chat_id, row["message_id"])
        except RetryAfter as exc:
            self.pacer.pause(retry_after_seconds(exc))
            return False
        except BadRequest as exc:
            if "not found" not in str(exc).lower():  # already deleted by someone: fine
                status, error = "retract_failed", str(exc)
        except Forbidden as exc:
            status, error = "retract_failed", str(exc)
            await chats.set_chat_active(self.db, chat_id, False)
        except ChatMigrated as exc:
            status, error = "retract_failed", f"migrated to {exc.new_chat_id}"
        except (NetworkError, TelegramError) as exc:
            log.info("could not delete announcement %d in %s: %s", announcement_id, chat_id, exc)
            self.pacer.pause(5.0)
            return False
        await self.db.execute(
            "UPDATE outbox SET status = ?, last_error = ?, updated_at = CURRENT_TIMESTAMP "
            "WHERE announcement_id = ? AND chat_id = ? AND status = 'sent'",
            (status, error, *key),
        )
        return True

    # ----- reports -------------------------------------------------------------------------

    async def finish(self) -> None:
        """Announcements with nothing left to post get their delivery report."""
        async with self.db.execute(
            "SELECT a.id, a.status, "
            "SUM(o.status IN ('pending', 'sending')) AS left, "
            "MIN(CASE WHEN o.status = 'pending' THEN o.not_before END) AS due "
            "FROM announcements a LEFT JOIN outbox o ON o.announcement_id = a.id "
            "WHERE a.status IN (?, ?) GROUP BY a.id",
            ACTIVE,
        ) as cursor:
            rows = await cursor.fetchall()
        for row in rows:
            if not row["left"]:
                if await set_status(self.db, row["id"], "done", ACTIVE):
                    self._rendered = {k: v for k, v in self._rendered.items()
                                      if k[0] != row["id"]}
                    await self.report(row["id"])
            elif (row["status"] == "sending" and (row["due"] or 0) > time.time() + REPORT_WAIT
                  and await set_status(self.db, row["id"], "waiting", ("sending",))):
                await self.report(row["id"])

    async def report(self, announcement_id: int, *, retracted: bool = False) -> None:
        """Tell the admin who asked (or every admin, for `load`ed events) how it went."""
        result = await delivery(self.db, announcement_id)
        if result is None:
            return
        column = "retracted_by" if retracted else "created_by"
        async with self.db.execute(
            f"SELECT {column} FROM announcements WHERE id = ?", (announcement_id,)
        ) as cursor:
            asked_by = (await cursor.fetchone())[0]
        admins = [asked_by] if asked_by else sorted(self.settings.admin_ids)
        for admin_id in admins:
            lang = await chats.user_language(self.db, admin_id) or DEFAULT_LANGUAGE
            text = report_text(result, lang, retracted=retracted)
            await self.pacer.acquire(admin_id, keep_going=self._running)
            try:
                await self.application.bot.send_message(admin_id, text)
            except TelegramError as error:
                log.warning("could not send the announcement report to %s: %s", admin_id, error)


def report_text(result: Delivery, lang: str, *, retracted: bool = False) -> str:
    if retracted:
        lines = [t(lang, "ann.retract.report", id=result.announcement_id,
                   deleted=result.retracted, total=result.retracted + result.retract_failed)]
    else:
        lines = [t(lang, "ann.report", id=result.announcement_id, sent=result.sent,
                   failed=result.failed, pending=result.pending)]
    failures = [(chat, error) for chat, error in result.failures if error]
    if failures:
        lines += ["", t(lang, "ann.report.failures")]
        lines += [f"• {escape(chat)}: {escape(error)}" for chat, error in failures]
    return "\n".join(lines)


async def start_broadcaster(application: Application) -> None:
    """Start hook: recover from a crash, then run the sender once the application runs."""
    broadcaster = Broadcaster(application)
    application.bot_data["broadcaster"] = broadcaster
    await broadcaster.recover()

    async def launch(context: ContextTypes.DEFAULT_TYPE) -> None:
        # Started from the JobQueue so that the application is running: stop() then waits
        # for the sender to finish its current post.
        context.application.create_task(broadcaster.run(), name="announcement-sender")

    application.job_queue.run_once(launch, 0, name="announcement-sender")


def wake(application: Application) -> None:
    broadcaster: Broadcaster | None = application.bot_data.get("broadcaster")
    if broadcaster is not None:
        broadcaster.wake()
