"""A minimal Bot API stand-in on 127.0.0.1 for the benchmarks: answers fast, checks nothing.

The benchmarks time the bot, not Telegram, so this serves only what a polling bot needs
(getMe, deleteWebhook, long-polled getUpdates, sendMessage; anything else answers True),
with Telegram's flood limits (429 beyond 30 messages/s, 20 per minute into one group) and an
optional latency. Whether the bot's requests are *valid* is the tests' business: the fake Bot
API in tests/fakeapi checks them against the Bot API spec.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

GLOBAL_FLOOD_LIMIT = 30  # messages per second, all chats together
GROUP_FLOOD_LIMIT = 20  # messages per minute into one group
PLAIN_STRINGS = frozenset({"text", "description", "short_description", "callback_query_id"})
USER_ID = 1001


@dataclass
class Call:
    """One request: when it arrived, what it asked, whether it succeeded."""

    method: str
    params: dict[str, Any]
    time: float
    ok: bool

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


class StubBotAPI:
    """``async with StubBotAPI() as api:`` serves at ``api.base_url`` until the block ends."""

    def __init__(self, *, flood_limits: bool = False, token: str = "123456:BENCH") -> None:
        self.token = token
        self.flood_limits = flood_limits
        self.base_url = ""
        self.calls: list[Call] = []
        self.flood_429_count = 0
        self._delay = 0.0
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._sent: deque[float] = deque()
        self._sent_to_group: dict[int, deque[float]] = {}
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> StubBotAPI:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/bot"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def set_delay(self, seconds: float) -> None:
        """Latency added to every request, like the network to api.telegram.org."""
        self._delay = seconds

    def send_text(self, text: str, user_id: int = USER_ID) -> None:
        """A message in the user's private chat, for the bot's next getUpdates."""
        chat = {"id": user_id, "type": "private", "first_name": "Bench"}
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": chat, "from": {"id": user_id, "is_bot": False, "first_name": "Bench",
                                          "language_code": "en"}, "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        self._updates.append({"update_id": next(self._update_ids), "message": message})
        self._new_update.set()

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 30.0,  # noqa: ASYNC109
                       *, since: int = 0) -> Call:
        """The first call from index ``since`` that matches, once it has been answered."""
        async with asyncio.timeout(timeout):
            while True:
                for call in self.calls[since:]:
                    if predicate(call):
                        return call
                self._new_call.clear()
                await self._new_call.wait()

    async def _handle(self, request: web.Request) -> web.Response:
        started = time.monotonic()
        raw = dict(await request.post()) if request.can_read_body else {}
        params = {k: v if k in PLAIN_STRINGS else _json(v) for k, v in raw.items()}
        if self._delay:
            await asyncio.sleep(self._delay)
        method = request.match_info["method"]
        status, body = 200, {"ok": True, "result": True}
        if request.match_info["token"] != self.token:
            status, body = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        elif method == "getMe":
            body["result"] = {"id": 123456, "is_bot": True, "first_name": "Bench",
                              "username": "BenchBot", "can_join_groups": True,
                              "can_read_all_group_messages": False,
                              "supports_inline_queries": True}
        elif method == "getUpdates":
            body["result"] = await self._get_updates(params)
        elif method == "sendMessage":
            retry = self._flood_wait(int(params["chat_id"]))
            if retry:
                self.flood_429_count += 1
                status, body = 429, {"ok": False, "error_code": 429,
                                     "description": f"Too Many Requests: retry after {retry}",
                                     "parameters": {"retry_after": retry}}
            else:
                body["result"] = self._message(params)
        self.calls.append(Call(method, params, started, status == 200))
        self._new_call.set()
        return web.json_response(body, status=status)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(),
                                       min(float(params.get("timeout") or 0), 1.0))
        return self._updates[:min(max(int(params.get("limit") or 100), 1), 100)]

    @property
    def pending(self) -> int:
        """Updates not yet confirmed by a getUpdates offset (Telegram would resend them)."""
        return len(self._updates)

    def _flood_wait(self, chat_id: int) -> int:
        """Seconds to wait (0: send now) under Telegram's limits; a send now counts."""
        if not self.flood_limits:
            return 0
        now = time.monotonic()
        while self._sent and now - self._sent[0] >= 1.0:
            self._sent.popleft()
        retry = self._sent[0] + 1.0 - now if len(self._sent) >= GLOBAL_FLOOD_LIMIT else 0.0
        group = self._sent_to_group.setdefault(chat_id, deque()) if chat_id < 0 else None
        if group is not None:
            while group and now - group[0] >= 60.0:
                group.popleft()
            if len(group) >= GROUP_FLOOD_LIMIT:
                retry = max(retry, group[0] + 60.0 - now)
        if retry:
            return max(1, math.ceil(retry))
        self._sent.append(now)
        if group is not None:
            group.append(now)
        return 0

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = ({"id": chat_id, "type": "private", "first_name": "Bench"} if chat_id > 0
                else {"id": chat_id, "type": "group", "title": "Bench group"})
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                "from": {"id": 123456, "is_bot": True, "first_name": "Bench"},
                "text": str(params.get("text", ""))}


def _json(value: Any) -> Any:
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value
