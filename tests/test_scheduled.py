"""Scheduled announcements: times read in the event's zone, the presets, the grace after
downtime; then through the real bot against the fake Bot API, with the sender's clock
injected (no sleeps): sent once at its time, cancelled never, across a restart, refused in
the past, listed, admins only."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import Application

from bot.announcements import schedule
from bot.announcements.schedule import InThePast, Unreadable
from bot.records.model import Event
from bot.settings import Settings, SettingsError
from tests.botharness import ADMIN_ID, bot_settings, broadcaster, copy_events, running_bot
from tests.fakeapi import Call, FakeBotAPI
from tests.upcoming import PLUS5, soon, write_upcoming

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)  # 17:00 at UTC+5
STARTS = dt.datetime(2026, 3, 12, 10, 0, tzinfo=PLUS5)


def upcoming_event(**changes: object) -> Event:
    return Event(id="e", title={"en": "E"}, date=STARTS.date(), sources=(),
                 **{"starts": STARTS, **changes})


def test_a_typed_time_is_read_in_the_events_zone() -> None:
    assert schedule.parse("2026-03-11 18:00", PLUS5, NOW) == dt.datetime(
        2026, 3, 11, 13, tzinfo=dt.UTC)
    assert schedule.parse(" 2026-3-11  9:05 ", PLUS5, NOW) == dt.datetime(
        2026, 3, 11, 9, 5, tzinfo=PLUS5)
    assert schedule.parse("18:30", PLUS5, NOW) == dt.datetime(2026, 3, 10, 18, 30, tzinfo=PLUS5)
    almaty = ZoneInfo("Asia/Almaty")
    assert schedule.parse("18:30", almaty, NOW).utcoffset() == dt.timedelta(hours=5)
    # The zone's date, not UTC's: at 23:30 UTC it is already tomorrow at UTC+5.
    late = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)
    assert schedule.parse("06:00", PLUS5, late).date() == dt.date(2026, 3, 11)


@pytest.mark.parametrize("text", ["tomorrow", "18.30", "2026-02-30 10:00", "24:10", "1800",
                                  "2026-03-11", "10:00 am"])
def test_what_is_not_a_time(text: str) -> None:
    with pytest.raises(Unreadable):
        schedule.parse(text, PLUS5, NOW)


@pytest.mark.parametrize("text", ["16:59", "17:00", "2026-03-09 18:00"])
def test_a_past_time_is_refused(text: str) -> None:
    with pytest.raises(InThePast) as caught:
        schedule.parse(text, PLUS5, NOW)
    assert caught.value.moment <= NOW
    assert schedule.parse("17:01", PLUS5, NOW) > NOW


def test_presets_before_the_start_and_from_now() -> None:
    found = dict(schedule.presets(upcoming_event(), PLUS5, NOW))
    assert found == {
        "d1": dt.datetime(2026, 3, 11, 10, tzinfo=PLUS5),
        "h1": dt.datetime(2026, 3, 12, 9, tzinfo=PLUS5),
        "in1h": dt.datetime(2026, 3, 10, 13, 0, tzinfo=dt.UTC),
        "tom9": dt.datetime(2026, 3, 11, 9, tzinfo=PLUS5),
    }
    # Rounded up to the minute, so the button and the list show the same time.
    odd = NOW + dt.timedelta(seconds=10)
    assert schedule.preset("in1h", None, PLUS5, odd) == NOW + dt.timedelta(hours=1, minutes=1)
    # 20 hours before the start "1 day before" has passed, and "tomorrow 09:00" is "1 hour
    # before": one button for one time.
    soon = STARTS - dt.timedelta(hours=20)
    assert [c for c, _ in schedule.presets(upcoming_event(), PLUS5, soon)] == ["h1", "in1h"]
    assert [c for c, _ in schedule.presets(None, PLUS5, NOW)] == ["in1h", "tom9"]
    cancelled = upcoming_event(status="cancelled")
    assert [c for c, _ in schedule.presets(cancelled, PLUS5, NOW)] == ["in1h", "tom9"]


def test_the_zone_is_the_events_else_the_bots() -> None:
    almaty = Settings.from_env({}).zone
    assert str(almaty) == "Asia/Almaty"
    assert schedule.zone_of(upcoming_event(), almaty) == PLUS5
    assert schedule.zone_of(upcoming_event(starts=None), almaty) == almaty
    assert schedule.zone_of(None, almaty) == almaty
    assert schedule.show(NOW.timestamp(), PLUS5) == "2026-03-10 17:00 (UTC+05:00)"
    assert Settings.from_env({"TIMEZONE": "Europe/Berlin"}).zone == ZoneInfo("Europe/Berlin")
    with pytest.raises(SettingsError, match="TIMEZONE must be") as caught:
        Settings.from_env({"TIMEZONE": "Mars/Olympus"})
    assert "\n" not in str(caught.value)


def test_late_within_the_grace_goes_out_later_is_skipped() -> None:
    due = NOW.timestamp()
    assert not schedule.overdue(due, due + schedule.GRACE)
    assert schedule.overdue(due, due + schedule.GRACE + 1)


# ----- through the bot -----------------------------------------------------------------------

ADMIN = ADMIN_ID
USER = 1001
CHANNEL = -1001  # ANNOUNCE_CHAT_IDS
UPCOMING = "Public hearing on water tariffs"


def posts(fake: FakeBotAPI) -> list[Call]:
    """Announcements posted in the channel."""
    return [c for c in fake.calls if c.method == "sendMessage" and c.ok
            and c.chat_id == CHANNEL]


def to_admin(fake: FakeBotAPI, since: int = 0) -> str:
    return "\n".join(c.params.get("text", "") for c in fake.calls[since:]
                     if c.method in ("sendMessage", "editMessageText") and c.chat_id == ADMIN)


def status(app: Application, announcement_id: int) -> tuple:
    with sqlite3.connect(app.bot_data.settings.database_path) as conn:
        return conn.execute("SELECT status, send_at FROM announcements WHERE id = ?",
                            (announcement_id,)).fetchone()


async def say(fake: FakeBotAPI, text: str, *, user: int = ADMIN, **kwargs: object) -> list[Call]:
    """The bot's messages to the chat, once it has handled the message."""
    since = len(fake.calls)
    fake.send_text(text, user_id=user, chat_id=user, **kwargs)
    await fake.settle()
    return [c for c in fake.calls[since:] if c.method == "sendMessage" and c.chat_id == user]


