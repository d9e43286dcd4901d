"""Requests running side by side, a bounded number at once, none cancelled by another's
failure: how the broadcaster keeps several posts awaiting Telegram's answer."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class Flights:
    """Requests running side by side, at most `limit`; leaving the block waits for them all.

    A failure in one does not cancel the others (a cancelled request may have reached
    Telegram without its row being marked); the first one is raised once all have ended.
    """

    def __init__(self, limit: int) -> None:
        self._places = asyncio.Semaphore(limit)
        self._tasks: set[asyncio.Task[None]] = set()
        self._errors: list[BaseException] = []

    async def reserve(self) -> None:
        """Wait for a free place; hand it back with `release()` or use it with `start()`."""
        await self._places.acquire()

    def release(self) -> None:
        self._places.release()

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` in the place reserved; the place is free again when it ends."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._places.release()
        if not task.cancelled() and task.exception() is not None:
            self._errors.append(task.exception())

    async def __aenter__(self) -> Flights:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        while self._tasks:
            await asyncio.wait(set(self._tasks))
        if self._errors and exc_info[0] is None:
            raise self._errors[0]
