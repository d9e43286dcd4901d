"""Inline mode: '@ThisBot perep' offers cards to share in any chat."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.ext import Application, InlineQueryHandler
from telegram.helpers import create_deep_linked_url

from bot.answering import cards
from bot.i18n import t
from handlers.common import question_language
from handlers.context import BotContext

MAX_RESULTS = 50  # Telegram refuses more


async def inline_query(update: Update, context: BotContext) -> None:
    """Cards whose names match the query, each with a button that opens the bot."""
    query = update.inline_query
    lang = await question_language(update, context, query.query)
    results = []
    for answer in cards.inline_cards(context.services.engine, query.query, lang, MAX_RESULTS):
        ref = answer.entities[0]
        link = create_deep_linked_url(context.bot.username,
                                      cards.link_payload(ref.kind, ref.key))
        description = answer.text.split("\n\n", 1)[0][:120]
        results.append(InlineQueryResultArticle(
            id=ref.key,
            title=ref.name[:100],
            description=description,
            input_message_content=InputTextMessageContent(answer.html_chunks()[0]),
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton(t(lang, "button.open_bot"), url=link)]]),
        ))
    await query.answer(results[:MAX_RESULTS], cache_time=60, is_personal=True)


def register(application: Application) -> None:
    """Inline mode."""
    application.add_handler(InlineQueryHandler(inline_query))
