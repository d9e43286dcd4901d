"""Questions in free text: every message in a private chat, in groups what is addressed to the
bot, and /ask. The engine answers; the question is logged for /stats."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.i18n import t
from handlers.commands import command_handlers
from handlers.common import (
    AddressedToBot,
    question_language,
    reply_text,
    send_answer,
    strip_mention,
)
from handlers.context import BotContext


async def answer_question(update: Update, context: BotContext, question: str) -> None:
    """Run a question through the engine, log it for /stats, reply."""
    lang = await question_language(update, context, question)
    message = update.effective_message
    if not question.strip():
        await message.reply_text(t(lang, "usage.ask"))
        return
    answer = await context.services.engine.answer(question, lang)
    context.services.question_log.record(answer)
    await send_answer(context, message, answer, quote=message.chat.type != "private")


async def ask_command(update: Update, context: BotContext) -> None:
    """/ask QUESTION: the same as writing the question in a private chat."""
    await answer_question(update, context, " ".join(context.args or []))


async def private_text(update: Update, context: BotContext) -> None:
    """A question in a private chat."""
    await answer_question(update, context, update.effective_message.text or "")


async def group_text(update: Update, context: BotContext) -> None:
    """A group message that mentions the bot or replies to it."""
    await answer_question(update, context, strip_mention(update.effective_message))


async def not_text(update: Update, context: BotContext) -> None:
    """A photo, sticker or voice message in a private chat: say what the bot can read."""
    await reply_text(update, context, "text_only")


def register(application: Application) -> None:
    """/ask and the messages that are questions."""
    application.add_handlers(command_handlers({"ask": ask_command}))
    application.add_handlers([
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND,
                       private_text),
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND
                       & AddressedToBot(), group_text),
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.TEXT,
                       not_text),
    ])