def keyboard(call: Call) -> dict[str, str]:
    """A message's buttons: label -> data."""
    rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


async def press(fake: FakeBotAPI, call: Call, label_part: str, *, user: int = ADMIN) -> None:
    """Press the button whose label holds `label_part`, on the message `call` sent."""
    [data] = [d for label, d in keyboard(call).items() if label_part in label]
    fake.press_button(data, message=fake.message(ADMIN, call.result["message_id"]),
                      user_id=user)
    await fake.settle()


async def tick(fake: FakeBotAPI, app: Application, at: float) -> None:
    """The sender's clock reads `at` (Unix time); one round of its work, done."""
    sender = broadcaster(app)
    sender.clock = lambda: at
    sender.wake()
    await fake.settle()


def ahead(hours: float, zone: dt.tzinfo) -> str:
    """A time that far ahead, typed as an admin would, in `zone`."""
    moment = dt.datetime.now(zone) + dt.timedelta(hours=hours)
    return f"{moment:%Y-%m-%d %H:%M}"


def preview_id(info: Call) -> int:
    return int(next(d for d in keyboard(info).values() if d.startswith("v1|ann|")).split("|")[3])


@pytest.fixture
async def app(fake: FakeBotAPI, tmp_path: Path, loaded_database: Path
              ) -> AsyncIterator[Application]:
    """The shipped archive (no event with a time: TIMEZONE's zone, Asia/Almaty)."""
    settings = bot_settings(fake, tmp_path, database=loaded_database,
                            ANNOUNCE_CHAT_IDS=str(CHANNEL))
    async with running_bot(fake, settings) as application:
        yield application


