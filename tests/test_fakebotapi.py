"""The fake Bot API checks what Telegram checks: through real PTB, in process and over HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.fakeapi import DEFAULT_SPEC_PATH, FakeBotAPI, FakeRequest, NotFaked, parse_html

needs_spec = pytest.mark.skipif(not DEFAULT_SPEC_PATH.is_file(), reason="Bot API spec missing")


@pytest.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, request=FakeRequest(fake)) as b:
        yield b


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession, fake: FakeBotAPI, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST a JSON body to the served fake; the HTTP status and the decoded body."""
    async with http.post(f"{fake.base_url}{fake.token}/{method}", json=params) as response:
        return response.status, await response.json()


def keyboard(*datas: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in datas]])


# ------------------------------------------------------------------------- over HTTP


@pytest.mark.e2e
async def test_http_token_methods_and_encodings(
    served_fake: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    fake = served_fake
    async with http.get(f"{fake.base_url}{fake.token}/GETME") as response:
        body = await response.json()
    assert response.status == 200 and body["result"]["username"] == "RecordBot"
    async with http.post(f"{fake.base_url}999:WRONG/getMe") as response:
        assert response.status == 401
        assert await response.json() == {
            "ok": False, "error_code": 401, "description": "Unauthorized"}
    assert (await call(http, fake, "doSomethingWeird"))[0] == 404
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "x"}]]}
    status, body = await call(http, fake, "sendmessage", chat_id=5, text="123",
                              reply_markup=markup)
    assert status == 200 and body["result"]["text"] == "123"
    form = {"chat_id": "5", "text": "007", "reply_markup": json.dumps(markup)}
    async with http.post(f"{fake.base_url}{fake.token}/sendMessage", data=form) as response:
        assert response.status == 200
    params = [c.params for c in fake.calls_to("sendMessage")]
    assert params[1] == {"chat_id": 5, "text": "007", "reply_markup": markup}


