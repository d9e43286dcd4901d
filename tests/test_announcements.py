"""Announcements against the fake Bot API: the real Application, a real database.

In process: /announce (preview, Send, report), /announce TEXT, /retract, /subscribe,
membership changes, 429/403/migration during delivery, a `load` picked up by the running bot,
/stats. End to end over real HTTP: posts overlapping (at most IN_FLIGHT) against a slow
Telegram with flood limits, and a SIGKILL in the middle of a broadcast or between a
reminder's outbox row and its post (the bot a subprocess).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot import chats
from bot.announcements import broadcast
from bot.announcements.broadcast import IN_FLIGHT
from bot.announcements.flights import Flights
from bot.announcements.pacer import Pacer
from bot.records import storage
from bot.records.loader import always, load_paths
from tests.botharness import (
    ADMIN_ID,
    REPO,
    bot_settings,
    copy_events,
    polling_bot,
    running_bot,
)
from tests.fakeapi import Call, FakeBotAPI, serve
from tests.upcoming import soon, write_upcoming

ADMIN = ADMIN_ID
USER = 1001
CHANNEL = -1001  # ANNOUNCE_CHAT_IDS
GROUP = -4001
TITLE = "Roundtable on the draft constitutional reform"
ROUNDTABLE = "roundtable-2026-02-09-astana"


@pytest.fixture
async def app(fake: FakeBotAPI, tmp_path: Path, loaded_database: Path
              ) -> AsyncIterator[Application]:
    settings = bot_settings(fake, tmp_path, database=loaded_database,
                            ANNOUNCE_CHAT_IDS=str(CHANNEL))
    async with running_bot(fake, settings) as application:
        yield application


# ----- helpers -------------------------------------------------------------------------------


def is_send(call: Call, chat_id: int, text: str = "") -> bool:
    return (call.method == "sendMessage" and call.ok and call.chat_id == chat_id
            and text in call.params.get("text", ""))


def posts(fake: FakeBotAPI, chat_id: int) -> list[Call]:
    """Announcements posted in a chat (they carry the URL button to the bot)."""
    return [c for c in fake.calls if is_send(c, chat_id) and "url" in str(c.params)]


async def say(fake: FakeBotAPI, text: str, *, user: int = ADMIN, chat_id: int | None = None,
              chat_type: str = "private", replies: int = 1) -> list[Call]:
    """Send a message; once the bot has handled it, its first `replies` messages into that chat."""
    since = len(fake.calls)
    chat = user if chat_id is None else chat_id
    fake.send_text(text, user_id=user, chat_id=chat, chat_type=chat_type)
    await fake.settle()
    found = [c for c in fake.calls[since:] if is_send(c, chat)]
    assert len(found) >= replies, [c.params.get("text") for c in found]
    return found[:replies]


async def report(fake: FakeBotAPI, since: int = 0, kind: str = "Delivery report") -> str:
    call = await fake.wait_for(lambda c: is_send(c, ADMIN, kind), timeout=10, since=since)
    return call.params["text"]


async def subscribe_group(fake: FakeBotAPI, group: int = GROUP) -> None:
    fake.set_chat_member_status(group, USER, "administrator")
    reply = await say(fake, "/subscribe", user=USER, chat_id=group, chat_type="group")
    assert "will receive announcements" in reply[0].params["text"]


async def announce_and_send(fake: FakeBotAPI, command: str = "/announce") -> tuple[str, int]:
    """/announce as the admin, press Send; the preview's text and the announcement id."""
    preview, info = await say(fake, command, replies=2)
    data = info.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("v1|ann|send|")
    fake.press_button(data, chat_id=ADMIN)
    return preview.params["text"], int(data.rsplit("|", 1)[1])


