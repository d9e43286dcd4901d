"""Webhook mode: our own small HTTP server in front of the Application.

PTB's `run_webhook` answers a body that is not JSON with HTTP 500 and an update it can't parse
with 400 (so Telegram sends it again and again), and has no health endpoint. This server:
- POST <path>: the secret header is required (compared in constant time); a body that is not
  JSON gets 400; an update that can't be read is logged once and acknowledged (200) so
  Telegram moves on; anything else goes to the update queue;
- GET /healthz: 200 with the bot's heartbeat while it runs (for a load balancer or a probe).
The lifecycle is PTB's documented custom-webhook one: initialize, post_init, setWebhook,
start, serve until SIGTERM/SIGINT, then stop and shut down cleanly.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
import time
from http import HTTPStatus

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _UpdateHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_application: Application, secret: str) -> None:
        self.bot_app = bot_application
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data = json.loads(self.request.body)
        except ValueError:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST, reason="Not JSON") from None
        bot = self.bot_app.bot
        try:
            update = Update.de_json(data, bot)
        except Exception as error:
            update_id = data.get("update_id") if isinstance(data, dict) else None
            log.warning("skipped update %s that could not be read: %s: %s",
                        update_id, type(error).__name__, error)
            return  # 200: Telegram must not send it again
        if update is not None:
            bot.insert_callback_data(update)
            await self.bot_app.update_queue.put(update)

    def log_exception(self, *args: object) -> None:
        """HTTP errors above are answers, not failures; tornado would log each at WARNING."""


class _HealthHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def initialize(self, bot_application: Application, started: float) -> None:
        self.bot_app = bot_application
        self.started = started

    def get(self) -> None:
        last = getattr(self.bot_app.bot, "last_answer", None)
        self.write({"ok": self.bot_app.running, "uptime": round(time.time() - self.started),
                    "telegram_answered_ago": None if last is None else round(time.time() - last)})


class _App(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """Quiet: a request a second would flood the log; errors are logged where they happen."""


def make_server_app(application: Application, path: str, secret: str) -> tornado.web.Application:
    return _App([
        (rf"/{path.strip('/')}/?", _UpdateHandler,
         {"bot_application": application, "secret": secret}),
        (HEALTH_PATH, _HealthHandler, {"bot_application": application, "started": time.time()}),
    ])


async def _initialize(application: Application, retries: int) -> None:
    """getMe with a few retries: Telegram may be briefly unreachable at start."""
    for attempt in range(retries + 1):
        try:
            await application.initialize()
            return
        except InvalidToken:
            raise
        except NetworkError as error:
            if attempt == retries:
                raise
            log.warning("cannot reach Telegram yet (%s); retrying", error)
            await asyncio.sleep(2**attempt)


async def serve_webhook(application: Application, *, listen: str, port: int, path: str,
                        url: str, secret: str, allowed_updates: list[str],
                        retries: int = 3) -> None:
    """Run the bot behind its webhook until SIGTERM or SIGINT."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    await _initialize(application, retries)
    server: tornado.httpserver.HTTPServer | None = None
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        server = tornado.httpserver.HTTPServer(make_server_app(application, path, secret))
        server.listen(port, address=listen)
        await application.bot.set_webhook(url, secret_token=secret,
                                          allowed_updates=allowed_updates)
        log.info("webhook server listening on %s:%d", listen, port)
        await stopping.wait()
    finally:
        if server is not None:
            server.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
