"""FakeBotAPI: records every call, answers it like Telegram, and lets tests steer it."""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fakeapi import methods
from tests.fakeapi.chats import Chats
from tests.fakeapi.errors import ApiError, NotFaked
from tests.fakeapi.spec import DEFAULT_SPEC_PATH, load_spec
from tests.fakeapi.updates import Updates

GLOBAL_FLOOD_LIMIT = 30  # messages per second, all chats together
GROUP_FLOOD_LIMIT = 20  # messages per minute into one group/supergroup/channel
# Never contacted: in process the calls reach the fake through FakeRequest; serve() replaces it.
UNSERVED_BASE_URL = "http://fake-bot-api.invalid/bot"


@dataclass
class Call:
    """One request to the fake, with what it answered."""

    method: str
    params: dict[str, Any]
    time: float  # time.monotonic() when the request arrived
    response: dict[str, Any] = field(default_factory=dict)
    status: int = 200

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def result(self) -> Any:
        return self.response.get("result")


@dataclass
class _Failure:
    method: str
    error: ApiError
    chat_id: int | None
    times: int


class FakeBotAPI(Updates):
    """A fake of the Telegram Bot API for the methods the bot uses.

    In process, a bot built with ``FakeRequest(fake)`` calls it directly and an attached
    ``consumer`` receives the updates tests make; ``serve(fake)`` puts it on 127.0.0.1 for
    end-to-end tests over real HTTP (long polling, webhooks, subprocesses).
    """

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        bot_username: str = "RecordBot",
        bot_id: int = 123456,
        spec_path: Path | None = DEFAULT_SPEC_PATH,
        flood_limits: bool = False,
        strict_html: bool = True,
        max_long_poll: float = 1.0,
    ) -> None:
        """``spec_path`` is used if the file exists. ``strict_html`` rejects a bare ``&``
        (Telegram keeps it literally). ``max_long_poll`` caps getUpdates waits in seconds."""
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id
        self.flood_limits = flood_limits
        self.strict_html = strict_html
        self.max_long_poll = max_long_poll
        self.spec = load_spec(spec_path)
        self.base_url = UNSERVED_BASE_URL
        self.bot_user = {"id": bot_id, "is_bot": True, "first_name": bot_username,
                         "username": bot_username}
        self.chats = Chats(self.bot_user)
        self.webhook: dict[str, Any] = {}
        self.calls: list[Call] = []
        self.flood_429_count = 0
        self.ignored_params: list[tuple[str, str]] = []
        self.internal_errors: list[Exception] = []
        self._failures: list[_Failure] = []
        self._flood_global: deque[float] = deque()
        self._flood_chat: dict[int, deque[float]] = {}
        self._delay = 0.0
        self._call_signal = asyncio.Event()
        known = set(self.spec.methods) or set(methods.HANDLERS)
        self._methods = {name.lower(): name for name in known}
        self._init_updates()

    # ----- what tests steer and read

    def calls_to(self, method: str) -> list[Call]:
        """Recorded calls of ``method`` (case-insensitive)."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def set_delay(self, seconds: float) -> None:
        """Add latency to every request, like the network to api.telegram.org."""
        self._delay = seconds

    def fail_next(self, method: str, *, error_code: int, description: str,
                  parameters: dict[str, Any] | None = None, chat_id: int | None = None,
                  times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` (optionally to ``chat_id``) with an error,
        e.g. 429 ``"Too Many Requests: retry after 1"`` with ``parameters={"retry_after": 1}``."""
        error = ApiError(error_code, description, parameters)
        self._failures.append(_Failure(method.lower(), error, chat_id, times))

    def kick(self, chat_id: int) -> None:
        """Every later request about ``chat_id`` fails with 403 (kicked, or blocked)."""
        self.chats.kick(chat_id)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """Upgrade a group: later requests to ``chat_id`` get 400 with migrate_to_chat_id."""
        self.chats.migrate(chat_id, new_chat_id)

    def set_chat_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """What getChatMember answers for the user ("creator", "administrator", ...)."""
        self.chats.member_status[(chat_id, user_id)] = status

    def last_bot_message(self, chat_id: int) -> dict[str, Any] | None:
        return self.chats.last_bot_message(chat_id)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self.chats.message(chat_id, message_id)

    # ----- waiting

    async def settle(self) -> None:
        """Wait until the in-process bot has handled every update and the work they started."""
        if self.consumer is None:
            raise RuntimeError("no bot runs in this process: wait_for() the call you expect")
        await self.consumer.settle()

    async def wait_for(self, predicate: Callable[[Call], bool],
                       timeout: float = 5.0,  # noqa: ASYNC109 - the deadline is the point
                       *, since: int = 0) -> Call:
        """The first recorded call (from index ``since``) matching ``predicate``, once made."""
        deadline = time.monotonic() + timeout
        while True:
            signal = self._call_signal
            for call in self.calls[since:]:
                if predicate(call):
                    return call
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                recent = [f"{c.method}({c.status})" for c in self.calls[-10:]]
                raise TimeoutError(f"no matching call within {timeout}s; last calls: {recent}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), remaining)

    # ----- one request, from FakeRequest or the HTTP server

    async def handle(self, token: str, method_name: str, raw: dict[str, Any]) -> tuple[int, dict]:
        """Answer one Bot API request: the HTTP status and the JSON body. ``raw`` holds the
        parameters as sent (form values JSON-encoded unless plain strings)."""
        started = time.monotonic()
        method = self._methods.get(method_name.lower(), method_name)
        params: dict[str, Any] = {}
        try:
            if token != self.token:
                if re.fullmatch(r"\d+:[\w-]+", token):
                    raise ApiError(401, "Unauthorized")
                raise ApiError(404, "Not Found")
            if method_name.lower() not in self._methods:
                raise ApiError(404, "Not Found")
            if self._delay:
                await asyncio.sleep(self._delay)
            params = self.spec.decode(method, raw)
            status, payload = 200, {"ok": True, "result": await self._dispatch(method, params)}
        except ApiError as err:
            status, payload = err.error_code, err.payload()
        except Exception as exc:  # NotFaked, or a bug in the fake
            self.internal_errors.append(exc)
            status, payload = 500, ApiError(500, f"Internal Server Error: {exc!r}").payload()
        self.calls.append(Call(method, params, started, payload, status))
        self._call_signal.set()
        self._call_signal = asyncio.Event()
        return status, payload

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        chat_id = methods.chat_id_of(params)
        self._injected_failure(method, chat_id)
        self.ignored_params += [(method, name) for name in self.spec.check(method, params)]
        if chat_id is not None:
            self.chats.check_access(chat_id)
        handler = methods.HANDLERS.get(method)
        if handler is None:
            raise NotFaked(f"{method}: not faked; add it to tests/fakeapi/methods.py")
        is_send = method in methods.SENDS and chat_id is not None
        if is_send:
            self._check_flood(chat_id, bool(params.get("allow_paid_broadcast")))
        result = handler(self, params)
        if asyncio.iscoroutine(result):
            result = await result
        if is_send and self.flood_limits:
            now = time.monotonic()
            self._flood_global.append(now)
            if chat_id < 0:
                self._flood_chat.setdefault(chat_id, deque()).append(now)
        return result

    def _injected_failure(self, method: str, chat_id: int | None) -> None:
        for failure in self._failures:
            if failure.method != method.lower():
                continue
            if failure.chat_id is not None and failure.chat_id != chat_id:
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            raise failure.error

    def _check_flood(self, chat_id: int, paid: bool) -> None:
        """Telegram's limits: 30 messages/s overall, 20 per minute into one group."""
        if not self.flood_limits:
            return
        now = time.monotonic()
        window = self._flood_global
        while window and now - window[0] >= 1.0:
            window.popleft()
        retry: float | None = None
        if not paid and len(window) >= GLOBAL_FLOOD_LIMIT:
            retry = window[0] + 1.0 - now
        if chat_id < 0:
            chat_window = self._flood_chat.setdefault(chat_id, deque())
            while chat_window and now - chat_window[0] >= 60.0:
                chat_window.popleft()
            if len(chat_window) >= GROUP_FLOOD_LIMIT:
                retry = max(retry or 0.0, chat_window[0] + 60.0 - now)
        if retry is not None:
            self.flood_429_count += 1
            seconds = max(1, math.ceil(retry))
            raise ApiError(429, f"Too Many Requests: retry after {seconds}",
                           {"retry_after": seconds})
