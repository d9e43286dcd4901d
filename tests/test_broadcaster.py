"""The announcement sender in process, against a fake Messenger: no Bot API, no sockets.

bot.announcements.broadcast talks to chats only through the Messenger protocol, so each kind
of delivery failure can be raised on cue and its row checked against the outbox's documented
state machine, on a real SQLite file.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, RetryAfter, TimedOut

from bot.announcements import broadcast, outbox, subscriptions
from bot.announcements.broadcast import Broadcaster
from bot.announcements.delivery import Flood, Gone, Moved, Post, Refused, Transient
from bot.announcements.pacer import Pacer
from bot.answering.engine import AnswerEngine
from bot.answering.service import open_engine
from bot.settings import Settings
from handlers.messenger import TelegramMessenger, delivery_error

ADMIN = 42
OK, GONE, MOVED, FLOOD, FLAKY, REFUSED = -100, -101, -102, -103, -104, -105
SUPERGROUP = -1009


class FakeMessenger:
    """Records posts and deletes; raises the errors queued for a chat, one per request."""

    username = "RecordBot"

    def __init__(self) -> None:
        self.posts: list[tuple[int, Post]] = []
        self.deleted: list[tuple[int, int]] = []
        self.post_errors: dict[int, list[Exception]] = {}
        self.delete_errors: dict[int, list[Exception]] = {}
        self.gate: asyncio.Event | None = None  # when set up, posts wait for it
        self.waiting = 0  # posts waiting at the gate
        self.arrived = asyncio.Event()

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.username}?start={payload}"

    async def post(self, chat_id: int, post: Post) -> int:
        if self.gate is not None:
            self.waiting += 1
            self.arrived.set()
            await self.gate.wait()
        if self.post_errors.get(chat_id):
            raise self.post_errors[chat_id].pop(0)
        self.posts.append((chat_id, post))
        return 1000 + len(self.posts)

    async def delete(self, chat_id: int, message_id: int) -> None:
        if self.delete_errors.get(chat_id):
            raise self.delete_errors[chat_id].pop(0)
        self.deleted.append((chat_id, message_id))

    def to(self, chat_id: int) -> list[Post]:
        return [post for chat, post in self.posts if chat == chat_id]


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AnswerEngine]:
    engine = await open_engine(Settings(database_path=tmp_path / "bot.db"))
    try:
        yield engine
    finally:
        await engine.close()


@pytest.fixture
def messenger() -> FakeMessenger:
    return FakeMessenger()


def sender(messenger: FakeMessenger, engine: AnswerEngine, *chat_ids: int,
           running: list[bool] | None = None) -> Broadcaster:
    settings = Settings(admin_ids=frozenset({ADMIN}), announce_chat_ids=chat_ids)
    flag = running if running is not None else [True]
    return Broadcaster(messenger, engine, settings, running=lambda: flag[0],
                       pacer=Pacer(per_second=1000, per_group=1000, group_window=1))


async def rows(db: aiosqlite.Connection, sql: str, *args: object) -> list[tuple]:
    async with db.execute(sql, args) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def queue_event_announcement(db: aiosqlite.Connection) -> int:
    """What `python -m bot load` of a new event leaves for the running bot."""
    cursor = await db.execute(
        "INSERT INTO announcements (event_id, text, status) "
        "VALUES ('roundtable-2026-02-09-astana', '', 'queued')")
    return cursor.lastrowid


async def until(broadcaster: Broadcaster, announcement_id: int, *statuses: str) -> None:
    """Run the sender's rounds until the announcement reaches one of `statuses`."""
    async with asyncio.timeout(10):
        while True:
            await broadcaster.step()
            [(status,)] = await rows(broadcaster.db, "SELECT status FROM announcements "
                                     "WHERE id = ?", announcement_id)
            if status in statuses:
                return
            await asyncio.sleep(0.01)


