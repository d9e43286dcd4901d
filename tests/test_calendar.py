"""📅 Add to calendar: an upcoming event's .ics file, sent as a document and read back by a
calendar parser (icalendar); none for a past or cancelled event; the fake's sendDocument."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest

from handlers import buttons as codecs
from tests.botharness import bot_settings, buttons, converse, copy_events, press, running_bot
from tests.fakeapi import FakeRequest
from tests.upcoming import soon, write_upcoming


async def test_the_calendar_file_reads_back_with_the_events_facts(fake, tmp_path):
    events = copy_events(tmp_path)
    starts = soon(days=2, hours=1)
    write_upcoming(events, starts)
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events))
    async with running_bot(fake, settings):
        (card,) = await converse(fake, "/event water tariffs")
        offered = [data for label, data in buttons(card) if label == "📅 Add to calendar"]
        assert len(offered) == 1
        calls = await press(fake, offered[0])
    (sent,) = [c for c in calls if c.method == "sendDocument"]
    assert sent.ok, sent.response
    upload = sent.params["document"]
    assert upload.filename == "hearing-upcoming.ics" and upload.mime_type == "text/calendar"
    assert sent.response["result"]["document"]["file_name"] == "hearing-upcoming.ics"
    (event,) = icalendar.Calendar.from_ical(upload.content).walk("VEVENT")
    assert str(event["UID"]) == "hearing-upcoming@event-record-bot"
    assert event.decoded("DTSTART") == starts  # the same moment, written in UTC
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert event.decoded("DTEND") == starts + dt.timedelta(hours=3)
    assert str(event["SUMMARY"]) == "Public hearing on water tariffs"
    assert str(event["LOCATION"]) == "House of Ministries, hall 3, Astana"
    assert str(event["URL"]) == "https://example.org/live"
    assert f"{starts:%H:%M}–" in str(event["DESCRIPTION"])
    assert "(UTC+05:00)" in str(event["DESCRIPTION"])
    assert "Registration: https://example.org/register" in str(event["DESCRIPTION"])
    assert [c.method for c in calls].count("answerCallbackQuery") == 1


async def test_the_calendar_file_is_in_the_users_language(fake, tmp_path):
    events = copy_events(tmp_path)
    write_upcoming(events, soon(days=1))
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events))
    async with running_bot(fake, settings):
        (card,) = await converse(fake, "/event water tariffs", language_code="ru")
        (data,) = [d for label, d in buttons(card) if label == "📅 Добавить в календарь"]
        calls = await press(fake, data, language_code="ru")
    (sent,) = [c for c in calls if c.method == "sendDocument"]
    (event,) = icalendar.Calendar.from_ical(sent.params["document"].content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Общественные слушания по тарифам на воду"
    assert str(event["LOCATION"]) == "Дом министерств, зал 3, Astana"


@pytest.mark.parametrize("case", ["past", "cancelled"])
async def test_no_calendar_for_a_past_or_cancelled_event(fake, tmp_path, case):
    events = copy_events(tmp_path)
    if case == "past":
        write_upcoming(events, soon(hours=-5), hours=2)
    else:
        write_upcoming(events, soon(days=1), status="cancelled")
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events))
    async with running_bot(fake, settings) as application:
        (card,) = await converse(fake, "/event water tariffs")
        assert "Public hearing" in card.params["text"]
        assert not [d for _, d in buttons(card) if codecs.CALENDAR.matches(d)]
        # A button from before the event ended (or was cancelled) is refused, politely.
        if case == "past":
            key = application.bot_data.engine.index.events["hearing-upcoming"].key
            data = codecs.CALENDAR.encode(key)
            button = {"text": "📅", "callback_data": data}
            stale = {**card.response["result"], "reply_markup": {"inline_keyboard": [[button]]}}
            fake.chats.store(stale)  # the card as it was shown while the event was to come
            calls = await press(fake, data, message=stale)
            assert not [c for c in calls if c.method == "sendDocument"]
            (alert,) = [c for c in calls if c.method == "answerCallbackQuery"]
            assert alert.params.get("show_alert")


async def test_the_fake_send_document_checks_like_telegram(fake):
    async with Bot(fake.token, base_url=fake.base_url, request=FakeRequest(fake)) as bot:
        chat = 1001
        sent = await bot.send_document(chat, InputFile(b"BEGIN:VCALENDAR", filename="a.ics"),
                                       caption="<b>A</b>", parse_mode="HTML")
        assert sent.document.file_name == "a.ics" and sent.caption == "A"
        with pytest.raises(BadRequest, match="caption is too long"):
            await bot.send_document(chat, InputFile(b"x", filename="a.ics"), caption="x" * 1025)
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_document(chat, InputFile(b"x", filename="a.ics"), caption="<b>x",
                                    parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)unknown parameter colour"):
            await bot.send_document(chat, InputFile(b"x", filename="a.ics"),
                                    api_kwargs={"colour": "red"})
