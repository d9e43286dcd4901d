"""The Bot the application talks through: PTB's ExtBot, except that
- one update it can't parse is logged once and skipped instead of wedging polling (PTB would
  fetch the same batch forever);
- polling takes a few updates at a time and no more while many wait to be handled: a flood
  stays queued at Telegram (each update fetched is acknowledged), so a stop finishes the few it
  holds within seconds and a restart picks up the rest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from telegram import Update
from telegram.ext import ExtBot, SimpleUpdateProcessor

log = logging.getLogger(__name__)


class _QuietParseFailure(logging.Filter):
    """PTB logs the whole batch at CRITICAL with a traceback; we log the one bad update."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error while parsing updates!")


logging.getLogger("telegram.Bot").addFilter(_QuietParseFailure())
logging.getLogger("telegram.ext.ExtBot").addFilter(_QuietParseFailure())


# Updates fetched per getUpdates, and how many may be in hand (waiting or being handled)
# before polling pauses.
BATCH = 16
BACKLOG = 32


class BacklogProcessor(SimpleUpdateProcessor):
    """Handles `concurrent` updates at once, like PTB's own, and counts those in hand.

    PTB's semaphore sits before the hook where an update could be counted, so its limit is
    set out of the way and this class applies the real one itself.
    """

    def __init__(self, concurrent: int) -> None:
        super().__init__(max_concurrent_updates=1_000_000)
        self.concurrent = concurrent
        self.in_hand = 0
        self._slots: asyncio.Semaphore | None = None
        self._room: asyncio.Event | None = None

    async def do_process_update(self, update: object, coroutine: Any) -> None:
        self._slots = self._slots or asyncio.Semaphore(self.concurrent)
        self.in_hand += 1
        try:
            async with self._slots:
                await coroutine
        finally:
            self.in_hand -= 1
            if self._room is not None and self.in_hand < BACKLOG:
                self._room.set()

    async def room(self) -> None:
        """Return once fewer than BACKLOG updates are in hand."""
        while self.in_hand >= BACKLOG:
            self._room = self._room or asyncio.Event()
            self._room.clear()
            await self._room.wait()


class ResilientBot(ExtBot):
    """ExtBot whose getUpdates skips what it can't parse and holds back under a backlog."""

    _raw_updates: list[dict[str, Any]] | None = None
    _backlog: BacklogProcessor | None = None
    _last_answer: float | None = None  # (PTB objects are frozen but for _private names)

    @property
    def last_answer(self) -> float | None:
        """When Telegram last answered a call (time.time()); the heartbeat reports it."""
        return self._last_answer

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, *args, **kwargs)
        self._last_answer = time.time()
        if endpoint == "getUpdates":
            self._raw_updates = result
        return result

    def hold_back_behind(self, processor: BacklogProcessor) -> None:
        """Poll for more only while `processor` has room."""
        self._backlog = processor

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        if kwargs.get("limit") is None or kwargs["limit"] > BATCH:
            kwargs["limit"] = BATCH
        if self._backlog is not None:
            await self._backlog.room()
        try:
            return await super().get_updates(*args, **kwargs)
        except Exception:
            raw, self._raw_updates = self._raw_updates, None
            if not raw:
                raise
        updates = []
        for data in raw:
            update = self._parse(data)
            self.insert_callback_data(update)
            updates.append(update)
        return tuple(updates)

    def _parse(self, data: dict[str, Any]) -> Update:
        try:
            return Update.de_json(data, self)
        except Exception as error:
            update_id = data.get("update_id") if isinstance(data, dict) else None
            log.warning("skipped update %s that could not be read: %s: %s",
                        update_id, type(error).__name__, error)
            # An empty update keeps the offset moving; no handler matches it.
            return Update(update_id=update_id if isinstance(update_id, int) else 0)
