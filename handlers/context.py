"""The context every handler and job gets: PTB's CallbackContext with the typed Services."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.services import Services


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], Services]):
    @property
    def services(self) -> Services:
        """The engine, settings, language choices and sender (bot_data, typed)."""
        return self.bot_data


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=Services)
