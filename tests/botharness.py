"""Run the real Application against the fake Bot API with real long polling, and talk to it."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings
from tests.fakebotapi import Call, FakeBotAPI

REPO = Path(__file__).resolve().parent.parent
EVENTS = REPO / "data" / "events"
ADMIN_ID = 42


def bot_settings(fake: FakeBotAPI, tmp_path: Path, **env: str) -> Settings:
    values = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(tmp_path / "bot.db"),
        "EVENTS_PATH": str(EVENTS),
        "ADMIN_IDS": str(ADMIN_ID),
        **env,
    }
    return Settings.from_env(values)


@contextlib.asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[Application]:
    """Start the bot as `run_polling` would (post_init included) and stop it cleanly."""
    application = build_application(settings)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_shutdown:
            await application.post_shutdown(application)
        await application.shutdown()


def copy_events(tmp_path: Path) -> Path:
    """A private copy of the shipped event files, for tests that edit them."""
    target = tmp_path / "events"
    shutil.copytree(EVENTS, target)
    return target


async def settle(fake: FakeBotAPI, quiet: float = 0.25, limit: float = 5.0) -> None:
    """Wait until the bot has made no request for `quiet` seconds (besides polling)."""
    deadline = asyncio.get_running_loop().time() + limit
    while asyncio.get_running_loop().time() < deadline:
        count = len([c for c in fake.calls if c.method != "getUpdates"])
        await asyncio.sleep(quiet)
        if len([c for c in fake.calls if c.method != "getUpdates"]) == count:
            return


async def converse(fake: FakeBotAPI, text: str, **kwargs) -> list[Call]:
    """Send a message and return the bot's sendMessage calls in reply."""
    since = len(fake.calls)
    fake.send_text(text, **kwargs)
    await fake.wait_for(lambda c: c.method == "sendMessage", since=since)
    await settle(fake)
    return [c for c in fake.calls[since:] if c.method == "sendMessage"]


async def press(fake: FakeBotAPI, data: str, **kwargs) -> list[Call]:
    since = len(fake.calls)
    fake.press_button(data, **kwargs)
    await fake.wait_for(lambda c: c.method == "answerCallbackQuery", since=since)
    await settle(fake)
    return fake.calls[since:]


def buttons(call: Call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data") or b.get("url"))
            for row in markup.get("inline_keyboard", []) for b in row]


def texts(calls: list[Call]) -> str:
    return "\n".join(c.params.get("text", "") for c in calls)
