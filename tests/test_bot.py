"""The real Application in process against the fake Bot API: commands, buttons, groups, inline."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.records import storage
from bot.records.loader import load_paths, upcoming
from tests.botharness import (
    bot_settings,
    buttons,
    converse,
    copy_events,
    press,
    running_bot,
    texts,
)
from tests.fakeapi import DEFAULT_GROUP_ID, FakeBotAPI

USER = 1001
GROUP = DEFAULT_GROUP_ID


async def test_start_welcomes_with_buttons_and_sets_command_menus(fake, app):
    replies = await converse(fake, "/start")
    assert "Roundtable on the draft constitutional reform" in texts(replies)
    assert all(c.ok for c in replies)
    assert [data for _, data in buttons(replies[-1])] == ["v1|event", "v1|sp|0", "v1|themes",
                                                         "v1|langs"]
    menus = {c.params.get("language_code") for c in fake.calls_to("setMyCommands")
             if "scope" not in c.params}
    assert menus == {None, "ru", "kk"}
    profiles = {c.params.get("language_code"): c.params["description"]
                for c in fake.calls_to("setMyDescription")}
    assert "Astana" in profiles[None] and "Астана" in profiles["ru"] and "Астана" in profiles["kk"]


async def test_help_lists_every_public_command(fake, app):
    text = texts(await converse(fake, "/help"))
    for command in ("/start", "/event", "/speakers", "/speaker", "/themes", "/theme",
                    "/institutions", "/institution", "/ask", "/lang"):
        assert command in text
    assert "/announce" not in text  # admin commands only for admins


async def test_event_summary(fake, app):
    text = texts(await converse(fake, "/event"))
    for fact in ("February 9, 2026", "Astana", "200", "Ashimbayev", "Conclusion"):
        assert fact in text


async def test_speakers_buttons_open_cards(fake, app):
    replies = await converse(fake, "/speakers")
    listed = [b for b in buttons(replies[-1]) if b[1].startswith("v1|c|")]
    assert len(listed) == 9  # eight speakers and the participant without remarks
    assert ("📚 All events (3)", "v1|evp|0") in buttons(replies[-1])
    assert "Perepechina" in texts(replies)
    _, data = next(b for b in listed if "Perepechina" in b[0])
    calls = await press(fake, data)
    card = texts([c for c in calls if c.method == "sendMessage"])
    assert "Deputy Chair of the Senate" in card and "Miranda" in card


async def test_speaker_command_fuzzy_and_did_you_mean(fake, app):
    assert "Perepechina" in texts(await converse(fake, "/speaker perepecina"))
    assert "Ashimbayev" in texts(await converse(fake, "/speaker Ашимбаев"))
    madina = await converse(fake, "/speaker Madina")
    assert {n for n, _ in buttons(madina[-1])} >= {"Madina Nurgalieva", "Madina Tynybayeva"}
    unknown = await converse(fake, "/speaker Perepelkina")
    assert "Did you mean" in texts(unknown)
    assert any("Perepechina" in n for n, _ in buttons(unknown[-1]))
    usage = await converse(fake, "/speaker")
    assert "/speaker" in texts(usage)


async def test_themes_and_institutions(fake, app):
    replies = await converse(fake, "/themes")
    themes = buttons(replies[-1])
    assert len(themes) >= 15
    _, data = next(b for b in themes if "Environment" in b[0])
    card = texts([c for c in await press(fake, data) if c.method == "sendMessage"])
    assert "Abakanov" in card
    assert "Abakanov" in texts(await converse(fake, "/theme ecology"))
    institutions = texts(await converse(fake, "/institutions"))
    assert "AMANAT" in institutions and "Interfaith" in institutions
    assert "Nurgalieva" in texts(await converse(fake, "/institution amanat"))


async def test_free_text_and_ask(fake, app):
    assert "Abakanov" in texts(await converse(fake, "who talked about ecology?"))
    assert "Перепечина" in texts(await converse(fake, "Что сказала Перепечина"))
    assert "Abakanov" in texts(await converse(fake, "/ask who talked about ecology"))
    unknown = texts(await converse(fake, "who won the football match yesterday?"))
    assert "couldn't find" in unknown


async def test_deep_link_opens_card(fake, app):
    key = app.bot_data.engine.index.people["abakanov"].key
    assert "Abakanov" in texts(await converse(fake, f"/start speaker-{key}"))
    assert "outdated" in texts(await converse(fake, "/start speaker-nonexistent"))


async def test_group_answers_only_when_addressed(fake, app):
    since = len(fake.calls)
    fake.send_text("who talked about ecology?", chat_type="group")
    fake.send_text("/speakers@OtherBot", chat_type="group")
    await fake.settle()
    assert not [c for c in fake.calls[since:] if c.chat_id == GROUP and c.method == "sendMessage"]

    mentioned = await converse(fake, "@RecordBot who talked about ecology?", chat_type="group")
    assert "Abakanov" in texts(mentioned)
    command = await converse(fake, "/speakers@RecordBot", chat_type="group")
    assert "Perepechina" in texts(command)
    reply = await converse(fake, "and the Kurultai?", chat_type="group",
                           reply_to_message=fake.last_bot_message(GROUP))
    assert "Beknazarov" in texts(reply)


async def test_inline_mode_returns_cards(fake, app):
    since = len(fake.calls)
    fake.inline_query("perep")
    call = await fake.wait_for(lambda c: c.method == "answerInlineQuery", since=since)
    assert call.ok
    results = call.params["results"]
    assert results and "Perepechina" in results[0]["title"]
    assert results[0]["reply_markup"]["inline_keyboard"][0][0]["url"].startswith(
        "https://t.me/RecordBot?start=speaker-")
    since = len(fake.calls)
    fake.inline_query("")
    call = await fake.wait_for(lambda c: c.method == "answerInlineQuery", since=since)
    assert call.ok and 1 <= len(call.params["results"]) <= 50


@pytest.mark.parametrize("text", [
    "<b>who</b> talked & about <script>alert(1)</script> ecology",
    "x" * 4096,
    "🙂🙂🙂",
    "'); DROP TABLE people; -- \" * NEAR( OR",
    "</i>&amp;&lt;",
])
async def test_hostile_input_gets_a_polite_answer(fake, app, text, caplog):
    replies = await converse(fake, text)
    assert replies and all(c.ok for c in replies), [c.response for c in replies]
    assert "went wrong" not in texts(replies)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_forged_and_stale_buttons_expire(fake, app, caplog):
    for data in ("v1|c|ffffffffff", "garbage", "v0|sp|1", "v1|sp|x", "v1|lang|de", "v1|ann|x"):
        since = len(fake.calls)
        fake.add_update({"callback_query": {
            "id": f"q{since}", "chat_instance": "1", "data": data,
            "from": {"id": USER, "is_bot": False, "first_name": "T", "language_code": "en"},
            "message": fake.last_bot_message(USER) or {
                "message_id": 1, "date": 0, "chat": {"id": USER, "type": "private"}},
        }})
        call = await fake.wait_for(lambda c: c.method == "answerCallbackQuery", since=since)
        assert call.ok and "expired" in call.params.get("text", "")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_every_button_fits_telegram_limits(fake, app):
    for command in ("/start", "/speakers", "/themes", "/institutions", "/speaker Madina"):
        for call in await converse(fake, command):
            assert call.ok
            for _, data in buttons(call):
                assert len(data.encode()) <= 64


async def test_errors_are_logged_and_the_user_gets_an_apology(fake, app, caplog, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.bot_data.engine, "answer", broken)
    replies = [c for c in await converse(fake, "who talked about ecology?")
               if c.chat_id == USER]  # (the bot's admins are told too: tests/test_faults.py)
    assert "went wrong" in texts(replies)
    assert "boom" not in texts(replies) and "Traceback" not in texts(replies)
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


def big_event(folder: Path, people: int = 25, statements: int = 30) -> Path:
    """A later event with many speakers and one very talkative one."""
    lines = ['schema = 2', '[event]', 'id = "big-forum"', 'title = "Big forum"',
             'date = 2026-03-01', 'city = "Almaty"', 'participants_count = 500',
             'participants_description = "many people"', 'conclusion = "All agreed."',
             'summary = "A forum with many speakers."',
             'sources = ["https://example.org/big-forum"]',
             '[[institutions]]', 'id = "forum"', 'name = "Forum <Institute> & Co"',
             'short = "Forum"', '[[themes]]', 'id = "talk"', 'name = "Talking"',
             'description = "Talk."', 'keywords = ["talking"]']
    for n in range(people):
        lines += ['[[people]]', f'id = "p{n:02d}"', f'name = "Speaker{n:02d} Person{n:02d}"',
                  '[[participants]]', f'person = "p{n:02d}"', 'role = "Speaker <b>&</b>"',
                  'institution = "forum"', f'order = {n + 1}']
    for n in range(statements):
        lines += ['[[statements]]', f'id = "s{n:02d}"', 'speaker = "p00"', 'themes = ["talk"]',
                  'paragraph = 1', f'text = "Statement {n} <i>with</i> & markup. {"word " * 60}"']
    path = folder / "big-forum.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
async def big_app(fake: FakeBotAPI, tmp_path: Path) -> AsyncIterator[Application]:
    events = copy_events(tmp_path)
    big_event(events)
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events))
    async with running_bot(fake, settings) as application:
        yield application


async def test_speakers_are_paged_by_ten(fake, big_app):
    first = await converse(fake, "/speakers")
    names = [n for n, d in buttons(first[-1]) if d.startswith("v1|c|")]
    assert len(names) == 10 and "Page 1 of 3" in texts(first)
    (next_page,) = [d for n, d in buttons(first[-1]) if n == "Next ▶"]
    assert next_page.startswith("v1|spe|") and next_page.endswith("|1")  # the event's pages
    await press(fake, next_page)
    calls = await press(fake, next_page.removesuffix("|1") + "|2")
    edit = next(c for c in calls if c.method == "editMessageText")
    assert edit.ok and "Page 3 of 3" in edit.params["text"]
    assert len([d for _, d in buttons(edit) if d.startswith("v1|c|")]) == 5
    assert ("◀ Previous", next_page) in buttons(edit)



async def test_long_answers_split_under_the_limit_and_markup_is_escaped(fake, big_app):
    replies = await converse(fake, "/speaker Speaker00")
    assert len(replies) >= 2 and all(c.ok for c in replies)
    assert all(len(c.params["text"]) <= 4096 for c in replies)
    joined = texts(replies)
    assert "&lt;i&gt;with&lt;/i&gt; &amp; markup" in joined
    assert all(f"Statement {n} " in joined for n in range(30))
    assert buttons(replies[-1]) and not buttons(replies[0])  # buttons only on the last part


async def test_a_second_event_needs_no_code_change(fake, big_app):
    event = await converse(fake, "/event")
    assert "Big forum" in texts(event) and "Almaty" in texts(event)
    older = [d for n, d in buttons(event[-1]) if "Roundtable" in n]
    assert older, buttons(event[-1])
    card = texts([c for c in await press(fake, older[0]) if c.method == "sendMessage"])
    assert "February 9, 2026" in card and "Astana" in card
    answer = texts(await converse(fake, "Who spoke about the Kurultai?"))
    assert "Beknazarov" in answer and "Roundtable on the draft constitutional reform" in answer
    assert "Speaker00" not in answer


async def test_running_bot_picks_up_a_load_without_restart(fake, tmp_path):
    events = copy_events(tmp_path)
    settings = bot_settings(fake, tmp_path, EVENTS_PATH=str(events))
    async with running_bot(fake, settings) as application:
        assert "Abakanov" in texts(await converse(fake, "/speaker Abakanov"))
        path = events / "roundtable-2026-02-09-astana.toml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            'role = "Chair of the Board of the Institute for the Development',
            'role = "Honorary Chair of the Board of the Institute for the Development'),
            encoding="utf-8")
        # What `python -m bot load` does (tests/test_cli.py runs it), on its own connection.
        conn = await storage.connect(settings.database_path)
        try:
            await load_paths(conn, [events], announce=upcoming())
        finally:
            await conn.close()
        assert application.job_queue.get_jobs_by_name("records-refresh")  # runs it every 10 s
        assert await application.bot_data.engine.reload_if_changed()
        assert not await application.bot_data.engine.reload_if_changed()
        assert "Honorary Chair" in texts(await converse(fake, "/speaker Abakanov"))


async def test_a_sticker_in_private_gets_told_to_write(fake, app):
    since = len(fake.calls)
    fake.add_update({"message": {
        "message_id": 99, "date": 0, "chat": {"id": USER, "type": "private", "first_name": "T"},
        "from": {"id": USER, "is_bot": False, "first_name": "T", "language_code": "ru"},
        "sticker": {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512,
                    "height": 512, "is_animated": False, "is_video": False},
    }})
    reply = await fake.wait_for(lambda c: c.method == "sendMessage", since=since)
    assert reply.ok and "только текст" in reply.params["text"]


async def test_a_chatty_message_with_two_questions_gets_both_answers(fake, app):
    message = ("Здравствуйте! Я пишу курсовую о конституционной реформе, " * 17
               + "Когда прошёл круглый стол и кто говорил о преамбуле? Заранее спасибо!")
    assert len(message) > 1000
    replies = await converse(fake, message)
    assert all(c.ok for c in replies)  # valid HTML, under Telegram's limits
    text = texts(replies)
    assert "9 февраля 2026" in text and "Асанов" in text  # in the question's language
