"""The services handlers and jobs use, in one typed object instead of string keys.

PTB creates it as the application's `bot_data` (ContextTypes(bot_data=Services), so with no
arguments); bot.app.build_application gives it the settings, post_init opens the engine,
and handlers reach it as `context.services` (handlers/context.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiosqlite

from bot.alerts import AlertThrottle
from bot.announcements import notices
from bot.announcements.broadcast import Broadcaster
from bot.answering.continuations import Continuations
from bot.answering.engine import AnswerEngine
from bot.answering.questions import QuestionLog
from bot.answering.service import open_engine
from bot.chats import UserLanguages
from bot.records import storage
from bot.settings import Settings

# The statistics connection gives up on a held write lock this fast and tries again later.
STATS_BUSY_MS = 250

StartHook = Callable[[], Awaitable[None]]


@dataclass(eq=False)
class Services:
    settings: Settings = field(default_factory=Settings)
    languages: UserLanguages = field(default_factory=UserLanguages)
    broadcaster: Broadcaster | None = None  # the announcement sender, once started
    start_hooks: list[StartHook] = field(default_factory=list)  # run by post_init, in order
    question_log: QuestionLog = field(default_factory=QuestionLog)
    alerts: AlertThrottle = field(default_factory=AlertThrottle)  # errors told to admins
    continuations: Continuations = field(default_factory=Continuations)  # long answers' rest
    _engine: AnswerEngine | None = field(default=None, repr=False)
    # Statistics are written on a connection of their own: waiting for a lock there never
    # holds up the reads and writes queued on the engine's connection.
    _stats_db: aiosqlite.Connection | None = field(default=None, repr=False)

    @property
    def engine(self) -> AnswerEngine:
        if self._engine is None:
            raise RuntimeError("the answer engine is opened when the bot starts (post_init)")
        return self._engine

    async def open_engine(self) -> None:
        """Connect to the database, loading the event files if needed (telling followers and
        reminded users what that load changed, as `python -m bot load` does), and index."""
        self._engine = await open_engine(self.settings, changes=notices.queue)

    async def close_engine(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            await engine.close()

    @property
    def stats_db(self) -> aiosqlite.Connection:
        if self._stats_db is None:
            raise RuntimeError("the statistics connection is opened when the bot starts")
        return self._stats_db

    async def open_stats(self) -> None:
        self._stats_db = await storage.connect(self.settings.database_path)
        await self._stats_db.execute(f"PRAGMA busy_timeout = {STATS_BUSY_MS}")

    async def flush_questions(self) -> int:
        """Write the logged questions, if the database lets us now."""
        if self._stats_db is None:
            return 0
        return await self.question_log.flush(self._stats_db)

    async def close_stats(self) -> None:
        db, self._stats_db = self._stats_db, None
        if db is not None:
            await db.execute(f"PRAGMA busy_timeout = {storage.BUSY_TIMEOUT_MS}")
            await self.question_log.flush(db)
            await db.close()
