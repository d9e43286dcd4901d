"""Run the real Application against the fake Bot API with real long polling."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings
from tests.fakebotapi import FakeBotAPI

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
