"""Free text: every message in a private chat, and in groups only what is addressed to the bot."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from handlers.common import AddressedToBot, reply_text, strip_mention
from handlers.context import BotContext
from handlers.records import answer_question


async def private_text(update: Update, context: BotContext) -> None:
    """A question in a private chat."""
    await answer_question(update, context, update.effective_message.text or "")


async def group_text(update: Update, context: BotContext) -> None:
    """A group message that mentions the bot or replies to it."""
    await answer_question(update, context, strip_mention(update.effective_message))


async def not_text(update: Update, context: BotContext) -> None:
    """A photo, sticker or voice message in a private chat: say what the bot can read."""
    await reply_text(update, context, "text_only")


HANDLERS = [
    MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, private_text),
    MessageHandler(
        filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND & AddressedToBot(), group_text
    ),
    MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.TEXT,
                   not_text),
]
