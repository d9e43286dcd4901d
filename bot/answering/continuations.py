"""The rest of a long answer, kept for a while behind a "More" button.

A reply is at most MAX_PARTS messages: a 5 MB statement or a 10,000-person list used to send
dozens. What is left waits here under a short token, for `TTL` seconds and for the `limit`
most recent answers; after that its button says it has expired.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.answering.answer import Answer

MAX_PARTS = 3  # messages one reply (or one press of "More") sends at most


@dataclass(frozen=True)
class Rest:
    answer: Answer  # for its buttons, which go under the last part
    parts: tuple[str, ...]  # the HTML messages not sent yet
    total: int  # how many parts the whole answer has


class Continuations:
    def __init__(self, limit: int = 1000, ttl: float = 3600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.ttl = ttl
        self.clock = clock
        self._kept: OrderedDict[str, tuple[float, Rest]] = OrderedDict()

    def keep(self, rest: Rest) -> str:
        """Store what is left; the token goes into the More button."""
        token = secrets.token_hex(4)
        self._kept[token] = (self.clock() + self.ttl, rest)
        while len(self._kept) > self.limit:
            self._kept.popitem(last=False)
        return token

    def take(self, token: str) -> Rest | None:
        """What was left under `token` (once), or None when it expired or never was."""
        expires, rest = self._kept.pop(token, (0.0, None))
        return rest if rest is not None and expires > self.clock() else None
