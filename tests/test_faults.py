"""Faults around the bot: another process holding the database's write lock."""

from __future__ import annotations

import sqlite3

from bot.i18n import t
from tests.botharness import (
    ADMIN_ID,
    bot_settings,
    buttons,
    converse,
    copy_events,
    press,
    running_bot,
    texts,
)

USER = 1001


async def test_a_held_write_lock_delays_statistics_not_answers(fake, tmp_path, loaded_database):
    """Another process holds the write lock: questions are answered at once and counted
    once the lock is gone (the answer used to wait 5 s, then say 'something went wrong')."""
    settings = bot_settings(fake, tmp_path, database=loaded_database)
    async with running_bot(fake, settings) as application:
        holder = sqlite3.connect(settings.database_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, as a long `load` would hold it
        try:
            for question in ("who opened the roundtable?", "кто говорил об экологии?"):
                reply = texts(await converse(fake, question, chat_id=USER, user_id=USER))
                assert reply and t("en", "error.generic") not in reply
            assert await application.bot_data.flush_questions() == 0  # still locked: kept
            assert len(application.bot_data.question_log) == 2
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert await application.bot_data.flush_questions() == 2
    with sqlite3.connect(settings.database_path) as conn:
        (count,) = conn.execute("SELECT COUNT(*) FROM questions").fetchone()
    assert count == 2


async def test_a_long_answer_is_three_messages_and_a_more_button(fake, tmp_path):
    """Five 3,500-character statements: three messages, then More for the rest, once."""
    events = copy_events(tmp_path)
    path = events / "roundtable-2026-02-09-astana.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    speaker, longer = None, []
    for line in lines:
        if line.startswith("speaker = "):
            speaker = line
        if speaker == 'speaker = "perepechina"' and line.startswith("text = "):
            line = 'text = "' + "Perepechina spoke at length about digital rights. " * 70 + '"'
        longer.append(line)
    path.write_text("\n".join(longer) + "\n", encoding="utf-8")
    async with running_bot(fake, bot_settings(fake, tmp_path, EVENTS_PATH=str(events))):
        first = await converse(fake, "/speaker Perepechina", chat_id=USER, user_id=USER)
        assert len(first) == 3
        more = [data for _, data in buttons(first[-1]) if data.startswith("v1|more|")]
        assert len(more) == 1
        since = len(fake.calls)
        await press(fake, more[0], chat_id=USER, user_id=USER)
        await fake.wait_for(lambda c: c.method == "sendMessage", since=since)  # paced: 1/s
        rest = [c for c in fake.calls[since:] if c.method == "sendMessage"]
        assert "digital rights" in texts(rest)
        pressed = fake.message(USER, first[-1].result["message_id"])
        left = [b["callback_data"] for row in pressed["reply_markup"]["inline_keyboard"]
                for b in row]
        assert more[0] not in left and left  # used once; the record buttons stay


async def test_an_error_reaches_the_admins_once_an_hour(fake, tmp_path, loaded_database):
    """The user gets an apology; the admins get one message per kind of error, not a flood."""
    settings = bot_settings(fake, tmp_path, database=loaded_database)
    async with running_bot(fake, settings) as application:
        engine = application.bot_data.engine

        async def broken(question: str, lang: str = "en"):
            raise KeyError("the index lost a record")

        engine.answer = broken  # a bug in the engine, as the error handler meets it
        for chat in (USER, USER + 1):
            since = len(fake.calls)
            fake.send_text("who spoke?", chat_id=chat, user_id=chat)
            await fake.wait_for(lambda c, chat=chat: c.method == "sendMessage"
                                and c.chat_id == chat, since=since)
            await fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == ADMIN_ID,
                                since=0)
        apologies = [c for c in fake.calls_to("sendMessage") if c.chat_id in (USER, USER + 1)]
        assert all(t("en", "error.generic") in c.params["text"] for c in apologies)
        alerts = [c for c in fake.calls_to("sendMessage") if c.chat_id == ADMIN_ID]
        assert len(alerts) == 1
        assert "KeyError" in alerts[0].params["text"]
        assert "the index lost a record" in alerts[0].params["text"]
