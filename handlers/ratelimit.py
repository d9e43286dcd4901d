"""Every message the bot sends, paced under Telegram's flood limits before it is sent.

PTB's AIORateLimiter lets a second's worth of messages out at once and, on a 429, halts all
sending; under a steady stream of questions that drew hundreds of 429s and minute-long waits.
This limiter books each message a time slot instead:

- overall: evenly spaced at `per_second` (29/s, under Telegram's ~30/s), never in bursts;
- a private chat: one message per `private_interval` seconds on average, with bursts of up to
  `private_burst` (Telegram: about 1/s per chat, short bursts allowed), so a reply in three
  parts or a card after a button press does not wait;
- a group or channel: at most `group_per_window` messages in any `group_window` seconds
  (Telegram: 20 per minute);
- a 429 holds back only what it must: the chat it names for `retry_after` seconds; all chats
  only when 429s come for two chats within a second (the global limit, then) or for a call
  that names no chat.
Slots are booked in arrival order, so nobody waits behind a later message. Calls that are not
messages (answers to buttons and inline queries, polling, menus) are never delayed.
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

# Calls that post or change a message in a chat: Telegram counts these against its limits.
_UNPACED_SENDS = frozenset({"sendChatAction"})
_PACED_OTHERS = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages",
                           "editMessageText", "editMessageCaption", "editMessageMedia",
                           "editMessageReplyMarkup"})


def is_paced(endpoint: str) -> bool:
    return ((endpoint.startswith("send") and endpoint not in _UNPACED_SENDS)
            or endpoint in _PACED_OTHERS)


def _seconds(retry_after: object) -> float:
    return float(getattr(retry_after, "total_seconds", lambda: retry_after)())


class SlotBook:
    """Books send times under the three limits; no Telegram code, a clock to test with."""

    def __init__(self, per_second: float = 29.0, private_interval: float = 1.0,
                 private_burst: int = 3, group_per_window: int = 19, group_window: float = 61.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / per_second
        self.private_interval = private_interval
        self.private_tolerance = (private_burst - 1) * private_interval
        self.group_per_window = group_per_window
        self.group_window = group_window
        self.clock = clock
        self._booked: list[float] = []  # booked send times, sorted, overall
        self._paused_until = 0.0  # every chat waits until then (a global 429)
        # Private chats: the "theoretical arrival time" of the generic cell rate algorithm, a
        # token bucket in one number: a message may go at t if tat - t <= private_tolerance.
        self._chat_next: dict[int, float] = {}
        self._held: dict[int, float] = {}  # chats Telegram told to wait (429): until when
        # When paced messages really started: a stalled event loop makes booked slots start
        # late and together, and Telegram counts real arrivals in a sliding second.
        self._started: deque[float] = deque()
        self.window_limit = max(1, int(per_second) - 1)
        self._group_slots: dict[int, deque[float]] = {}
        self._last_429: tuple[float, int | None] = (float("-inf"), None)

    def book(self, chat_id: int | None) -> float:
        """Reserve the earliest slot for a message to `chat_id`; returns its time."""
        now = self.clock()
        earliest = max(now, self._paused_until)
        if chat_id is not None:
            earliest = max(earliest, self._held.get(chat_id, 0.0))
            if chat_id > 0:
                earliest = max(earliest, self._chat_next.get(chat_id, 0.0)
                               - self.private_tolerance)
            else:
                slots = self._group_slots.setdefault(chat_id, deque())
                while slots and slots[0] <= now - self.group_window:
                    slots.popleft()
                if len(slots) >= self.group_per_window:
                    earliest = max(earliest, slots[-self.group_per_window] + self.group_window)
        slot = self._free_slot(now, earliest)
        if chat_id is not None and chat_id > 0:
            self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), slot) \
                + self.private_interval
        elif chat_id is not None:
            insort(self._group_slots[chat_id], slot)
        self._forget_old(now)
        return slot

    def _free_slot(self, now: float, earliest: float) -> float:
        """The first time from `earliest` at least one interval from every booked slot: a
        message held for its own chat keeps its place without pushing the others back."""
        booked = self._booked
        cut = bisect_left(booked, now - self.interval)
        if cut:
            del booked[:cut]
        slot = earliest
        index = bisect_left(booked, slot - self.interval)
        while index < len(booked) and booked[index] < slot + self.interval:
            slot = max(slot, booked[index] + self.interval)
            index += 1
        insort(booked, slot)
        return slot

    def start_delay(self) -> float:
        """How long a message whose slot came must still wait so that no sliding second holds
        more than `window_limit` real starts; 0 means go now (and it is counted)."""
        now = self.clock()
        started = self._started
        while started and started[0] <= now - 1.0:
            started.popleft()
        if len(started) >= self.window_limit:
            return started[-self.window_limit] + 1.0 - now
        started.append(now)
        return 0.0

    def hold(self, chat_id: int | None, seconds: float) -> None:
        """Telegram answered 429 for `chat_id`: that chat waits; twice in a second, all do."""
        now = self.clock()
        until = now + seconds
        last_time, last_chat = self._last_429
        if chat_id is None or (now - last_time < 1.0 and last_chat != chat_id):
            self._paused_until = max(self._paused_until, until)
        if chat_id is not None:
            self._held[chat_id] = max(self._held.get(chat_id, 0.0), until)
        self._last_429 = (now, chat_id)

    def ready_at(self, chat_id: int | None) -> float:
        """The earliest a held chat (or everyone) may send again."""
        held = self._held.get(chat_id, 0.0) if chat_id is not None else 0.0
        return max(self._paused_until, held)

    def _forget_old(self, now: float) -> None:
        if len(self._chat_next) + len(self._group_slots) + len(self._held) < 10_000:
            return
        self._chat_next = {chat: t for chat, t in self._chat_next.items() if t > now}
        self._held = {chat: t for chat, t in self._held.items() if t > now}
        self._group_slots = {chat: slots for chat, slots in self._group_slots.items()
                             if slots and slots[-1] > now - self.group_window}


class PacedRateLimiter(BaseRateLimiter[None]):
    """PTB's rate-limiter interface over a SlotBook; retries a 429 up to `max_retries` times."""

    def __init__(self, book: SlotBook | None = None, max_retries: int = 3) -> None:
        self.book = book or SlotBook()
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        chat_id = chat_id if isinstance(chat_id, int) else None
        paced = is_paced(endpoint)
        for attempt in range(self.max_retries + 1):
            await self._turn(chat_id, paced)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self.max_retries:
                    raise
                self.book.hold(chat_id, _seconds(error.retry_after))
        raise AssertionError("unreachable")

    async def _turn(self, chat_id: int | None, paced: bool) -> None:
        """Wait for a booked slot; a 429 that came meanwhile means waiting it out and booking
        again (so a pause that ends does not release everyone at once)."""
        while True:
            if paced:
                await self._wait_until(self.book.book(chat_id))
            ready = self.book.ready_at(chat_id)
            if ready <= self.book.clock():
                if paced:
                    while (delay := self.book.start_delay()) > 0:  # noqa: ASYNC110 - a clock
                        await asyncio.sleep(delay)
                return
            await self._wait_until(ready)
            if not paced:
                return

    async def _wait_until(self, moment: float) -> None:
        delay = moment - self.book.clock()
        if delay > 0:
            await asyncio.sleep(delay)