def db_rows(app: Application, sql: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(app.bot_data.settings.database_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


# ----- /announce, /retract -------------------------------------------------------------------


async def test_non_admin_cannot_announce(fake: FakeBotAPI, app: Application) -> None:
    for command in ("/announce", "/announce Buy now", "/retract", "/stats"):
        reply = await say(fake, command, user=USER)
        assert "only the bot's administrators" in reply[0].params["text"]
    assert not posts(fake, CHANNEL)
    assert db_rows(app, "SELECT COUNT(*) FROM announcements") == [(0,)]


async def test_announce_preview_send_report(fake: FakeBotAPI, tmp_path: Path) -> None:
    events = copy_events(tmp_path)
    event_file = events / "roundtable-2026-02-09-astana.toml"  # the latest: /announce's
    text = event_file.read_text(encoding="utf-8")
    # Record text with HTML specials must be escaped, or the fake refuses the post.
    event_file.write_text(text.replace(f'title = "{TITLE}"', 'title = "Roundtable <draft> & Co"',
                                       1), encoding="utf-8")
    settings = bot_settings(fake, tmp_path, ANNOUNCE_CHAT_IDS=str(CHANNEL),
                            EVENTS_PATH=str(events))
    async with running_bot(fake, settings) as app:
        await subscribe_group(fake)
        preview, info = await say(fake, "/announce", replies=2)
        assert "Roundtable &lt;draft&gt; &amp; Co" in preview.params["text"]
        for part in ("Speakers", "Key themes", "Ashimbayev", "@RecordBot"):
            assert part in preview.params["text"], part
        [[key]] = db_rows(app, "SELECT key FROM events WHERE id = ?",
                          "roundtable-2026-02-09-astana")
        url = preview.params["reply_markup"]["inline_keyboard"][0][0]["url"]
        assert url == f"https://t.me/RecordBot?start=event-{key}"
        assert "posted to 2 chats" in info.params["text"]
        labels = [b["text"] for b in info.params["reply_markup"]["inline_keyboard"][0]]
        assert labels == ["✅ Send now", "Cancel"]
        await fake.settle()
        assert not posts(fake, CHANNEL)  # nothing before Send

        since = len(fake.calls)
        fake.press_button(info.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                          chat_id=ADMIN)
        text = await report(fake, since)
        assert "sent 2, failed 0, pending 0" in text
        for chat_id in (CHANNEL, GROUP):
            [post] = posts(fake, chat_id)
            assert post.params["text"] == preview.params["text"]
            assert post.params["reply_markup"]["inline_keyboard"][0][0]["url"] == url
        edit = next(c for c in fake.calls_to("editMessageText") if c.ok)
        assert "Sending announcement #1 to 2 chats" in edit.params["text"]
        assert "reply_markup" not in fake.message(ADMIN, info.result["message_id"])
        assert db_rows(app, "SELECT status FROM announcements") == [("done",)]
        assert db_rows(app, "SELECT COUNT(*) FROM outbox WHERE status = 'sent' "
                            "AND message_id IS NOT NULL") == [(2,)]


async def test_announce_cancel(fake: FakeBotAPI, app: Application) -> None:
    _, info = await say(fake, "/announce", replies=2)
    cancel = info.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    assert cancel.startswith("v1|ann|cancel|")
    since = len(fake.calls)
    fake.press_button(cancel, chat_id=ADMIN)
    await fake.settle()
    [edit] = [c for c in fake.calls[since:] if c.method == "editMessageText"]
    assert edit.ok and "Cancelled" in edit.params["text"]
    assert not posts(fake, CHANNEL)
    assert db_rows(app, "SELECT status FROM announcements") == [("cancelled",)]


async def test_preview_buttons_refuse_non_admins_and_act_once(
        fake: FakeBotAPI, app: Application) -> None:
    """Send and Cancel: a non-admin's press changes nothing; of a double tap, the second press
    is told the draft is done with (which press wins is up to the concurrent handlers)."""
    for button in ("send", "cancel"):
        _, info = await say(fake, "/announce", replies=2)
        [data] = [b["callback_data"] for b in info.params["reply_markup"]["inline_keyboard"][0]
                  if b["callback_data"].startswith(f"v1|ann|{button}|")]
        announcement_id = int(data.rsplit("|", 1)[1])
        fake.press_button(data, chat_id=ADMIN, user_id=USER)
        await fake.settle()
        refusal = fake.calls_to("answerCallbackQuery")[-1].params
        assert "only the bot's administrators" in refusal["text"] and refusal["show_alert"]
        assert db_rows(app, "SELECT status FROM announcements WHERE id = ?",
                       announcement_id) == [("draft",)]
        since = len(fake.calls)
        fake.press_button(data, chat_id=ADMIN)
        fake.press_button(data, chat_id=ADMIN)
        await fake.settle()
        answers = [c.params for c in fake.calls[since:] if c.method == "answerCallbackQuery"]
        assert len(answers) == 2
        [already] = [a for a in answers if "already sent or cancelled" in a.get("text", "")]
        assert already["show_alert"]
        edits = [c for c in fake.calls[since:] if c.method == "editMessageText"]
        assert len(edits) == 1
        assert ("Sending announcement" if button == "send" else "Cancelled") in edits[0].params[
            "text"]
    assert len(posts(fake, CHANNEL)) == 1
    assert db_rows(app, "SELECT status FROM announcements ORDER BY id") == [
        ("done",), ("cancelled",)]


async def test_announce_own_text(fake: FakeBotAPI, app: Application) -> None:
    preview, _ = await announce_and_send(fake, "/announce Live Q&A <today> at 18:00")
    assert preview.startswith("Live Q&amp;A &lt;today&gt; at 18:00")
    await report(fake)
    [post] = posts(fake, CHANNEL)
    assert post.params["text"] == preview
    assert post.response["result"]["text"] == "Live Q&A <today> at 18:00"


async def test_retract_deletes_everywhere(fake: FakeBotAPI, app: Application) -> None:
    await subscribe_group(fake)
    await announce_and_send(fake)
    await report(fake)
    sent = {chat: posts(fake, chat)[0].result["message_id"] for chat in (CHANNEL, GROUP)}
    since = len(fake.calls)
    reply = await say(fake, "/retract")
    assert "from the 2 chats" in reply[0].params["text"]
    text = await report(fake, since, "retracted")
    assert "deleted in 2 of 2 chats" in text
    deletes = {c.chat_id: c.params["message_id"] for c in fake.calls_to("deleteMessage")}
    assert deletes == sent
    assert all(fake.message(chat, mid) is None for chat, mid in sent.items())
    reply = await say(fake, "/retract")
    assert "no announcement to retract" in reply[0].params["text"]


def add_sent_reminder(app: Application, chat_id: int, message_id: int) -> int:
    """A reminder that went out after the admin's announcement, as the sender records one."""
    conn = sqlite3.connect(app.bot_data.settings.database_path)
    try:
        with conn:
            cursor = conn.execute(
                "INSERT INTO announcements (event_id, text, status, reminder_lead, reminder_at) "
                "VALUES (?, '', 'done', 3600, '2026-03-12T05:00:00+00:00')", (ROUNDTABLE,))
            conn.execute("INSERT INTO outbox (announcement_id, chat_id, status, message_id) "
                         "VALUES (?, ?, 'sent', ?)", (cursor.lastrowid, chat_id, message_id))
        return cursor.lastrowid
    finally:
        conn.close()


async def test_retract_means_the_announcement_not_a_later_reminder(
        fake: FakeBotAPI, app: Application) -> None:
    _, announcement_id = await announce_and_send(fake)
    await report(fake)
    reminder_id = add_sent_reminder(app, CHANNEL, 999)
    reply = await say(fake, "/retract")
    assert f"Deleting announcement #{announcement_id} " in reply[0].params["text"]
    await report(fake, len(fake.calls) - 1, "retracted")
    assert [c.params["message_id"] for c in fake.calls_to("deleteMessage")] == [
        posts(fake, CHANNEL)[0].result["message_id"]]
    # Asked for by its number, a reminder is retracted too.
    reply = await say(fake, f"/retract {reminder_id}")
    assert f"Deleting announcement #{reminder_id} " in reply[0].params["text"]
    await fake.wait_for(lambda c: c.method == "deleteMessage" and c.params["message_id"] == 999)
    for wrong in ("/retract soon", "/retract 1 2"):
        reply = await say(fake, wrong)
        assert "/retract NUMBER" in reply[0].params["text"]
    reply = await say(fake, "/retract 12345")
    assert "no announcement to retract" in reply[0].params["text"]


# ----- subscriptions and membership ----------------------------------------------------------


async def test_subscribe_is_for_chat_admins(fake: FakeBotAPI, app: Application) -> None:
    reply = await say(fake, "/subscribe", user=USER, chat_id=GROUP, chat_type="group")
    assert "only this chat's administrators" in reply[0].params["text"]
    assert fake.calls_to("getChatMember")[-1].params["user_id"] == USER
    assert not db_rows(app, "SELECT * FROM chats WHERE subscribed = 1")
    await subscribe_group(fake)
    assert db_rows(app, "SELECT subscribed, active FROM chats WHERE chat_id = ?", GROUP) == [
        (1, 1)]
    reply = await say(fake, "/unsubscribe", user=USER, chat_id=GROUP, chat_type="group")
    assert "no longer receive announcements" in reply[0].params["text"]
    assert db_rows(app, "SELECT subscribed FROM chats WHERE chat_id = ?", GROUP) == [(0,)]
    reply = await say(fake, "/subscribe", user=USER)
    assert "add me to a group" in reply[0].params["text"]


async def test_kicked_then_readded(fake: FakeBotAPI, app: Application) -> None:
    await subscribe_group(fake)
    fake.chat_member_update(GROUP, new_status="kicked", old_status="member", chat_type="group")
    fake.chat_member_update(CHANNEL, new_status="left", old_status="administrator",
                            chat_type="channel")
    await fake.settle()
    assert db_rows(app, "SELECT chat_id, active FROM chats ORDER BY chat_id") == [
        (GROUP, 0), (CHANNEL, 0)]
    _, info = await say(fake, "/announce", replies=2)
    assert "posted to 0 chats" in info.params["text"]
    assert "no chats to post to" in info.params["text"]

    since = len(fake.calls)
    fake.chat_member_update(GROUP, new_status="member", old_status="kicked", chat_type="group")
    await fake.settle()
    [offer] = [c for c in fake.calls[since:] if is_send(c, GROUP)]
    assert "/subscribe" in offer.params["text"]
    # Back in the group, but it receives announcements only after a new /subscribe.
    assert db_rows(app, "SELECT subscribed, active FROM chats WHERE chat_id = ?", GROUP) == [
        (0, 1)]


# ----- delivery failures ---------------------------------------------------------------------


async def test_retry_after_then_success(fake: FakeBotAPI, app: Application) -> None:
    fake.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 1",
                   parameters={"retry_after": 1}, chat_id=CHANNEL, times=1)
    await announce_and_send(fake)
    assert "sent 1, failed 0" in await report(fake)
    tries = [c for c in fake.calls_to("sendMessage") if c.chat_id == CHANNEL]
    assert [c.status for c in tries] == [429, 200]
    assert tries[1].time - tries[0].time >= 1.0


async def test_forbidden_marks_chat_inactive(fake: FakeBotAPI, app: Application) -> None:
    await subscribe_group(fake)
    fake.kick(GROUP)  # kicked while the bot did not see the update
    await announce_and_send(fake)
    text = await report(fake)
    assert "sent 1, failed 1, pending 0" in text
    assert "kicked" in text
    attempts = [c for c in fake.calls_to("sendMessage") if c.chat_id == GROUP
                and "url" in str(c.params)]
    assert len(attempts) == 1
    assert db_rows(app, "SELECT active FROM chats WHERE chat_id = ?", GROUP) == [(0,)]
    # The next announcement does not try it again.
    since = len(fake.calls)
    _, info = await say(fake, "/announce", replies=2)
    assert "posted to 1 chat." in info.params["text"]
    fake.press_button(info.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
                      chat_id=ADMIN)
    await report(fake, since)
    assert not [c for c in fake.calls[since:] if c.chat_id == GROUP]


async def test_group_migrated_to_supergroup(fake: FakeBotAPI, app: Application) -> None:
    new_id = -1005550001
    await subscribe_group(fake)
    fake.migrate(GROUP, new_id)
    await announce_and_send(fake)
    assert "sent 2, failed 0, pending 0" in await report(fake)
    assert len(posts(fake, new_id)) == 1
    assert not posts(fake, GROUP)
    rows = db_rows(app, "SELECT chat_id, subscribed, active FROM chats ORDER BY chat_id")
    assert (new_id, 1, 1) in rows and (GROUP, 0, 0) in rows
    assert db_rows(app, "SELECT chat_id, status FROM outbox ORDER BY chat_id") == [
        (new_id, "sent"), (CHANNEL, "sent")]


# ----- a `load` while the bot runs ------------------------------------------------------------


async def test_loaded_event_is_announced_without_restart(fake: FakeBotAPI, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    new_file = tmp_path / "new-event.toml"
    new_file.write_text("\n".join([
        "schema = 2", "[event]", 'id = "hearing-2026-03-01"',
        'title = "Public hearing on the reform"', "date = 2026-03-01", 'city = "Astana"',
        'sources = ["https://example.org/hearing"]', "[[participants]]",
        'person = "ashimbayev"', 'role = "Chairman of the Senate"', "[[statements]]",
        'id = "ashimbayev-1"', 'speaker = "ashimbayev"', "paragraph = 2",
        'text = "The reform continues."']) + "\n", encoding="utf-8")
    # Another process writes it, so nothing wakes the sender: its next poll finds it.
    monkeypatch.setattr(broadcast, "POLL_SECONDS", 0.05)
    settings = bot_settings(fake, tmp_path, ANNOUNCE_CHAT_IDS=str(CHANNEL))
    async with running_bot(fake, settings):
        # What `python -m bot load` does, on its own connection.
        conn = await storage.connect(settings.database_path)
        try:
            _, result = await load_paths(conn, [new_file], announce=always)
        finally:
            await conn.close()
        assert result.new_events == result.announced == ["hearing-2026-03-01"]
        post = await fake.wait_for(lambda c: is_send(c, CHANNEL), timeout=10)
        assert "Public hearing on the reform" in post.params["text"]
        assert "March 1, 2026" in post.params["text"]
        assert "sent 1, failed 0, pending 0" in await report(fake)


# ----- /stats --------------------------------------------------------------------------------


async def test_stats(fake: FakeBotAPI, app: Application) -> None:
    await say(fake, "who talked about ecology?", user=USER)
    await say(fake, "what did Ashimbayev say?", user=USER)
    await say(fake, "what is the price of bread in Paris?", user=USER)
    await subscribe_group(fake)
    reply = await say(fake, "/stats", user=USER)
    assert "only the bot's administrators" in reply[0].params["text"]
    [stats] = await say(fake, "/stats")
    text = stats.params["text"]
    assert "Questions: 3 (answered 2, unanswered 1)" in text
    assert "price of bread in Paris" in text
    assert "Chats receiving announcements: 2" in text
    assert "Ashimbayev" in text.split("Top speakers")[1]
    themes = text.split("Top themes")[1].split("Top speakers")[0]
    assert "— 1" in themes


# ----- pacing, posts in flight ---------------------------------------------------------------


async def test_pacer_spaces_posts_and_fills_group_windows() -> None:
    pacer = Pacer(per_second=50, per_group=2, group_window=60)
    starts = []
    for _ in range(6):
        assert await pacer.acquire(GROUP if len(starts) < 2 else USER)
        starts.append(pacer.clock())
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.02 - 1e-3  # never closer than 1/50 s, however late a post was
    assert pacer.group_ready_at(GROUP) > starts[0] + 59  # two posts: the group waits a minute
    assert pacer.group_ready_at(CHANNEL) == 0.0
    pacer.pause(0.2)
    assert not await pacer.acquire(USER, keep_going=lambda: False)  # stopping while paused


async def test_pacer_spacing_holds_across_tasks() -> None:
    pacer = Pacer(per_second=50, per_group=3, group_window=60)
    starts: list[float] = []

    async def post(chat_id: int) -> None:
        assert await pacer.acquire(chat_id)
        starts.append(pacer.clock())  # no await between the turn and this

    await asyncio.gather(*(post(GROUP if n < 3 else USER - n) for n in range(12)))
    gaps = [b - a for a, b in itertools.pairwise(sorted(starts))]
    assert min(gaps) >= 0.02 - 1e-3
    assert pacer.group_ready_at(GROUP) > min(starts) + 59


async def test_flights_are_bounded_and_one_failure_cancels_none() -> None:
    running, peak, finished = 0, 0, []

    async def work(n: int) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.05)
        running -= 1
        if n == 0:
            raise RuntimeError("database is locked")
        finished.append(n)

    with pytest.raises(RuntimeError, match="locked"):
        async with Flights(3) as flights:
            for n in range(7):
                await flights.reserve()
                flights.start(work(n))
    assert peak == 3
    assert sorted(finished) == [1, 2, 3, 4, 5, 6]  # the others ran to the end


@pytest.mark.e2e
async def test_posts_overlap_within_the_limits(tmp_path: Path) -> None:
    """With a slow Telegram, up to IN_FLIGHT posts are out at once over HTTP, paced: no 429."""
    groups = [-7000 - n for n in range(16)]
    latency = 0.4  # at 29 posts/s about 12 would be in flight without the bound
    async with serve(FakeBotAPI(flood_limits=True)) as fake:
        settings = bot_settings(fake, tmp_path, ANNOUNCE_CHAT_IDS=",".join(map(str, groups)))
        async with polling_bot(settings):
            fake.send_text("/announce", user_id=ADMIN)
            info = await fake.wait_for(lambda c: is_send(c, ADMIN, "posted to 16 chats"))
            fake.set_delay(latency)
            fake.press_button(info.result["reply_markup"]["inline_keyboard"][0][0][
                "callback_data"], chat_id=ADMIN)

            def group_posts() -> list[Call]:
                return sorted((c for c in fake.calls if c.method == "sendMessage"
                               and c.chat_id in set(groups)), key=lambda c: c.time)

            await fake.wait_for(lambda _: len(group_posts()) == len(groups))
            fake.set_delay(0)  # the posts are measured; the rest may be quick
            assert "sent 16, failed 0, pending 0" in await report(fake)
        sends = group_posts()
        assert fake.flood_429_count == 0 and not fake.internal_errors
        assert all(c.ok for c in sends) and {c.chat_id for c in sends} == set(groups)
        starts = [c.time for c in sends]
        peak = max(sum(1 for s in starts if s <= t < s + latency) for t in starts)
        assert IN_FLIGHT // 2 < peak <= IN_FLIGHT
        assert starts[-1] - starts[0] < len(groups) * latency / 3  # one at a time: 6.4 s


# ----- SIGKILL in the middle of a broadcast ---------------------------------------------------


def start_bot(fake: FakeBotAPI, tmp_path: Path, log: Path, **more: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(tmp_path / "bot.db"),
        "EVENTS_PATH": str(REPO / "data" / "events"),
        "ADMIN_IDS": str(ADMIN),
        "ANNOUNCE_CHAT_IDS": "",
        **more,
    }
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=REPO, env=env,
                                stdout=out, stderr=subprocess.STDOUT)


