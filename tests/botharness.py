"""Run the real Application against the fake Bot API, and talk to it.

`running_bot` is the bot in this process: `build_application` with a FakeRequest, started as
`run_polling` starts it (post_init included) but taking updates straight from the fake, so a
test waits for exactly the work it caused (`fake.settle()`), never for a quiet network.
`polling_bot` keeps the real HTTP path (long polling against `serve(fake)`) for the few
end-to-end tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings
from handlers.ratelimit import SlotBook
from tests.fakeapi import Call, FakeBotAPI, FakeRequest

REPO = Path(__file__).resolve().parent.parent
EVENTS = REPO / "data" / "events"
ADMIN_ID = 42


def bot_settings(fake: FakeBotAPI, tmp_path: Path, *, database: Path | None = None,
                 **env: str) -> Settings:
    """Settings for a bot talking to `fake`, its database in `tmp_path` (a copy of `database`
    if given: a start with the records already loaded, as after a restart)."""
    if database is not None:
        shutil.copyfile(database, tmp_path / "bot.db")
    values = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(tmp_path / "bot.db"),
        "EVENTS_PATH": str(EVENTS),
        "ADMIN_IDS": str(ADMIN_ID),
        **env,
    }
    return Settings.from_env(values)


def broadcaster(application: Application) -> Any:
    """The announcement sender the start hook put in place."""
    return application.bot_data.broadcaster


class InProcessBot:
    """Hands the fake's updates to the application's queue; knows when their work is done."""

    def __init__(self, application: Application) -> None:
        self.application = application

    def deliver(self, update: dict[str, Any]) -> None:
        """As the Updater does with getUpdates' answer: the JSON, decoded, onto the queue."""
        decoded = Update.de_json(json.loads(json.dumps(update)), self.application.bot)
        self.application.update_queue.put_nowait(decoded)

    async def settle(self) -> None:
        """Every queued update handled (errors included), and the sender idle again."""
        await self.application.update_queue.join()
        await broadcaster(self.application).idle.wait()


@contextlib.asynccontextmanager
async def running_bot(fake: FakeBotAPI, settings: Settings) -> AsyncIterator[Application]:
    """The bot in this process, no sockets: Bot API calls go straight to `fake`."""
    application = build_application(settings, request=FakeRequest(fake))
    # The real limiter with its limits lifted: these tests are about what the bot says, not
    # when (test_ratelimit.py and the e2e tests check the pace); at one message a second per
    # private chat they would mostly wait. A 429 from the fake still holds its chat back.
    application.bot.rate_limiter.book = SlotBook(per_second=1e6, private_interval=0.0,
                                                 group_per_window=10**6)
    await _start(application)
    fake.consumer = InProcessBot(application)
    try:
        await fake.settle()  # the sender has started and found nothing to do
        yield application
    finally:
        fake.consumer = None
        await _stop(application)


@contextlib.asynccontextmanager
async def polling_bot(settings: Settings) -> AsyncIterator[Application]:
    """The bot long-polling over real HTTP (`settings` point at a served fake)."""
    application = build_application(settings)
    await _start(application)
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await _stop(application)


async def _start(application: Application) -> None:
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()


async def _stop(application: Application) -> None:
    stopping = asyncio.create_task(application.stop())
    await asyncio.sleep(0)  # stop() has begun: woken now, the sender ends at once
    broadcaster(application).wake()
    await stopping
    if application.post_shutdown:
        await application.post_shutdown(application)
    await application.shutdown()


def copy_events(tmp_path: Path) -> Path:
    """A private copy of the shipped event files, for tests that edit them."""
    target = tmp_path / "events"
    shutil.copytree(EVENTS, target)
    return target


async def converse(fake: FakeBotAPI, text: str, **kwargs: Any) -> list[Call]:
    """Send a message; the bot's sendMessage calls once it has handled it."""
    since = len(fake.calls)
    fake.send_text(text, **kwargs)
    await fake.settle()
    return [c for c in fake.calls[since:] if c.method == "sendMessage"]


async def press(fake: FakeBotAPI, data: str, **kwargs: Any) -> list[Call]:
    """Press a button; every call the bot made in handling it."""
    since = len(fake.calls)
    fake.press_button(data, **kwargs)
    await fake.settle()
    return fake.calls[since:]


def buttons(call: Call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data") or b.get("url"))
            for row in markup.get("inline_keyboard", []) for b in row]


def texts(calls: list[Call]) -> str:
    return "\n".join(c.params.get("text", "") for c in calls)
