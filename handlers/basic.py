"""/start (with deep links), /help, and the command menus and profile texts Telegram shows."""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.ext import Application

from bot.answering import cards
from bot.answering.engine import pick
from bot.html import escape
from bot.i18n import LANGUAGES, t
from bot.services import Services
from handlers import buttons
from handlers.commands import COMMANDS, command_handlers, description_key
from handlers.common import language, send_answer
from handlers.context import BotContext

log = logging.getLogger(__name__)

async def start(update: Update, context: BotContext) -> None:
    """Welcome, or open the card a deep link names (/start speaker-<key>)."""
    message = update.effective_message
    lang = await language(update, context)
    if context.args:
        answer = cards.card_for_link(context.services.engine, context.args[0], lang)
        if answer is not None:
            await send_answer(context, message, answer)
            return
        await message.reply_text(t(lang, "start.bad_link"))
    event = context.services.engine.default_event()
    title = pick(event.title, lang) if event else ""
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton(t(lang, "button.event"), callback_data=buttons.EVENT.encode(None)),
         InlineKeyboardButton(t(lang, "button.speakers"),
                              callback_data=buttons.SPEAKERS_PAGE.encode(0))],
        [InlineKeyboardButton(t(lang, "button.themes"),
                              callback_data=buttons.THEMES.encode(None)),
         InlineKeyboardButton(t(lang, "button.lang"),
                              callback_data=buttons.LANGUAGE_MENU.encode(None))],
    ])
    await message.reply_text(t(lang, "start.welcome", event=escape(title)), reply_markup=keyboard)


def help_text(lang: str, is_admin: bool) -> str:
    lines = [t(lang, "help.header"), ""]
    for command in COMMANDS:
        if command.admin and not is_admin:
            continue
        args = f" {t(lang, command.args)}" if command.args else ""
        text = t(lang, description_key(command))
        lines.append(f"/{command.name}{escape(args)} — {escape(text)}")
    lines += ["", t(lang, "help.free_text")]
    return "\n".join(lines)


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands (from the registry) and what can be asked."""
    lang = await language(update, context)
    user = update.effective_user
    is_admin = bool(user and user.id in context.services.settings.admin_ids)
    await update.effective_message.reply_text(help_text(lang, is_admin))


async def set_bot_commands(application: Application) -> None:
    """Command menu and profile texts in every language, plus the admins' commands."""
    bot = application.bot
    services: Services = application.bot_data
    admin_ids = services.settings.admin_ids
    records = services.engine
    event = records.default_event()
    for lang in LANGUAGES:
        public = [BotCommand(c.name, t(lang, description_key(c))) for c in COMMANDS
                  if not c.admin]
        code = None if lang == "en" else lang
        await bot.set_my_commands(public, language_code=code)
        # What people read on the bot's profile before they press Start.
        if event is not None:
            await bot.set_my_description(t(
                lang, "bot.description", event=pick(event.title, lang),
                when=records.when_where(event, lang))[:512], language_code=code)
        await bot.set_my_short_description(t(lang, "bot.short_description"), language_code=code)
    everything = [BotCommand(c.name, t("en", description_key(c))) for c in COMMANDS]
    for admin_id in admin_ids:
        try:
            await bot.set_my_commands(everything, scope=BotCommandScopeChat(admin_id))
        except Exception:  # an admin who never opened the bot has no chat yet
            log.info("could not set the admin command menu for %s", admin_id)


def register(application: Application) -> None:
    """/start and /help."""
    application.add_handlers(command_handlers({"start": start, "help": help_command}))