async def test_a_preset_is_sent_once_at_its_time(fake: FakeBotAPI, tmp_path: Path) -> None:
    events = copy_events(tmp_path)
    starts = soon(days=3)  # at UTC+5, in Berlin it is UTC+1: the event's zone is used
    write_upcoming(events, starts)
    # No reminders: the sender's clock, moved to a day before, would make the 1d one due too.
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events), REMINDER_LEADS="",
                            ANNOUNCE_CHAT_IDS=str(CHANNEL), TIMEZONE="Europe/Berlin")
    async with running_bot(fake, settings) as app:
        preview, info = await say(fake, "/announce")
        assert UPCOMING in preview.params["text"]
        day_before = schedule.show(starts - dt.timedelta(days=1), PLUS5)
        assert list(keyboard(info))[:3] == [
            "✅ Send now", "Cancel", f"⏰ 1 day before it starts: {day_before}"]
        assert "⏰ 1 hour before it starts" in str(keyboard(info))
        assert "reply to this message with a time" in info.params["text"]
        assert "UTC+05:00" in info.params["text"]
        announcement_id = preview_id(info)
        since = len(fake.calls)
        await press(fake, info, "1 day before")
        assert f"#{announcement_id} is scheduled for {day_before}" in to_admin(fake, since)
        state, send_at = status(app, announcement_id)
        assert (state, send_at) == ("scheduled", (starts - dt.timedelta(days=1)).timestamp())

        await tick(fake, app, send_at - 1)
        assert posts(fake) == [] and status(app, announcement_id)[0] == "scheduled"
        await tick(fake, app, send_at)
        assert len(posts(fake)) == 1 and UPCOMING in posts(fake)[0].params["text"]
        assert "Delivery report" in to_admin(fake)
        await tick(fake, app, send_at + 60)
        await tick(fake, app, send_at + 2 * schedule.GRACE)
        assert len(posts(fake)) == 1 and status(app, announcement_id)[0] == "done"


async def test_listed_in_its_zone_and_a_cancelled_one_is_never_sent(
        fake: FakeBotAPI, app: Application) -> None:
    almaty = ZoneInfo("Asia/Almaty")
    typed = ahead(30, almaty)
    preview, info = await say(fake, f"/announce at {typed} Doors open at noon")
    assert preview.params["text"] == "Doors open at noon"
    assert list(keyboard(info)) == [f"⏰ Schedule for {typed} (UTC+05:00)", "Cancel"]
    await press(fake, info, "Schedule for")
    announcement_id = preview_id(info)
    send_at = status(app, announcement_id)[1]

    replies = await say(fake, "/announce")
    assert len(replies) == 3  # the event's preview, its buttons, what is scheduled
    listing = replies[2]
    assert "Scheduled announcements" in listing.params["text"]
    assert f"#{announcement_id} · {typed} (UTC+05:00) · Doors open at noon" in listing.params[
        "text"]
    assert list(keyboard(listing)) == [f"✖ Cancel #{announcement_id}"]

    older = listing
    listing = (await say(fake, "/announce"))[2]
    await press(fake, listing, "Cancel")
    assert status(app, announcement_id)[0] == "cancelled"
    assert fake.message(ADMIN, listing.result["message_id"])["text"] == (
        "Nothing is scheduled any more.")
    # Final: Cancel in an older list does not bring it back, and its time passes unposted.
    await press(fake, older, "Cancel")
    assert "already sent or cancelled" in fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert status(app, announcement_id)[0] == "cancelled"
    await tick(fake, app, send_at + 1)
    assert posts(fake) == [] and status(app, announcement_id)[0] == "cancelled"
    assert len(await say(fake, "/announce")) == 2  # nothing scheduled: no list


async def test_a_restart_before_its_time_sends_it_once_and_long_overdue_is_skipped(
        fake: FakeBotAPI, tmp_path: Path, loaded_database: Path) -> None:
    settings = bot_settings(fake, tmp_path, database=loaded_database,
                            ANNOUNCE_CHAT_IDS=str(CHANNEL))
    async with running_bot(fake, settings) as app:
        ids = []
        for hours in (2, 3):
            _, info = await say(fake, f"/announce at {ahead(hours, PLUS5)} In {hours} hours")
            await press(fake, info, "Schedule for")
            ids.append(preview_id(info))
    first, second = (status(app, i)[1] for i in ids)
    async with running_bot(fake, settings) as app:  # the same database, as after a restart
        assert posts(fake) == []
        await tick(fake, app, first + 30)  # down over its time, back within the grace
        assert [p.params["text"] for p in posts(fake)] == ["In 2 hours"]
        since = len(fake.calls)
        await tick(fake, app, second + schedule.GRACE + 1)  # back too late for it
        assert [p.params["text"] for p in posts(fake)] == ["In 2 hours"]
        assert [status(app, i)[0] for i in ids] == ["done", "skipped"]
        told = to_admin(fake, since)
        assert f"announcement #{ids[1]} was due at {schedule.show(second, PLUS5)}" in told
        assert "it was not sent" in told
    async with running_bot(fake, settings) as app:
        await tick(fake, app, second + 2 * schedule.GRACE)
    assert [p.params["text"] for p in posts(fake)] == ["In 2 hours"]


