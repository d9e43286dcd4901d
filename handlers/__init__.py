"""Telegram handlers, one module per concern, registered here in order (free text last)."""

from __future__ import annotations

from functools import partial

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import Services
from handlers import announcements, basic, errors, freetext, inline, records
from handlers.commands import COMMANDS

# The update types these handlers read; Telegram sends no others (less traffic, and nothing
# unhandled to parse).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY,
                   Update.MY_CHAT_MEMBER]

# Command name -> callback; every command of the registry must have one.
CALLBACKS = {
    "start": basic.start,
    "help": basic.help_command,
    "lang": basic.lang_command,
    "event": records.event_command,
    "speakers": records.speakers_command,
    "speaker": records.speaker_command,
    "themes": records.themes_command,
    "theme": records.theme_command,
    "institutions": records.institutions_command,
    "institution": records.institution_command,
    "ask": records.ask_command,
    **announcements.CALLBACKS,
}


def register(application: Application) -> None:
    """Add every handler in order: commands, buttons, inline mode, free text; then errors."""
    missing = [command.name for command in COMMANDS if command.name not in CALLBACKS]
    if missing:
        raise RuntimeError(f"commands without a handler: {missing}")
    for command in COMMANDS:
        application.add_handler(CommandHandler(command.name, CALLBACKS[command.name]))
    application.add_handlers(announcements.HANDLERS)  # its buttons before the catch-all
    application.add_handler(CallbackQueryHandler(records.on_button))
    application.add_handlers(inline.HANDLERS)
    application.add_handlers(freetext.HANDLERS)
    application.add_error_handler(errors.on_error)
    services: Services = application.bot_data
    services.start_hooks.append(partial(announcements.start_sender, application))
