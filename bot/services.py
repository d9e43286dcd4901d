"""The services handlers and jobs use, in one typed object instead of string keys.

PTB creates it as the application's `bot_data` (ContextTypes(bot_data=Services), so with no
arguments); bot.app.build_application gives it the settings, post_init opens the engine,
and handlers reach it as `context.services` (handlers/context.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.announcements.broadcast import Broadcaster
from bot.answering.engine import AnswerEngine
from bot.answering.service import open_engine
from bot.chats import UserLanguages
from bot.settings import Settings

StartHook = Callable[[], Awaitable[None]]


@dataclass(eq=False)
class Services:
    settings: Settings = field(default_factory=Settings)
    languages: UserLanguages = field(default_factory=UserLanguages)
    broadcaster: Broadcaster | None = None  # the announcement sender, once started
    start_hooks: list[StartHook] = field(default_factory=list)  # run by post_init, in order
    _engine: AnswerEngine | None = field(default=None, repr=False)

    @property
    def engine(self) -> AnswerEngine:
        if self._engine is None:
            raise RuntimeError("the answer engine is opened when the bot starts (post_init)")
        return self._engine

    async def open_engine(self) -> None:
        """Connect to the database, loading the event files if needed, and index them."""
        self._engine = await open_engine(self.settings)

    async def close_engine(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            await engine.close()
