"""An upcoming event's card: its time in the event's own offset, how long until it starts,
venue, links and agenda, "Cancelled" when so; a past event's card unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.answering.upcoming import countdown, offset_name
from tests.botharness import bot_settings, converse, copy_events, running_bot, texts
from tests.upcoming import PLUS5, soon, write_upcoming

START = dt.datetime(2026, 3, 12, 10, tzinfo=PLUS5)


@pytest.mark.parametrize(("before", "lang", "expected"), [
    (dt.timedelta(days=3, hours=2), "en", "in 3 days"),
    (dt.timedelta(days=1), "en", "in 1 day"),
    (dt.timedelta(hours=5, minutes=10), "en", "in 5 hours"),
    (dt.timedelta(minutes=12), "en", "in 12 minutes"),
    (dt.timedelta(seconds=5), "en", "in 1 minute"),
    (dt.timedelta(days=2), "ru", "через 2 дня"),
    (dt.timedelta(days=5), "ru", "через 5 дней"),
    (dt.timedelta(days=21), "ru", "через 21 день"),
    (dt.timedelta(hours=3), "kk", "3 сағаттан кейін"),
    (dt.timedelta(days=3), "kk", "3 күннен кейін"),
    (-dt.timedelta(minutes=1), "en", "under way"),
    (-dt.timedelta(minutes=1), "ru", "уже идёт"),
])
def test_how_long_until_it_starts(before, lang, expected):
    assert countdown(START, START - before, lang) == expected


def test_the_offset_is_written_as_people_read_it():
    assert offset_name(START) == "UTC+05:00"
    assert offset_name(START.astimezone(dt.timezone(-dt.timedelta(hours=3, minutes=30)))) == \
        "UTC-03:30"
    assert offset_name(START.astimezone(dt.UTC)) == "UTC"


async def test_an_upcoming_events_card(fake, tmp_path):
    events = copy_events(tmp_path)
    starts = soon(days=3, hours=2)
    if starts.hour >= 20:  # a 3-hour event would end the next day, which the card dates
        starts -= dt.timedelta(hours=6)  # still 'in 3 days': 2 days 20 hours
    write_upcoming(events, starts)
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events))
    async with running_bot(fake, settings):
        card = texts(await converse(fake, "/event water tariffs"))
        russian = texts(await converse(fake, "/event water tariffs", language_code="ru"))
        past = texts(await converse(fake, "/event Strasbourg"))
    ends = starts + dt.timedelta(hours=3)
    assert "Public hearing on water tariffs" in card
    assert f"🕙 {starts:%H:%M}–{ends:%H:%M} (UTC+05:00) · <b>in 3 days</b>" in card
    assert "📍 Venue: House of Ministries, hall 3" in card
    assert ('🔗 <a href="https://example.org/live">Livestream</a> · '
            '<a href="https://example.org/register">Registration</a>') in card
    assert f"<b>Agenda</b>\n{starts:%H:%M} Opening — Maulen Ashimbayev" in card
    assert f"{starts + dt.timedelta(hours=1):%H:%M} Questions from the public" in card
    assert "Cancelled" not in card
    assert "<b>через 3 дня</b>" in russian and "Место: Дом министерств, зал 3" in russian
    assert "<b>Программа</b>" in russian
    # A past event's card: as it was.
    assert "Strasbourg" in past and "🕙" not in past and "Venue" not in past


async def test_a_cancelled_events_card(fake, tmp_path):
    events = copy_events(tmp_path)
    starts = soon(hours=5, seconds=600)
    write_upcoming(events, starts, status="cancelled")
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events))
    async with running_bot(fake, settings):
        card = texts(await converse(fake, "/event water tariffs"))
    assert "<b>Cancelled</b>" in card
    assert f"It was to take place at {starts:%H:%M}–" in card
    assert "in 5 hours" not in card and "🕙" not in card


async def test_an_event_that_has_ended_gets_the_past_card(fake, tmp_path):
    events = copy_events(tmp_path)
    write_upcoming(events, soon(hours=-4), hours=2)
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events))
    async with running_bot(fake, settings):
        card = texts(await converse(fake, "/event water tariffs"))
    assert "Public hearing on water tariffs" in card
    assert "🕙" not in card and "Agenda" not in card and "Venue" not in card
