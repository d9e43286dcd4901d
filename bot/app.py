"""Build and run the Telegram Application: engine in post_init, closed in post_shutdown."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlparse

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    Defaults,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot import health
from bot.answering import questions
from bot.records import storage
from bot.services import Services
from bot.settings import Settings, SettingsError
from handlers import ALLOWED_UPDATES, register
from handlers.basic import set_bot_commands
from handlers.context import CONTEXT_TYPES, BotContext
from handlers.ratelimit import PacedRateLimiter
from handlers.transport import BacklogProcessor, ResilientBot

log = logging.getLogger(__name__)

# Updates handled at once: answers take a millisecond, but each reply waits on Telegram, so a
# burst (an announcement's readers opening the bot) is not served one network trip at a time.
CONCURRENT_UPDATES = 16
# How often the running bot looks for records loaded by `python -m bot load`.
RECORDS_CHECK_SECONDS = 10
# How often old question texts are erased (see bot/chats.py for what is kept, and why).
PRIVACY_SWEEP_SECONDS = 6 * 3600
# How often logged questions are written to the database, in one batch.
QUESTION_FLUSH_SECONDS = 5
# Start-up calls to Telegram are retried this often before the bot gives up with one line.
BOOTSTRAP_RETRIES = 3


async def post_init(application: Application) -> None:
    """Open the answer engine (loading records if needed) and publish the command menus."""
    services: Services = application.bot_data
    await services.open_engine()
    await services.open_stats()
    await services.languages.preload(services.engine.db)
    application.job_queue.run_repeating(refresh_records, RECORDS_CHECK_SECONDS,
                                        name="records-refresh")
    application.job_queue.run_repeating(flush_questions, QUESTION_FLUSH_SECONDS,
                                        name="question-log")
    # Both also run once now: APScheduler can't start a repeating job at once (first=0 used
    # to mean "after one interval", so the privacy sweep first ran 6 hours after a start).
    for callback, seconds, name in (
            (forget_question_texts, PRIVACY_SWEEP_SECONDS, "privacy-sweep"),
            (write_heartbeat, health.BEAT_SECONDS, "heartbeat")):
        await application.job_queue.run_repeating(callback, seconds, name=name).run(application)
    # The menus and profile texts are 9 calls to Telegram: in the background, so the first
    # poll does not wait for them (0.1 s on loopback, seconds at real latency).
    # (No misfire limit: the job queue starts after polling's bootstrap, which may take
    # longer than APScheduler's default one-second grace on a slow network.)
    application.job_queue.run_once(publish_profile, 0, name="publish-profile",
                                   job_kwargs={"misfire_grace_time": None})
    for hook in services.start_hooks:
        await hook()
    log.info("bot @%s is ready", application.bot.username)


async def publish_profile(context: BotContext) -> None:
    """Command menus and profile texts in every language (once, soon after start)."""
    try:
        await set_bot_commands(context.application)
    except TelegramError as error:  # the bot works without them; the next start tries again
        log.warning("could not set the command menus and profile texts: %s", error)


async def refresh_records(context: BotContext) -> None:
    """Answer from the records `python -m bot load` just wrote, without a restart."""
    await context.services.engine.reload_if_changed()


async def flush_questions(context: BotContext) -> None:
    """Write the questions asked since the last flush (answers never wait for that)."""
    await context.services.flush_questions()


async def forget_question_texts(context: BotContext) -> None:
    """Keep the privacy promise: unanswered questions' texts go after QUESTION_TEXT_DAYS."""
    erased = await questions.forget_old_question_texts(context.services.stats_db)
    if erased:
        log.info("erased the text of %d old question(s)", erased)


async def write_heartbeat(context: BotContext) -> None:
    """Tell `python -m bot health` (Docker's HEALTHCHECK) that the loop runs and Telegram talks."""
    settings = context.services.settings
    mode = "webhook" if settings.webhook_url else "polling"
    try:
        health.beat(health.heartbeat_path(settings.database_path), mode=mode,
                    telegram_ok=getattr(context.bot, "last_answer", None))
    except OSError as error:
        log.warning("cannot write the heartbeat file: %s", error)