async def test_each_kind_of_failure_lands_where_the_state_machine_says(
        engine: AnswerEngine, messenger: FakeMessenger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broadcast, "backoff", lambda attempts: 0.01)
    messenger.post_errors = {
        GONE: [Gone("Forbidden: bot was blocked by the user")],
        MOVED: [Moved("Group migrated to supergroup", SUPERGROUP)],
        FLOOD: [Flood("Flood control exceeded. Retry in 0.05 seconds", 0.05)],
        FLAKY: [Transient("TimedOut: Timed out", network=True), Transient("NetworkError: x")],
        REFUSED: [Refused("Bad Request: message is too long")],
    }
    broadcaster = sender(messenger, engine, OK, GONE, MOVED, FLOOD, FLAKY, REFUSED)
    announcement_id = await queue_event_announcement(engine.db)
    await until(broadcaster, announcement_id, "done")

    assert await rows(engine.db, "SELECT chat_id, status, attempts, last_error FROM outbox "
                      "ORDER BY chat_id") == [
        (SUPERGROUP, "sent", 2, None),  # the row moved with its first attempt
        (REFUSED, "failed", 1, "Bad Request: message is too long"),
        (FLAKY, "sent", 3, None),
        (FLOOD, "sent", 1, None),  # flood control is not an attempt
        (GONE, "failed", 1, "Forbidden: bot was blocked by the user"),
        (OK, "sent", 1, None),
    ]
    assert await rows(engine.db, "SELECT chat_id, subscribed, active FROM chats "
                      "ORDER BY chat_id") == [(SUPERGROUP, 1, 1), (MOVED, 0, 0), (GONE, 0, 0)]
    post = messenger.to(OK)[0]
    assert "Roundtable on the draft constitutional reform" in post.text
    key = engine.default_event().key
    assert post.button is not None and post.button.url == (
        f"https://t.me/RecordBot?start=event-{key}")
    assert post.button.label == "Open in the bot"
    assert messenger.to(SUPERGROUP) == [post] and not messenger.to(MOVED)
    [report] = messenger.to(ADMIN)
    assert "sent 4, failed 2, pending 0" in report.text and report.button is None
    assert "blocked by the user" in report.text


async def test_a_moved_chat_takes_its_row_along_before_another_turn_can_post_it(
        engine: AnswerEngine, messenger: FakeMessenger, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple] = []
    move_chat = subscriptions.move_chat

    async def watched(db: aiosqlite.Connection, old_id: int, new_id: int, **kwargs) -> None:
        seen.extend(await rows(db, "SELECT status FROM outbox WHERE chat_id = ?", old_id))
        await move_chat(db, old_id, new_id, **kwargs)

    monkeypatch.setattr(subscriptions, "move_chat", watched)
    messenger.post_errors = {MOVED: [Moved("Group migrated to supergroup", SUPERGROUP)]}
    announcement_id = await queue_event_announcement(engine.db)
    await until(sender(messenger, engine, MOVED), announcement_id, "done")
    # Still 'sending' when it moves: a 'pending' row at the old id is another post there.
    assert seen == [("sending",)]
    assert len(messenger.to(SUPERGROUP)) == 1 and not messenger.to(MOVED)


async def test_retract_deletes_what_was_sent_and_reports(
        engine: AnswerEngine, messenger: FakeMessenger) -> None:
    broadcaster = sender(messenger, engine, OK, GONE, FLOOD)
    announcement_id = await queue_event_announcement(engine.db)
    await until(broadcaster, announcement_id, "done")
    messenger.delete_errors = {GONE: [Gone("Forbidden: bot was kicked from the group chat")],
                               FLOOD: [Flood("Flood control exceeded. Retry in 0.05", 0.05)]}
    assert await outbox.start_retract(engine.db, ADMIN) == (announcement_id, 3)
    await until(broadcaster, announcement_id, "retracted")

    assert sorted(chat for chat, _ in messenger.deleted) == [FLOOD, OK]  # FLOOD on a retry
    assert await rows(engine.db, "SELECT chat_id, status FROM outbox ORDER BY chat_id") == [
        (FLOOD, "retracted"), (GONE, "retract_failed"), (OK, "retracted")]
    assert await rows(engine.db, "SELECT chat_id, active FROM chats") == [(GONE, 0)]
    assert "deleted in 2 of 3 chats" in messenger.to(ADMIN)[-1].text


