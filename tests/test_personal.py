"""One person's requests against the fake Bot API: 🔔 Remind me (the reminder by direct
message at its lead, on the sender's clock; a late one skipped), schedule changes told to the
event's chats and reminded users, ➕ Follow (one message per new event, none on a reload),
/following with its stop buttons, /forget (every row about the user gone from the database),
and a user who blocked the bot."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.announcements import notices
from bot.records import storage
from bot.records.files import parse_all
from bot.records.loader import always, load_paths, never
from bot.records.model import Event, Link
from bot.settings import Settings
from handlers import buttons as codecs
from tests.botharness import (
    EVENTS as EVENTS_DIR,
)
from tests.botharness import (
    bot_settings,
    broadcaster,
    buttons,
    converse,
    press,
    running_bot,
    texts,
)
from tests.fakeapi import Call, FakeBotAPI
from tests.test_reminders import at
from tests.upcoming import soon, write_upcoming

USER = 5550001  # a private chat; an id no other cell of the database holds
CHANNEL = -1001  # ANNOUNCE_CHAT_IDS
TITLE = "Public hearing on water tariffs"


def upcoming_folder(tmp_path: Path, starts: dt.datetime, **event: Any) -> Path:
    """An events folder (EVENTS_PATH) holding only the upcoming event at `starts` (`event`:
    write_upcoming's options): the archive is in the loaded database already, and events
    written here later are new to the bot."""
    folder = tmp_path / "upcoming"
    folder.mkdir()
    write_upcoming(folder, starts, **event)
    return folder


async def load(settings: Settings, folder: Path,
               announce: Callable[[Event], bool] = never) -> storage.LoadResult:
    """`python -m bot load` of `folder`, as the CLI does it: its own connection, notices."""
    db = await storage.connect(settings.database_path)
    try:
        _, result = await load_paths(db, [folder], announce=announce, changes=notices.queue)
    finally:
        await db.close()
    return result


def sent_to(chat_id: int, words: str) -> Callable[[Call], bool]:
    return lambda c: (c.method == "sendMessage" and c.ok and c.chat_id == chat_id
                      and words in c.params.get("text", ""))


def rows(settings: Settings, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(settings.database_path) as conn:
        return conn.execute(sql, args).fetchall()


def write_event(folder: Path, name: str, *, people: tuple[str, ...] = ("ashimbayev",),
                speakers: tuple[str, ...] = ("ashimbayev",), status: str = "") -> Path:
    """A small archive event where `people` take part and `speakers` say something."""
    path = folder / f"{name}.toml"
    parts = "".join(f'\n[[participants]]\nperson = "{p}"\nrole = "Speaker"\n' for p in people)
    said = "".join(f'\n[[statements]]\nid = "{p}-1"\nspeaker = "{p}"\nparagraph = 1\n'
                   f'text = "Spoke about the spring session."\n' for p in speakers)
    path.write_text(f"""\
schema = 2

[event]
id = "{name}"
title = "Briefing {name}"
title_ru = "Брифинг {name}"
date = 2026-11-20
sources = ["https://example.org/{name}"]
{f'status = "{status}"' if status else ""}
{parts}{said}""", encoding="utf-8")
    return path


async def ask_for_reminders(fake: FakeBotAPI, language_code: str = "en") -> str:
    """Open the upcoming event's card in the private chat and press 🔔 Remind me."""
    (card,) = await converse(fake, "/event water tariffs", user_id=USER,
                             language_code=language_code)
    (data,) = [d for label, d in buttons(card) if d.startswith(codecs.REMIND.prefix)]
    replies = [c for c in await press(fake, data, chat_id=USER) if c.method == "sendMessage"]
    assert "🔔" in texts(replies) and "/following" in texts(replies)
    return data


async def follow_ashimbayev(fake: FakeBotAPI, language_code: str = "en") -> None:
    (card,) = await converse(fake, "/speaker Ashimbayev", user_id=USER,
                             language_code=language_code)
    (data,) = [d for label, d in buttons(card) if d.startswith(codecs.FOLLOW.prefix)]
    replies = await press(fake, data, chat_id=USER, language_code=language_code)
    assert "➕" in texts(replies) and "/following" in texts(replies)


async def test_remind_me_sends_the_reminder_by_direct_message_and_skips_a_late_one(
        fake, tmp_path, loaded_database):
    starts = soon(hours=1)
    folder = upcoming_folder(tmp_path, starts, hours=2)
    settings = bot_settings(fake, tmp_path, database=loaded_database, EVENTS_PATH=str(folder),
                            REMINDER_LEADS="20s,6s")
    second = dt.timedelta(seconds=1)
    async with running_bot(fake, settings) as application:
        await ask_for_reminders(fake)
        await at(fake, application, starts - 21 * second)  # before the first moment
        assert not [c for c in fake.calls if sent_to(USER, "⏰")(c)]
        # Down until 6 s before: the 20-second reminder is 14 s late, more than half its
        # lead, so it is skipped, for the user as for chats; the 6-second one goes.
        await at(fake, application, starts - 6 * second)
        await at(fake, application, starts - 2 * second)  # nothing more is due
    (reminder,) = [c for c in fake.calls if sent_to(USER, "⏰")(c)]  # never twice
    assert TITLE in reminder.params["text"] and "url" in str(reminder.params["reply_markup"])
    assert rows(settings, "SELECT o.status, a.reminder_lead FROM outbox o JOIN announcements a "
                "ON a.id = o.announcement_id WHERE o.chat_id = ?", USER) == [("sent", 6)]
    assert rows(settings, "SELECT status FROM announcements WHERE reminder_lead = 20") == [
        ("skipped",)]
    # The button is for a private chat: a card in a group has none.
    (card,) = await _group_card(fake, settings)
    assert not [d for _, d in buttons(card) if d.startswith(codecs.REMIND.prefix)]


async def test_remind_me_too_close_to_the_start_says_so(fake, tmp_path, loaded_database):
    # REMINDER_LEADS 1d,1h: both moments passed
    folder = upcoming_folder(tmp_path, soon(hours=0.5))
    settings = bot_settings(fake, tmp_path, database=loaded_database, EVENTS_PATH=str(folder))
    async with running_bot(fake, settings):
        (card,) = await converse(fake, "/event water tariffs", user_id=USER)
        (data,) = [d for label, d in buttons(card) if label == "🔔 Remind me"]
        (reply,) = [c for c in await press(fake, data, chat_id=USER)
                    if c.method == "sendMessage"]
    assert "starts in 30 minutes, sooner than any reminder" in reply.params["text"]
    # Asked all the same: a change of its time or place is still told.
    assert rows(settings, "SELECT user_id FROM reminder_requests") == [(USER,)]


async def _group_card(fake: FakeBotAPI, settings: Settings) -> list[Call]:
    async with running_bot(fake, settings):
        return await converse(fake, f"/event@{fake.bot_user['username']} water tariffs",
                              chat_type="group")


@contextlib.asynccontextmanager
async def announced_upcoming(fake: FakeBotAPI, tmp_path: Path, database: Path,
                             ) -> AsyncIterator[tuple[Application, Settings, Path, dt.datetime]]:
    """A running bot whose upcoming event was announced in CHANNEL, and USER asked for its
    reminders."""
    starts = soon(days=2)
    folder = upcoming_folder(tmp_path, starts)
    settings = bot_settings(fake, tmp_path, database=database, EVENTS_PATH=str(folder),
                            ANNOUNCE_CHAT_IDS=str(CHANNEL))
    await load(settings, folder, announce=always)  # a new event: its announcement queued
    async with running_bot(fake, settings) as application:
        await fake.wait_for(sent_to(CHANNEL, TITLE))
        await ask_for_reminders(fake)
        yield application, settings, folder, starts


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


async def notices_after_load(fake: FakeBotAPI, application: Application, settings: Settings,
                             folder: Path, words: str) -> tuple[Call, Call]:
    result = await load(settings, folder)
    assert result.notices == 1
    broadcaster(application).wake()  # as its next poll would, without the wait
    return (await fake.wait_for(sent_to(CHANNEL, words)),
            await fake.wait_for(sent_to(USER, words)))


async def test_a_moved_event_is_told_once_to_its_chats_and_reminded_users(
        fake, tmp_path, loaded_database):
    async with announced_upcoming(fake, tmp_path, loaded_database) as (app, settings, folder,
                                                                       starts):
        moved = starts + dt.timedelta(hours=2)
        path = write_upcoming(folder, moved)
        edit(path, 'venue = "House of Ministries, hall 3"', 'venue = "Palace of Peace"')
        channel, user = await notices_after_load(fake, app, settings, folder, "🔄")
        for call in (channel, user):
            text = call.params["text"]
            assert TITLE in text and f"Now {moved.strftime('%B')}" in text
            assert f"{moved:%H:%M}–" in text and f"(was {starts.strftime('%B')}" in text
            assert "📍 Now at Palace of Peace (was House of Ministries, hall 3)" in text
            assert "url" in str(call.params["reply_markup"])
        # The same data again: nothing changed, nothing is told.
        assert (await load(settings, folder)).notices == 0
        broadcaster(app).wake()
        await fake.settle()
    assert len([c for c in fake.calls if sent_to(CHANNEL, "🔄")(c)]) == 1
    assert len([c for c in fake.calls if sent_to(USER, "🔄")(c)]) == 1


async def test_a_cancelled_event_is_told_to_its_chats_and_reminded_users(
        fake, tmp_path, loaded_database):
    async with announced_upcoming(fake, tmp_path, loaded_database) as (app, settings, folder,
                                                                       starts):
        edit(folder / "hearing-upcoming.toml", 'status = "scheduled"', 'status = "cancelled"')
        channel, user = await notices_after_load(fake, app, settings, folder, "❌")
        for call in (channel, user):
            assert f"❌ <b>{TITLE}</b> is cancelled. It was to take place on" in \
                call.params["text"]
            assert f"{starts:%H:%M}–" in call.params["text"]
        assert (await load(settings, folder)).notices == 0  # cancelled once


async def test_a_follow_tells_once_per_new_event_in_the_users_language(
        fake, tmp_path, loaded_database):
    folder = tmp_path / "new"
    folder.mkdir()
    settings = bot_settings(fake, tmp_path, database=loaded_database, EVENTS_PATH=str(folder))
    async with running_bot(fake, settings) as app:
        await follow_ashimbayev(fake, language_code="ru")

        async def loaded(expected: int) -> None:
            assert (await load(settings, folder)).notices == expected
            broadcaster(app).wake()
            await fake.settle()

        write_event(folder, "briefing-one")
        await loaded(1)
        (news,) = [c for c in fake.calls if sent_to(USER, "➕ Нов")(c)]
        assert "Новое в записи" in news.params["text"]
        assert "Брифинг briefing-one" in news.params["text"]
        assert "Ашимбаев" in news.params["text"]
        (button,) = news.params["reply_markup"]["inline_keyboard"][0]
        assert button["text"] == "Открыть мероприятие" and "start=event-" in button["url"]
        # Opened at once, it shows the new event (not "this link has expired").
        (card,) = await converse(fake, f"/start {button['url'].split('start=')[1]}",
                                 user_id=USER, language_code="ru")
        assert "Брифинг briefing-one" in card.params["text"]
        await loaded(0)  # a reload of the same data
        write_event(folder, "briefing-two", people=("assanov",), speakers=("assanov",))
        await loaded(0)  # nobody the user follows
        # The same event gets a statement from the person followed: news once.
        write_event(folder, "briefing-two", people=("assanov", "ashimbayev"),
                    speakers=("assanov", "ashimbayev"))
        await loaded(1)
        await loaded(0)
    said = [c.params["text"] for c in fake.calls if sent_to(USER, "➕ Нов")(c)]
    assert len(said) == 2 and "Новые высказывания" in said[1] and "briefing-two" in said[1]


async def test_following_lists_both_and_stops_each(fake, tmp_path, loaded_database):
    folder = upcoming_folder(tmp_path, soon(days=2))
    settings = bot_settings(fake, tmp_path, database=loaded_database, EVENTS_PATH=str(folder))
    async with running_bot(fake, settings):
        await follow_ashimbayev(fake)
        await ask_for_reminders(fake)
        (listing,) = await converse(fake, "/following", user_id=USER)
        text = listing.params["text"]
        assert "Maulen Ashimbayev" in text and TITLE in text
        stops = buttons(listing)
        assert stops[0][0] == "✖ Maulen Ashimbayev" and stops[1][0].startswith(f"✖ {TITLE}, ")
        await press(fake, stops[0][1], chat_id=USER)
        assert rows(settings, "SELECT * FROM follows") == []
        assert len(rows(settings, "SELECT * FROM reminder_requests")) == 1
        edited = fake.last_bot_message(USER)
        assert "Ashimbayev" not in edited["text"] and TITLE in edited["text"]
        await press(fake, stops[1][1], chat_id=USER)
        assert rows(settings, "SELECT * FROM reminder_requests") == []
        assert "You follow nothing" in fake.last_bot_message(USER)["text"]
        # In a group, nobody's list is shown.
        (group,) = await converse(fake, f"/following@{fake.bot_user['username']}",
                                  chat_type="group")
        assert "private chat" in group.params["text"]


def cells_holding(path: str, value: int) -> list[str]:
    """Every table.column of the database with a cell equal to `value`."""
    found = []
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            for column in [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]:
                if conn.execute(f'SELECT 1 FROM "{table}" WHERE "{column}" = ? LIMIT 1',
                                (value,)).fetchone():
                    found.append(f"{table}.{column}")
    return found


async def test_forget_deletes_every_row_about_the_user(fake, tmp_path, loaded_database):
    folder = upcoming_folder(tmp_path, soon(days=2))
    settings = bot_settings(fake, tmp_path, database=loaded_database, EVENTS_PATH=str(folder))
    async with running_bot(fake, settings) as app:
        await converse(fake, "/lang", user_id=USER)
        await press(fake, codecs.LANGUAGE.encode("kk"), chat_id=USER)
        await follow_ashimbayev(fake)
        await ask_for_reminders(fake)
        # A delivery to the user: the news of a new event, whose first try failed (a retry
        # is due in seconds; sent or not by then, its row must go).
        fake.fail_next("sendMessage", error_code=502, chat_id=USER, description="Bad Gateway")
        write_event(folder, "briefing-one")
        assert (await load(settings, folder)).notices == 1
        broadcaster(app).wake()
        await fake.wait_for(lambda c: c.chat_id == USER and c.status == 502)
        await fake.settle()
        assert sorted(cells_holding(settings.database_path, USER)) == [
            "announcements.for_user", "follows.user_id", "outbox.chat_id",
            "reminder_requests.user_id", "user_settings.user_id"]
        (confirm,) = await converse(fake, "/forget", user_id=USER)
        assert [d for _, d in buttons(confirm)] == [codecs.FORGET.encode(None),
                                                    codecs.FORGET_CANCEL.encode(None)]
        await press(fake, codecs.FORGET_CANCEL.encode(None), chat_id=USER)
        assert len(cells_holding(settings.database_path, USER)) == 5  # Cancel kept it all
        await converse(fake, "/forget", user_id=USER)
        await press(fake, codecs.FORGET.encode(None), chat_id=USER)
        assert cells_holding(settings.database_path, USER) == []
        assert "ештеңе сақтамайды" in fake.last_bot_message(USER)["text"]  # still in kk
        # The language went too: the user is answered in their app's language again.
        (listing,) = await converse(fake, "/following", user_id=USER)
        assert "You follow nothing" in listing.params["text"]


async def test_a_user_who_blocked_the_bot_follows_nothing_more(fake, tmp_path, loaded_database):
    folder = upcoming_folder(tmp_path, soon(days=2))
    settings = bot_settings(fake, tmp_path, database=loaded_database, EVENTS_PATH=str(folder))
    async with running_bot(fake, settings) as app:
        await follow_ashimbayev(fake)
        await ask_for_reminders(fake)
        fake.kick(USER)  # blocked
        write_event(folder, "briefing-one")
        assert (await load(settings, folder)).notices == 1
        broadcaster(app).wake()
        await fake.wait_for(lambda c: c.chat_id == USER and c.status == 403)
        await fake.settle()
    assert rows(settings, "SELECT * FROM follows") == []
    assert rows(settings, "SELECT * FROM reminder_requests") == []
    assert rows(settings, "SELECT status FROM outbox WHERE chat_id = ?", USER) == [("failed",)]


def test_which_schedule_changes_are_told():
    now = dt.datetime.now(dt.UTC)
    starts = soon(days=2)
    event = Event("e", {"en": "E"}, starts.date(), ("https://example.org",), starts=starts,
                  ends=starts + dt.timedelta(hours=2), venue={"en": "Hall 3"})
    later = starts + dt.timedelta(hours=1)
    assert notices.change(event, dataclasses.replace(event, starts=later), now)["now"][
        "starts"] == later.isoformat()
    assert notices.change(event, dataclasses.replace(event, venue={"en": "Hall 4"}), now)
    assert notices.change(event, dataclasses.replace(event, status="cancelled"), now)[
        "cancelled"]
    # Not news: the same schedule (a link added), an event already over, one cancelled before.
    assert notices.change(event, dataclasses.replace(
        event, links=(Link({"en": "Live"}, "https://example.org/live"),)), now) is None
    over = dataclasses.replace(event, starts=starts - dt.timedelta(days=5),
                               ends=starts - dt.timedelta(days=5, hours=-2))
    assert notices.change(over, dataclasses.replace(over, venue={"en": "Hall 4"}), now) is None
    cancelled = dataclasses.replace(event, status="cancelled")
    assert notices.change(cancelled, dataclasses.replace(cancelled, starts=later), now) is None
    # What a new event brings to followers: its people, their institutions, its themes.
    shipped = next(r for r in parse_all([EVENTS_DIR]) if r.event
                   and r.event.id == "roundtable-2026-02-09-astana")
    brings = notices.brings(shipped, None)
    assert {("person", "ashimbayev"), ("institution", "senate"),
            ("theme", "public-administration")} <= brings
    # Of an event loaded before, only what its new statements bring.
    assert notices.brings(shipped, frozenset(s.id for s in shipped.statements)) == set()


def test_python_m_bot_load_queues_the_news_once(tmp_path, cli, events_dir):
    database = tmp_path / "bot.db"
    assert cli("load", str(events_dir), database=database).returncode == 0
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO follows (user_id, kind, target, language) "
                     "VALUES (?, 'person', 'ashimbayev', 'en')", (USER,))
    write_event(events_dir, "briefing-one")
    first = cli("load", str(events_dir), database=database)
    assert "notices queued: 1 " in first.stdout, first.stderr
    assert "notices" not in cli("load", str(events_dir), database=database).stdout
    # An event that comes in already cancelled is no news to its followers.
    write_event(events_dir, "briefing-two", status="cancelled")
    assert "notices" not in cli("load", str(events_dir), database=database).stdout
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT event_id, status FROM announcements WHERE for_user = ?",
                            (USER,)).fetchall() == [("briefing-one", "queued")]


async def test_following_shows_at_most_forty_stop_buttons(fake, tmp_path, loaded_database):
    settings = bot_settings(fake, tmp_path, database=loaded_database)
    with sqlite3.connect(settings.database_path) as conn:
        conn.executemany("INSERT INTO follows (user_id, kind, target, language) "
                         "VALUES (?, 'theme', ?, 'en')", [(USER, f"t{n}") for n in range(45)])
    async with running_bot(fake, settings):
        (listing,) = await converse(fake, "/following", user_id=USER)
    assert len(buttons(listing)) == 40 and "and 5 more" in listing.params["text"]