async def post_shutdown(application: Application) -> None:
    services: Services = application.bot_data
    health.forget(health.heartbeat_path(services.settings.database_path))
    await services.close_stats()
    await services.close_engine()


class RedactToken(logging.Filter):
    """Keeps log lines safe and short: no token anywhere (PTB logs API URLs at DEBUG and puts
    the token in InvalidToken's message), and below DEBUG no traceback for network retries,
    which the line itself explains."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self.add(token)

    def add(self, token: str) -> None:
        """Also hide this token (one process may build applications with several)."""
        self.secrets |= {token, token.partition(":")[2] or token}

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "<BOT_TOKEN>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if (record.exc_info and message.startswith("Network Retry Loop")
                and not log.isEnabledFor(logging.DEBUG)):
            message = f"{message} ({record.exc_info[1]})"
            record.exc_info = record.exc_text = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        record.msg, record.args = self.redact(message), None
        return True


def build_application(settings: Settings, request: BaseRequest | None = None) -> Application:
    """The bot, configured from settings; nothing is contacted until it starts.

    `request` replaces PTB's HTTP client (the tests answer Bot API calls in process)."""
    settings.require_token()
    # httpx logs every request URL at INFO, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run otherwise
    for handler in logging.getLogger().handlers:
        redaction = next((f for f in handler.filters if isinstance(f, RedactToken)), None)
        if redaction is None:
            handler.addFilter(RedactToken(settings.bot_token))
        else:
            redaction.add(settings.bot_token)
    base_url = settings.telegram_base_url.rstrip("/")
    bot = ResilientBot(
        token=settings.bot_token,
        base_url=base_url,
        base_file_url=base_url.removesuffix("/bot") + "/file/bot",
        defaults=Defaults(parse_mode=ParseMode.HTML,
                          link_preview_options=LinkPreviewOptions(is_disabled=True)),
        rate_limiter=PacedRateLimiter(max_retries=3),
        # As ApplicationBuilder would: a pool for concurrent sends, one for long polling.
        request=request or HTTPXRequest(connection_pool_size=256),
        get_updates_request=request or HTTPXRequest(),
    )
    processor = BacklogProcessor(CONCURRENT_UPDATES)
    application = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(processor)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    bot.hold_back_behind(processor)
    services: Services = application.bot_data  # PTB made it from CONTEXT_TYPES
    services.settings = settings
    register(application)
    return application


async def _check_database(settings: Settings) -> None:
    await (await storage.connect(settings.database_path)).close()


def run(settings: Settings) -> None:
    """Webhook mode when WEBHOOK_URL is set, long polling otherwise; SIGTERM stops cleanly."""
    application = build_application(settings)
    # A database that can't be opened stops the bot before it talks to Telegram: one line,
    # at once. A private loop, so run_polling/run_webhook still find theirs untouched.
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_check_database(settings))
    finally:
        loop.close()
    try:
        if settings.webhook_url:
            if settings.webhook_secret_generated:
                log.info("WEBHOOK_SECRET is not set: registered a random secret for this run")
            from handlers.webhook import serve_webhook  # tornado: only in webhook mode

            asyncio.run(serve_webhook(
                application,
                listen=settings.listen,
                port=settings.port,
                path=urlparse(settings.webhook_url).path,
                url=settings.webhook_url,
                secret=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
                retries=BOOTSTRAP_RETRIES,
            ))
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES,
                                    bootstrap_retries=BOOTSTRAP_RETRIES)
    except InvalidToken:
        raise SettingsError("Telegram rejected BOT_TOKEN: check it with @BotFather") from None
    except NetworkError as error:
        raise SettingsError(
            f"cannot reach the Bot API at {settings.telegram_base_url}: {error.message}"
        ) from None
    except TelegramError as error:
        raise SettingsError(f"Telegram refused to start the bot: {error.message}") from None