async def stop(process: subprocess.Popen, seconds: float = 10.0) -> None:
    """SIGTERM, waiting without blocking the loop (the fake server runs on it)."""
    process.send_signal(signal.SIGTERM)
    for _ in range(int(seconds / 0.05)):
        if process.poll() is not None:
            return
        await asyncio.sleep(0.05)
    process.kill()
    process.wait()


@pytest.mark.e2e
async def test_kill_during_broadcast_resumes(served_fake: FakeBotAPI, tmp_path: Path) -> None:
    fake = served_fake
    groups = [-5000 - n for n in range(24)]  # 0.8 s of posts at 29/s; the kill lands halfway
    conn = await storage.connect(tmp_path / "bot.db")
    try:
        for group in groups:
            await chats.upsert_chat(conn, group, "group", f"Group {group}", subscribed=1)
        # The event is new to this database: the same path as `python -m bot load`, asked
        # to announce the roundtable (the archive's other events are not news).
        _, result = await load_paths(conn, [REPO / "data" / "events"],
                                     announce=lambda event: event.id == ROUNDTABLE)
        assert len(result.announced) == 1
    finally:
        await conn.close()

    def counts() -> Counter:
        return Counter(c.chat_id for c in fake.calls if c.method == "sendMessage" and c.ok
                       and c.chat_id in set(groups))

    log = tmp_path / "bot.log"
    first = start_bot(fake, tmp_path, log)
    try:
        async with asyncio.timeout(20):
            while sum(counts().values()) < len(groups) // 2:
                assert first.poll() is None, log.read_text()
                await asyncio.sleep(0.005)
        # Slow the server down so that the kill lands while posts are in flight.
        fake.set_delay(0.3)
        await asyncio.sleep(0.1)
        first.send_signal(signal.SIGKILL)
        first.wait()
        fake.set_delay(0)  # the requests already waiting keep theirs, and are answered
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert sum(counts().values()) < len(groups)

    second = start_bot(fake, tmp_path, log)
    try:
        await fake.wait_for(lambda c: is_send(c, ADMIN, "Delivery report"), timeout=30)
        posted = counts()
    finally:
        await stop(second)
    assert set(posted) == set(groups), "every group got the announcement"
    assert max(posted.values()) <= 2
    repeated = sum(1 for n in posted.values() if n == 2)
    assert repeated <= IN_FLIGHT, "only the posts in flight at the kill repeat"
    recovered = re.search(r"(\d+) announcement post\(s\) were in flight at a crash; retrying",
                          log.read_text())
    assert recovered and 1 <= int(recovered[1]) <= IN_FLIGHT, "'sending' rows at the kill"
    report_text = next(c for c in fake.calls if is_send(c, ADMIN, "Delivery report"))
    assert f"sent {len(groups)}, failed 0, pending 0" in report_text.params["text"]
    conn = sqlite3.connect(tmp_path / "bot.db")
    try:
        assert conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall() == [
            ("sent", len(groups))]
    finally:
        conn.close()