async def test_a_reply_with_a_time_schedules_the_preview(fake: FakeBotAPI,
                                                          app: Application) -> None:
    _, info = await say(fake, "/announce Doors open")
    announcement_id = preview_id(info)
    preview_message = fake.message(ADMIN, info.result["message_id"])
    for text, answer in (("25:61", "can't read “25:61” as a time"),
                         ("2025-01-01 10:00", "2025-01-01 10:00 (UTC+05:00) has already passed")):
        [reply] = await say(fake, text, reply_to_message=preview_message)
        assert answer in reply.params["text"]
        assert status(app, announcement_id)[0] == "draft"
    typed = ahead(5, ZoneInfo("Asia/Almaty"))
    [reply] = await say(fake, typed, reply_to_message=preview_message)
    assert f"scheduled for {typed} (UTC+05:00)" in reply.params["text"]
    assert status(app, announcement_id)[0] == "scheduled"
    # The preview's Send and times are gone: it says what became of it.
    edited = fake.message(ADMIN, info.result["message_id"])
    assert "scheduled for" in edited["text"] and "reply_markup" not in edited
    # A time that replies to anything else is a question like any other.
    [answer] = await say(fake, "10:00", reply_to_message=fake.message(ADMIN, reply.result[
        "message_id"]))
    assert "scheduled" not in answer.params["text"]


async def test_a_past_or_unreadable_time_is_one_clear_line(fake: FakeBotAPI,
                                                           app: Application) -> None:
    [reply] = await say(fake, "/announce at 2025-01-01 10:00 Too late")
    assert reply.params["text"] == (
        "2025-01-01 10:00 (UTC+05:00) has already passed: choose a time that is still ahead.")
    [reply] = await say(fake, "/announce at 2026-02-30 10:00")
    assert "can't read “2026-02-30 10:00” as a time" in reply.params["text"]
    assert "YYYY-MM-DD HH:MM, in UTC+05:00" in reply.params["text"]
    with sqlite3.connect(app.bot_data.settings.database_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM announcements").fetchone() == (0,)
    # "at" and no time: the admin's own text, as before.
    preview, _ = await say(fake, "/announce at noon we meet")
    assert preview.params["text"] == "at noon we meet"


async def test_only_admins_schedule_list_or_cancel(fake: FakeBotAPI, app: Application) -> None:
    _, info = await say(fake, f"/announce at {ahead(4, PLUS5)} Doors open")
    announcement_id = preview_id(info)
    [reply] = await say(fake, f"/announce at {ahead(4, PLUS5)} Mine", user=USER)
    assert "only the bot's administrators" in reply.params["text"]
    await press(fake, info, "Schedule for", user=USER)
    assert "only the bot's administrators" in fake.calls_to("answerCallbackQuery")[-1].params[
        "text"]
    assert status(app, announcement_id)[0] == "draft"
    [answer] = await say(fake, ahead(5, PLUS5)[-5:], user=USER, reply_to_message=fake.message(
        ADMIN, info.result["message_id"]))
    assert "scheduled" not in answer.params["text"]  # a question, not a time for the preview
    assert status(app, announcement_id)[0] == "draft"

    await press(fake, info, "Schedule for")
    listing = (await say(fake, "/announce"))[2]
    await press(fake, listing, "Cancel", user=USER)
    assert "only the bot's administrators" in fake.calls_to("answerCallbackQuery")[-1].params[
        "text"]
    assert status(app, announcement_id)[0] == "scheduled"
    # /retract with its number takes back what is not sent yet: it is cancelled.
    [reply] = await say(fake, f"/retract {announcement_id}")
    assert f"#{announcement_id} is cancelled" in reply.params["text"]
    assert status(app, announcement_id)[0] == "cancelled"
