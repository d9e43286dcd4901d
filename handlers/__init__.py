"""Telegram handlers, one module per concern; each registers its own with `register`."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from handlers import (
    announcements,
    basic,
    calendar,
    errors,
    events,
    freetext,
    inline,
    languages,
    personal,
    records,
    scheduled,
)
from handlers.commands import unhandled

# The update types these handlers read; Telegram sends no others (less traffic, and nothing
# unhandled to parse).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY,
                   Update.MY_CHAT_MEMBER]


def register(application: Application) -> None:
    """Every module's handlers; errors last, for the buttons no other handler took."""
    for module in (basic, languages, events, records, calendar, personal, freetext, inline,
                   announcements, scheduled, errors):
        module.register(application)
    missing = unhandled(application)
    if missing:
        raise RuntimeError(f"commands without a handler: {missing}")
