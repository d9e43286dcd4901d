"""Which errors the bot's admins are told about: each kind at most once an hour."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable

ALERT_EVERY = 3600.0  # seconds between two messages about the same kind of error


def error_kind(error: BaseException) -> str:
    """The exception's type and where it was raised in our code: 'KeyError at engine.py:120'."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    where = f" at {ours[-1].filename.rsplit('/', 1)[-1]}:{ours[-1].lineno}" if ours else ""
    return f"{type(error).__name__}{where}"


class AlertThrottle:
    def __init__(self, every: float = ALERT_EVERY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self.clock = clock
        self._last: dict[str, float] = {}

    def due(self, kind: str) -> bool:
        """Whether to tell the admins about `kind` now (and remember that we did)."""
        now = self.clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.every:
            return False
        if len(self._last) > 1000:  # many kinds: keep only the recent ones
            self._last = {k: t for k, t in self._last.items() if now - t < self.every}
        self._last[kind] = now
        return True