@pytest.mark.e2e
async def test_get_updates_offset_limit_and_long_poll(
    served_fake: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    fake = served_fake
    ids = [fake.send_text(f"m{i}") for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    _, body = await call(http, fake, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == ids
    _, body = await call(http, fake, "getUpdates", offset=ids[1], limit=1)
    assert [u["message"]["text"] for u in body["result"]] == ["m1"]
    _, body = await call(http, fake, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == ids[1:]  # m0 was confirmed

    started = time.monotonic()
    _, body = await call(http, fake, "getUpdates", offset=ids[2] + 1, timeout=0.1)
    assert body["result"] == [] and 0.09 < time.monotonic() - started < 1.0

    started = time.monotonic()
    poll = asyncio.create_task(call(http, fake, "getUpdates", timeout=30))
    await asyncio.sleep(0.05)  # the poll is waiting now
    late_id = fake.send_text("late")
    _, body = await poll
    assert time.monotonic() - started < 0.5  # woken by the update, not by its timeout
    assert [u["update_id"] for u in body["result"]] == [late_id]

    fake.inline_query("q")
    fake.send_text("kept")
    _, body = await call(http, fake, "getUpdates", offset=late_id + 1, allowed_updates=["message"])
    assert [u["message"]["text"] for u in body["result"]] == ["kept"]


@pytest.mark.e2e
async def test_second_poller_conflicts_the_first(
    served_fake: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    first = asyncio.create_task(call(http, served_fake, "getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    status, _ = await call(http, served_fake, "getUpdates", timeout=0)
    assert status == 200
    status, body = await first
    assert status == 409 and "terminated by other getUpdates" in body["description"]


@pytest.mark.e2e
async def test_ptb_application_polls_and_answers_start(served_fake: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(
            "Welcome, <b>friend</b>!", parse_mode="HTML", reply_markup=keyboard("more"))

    fake = served_fake
    app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    fake.send_text("/start")
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        reply = await fake.wait_for(lambda c: c.method == "sendMessage")
        await app.updater.stop()
        await app.stop()
    assert reply.ok and reply.params["chat_id"] == 1001
    assert reply.result["text"] == "Welcome, friend!"
    assert reply.result["reply_markup"] == keyboard("more").to_dict()
    assert fake.calls_to("getMe") and fake.calls_to("deleteWebhook")


# ------------------------------------------------------------------------- in process


async def test_send_message_is_recorded_and_stored(fake: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.id == 123456 and me.username == "RecordBot"
    assert me.can_read_all_group_messages is False and me.supports_inline_queries is True
    first = await bot.send_message(1001, "hello", reply_markup=keyboard("a", "b"))
    second = await bot.send_message(1001, "again")
    other = await bot.send_message(-4001, "group")
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.from_user.id == fake.bot_id and first.chat.type == "private"
    assert first.reply_markup == keyboard("a", "b")
    assert other.chat.type == "group"
    assert fake.last_bot_message(1001)["text"] == "again"
    assert fake.message(1001, 1)["reply_markup"]["inline_keyboard"][0][1]["callback_data"] == "b"
    sent = fake.calls_to("sendMessage")[0]
    assert sent.params["chat_id"] == 1001 and sent.ok
    assert isinstance(sent.params["reply_markup"], dict)  # JSON-decoded from the form value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", "Unmatched end tag at byte offset 7"),
        ("x</i>", "Unexpected end tag at byte offset 1"),
        ("Tom & Jerry", "Can't find end of the entity starting at byte offset 4"),
        ("é <b", "Unclosed start tag at byte offset 3"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_html_errors_raise_bad_request(bot: Bot, text: str, reason: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as info:
        await bot.send_message(1001, text, parse_mode="HTML")
    assert reason.lower() in info.value.message.lower()


async def test_valid_html_is_parsed_into_entities(bot: Bot) -> None:
    html = (
        '<b>B</b> <i>I</i> <u>U</u> <s>S</s> <tg-spoiler>P</tg-spoiler> <a href="https://e.org/'
        '?a=1&amp;b=2">L</a> <code>c</code> <pre><code class="language-py">p</code></pre> '
        "<blockquote expandable>q</blockquote> &lt;&gt;&amp;&quot;&#65;&#x1F600; "
        '<span class="tg-spoiler">s</span> <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    message = await bot.send_message(1001, html, parse_mode="HTML")
    assert message.text == 'B I U S P L c p q <>&"A😀 s 👍'
    types = [e.type for e in message.entities]
    assert types == ["bold", "italic", "underline", "strikethrough", "spoiler", "text_link",
                     "code", "pre", "expandable_blockquote", "spoiler", "custom_emoji"]
    assert message.entities[5].url == "https://e.org/?a=1&b=2"
    assert message.entities[7].language == "py"
    # Offsets are UTF-16 code units: the emoji before "s" counts twice.
    assert message.entities[9].offset == len('B I U S P L c p q <>&"A') + 2 + 1
    assert parse_html("Tom & Jerry", strict=False) == ("Tom & Jerry", [])


async def test_text_length_limits(bot: Bot) -> None:
    await bot.send_message(1001, "a" * 4096)
    await bot.send_message(1001, "<b>" + "&lt;" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(1001, "😀" * 4096)  # counted in characters, not UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1001, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1001, "<i>" + "a" * 4097 + "</i>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1001, "<b> </b>", parse_mode="HTML")


async def test_reply_markup_and_reply_target(bot: Bot) -> None:
    await bot.send_message(1001, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1001, "long", reply_markup=keyboard("x" * 65))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1001, "utf8", reply_markup=keyboard("é" * 33))  # 66 bytes
    no_action = InlineKeyboardMarkup([[InlineKeyboardButton("plain")]])
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(1001, "plain", reply_markup=no_action)
    bad_url = InlineKeyboardMarkup([[InlineKeyboardButton("u", url="javascript:alert(1)")]])
    with pytest.raises(BadRequest, match=r"(?i)is invalid"):
        await bot.send_message(1001, "url", reply_markup=bad_url)
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(1001, "reply", reply_to_message_id=99)


async def test_answer_inline_query_validation(fake: FakeBotAPI, bot: Bot) -> None:
    def article(i: int, text: str = "t") -> InlineQueryResultArticle:
        return InlineQueryResultArticle(str(i), f"r{i}", InputTextMessageContent(text, "HTML"))

    fake.inline_query("record")
    query_id = fake.pending_updates[-1]["inline_query"]["id"]
    with pytest.raises(BadRequest, match=r"(?i)RESULTS_TOO_MUCH"):
        await bot.answer_inline_query(query_id, [article(i) for i in range(51)])
    with pytest.raises(BadRequest, match=r"(?i)RESULT_ID_DUPLICATE"):
        await bot.answer_inline_query(query_id, [article(1), article(1)])
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.answer_inline_query(query_id, [article(1, "<b>oops")])
    assert await bot.answer_inline_query(query_id, [article(i) for i in range(50)])
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_inline_query(query_id, [article(1)])


@needs_spec
async def test_spec_checks_parameters_and_unfaked_methods_are_errors(fake: FakeBotAPI) -> None:
    status, body = await fake.handle(fake.token, "sendMessage", {"text": "no chat"})
    assert (status, body["description"]) == (400, "Bad Request: chat_id is required")
    raw = {"chat_id": "1", "text": "x", "colour": "red"}
    status, body = await fake.handle(fake.token, "sendMessage", raw)
    assert (status, body["description"]) == (400, "Bad Request: unknown parameter colour")
    status, body = await fake.handle(fake.token, "sendMessage", {"chat_id": "1"})
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    # In the spec but never called by the bot: an error of the fake, which fails the test.
    status, _ = await fake.handle(fake.token, "pinChatMessage", {"chat_id": "1",
                                                                  "message_id": "1"})
    assert status == 500 and isinstance(fake.internal_errors.pop(), NotFaked)
    # PTB with Defaults may send parse_mode & co. to methods that lack them; Telegram ignores
    # unknown parameters, the fake only these (any other is more likely a typo of ours).
    raw = {"callback_query_id": "x", "parse_mode": "HTML"}
    status, body = await fake.handle(fake.token, "answerCallbackQuery", raw)
    assert "query is too old" in body["description"]  # past the parameter check
    assert fake.ignored_params == [("answerCallbackQuery", "parse_mode")]


async def test_works_without_spec() -> None:
    fake = FakeBotAPI(spec_path=None)
    assert fake.spec.data is None
    raw = {"chat_id": "7", "text": "123", "colour": "red"}
    status, body = await fake.handle(fake.token, "sendMessage", raw)
    assert status == 200 and body["result"]["text"] == "123"
    assert (await fake.handle(fake.token, "noSuchMethod", {}))[0] == 404
    async with Bot(fake.token, base_url=fake.base_url, request=FakeRequest(fake)) as bot:
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(7, "<b>x", parse_mode="HTML")
    assert not fake.internal_errors


# ------------------------------------------------------------------------- updates


async def test_send_text_builds_real_looking_updates(fake: FakeBotAPI) -> None:
    fake.send_text("/start@RecordBot hi @some_user 😀 @other_one")
    fake.send_text("/help", chat_type="supergroup", user_id=7, first_name="Ann")
    updates = [Update.de_json(u, None) for u in fake.pending_updates]
    private, group = updates[0].message, updates[1].message
    assert private.chat.id == private.from_user.id == 1001
    assert private.parse_entity(private.entities[0]) == "/start@RecordBot"
    mentions = [private.parse_entity(e) for e in private.entities if e.type == "mention"]
    assert mentions == ["@some_user", "@other_one"]
    assert group.chat.type == "supergroup" and group.chat.title and group.chat.id < 0
    assert group.from_user.first_name == "Ann" and group.entities[0].type == "bot_command"


async def test_a_consumer_takes_the_updates_instead_of_get_updates(fake: FakeBotAPI) -> None:
    delivered: list[dict[str, Any]] = []

    class Collector:
        def deliver(self, update: dict[str, Any]) -> None:
            delivered.append(update)

        async def settle(self) -> None:
            pass

    with pytest.raises(RuntimeError, match="no bot runs in this process"):
        await fake.settle()
    fake.consumer = Collector()
    update_id = fake.send_text("hi")
    await fake.settle()
    assert [u["update_id"] for u in delivered] == [update_id] and not fake.pending_updates


async def test_buttons_callbacks_and_edits(fake: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(ValueError, match="has not sent"):
        fake.press_button("x")
    message = await bot.send_message(1001, "pick", reply_markup=keyboard("yes", "no"))
    with pytest.raises(ValueError, match="no button"):
        fake.press_button("maybe")
    fake.press_button("yes")
    query = Update.de_json(fake.pending_updates[-1], bot).callback_query
    assert query.data == "yes" and query.message.message_id == message.message_id
    assert await bot.answer_callback_query(query.id, text="ok")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)
    fake.press_button("no")
    with pytest.raises(BadRequest, match=r"(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(
            Update.de_json(fake.pending_updates[-1], bot).callback_query.id, text="x" * 201)

    edited = await bot.edit_message_text("picked", 1001, message.message_id)
    assert edited.text == "picked" and edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("picked", 1001, message.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", 1001, 999)
    assert fake.last_bot_message(1001)["text"] == "picked"
    edited = await bot.edit_message_reply_markup(1001, message.message_id,
                                                 reply_markup=keyboard("more"))
    assert edited.text == "picked" and edited.reply_markup == keyboard("more")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(1001, message.message_id,
                                            reply_markup=keyboard("more"))
    assert (await bot.edit_message_reply_markup(1001, message.message_id)).reply_markup is None
    assert await bot.delete_message(1001, message.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(1001, message.message_id)


async def test_commands_descriptions_and_members(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Start")], language_code="kk")
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Bad-Name", "x")])
    with pytest.raises(BadRequest, match=r"(?i)invalid language code"):
        await bot.set_my_commands([("start", "Start")], language_code="kaz")
    await bot.set_my_description("d" * 512)
    with pytest.raises(BadRequest, match=r"(?i)description is too long"):
        await bot.set_my_short_description("s" * 121)

    fake.send_text("hi", chat_type="group", title="Record fans")
    fake.set_chat_member_status(-4001, 1001, "administrator")
    member = await bot.get_chat_member(-4001, 1001)
    assert isinstance(member, ChatMemberAdministrator) and member.user.first_name == "Test"
    assert (await bot.get_chat_member(-4001, 2)).status == "member"


# ------------------------------------------------------------------------- failures


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter
async def test_failure_injection(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 1",
                   parameters={"retry_after": 1})
    with pytest.raises(RetryAfter):
        await bot.send_message(1001, "x")
    assert fake.calls[-1].response["parameters"] == {"retry_after": 1}
    await bot.send_message(1001, "x")  # only the next call failed

    fake.fail_next("sendmessage", error_code=502, description="Bad Gateway", chat_id=-4005,
                   times=2)
    await bot.send_message(1001, "other chats are unaffected")
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(-4005, "x")
    await bot.send_message(-4005, "x")

    fake.kick(-4001)
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(-4001, "x")
    fake.kick(1002)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1002, "x")

    fake.migrate(-4002, -1004002)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-4002, "x")
    assert migrated.value.new_chat_id == -1004002
    assert (await bot.send_message(-1004002, "x")).chat.type == "supergroup"

    fake.chat_member_update(-4003, old_status="member", new_status="kicked")
    update = Update.de_json(fake.pending_updates[-1], bot)
    assert update.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(Forbidden):
        await bot.send_message(-4003, "x")


async def test_flood_limits() -> None:
    async def send(fake: FakeBotAPI, chat_id: int) -> tuple[int, dict[str, Any]]:
        return await fake.handle(fake.token, "sendMessage", {"chat_id": str(chat_id),
                                                             "text": "x"})

    fake = FakeBotAPI(flood_limits=True)
    results = [await send(fake, 2000 + i) for i in range(31)]
    limited = [body for status, body in results if status == 429]
    assert len(limited) == 1 and fake.flood_429_count == 1 and results[-1][0] == 429
    assert limited[0]["parameters"]["retry_after"] >= 1
    assert limited[0]["description"].startswith("Too Many Requests: retry after ")

    fake = FakeBotAPI(flood_limits=True)
    statuses = [(await send(fake, -4001))[0] for _ in range(21)]
    assert statuses.count(200) == 20 and statuses[-1] == 429
    status, body = await send(fake, -4001)
    assert status == 429 and body["parameters"]["retry_after"] > 50
    assert (await send(fake, 1001))[0] == 200


async def test_delay(fake: FakeBotAPI) -> None:
    fake.set_delay(0.05)
    started = time.monotonic()
    await fake.handle(fake.token, "getMe", {})
    assert time.monotonic() - started >= 0.05
    assert fake.calls[-1].time >= started
