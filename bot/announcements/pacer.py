"""Telegram's flood limits for a broadcast: posts per second overall, per minute in one group."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

STOP_CHECK = 0.25  # how quickly a wait notices the application stopping


class Pacer:
    """Spaces posts under Telegram's limits: per second overall, per minute in one group.

    Posts are spaced evenly, measured from the moment the previous one really started, so a
    late post never lets the next ones bunch up; this is what keeps a sliding-window flood
    check at zero 429s. The margins cover jitter between our clock and the server's.

    The spacing is between the *starts* of requests, however many are still awaiting their
    answer, and it holds for callers in several tasks: a turn is checked and taken with no
    await in between.
    """

    def __init__(self, per_second: float = 29.0, per_group: int = 19,
                 group_window: float = 61.0, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.interval = 1.0 / per_second
        self.per_group = per_group
        self.group_window = group_window
        self.clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._groups: dict[int, deque[float]] = {}

    def group_ready_at(self, chat_id: int) -> float:
        """When the group `chat_id` may get its next post (monotonic clock; 0 = now)."""
        times = self._groups.get(chat_id)
        if not times:
            return 0.0
        now = self.clock()
        while times and now - times[0] >= self.group_window:
            times.popleft()
        if not times:
            del self._groups[chat_id]
            return 0.0
        return times[0] + self.group_window if len(times) >= self.per_group else 0.0

    def pause(self, seconds: float) -> None:
        """Telegram asked to wait (RetryAfter) or the network is down: nothing goes out."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    async def acquire(self, chat_id: int, *, counts_for_group: bool = True,
                      keep_going: Callable[[], bool] = lambda: True) -> bool:
        """Wait for this post's turn and count it; False if `keep_going()` turned false."""
        while True:
            now = self.clock()
            start = max(self._next, self._paused_until)
            if start <= now:
                break
            if not keep_going():
                return False
            await asyncio.sleep(min(start - now, STOP_CHECK))
        self._next = now + self.interval
        if counts_for_group and chat_id < 0:
            if len(self._groups) > 10_000:  # forget groups whose window has passed
                for group in list(self._groups):
                    self.group_ready_at(group)
            self._groups.setdefault(chat_id, deque()).append(now)
        return True
