"""The fake on 127.0.0.1 over real HTTP, for the end-to-end tests (polling, webhook, processes)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.fakeapi.core import UNSERVED_BASE_URL, FakeBotAPI
from tests.fakeapi.errors import ApiError, NotFaked


@contextlib.asynccontextmanager
async def serve(fake: FakeBotAPI) -> AsyncIterator[FakeBotAPI]:
    """Serve ``fake`` on a free port of 127.0.0.1 at ``fake.base_url`` until the block ends."""
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", _handler(fake))
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/bot"
    try:
        yield fake
    finally:
        fake.release_polls()
        await runner.cleanup()
        fake.base_url = UNSERVED_BASE_URL


def _handler(fake: FakeBotAPI) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        try:
            raw = await _read_params(request)
        except ApiError as err:
            return web.json_response(err.payload(), status=err.error_code)
        status, payload = await fake.handle(request.match_info["token"],
                                            request.match_info["method"], raw)
        return web.json_response(payload, status=status)

    return handle


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string, then a JSON or form body (PTB posts forms with JSON-encoded values)."""
    raw: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return raw
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise ApiError(400, "Bad Request: can't parse JSON object") from exc
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON object expected")
        raw.update(body)
        return raw
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            raise NotFaked("file uploads: the bot sends none")
        raw[key] = value
    return raw
