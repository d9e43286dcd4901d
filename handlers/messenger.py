"""The announcement sender's Messenger over python-telegram-bot: Telegram's errors by kind.

bot.announcements.broadcast decides what a failure means for the outbox; this module only
says which kind of failure a Telegram error is (bot.announcements.delivery).
"""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.helpers import create_deep_linked_url
from telegram.warnings import PTBDeprecationWarning

from bot.announcements.delivery import (
    Button,
    DeliveryError,
    Flood,
    Gone,
    Moved,
    Post,
    Refused,
    Transient,
)


class TelegramMessenger:
    """Posts and deletes as `bot`; every TelegramError comes out as a DeliveryError."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @property
    def username(self) -> str:
        return self.bot.username

    def deep_link(self, payload: str) -> str:
        return create_deep_linked_url(self.bot.username, payload)

    async def post(self, chat_id: int, post: Post) -> int:
        try:
            message = await self.bot.send_message(chat_id, post.text,
                                                  reply_markup=url_keyboard(post.button))
        except TelegramError as error:
            raise delivery_error(error) from error
        return message.message_id

    async def delete(self, chat_id: int, message_id: int) -> None:
        try:
            await self.bot.delete_message(chat_id, message_id)
        except BadRequest as error:
            if "not found" in str(error).lower():  # already deleted by someone: fine
                return
            raise Refused(str(error)) from error
        except TelegramError as error:
            raise delivery_error(error) from error


def delivery_error(error: TelegramError) -> DeliveryError:
    """Which kind of failure a Telegram error is, keeping its text."""
    if isinstance(error, RetryAfter):
        return Flood(str(error), retry_after_seconds(error))
    if isinstance(error, ChatMigrated):
        return Moved(str(error), error.new_chat_id)
    if isinstance(error, Forbidden):
        return Gone(str(error))
    if isinstance(error, BadRequest):  # before NetworkError, of which it is a subclass
        return Gone(str(error)) if "chat not found" in str(error).lower() else Refused(str(error))
    return Transient(f"{type(error).__name__}: {error}", network=isinstance(error, NetworkError))


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # an int today, a timedelta in a later PTB
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def url_keyboard(button: Button | None) -> InlineKeyboardMarkup | None:
    """A post's URL button as Telegram's keyboard."""
    if button is None:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(button.label, url=button.url)]])
