"""What goes wrong: buttons no handler accepts, and exceptions (logged, then apologised for)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError
from telegram.ext import Application, CallbackQueryHandler

from bot import html
from bot.alerts import error_kind
from bot.i18n import t
from handlers.common import language
from handlers.context import BotContext

log = logging.getLogger(__name__)


async def expired(update: Update, context: BotContext) -> None:
    """A forged or stale button: say so instead of failing."""
    lang = await language(update, context)
    await update.callback_query.answer(t(lang, "button.expired"), show_alert=True)


async def chat_button(update: Update, context: BotContext) -> str | None:
    """The presser's language, for a button under a message in a chat; None for one under an
    inline-mode message (no chat to answer in), after saying so."""
    if update.callback_query.message is None:
        await expired(update, context)
        return None
    return await language(update, context)


async def on_error(update: object, context: BotContext) -> None:
    """Log the exception with the update's ids, then apologise without details."""
    if isinstance(context.error, NetworkError):  # Telegram unreachable: PTB retries by itself
        log.warning("network error talking to Telegram (update %s): %s", _describe(update),
                    context.error)
        return
    log.error("error while handling update %s", _describe(update), exc_info=context.error)
    if isinstance(context.error, Forbidden):
        return
    await _tell_admins(update, context)
    if not isinstance(update, Update):
        return
    if update.callback_query:
        try:
            await update.callback_query.answer()
        except Exception:  # the query may be too old to answer; the reply below still helps
            log.debug("could not answer callback query", exc_info=True)
    if update.effective_message:
        try:
            lang = await language(update, context)
        except Exception:
            lang = "en"
        try:
            await update.effective_message.reply_text(t(lang, "error.generic"))
        except Exception:
            log.warning("could not tell the user about the error", exc_info=True)


async def _tell_admins(update: object, context: BotContext) -> None:
    """Each kind of error reaches the bot's admins at most once an hour, without user data."""
    services = context.services
    kind = error_kind(context.error)
    if not services.settings.admin_ids or not services.alerts.due(kind):
        return
    detail = html.escape(str(context.error)[:300])
    for admin_id in services.settings.admin_ids:
        try:
            lang = await services.languages.get(services.engine.db, admin_id) or "en"
            await context.bot.send_message(
                admin_id, t(lang, "admin.error_alert", kind=html.escape(kind), error=detail))
        except Exception:  # an admin who never started the bot, or Telegram is down
            log.warning("could not tell admin %s about the error", admin_id)


def _describe(update: object) -> str:
    if isinstance(update, Update):
        chat = update.effective_chat.id if update.effective_chat else None
        return f"{update.update_id} (chat {chat})"
    return repr(update)[:200]


def register(application: Application) -> None:
    """Registered last: the buttons no other handler took, and the error handler."""
    application.add_handler(CallbackQueryHandler(expired))
    application.add_error_handler(on_error)
