"""The announcement sender: fills outboxes, posts and deletes within the limits, reports back.

It reaches chats through a Messenger (bot.announcements.delivery), so no Telegram code is
here: handlers/messenger.py is the python-telegram-bot side, and tests may pass their own.

Crash safety: one sender task (`Broadcaster.run`) takes every post's turn in order; only the
requests themselves run side by side, at most IN_FLIGHT at once. A row is committed as
'sending' (before its turn, once it holds one of the IN_FLIGHT places) and as 'sent' with the
message id right after Telegram answers, each as its own autocommitted statement. After a
crash (SIGKILL included) `recover()` turns the 'sending' rows back into 'pending': those
posts, at most IN_FLIGHT, may repeat; every other row is either 'sent' (never posted again)
or still 'pending' (posted after the restart), so no chat is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable

import aiosqlite

from bot import chats
from bot.announcements import follows, outbox, reminders, reports, schedule, subscriptions
from bot.announcements.content import render, report_text
from bot.announcements.delivery import (
    DeliveryError,
    Flood,
    Gone,
    Messenger,
    Moved,
    Post,
    Refused,
    Transient,
    describe,
)
from bot.announcements.flights import Flights
from bot.announcements.pacer import STOP_CHECK, Pacer
from bot.answering.engine import AnswerEngine
from bot.i18n import DEFAULT_LANGUAGE, t
from bot.settings import Settings

log = logging.getLogger(__name__)

# Posts awaiting Telegram's answer at once. Telegram answers in ~50-150 ms, so one at a time
# caps a broadcast at 7-20 msg/s; at the Pacer's 29/s about 2-5 are out at a time, and 8 leaves
# room for slow answers (up to ~250 ms) without losing pace. It is also the most posts that can
# repeat after a crash: each one in flight is a 'sending' row that recover() sends again.
IN_FLIGHT = 8
MAX_ATTEMPTS = 8  # network errors and the like; flood control does not count
MAX_BACKOFF = 300.0  # seconds
POLL_SECONDS = 2.0  # how often the announcements table is checked for `load`ed events
REPORT_WAIT = 60.0  # rows due later than this get an interim report


def backoff(attempts: int) -> float:
    return min(2.0 ** max(attempts, 1), MAX_BACKOFF)


class Broadcaster:
    """The one sender: fills outboxes, posts and deletes within the limits, reports back.

    Runs as a single task (`run`) that takes every turn; posts go out up to IN_FLIGHT at once.
    It works while `running()` is true; whoever stops it then waits for `run` to return, which
    is once the posts in flight are answered and recorded.
    """

    def __init__(self, messenger: Messenger, engine: AnswerEngine, settings: Settings, *,
                 running: Callable[[], bool], pacer: Pacer | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.messenger = messenger
        self.clock = clock  # Unix time that scheduled announcements and reminders are due by
        self.engine = engine
        self.settings = settings
        self.running = running
        self.pacer = pacer or Pacer()
        self.wake_event = asyncio.Event()
        # Set while the sender waits for its next round with nothing to do before it: what
        # tests wait for instead of sleeping.
        self.idle = asyncio.Event()
        self._rendered: dict[tuple[int, str], Post] = {}

    @property
    def db(self) -> aiosqlite.Connection:
        return self.engine.db

    def wake(self) -> None:
        """Something to send or delete: start now instead of at the next poll."""
        self.idle.clear()
        self.wake_event.set()

    async def recover(self) -> int:
        """After a crash: the posts that were in flight are retried (they may repeat)."""
        count = await outbox.recover(self.db)
        if count:
            log.warning("%d announcement post(s) were in flight at a crash; retrying", count)
        return count

    async def run(self) -> None:
        """Loop until `running()` turns false: prepare, post, delete, report; then wait."""
        log.info("announcement sender started")
        while self.running():
            self.wake_event.clear()
            try:
                delay = await self.step()
            except Exception:
                log.exception("announcement sender failed; trying again shortly")
                delay = 5.0
                with contextlib.suppress(Exception):
                    await self.recover()  # nothing is in flight now: retry rows left 'sending'
            await self._sleep(delay)
        log.info("announcement sender stopped")

    async def step(self) -> float:
        """One round of work; the seconds until more is due."""
        ahead = min(await self.remind(), await self.release())
        await self.prepare()
        delay = await self.drain()
        await self.retract()
        await self.finish()
        return min(delay, POLL_SECONDS, ahead)

    async def remind(self) -> float:
        """Queue the reminders whose moment has come; the seconds until the next one."""
        if not self.settings.reminder_leads:
            return POLL_SECONDS
        now = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
        every = reminders.reminders(self.engine.index.events.values(),
                                    self.settings.reminder_leads)
        if count := await reminders.queue(self.db, reminders.due(every, now), now):
            log.info("%d reminder(s) queued", count)
        ahead = reminders.next_moment(every, now)
        return POLL_SECONDS if ahead is None else ahead

    async def release(self) -> float:
        """Let the scheduled announcements whose time has come go (prepare() writes their
        outbox); skip those overdue after downtime. The seconds until the next one."""
        now = self.clock()
        for row in await outbox.scheduled(self.db):
            if schedule.overdue(row["send_at"], now) and await outbox.set_status(
                    self.db, row["id"], "skipped", ("scheduled",)):
                log.warning("scheduled announcement %d was due %.0f s ago: skipped",
                            row["id"], now - row["send_at"])
                await self._tell_skipped(row)
        if count := await outbox.release(self.db, now):
            log.info("%d scheduled announcement(s) due: sending", count)
        due = await outbox.next_scheduled(self.db)
        return POLL_SECONDS if due is None else max(0.0, due - now)

    async def _tell_skipped(self, row: aiosqlite.Row) -> None:
        """The admin who scheduled it learns it was not sent (at most once: told after the
        status is written)."""
        event = self.engine.index.events.get(row["event_id"]) if row["event_id"] else None
        when = schedule.show(row["send_at"], schedule.zone_of(event, self.settings.zone))
        await self._tell([row["created_by"]] if row["created_by"] else
                         sorted(self.settings.admin_ids),
                         lambda lang: t(lang, "ann.schedule.skipped", id=row["id"], time=when))

    async def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        if seconds > 0 and not self.wake_event.is_set():
            self.idle.set()
        try:
            while self.running() and not self.wake_event.is_set():
                remaining = end - time.monotonic()
                if remaining <= 0:
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake_event.wait(), min(remaining, STOP_CHECK))
        finally:
            self.idle.clear()

    async def prepare(self) -> None:
        """Write the outbox of announcements an admin approved or `load` queued.

        Runs between drains, when no post is in flight: `outbox.fill` is a transaction.
        """
        for row in await outbox.to_prepare(self.db):
            if row["notice"]:
                # Its button opens the event's card: show the records the notice tells of
                # (their load queued it), not what the next refresh would find.
                await self.engine.reload_if_changed()
            elif not row["text"] and row["event_id"] not in self.engine.index.events:
                await self.engine.reload()  # `python -m bot load` added it after we started
                if row["event_id"] not in self.engine.index.events:
                    log.error("announcement %d: event %r is not in the record",
                              row["id"], row["event_id"])
                    await outbox.set_status(self.db, row["id"], "failed", ("queued", "approved"))
                    continue
            count = await outbox.fill(self.db, row["id"], self.settings.announce_chat_ids)
            log.info("announcement %d: %d chat(s) to post to", row["id"], count)

    # ----- posting -------------------------------------------------------------------------

    async def drain(self) -> float:
        """Post every due row, up to IN_FLIGHT at once; the seconds until the next row is due.

        Turns are taken here, one row after the other (group limit, 'sending', the Pacer), so
        the limits hold however many answers are awaited. Returns only when every request has
        been answered and recorded.
        """
        async with Flights(IN_FLIGHT) as flights:
            while self.running():
                rows = await outbox.due_rows(self.db)
                if not rows:
                    break
                for row in rows:
                    if not self.running():
                        break
                    ready = self.pacer.group_ready_at(row["chat_id"])
                    if ready > self.pacer.clock():
                        await outbox.defer(self.db, outbox.key(row), ready - self.pacer.clock())
                        continue
                    await flights.reserve()
                    post = await self._take_turn(row)
                    if post is None:
                        flights.release()
                    else:
                        flights.start(self._post(row, post))
        due = await outbox.next_due(self.db)
        return POLL_SECONDS if due is None else max(0.0, due - time.time())

    def _rendered_for(self, row: aiosqlite.Row) -> Post:
        lang = row["language"] or DEFAULT_LANGUAGE
        cache_key = (row["announcement_id"], lang)
        if cache_key not in self._rendered:
            self._rendered[cache_key] = render(self.engine, row, lang, self.messenger)
        return self._rendered[cache_key]

    async def _take_turn(self, row: aiosqlite.Row) -> Post | None:
        """Commit the row as 'sending' and wait for its turn; what to post, or None if not."""
        key = outbox.key(row)
        if not await outbox.claim(self.db, key):
            return None  # retracted or moved meanwhile
        if row["active"] == 0:
            await outbox.settle(self.db, key, "failed", error="the bot is no longer in this chat")
            return None
        try:
            post = self._rendered_for(row)
        except Exception as error:
            if not isinstance(error, LookupError):
                log.exception("announcement %d could not be written", row["announcement_id"])
            await outbox.settle(self.db, key, "failed", error=f"{type(error).__name__}: {error}")
            return None
        if not await self.pacer.acquire(row["chat_id"], keep_going=self.running):
            await outbox.settle(self.db, key, "pending", attempts=-1)  # stopping: not posted
            return None
        return post

    async def _post(self, row: aiosqlite.Row, post: Post) -> None:
        """The request, then its outcome committed at once ('sent' with the message id)."""
        db, key, chat_id = self.db, outbox.key(row), row["chat_id"]
        try:
            message_id = await self.messenger.post(chat_id, post)
        except Flood as error:
            log.warning("announcement to %s: flood control, waiting %.0f s", chat_id,
                        error.retry_after)
            self.pacer.pause(error.retry_after)  # no other post starts before then
            await outbox.settle(db, key, "pending", error=str(error), attempts=-1,
                                not_before=time.time() + error.retry_after)
        except Moved as error:
            log.info("chat %s became supergroup %s; posting there", chat_id, error.new_chat_id)
            # The move turns this row from 'sending' into 'pending' at the new id in one
            # statement; were it 'pending' at the old id first, a turn could post there again.
            await subscriptions.move_chat(db, chat_id, error.new_chat_id, was_target=True)
        except Gone as error:
            log.info("announcement to %s: %s; the chat is no longer a target", chat_id, error)
            await outbox.settle(db, key, "failed", error=str(error))
            await self._chat_gone(chat_id, str(error))
        except Refused as error:
            log.warning("announcement to %s refused: %s", chat_id, error)
            await outbox.settle(db, key, "failed", error=str(error))
        except Transient as error:
            await self._retry_later(row, error)
        except Exception as error:
            log.exception("announcement to %s failed", chat_id)
            await self._retry_later(row, error)
        else:
            await outbox.settle(db, key, "sent", message_id=message_id)

    async def _retry_later(self, row: aiosqlite.Row, error: Exception) -> None:
        attempts, key = row["attempts"] + 1, outbox.key(row)
        if attempts >= MAX_ATTEMPTS:
            log.warning("announcement to %s: giving up after %d attempts: %s",
                        row["chat_id"], attempts, error)
            await outbox.settle(self.db, key, "failed", error=describe(error))
            return
        wait = backoff(attempts)
        log.info("announcement to %s: %s; retrying in %.0f s", row["chat_id"], error, wait)
        if isinstance(error, Transient) and error.network:
            self.pacer.pause(min(wait, 30.0))  # probably the network, not this chat
        await outbox.settle(self.db, key, "pending", error=describe(error),
                            not_before=time.time() + wait)

    async def _chat_gone(self, chat_id: int, error: str) -> None:
        await chats.set_chat_active(self.db, chat_id, False)
        await outbox.fail_chat(self.db, chat_id, error)
        if follows.personal(chat_id):  # a user who blocked the bot asks for nothing more
            await follows.gone(self.db, chat_id)

    # ----- retracting ----------------------------------------------------------------------

    async def retract(self) -> None:
        """Delete the posts of announcements marked by /retract; report when done."""
        for announcement_id in await outbox.to_retract(self.db):
            await outbox.cancel_pending(self.db, announcement_id)
            for row in await outbox.sent_rows(self.db, announcement_id):
                if not self.running() or not await self._delete(announcement_id, row):
                    return  # stopping, or Telegram asked to wait: continue next round
            if await outbox.set_status(self.db, announcement_id, "retracted", ("retracting",)):
                await self.report(announcement_id, retracted=True)

    async def _delete(self, announcement_id: int, row: aiosqlite.Row) -> bool:
        chat_id = row["chat_id"]
        if not await self.pacer.acquire(chat_id, counts_for_group=False,
                                        keep_going=self.running):
            return False
        status, error = "retracted", None
        try:
            await self.messenger.delete(chat_id, row["message_id"])
        except Flood as exc:
            self.pacer.pause(exc.retry_after)
            return False
        except Refused as exc:
            status, error = "retract_failed", str(exc)
        except Gone as exc:
            status, error = "retract_failed", str(exc)
            await chats.set_chat_active(self.db, chat_id, False)
        except Moved as exc:
            status, error = "retract_failed", f"migrated to {exc.new_chat_id}"
        except Transient as exc:
            log.info("could not delete announcement %d in %s: %s", announcement_id, chat_id, exc)
            self.pacer.pause(5.0)
            return False
        await outbox.set_retracted(self.db, (announcement_id, chat_id), status, error)
        return True

    # ----- reports -------------------------------------------------------------------------

    async def finish(self) -> None:
        """Announcements with nothing left to post get their delivery report."""
        for row in await outbox.progress(self.db):
            if not row["left"]:
                if await outbox.set_status(self.db, row["id"], "done", outbox.ACTIVE):
                    self._rendered = {k: v for k, v in self._rendered.items()
                                      if k[0] != row["id"]}
                    if self._asked(row):
                        await self.report(row["id"])
            elif (row["status"] == "sending" and (row["due"] or 0) > time.time() + REPORT_WAIT
                  and await outbox.set_status(self.db, row["id"], "waiting", ("sending",))
                  and self._asked(row)):
                await self.report(row["id"])

    @staticmethod
    def _asked(row: aiosqlite.Row) -> bool:
        """Reminders and notices come unasked: nobody waits for their delivery report."""
        return row["reminder_lead"] is None and row["notice"] is None

    async def report(self, announcement_id: int, *, retracted: bool = False) -> None:
        """Tell the admin who asked (or every admin, for `load`ed events) how it went."""
        result = await reports.delivery(self.db, announcement_id)
        if result is None:
            return
        asked_by = await outbox.asked_by(self.db, announcement_id, retracted=retracted)
        await self._tell([asked_by] if asked_by else sorted(self.settings.admin_ids),
                         lambda lang: report_text(result, lang, retracted=retracted))

    async def _tell(self, admins: list[int], text: Callable[[str], str]) -> None:
        """A message to each admin, in their language."""
        for admin_id in admins:
            lang = await chats.user_language(self.db, admin_id) or DEFAULT_LANGUAGE
            await self.pacer.acquire(admin_id, keep_going=self.running)
            try:
                await self.messenger.post(admin_id, Post(text(lang)))
            except DeliveryError as error:
                log.warning("could not send the announcement report to %s: %s", admin_id, error)

