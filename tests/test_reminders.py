"""Reminders of upcoming events through the outbox, at REMINDER_LEADS before each starts:
posted on time (seconds-long leads against the fake Bot API), never twice, and skipped,
not sent late, when their moment passed more than half their lead ago."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import time

import pytest
from telegram.ext import Application

from bot.announcements.reminders import Reminder, due, next_moment, queue
from bot.settings import Settings, SettingsError
from tests.botharness import bot_settings, broadcaster, copy_events, running_bot
from tests.fakeapi import Call, FakeBotAPI
from tests.upcoming import soon, write_upcoming

CHANNEL = -1001  # ANNOUNCE_CHAT_IDS
TITLE = "Public hearing on water tariffs"
NAME = "hearing-upcoming"


@pytest.mark.parametrize(("raw", "leads"), [
    (None, (86_400, 3_600)), ("1d,1h", (86_400, 3_600)), ("90s", (90,)),
    ("30m, 2h", (7_200, 1_800)), ("", ()),
])
def test_reminder_leads_from_the_environment(raw, leads):
    env = {} if raw is None else {"REMINDER_LEADS": raw}
    assert Settings.from_env(env).reminder_leads == leads


@pytest.mark.parametrize("raw", ["1w", "h", "-1h", "1.5h", "0s"])
def test_a_bad_reminder_lead_is_one_clear_line(raw):
    with pytest.raises(SettingsError, match="REMINDER_LEADS must be") as caught:
        Settings.from_env({"REMINDER_LEADS": raw})
    assert "\n" not in str(caught.value)


def test_which_reminders_are_due_and_which_are_late():
    starts = dt.datetime(2026, 3, 12, 10, tzinfo=dt.UTC)
    day, hour = Reminder("e", starts, 86_400), Reminder("e", starts, 3_600)
    at = starts - dt.timedelta(hours=20)
    assert due([day, hour], at) == [day] and next_moment([day, hour], at) == 19 * 3_600
    assert not day.late(at)  # 4 hours after its moment: within half its lead
    assert day.late(starts - dt.timedelta(hours=11, seconds=59))
    assert not hour.late(starts - dt.timedelta(minutes=30))
    assert hour.late(starts - dt.timedelta(minutes=29))
    assert due([day, hour], starts) == []  # under way: no reminder any more


def reminders_in(fake: FakeBotAPI) -> list[Call]:
    return [c for c in fake.calls if is_reminder(c)]


def wall_clock(call: Call) -> dt.datetime:
    return dt.datetime.fromtimestamp(time.time() - time.monotonic() + call.time, dt.UTC)


def is_reminder(call: Call) -> bool:
    return (call.method == "sendMessage" and call.ok and call.chat_id == CHANNEL
            and TITLE in call.params.get("text", ""))


async def at(fake: FakeBotAPI, application: Application, moment: dt.datetime) -> None:
    """The sender's clock shows `moment` (a moment reached at once, not waited for); returns
    once the sender has looked at it and done what was due."""
    sender = broadcaster(application)
    sender.clock = moment.timestamp
    sender.wake()
    await fake.settle()


def rows(settings: Settings) -> list[tuple]:
    with sqlite3.connect(settings.database_path) as conn:
        return conn.execute("SELECT reminder_lead, status FROM announcements "
                            "WHERE reminder_lead IS NOT NULL ORDER BY reminder_lead").fetchall()


async def test_reminders_go_out_at_their_lead_times(fake, tmp_path):
    """The one test on real time: the sender sleeps until each moment and posts then."""
    events = copy_events(tmp_path)
    starts = soon(seconds=4)
    write_upcoming(events, starts, hours=2)
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events),
                            ANNOUNCE_CHAT_IDS=str(CHANNEL), REMINDER_LEADS="2s,1s")
    async with running_bot(fake, settings):
        first = await fake.wait_for(is_reminder, 8)
        await fake.wait_for(is_reminder, 8, since=fake.calls.index(first) + 1)
    first, second = reminders_in(fake)
    for call, lead in ((first, 2), (second, 1)):
        moment = starts - dt.timedelta(seconds=lead)
        # On time: not before its moment, and well within half its lead after it.
        assert moment <= wall_clock(call) < moment + dt.timedelta(seconds=lead / 2), lead
    text = first.params["text"]
    assert f"⏰ <b>{TITLE}</b> starts in 1 minute: {starts:%H:%M}–" in text
    assert "(UTC+05:00)" in text and "📍 House of Ministries, hall 3" in text
    assert "url" in str(first.params["reply_markup"])  # the button to the event in the bot
    assert rows(settings) == [(1, "done"), (2, "done")]
    # No delivery report to the admins for reminders: they were not asked for.
    assert not [c for c in fake.calls if c.method == "sendMessage" and c.chat_id > 0]


async def test_a_reminder_is_never_sent_twice_and_a_late_one_is_skipped(fake, tmp_path):
    events = copy_events(tmp_path)
    starts = soon(hours=1)
    write_upcoming(events, starts, hours=2)
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events),
                            ANNOUNCE_CHAT_IDS=str(CHANNEL), REMINDER_LEADS="20s,2s")
    second = dt.timedelta(seconds=1)
    async with running_bot(fake, settings) as application:
        assert rows(settings) == []  # on the real clock nothing is due yet
        # The 20-second reminder was due 15 s ago, more than half its lead: as after downtime.
        await at(fake, application, starts - 5 * second)
        assert reminders_in(fake) == [] and rows(settings) == [(20, "skipped")]
        await at(fake, application, starts - 2 * second)
        assert len(reminders_in(fake)) == 1
        assert rows(settings) == [(2, "done"), (20, "skipped")]
        await at(fake, application, starts - second)
    assert len(reminders_in(fake)) == 1
    # A restart before the event starts: both reminders are still "due", neither goes again.
    async with running_bot(fake, settings) as application:
        await at(fake, application, starts - second)
    assert len(reminders_in(fake)) == 1
    assert rows(settings) == [(2, "done"), (20, "skipped")]


async def test_no_reminder_for_a_cancelled_event(fake, tmp_path):
    events = copy_events(tmp_path)
    starts = soon(hours=1)
    write_upcoming(events, starts, hours=2, status="cancelled")
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events),
                            ANNOUNCE_CHAT_IDS=str(CHANNEL), REMINDER_LEADS="2s")
    async with running_bot(fake, settings) as application:
        await at(fake, application, starts - dt.timedelta(seconds=2))
        await at(fake, application, starts - dt.timedelta(seconds=1))
    assert reminders_in(fake) == [] and rows(settings) == []


async def test_once_per_event_start_and_lead_so_a_moved_event_is_reminded_again(db):
    first = dt.datetime(2026, 3, 12, 10, tzinfo=dt.UTC)
    moved = first + dt.timedelta(hours=2)
    at = first - dt.timedelta(seconds=30)
    assert await queue(db, [Reminder("e", first, 60)], at) == 1
    assert await queue(db, [Reminder("e", first, 60)], at) == 0  # never twice
    assert await queue(db, [Reminder("e", moved, 60)], moved - dt.timedelta(seconds=30)) == 1
    assert await queue(db, [Reminder("e", first, 600)], at) == 0  # late: written, not sent
    async with db.execute("SELECT reminder_at, reminder_lead, status FROM announcements "
                          "ORDER BY id") as cursor:
        assert [tuple(r) for r in await cursor.fetchall()] == [
            (first.isoformat(), 60, "queued"), (moved.isoformat(), 60, "queued"),
            (first.isoformat(), 600, "skipped")]


def test_a_reminder_of_a_time_that_no_longer_holds_is_not_written(tmp_path):
    from bot.announcements.content import reminder_text
    from bot.records.files import parse_all

    starts = soon(days=1)
    events = copy_events(tmp_path)
    write_upcoming(events, starts)
    (event,) = [r.event for r in parse_all([events]) if r.event and r.event.id == NAME]
    assert TITLE in reminder_text(event, event.starts.astimezone(dt.UTC).isoformat(), "en")
    with pytest.raises(LookupError, match="moved"):
        reminder_text(event, (starts - dt.timedelta(hours=1)).isoformat(), "en")
    cancelled = dataclasses.replace(event, status="cancelled")
    with pytest.raises(LookupError, match="no longer scheduled"):
        reminder_text(cancelled, event.starts.isoformat(), "en")