@pytest.mark.e2e
async def test_kill_between_a_reminders_outbox_row_and_its_post(served_fake: FakeBotAPI,
                                                                 tmp_path: Path) -> None:
    """The reminder's row is written and its post refused (429, so not posted): a SIGKILL
    then, and after the restart it is posted exactly once."""
    fake = served_fake
    events = copy_events(tmp_path)
    # Its 60 s reminder was due 10 s ago: queued at the first start, and late only 30 s
    # after its moment, so a slow start still sends it.
    write_upcoming(events, soon(seconds=50), hours=2)
    env = {"EVENTS_PATH": str(events), "ANNOUNCE_CHAT_IDS": str(CHANNEL),
           "REMINDER_LEADS": "60s"}
    fake.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 30",
                   parameters={"retry_after": 30}, chat_id=CHANNEL)

    def reminders() -> list[Call]:
        return [c for c in fake.calls if is_send(c, CHANNEL, "Public hearing on water tariffs")]

    def outbox_rows() -> list[tuple]:
        conn = sqlite3.connect(tmp_path / "bot.db")
        try:
            return conn.execute("SELECT a.status, o.status FROM outbox o JOIN announcements a "
                                "ON a.id = o.announcement_id WHERE a.reminder_lead = 60"
                                ).fetchall()
        finally:
            conn.close()

    log = tmp_path / "bot.log"
    first = start_bot(fake, tmp_path, log, **env)
    try:
        await fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == CHANNEL
                            and c.status == 429, timeout=20)
        first.send_signal(signal.SIGKILL)  # the bot waits out the 429 to post again
        first.wait()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert reminders() == [] and outbox_rows() == [("sending", "sending")]

    second = start_bot(fake, tmp_path, log, **env)
    try:
        await fake.wait_for(lambda c: is_send(c, CHANNEL, "Public hearing"), timeout=20)
    finally:
        await stop(second)  # SIGTERM: the posts in flight are answered and recorded first
    assert len(reminders()) == 1, "posted exactly once"
    assert [row for _, row in outbox_rows()] == ["sent"]  # and never again
    assert "1 announcement post(s) were in flight at a crash" in log.read_text()
