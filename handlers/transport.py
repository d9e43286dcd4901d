"""The Bot the application talks through: PTB's ExtBot, except that one update it can't parse
is logged once and skipped instead of wedging polling (PTB would fetch the same batch forever).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

log = logging.getLogger(__name__)


class _QuietParseFailure(logging.Filter):
    """PTB logs the whole batch at CRITICAL with a traceback; we log the one bad update."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error while parsing updates!")


logging.getLogger("telegram.Bot").addFilter(_QuietParseFailure())
logging.getLogger("telegram.ext.ExtBot").addFilter(_QuietParseFailure())


class ResilientBot(ExtBot):
    """ExtBot whose getUpdates skips what it can't parse (keeping the offset moving)."""

    _raw_updates: list[dict[str, Any]] | None = None
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

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
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
