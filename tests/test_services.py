"""The typed services: what handlers reach as context.services, and the language cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import chats
from bot.app import build_application
from bot.chats import UserLanguages
from bot.records import storage
from bot.services import Services
from bot.settings import Settings
from handlers.announcements import start_sender
from handlers.context import BotContext


def test_the_application_carries_typed_services(tmp_path: Path) -> None:
    settings = Settings(bot_token="123456:ABC-DEF", database_path=tmp_path / "bot.db")
    application = build_application(settings)
    services = application.bot_data
    assert isinstance(services, Services) and services.settings is settings
    assert application.context_types.context is BotContext
    assert [hook.func for hook in services.start_hooks] == [start_sender]
    with pytest.raises(RuntimeError, match="post_init"):
        services.engine  # noqa: B018 - opened when the bot starts, not before


async def test_language_choices_are_read_once_and_a_new_choice_replaces_them(db) -> None:
    languages = UserLanguages(limit=2)
    assert await languages.get(db, 1) is None
    await chats.set_user_language(db, 1, "kk")  # behind the cache's back: it is a cache
    assert await languages.get(db, 1) is None
    languages.invalidate(1)
    assert await languages.get(db, 1) == "kk"
    await languages.choose(db, 1, "ru")
    assert await languages.get(db, 1) == "ru"
    await chats.set_user_language(db, 1, "en")
    assert await languages.get(db, 2) is None
    assert await languages.get(db, 3) is None  # a third user: past the limit, start afresh
    assert await languages.get(db, 1) == "en"


async def test_a_groups_language_is_read_once_and_an_admins_choice_replaces_it(db) -> None:
    languages = UserLanguages()
    assert await languages.for_chat(db, -100) is None
    await chats.upsert_chat(db, -100, "group", "G", language="kk")  # behind the cache's back
    assert await languages.for_chat(db, -100) is None
    await languages.choose_for_chat(db, -100, "group", "G", "ru")
    assert await languages.for_chat(db, -100) == "ru"
    assert await chats.chat_language(db, -100) == "ru"


async def test_preloaded_choices_answer_without_the_database(tmp_path) -> None:
    """After preload a first-time user costs no read: the connection may even be closed."""
    db = await storage.connect(tmp_path / "bot.db")
    await chats.set_user_language(db, 1, "kk")
    await chats.upsert_chat(db, -5, "group", "G", language="ru")
    languages = UserLanguages()
    await languages.preload(db)
    await languages.choose(db, 2, "ru")
    await db.close()
    assert await languages.get(db, 1) == "kk"
    assert await languages.get(db, 2) == "ru"
    assert await languages.get(db, 3) is None  # never chose: known without asking
    assert await languages.for_chat(db, -5) == "ru"
    assert await languages.for_chat(db, -6) is None


async def test_too_many_choices_to_preload_are_read_on_first_use(db) -> None:
    for user in (1, 2, 3):
        await chats.set_user_language(db, user, "kk")
    languages = UserLanguages(limit=2)
    await languages.preload(db)
    assert await languages.get(db, 3) == "kk"  # read, not assumed absent