async def test_a_stop_lets_posts_in_flight_finish_and_a_crash_repeats_only_those(
        engine: AnswerEngine, messenger: FakeMessenger) -> None:
    chats = [-200 - n for n in range(3 * broadcast.IN_FLIGHT)]
    running = [True]
    broadcaster = sender(messenger, engine, *chats, running=running)
    announcement_id = await queue_event_announcement(engine.db)
    messenger.gate = asyncio.Event()  # Telegram does not answer yet
    task = asyncio.create_task(broadcaster.run())
    async with asyncio.timeout(5):
        while messenger.waiting < broadcast.IN_FLIGHT:
            await messenger.arrived.wait()
            messenger.arrived.clear()
    assert len(await rows(engine.db, "SELECT 1 FROM outbox WHERE status = 'sending'")) == (
        broadcast.IN_FLIGHT)  # committed before each request
    running[0] = False  # SIGTERM: the application stops, then waits for the sender
    await asyncio.sleep(0.05)
    assert not task.done()  # still waiting for the answers of the posts in flight
    messenger.gate.set()
    await asyncio.wait_for(task, 5)
    statuses = dict(await rows(engine.db, "SELECT status, COUNT(*) FROM outbox GROUP BY status"))
    assert set(statuses) == {"sent", "pending"}  # nothing left 'sending'
    assert statuses["sent"] == len(messenger.posts) >= broadcast.IN_FLIGHT

    # A SIGKILL leaves rows 'sending' (posted or not): the next start posts those again.
    await rows(engine.db, "UPDATE outbox SET status = 'sending' WHERE chat_id IN (?, ?)",
               *[chat for chat, _ in messenger.posts[:2]])
    restarted = sender(messenger, engine, *chats)
    assert await restarted.recover() == 2
    await until(restarted, announcement_id, "done")
    posted = [chat for chat, _ in messenger.posts if chat != ADMIN]
    assert sorted(set(posted)) == sorted(chats) and len(posted) == len(chats) + 2


# ----- the Telegram side: handlers/messenger.py ----------------------------------------------


@pytest.mark.parametrize(("make", "kind", "text"), [
    (lambda: RetryAfter(3), Flood, "Flood control exceeded. Retry in 3 seconds"),
    (lambda: ChatMigrated(-1009), Moved, "Group migrated to supergroup. New chat id: -1009"),
    (lambda: Forbidden("Forbidden: bot was kicked from the group chat"), Gone, "kicked"),
    (lambda: BadRequest("Chat not found"), Gone, "Chat not found"),
    (lambda: BadRequest("Message is too long"), Refused, "Message is too long"),
    (TimedOut, Transient, "TimedOut: Timed out"),
    (lambda: Conflict("terminated by other getUpdates request"), Transient, "Conflict: "),
])
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # retry_after
def test_telegram_errors_become_delivery_errors(make, kind, text) -> None:
    error = make()
    translated = delivery_error(error)
    assert type(translated) is kind and text in str(translated)
    if kind is Flood:
        assert translated.retry_after == 3.0
    if kind is Moved:
        assert translated.new_chat_id == -1009
    if kind is Transient:
        assert translated.network == isinstance(error, TimedOut)


async def test_deleting_a_message_already_gone_is_not_an_error() -> None:
    class Bot:
        username = "RecordBot"

        def __init__(self, error: Exception) -> None:
            self.error = error

        async def delete_message(self, chat_id: int, message_id: int) -> bool:
            raise self.error

    await TelegramMessenger(Bot(BadRequest("Message to delete not found"))).delete(1, 2)
    with pytest.raises(Refused):
        await TelegramMessenger(Bot(BadRequest("Message can't be deleted"))).delete(1, 2)
    with pytest.raises(Gone):
        await TelegramMessenger(Bot(Forbidden("Forbidden: bot was kicked"))).delete(1, 2)
    messenger = TelegramMessenger(Bot(TimedOut()))
    assert messenger.deep_link("event-abc") == "https://t.me/RecordBot?start=event-abc"
