"""Commands and buttons that show the event record: event, speakers, themes, institutions.

Questions in free text (and /ask) are handlers/freetext.py.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.answering import cards
from bot.answering.answer import Answer
from bot.i18n import t
from handlers import buttons
from handlers.commands import command_handlers
from handlers.common import answer_keyboard, language, send_answer, send_parts
from handlers.context import BotContext
from handlers.errors import expired

log = logging.getLogger(__name__)

PAGE_SIZE = 10


async def event_command(update: Update, context: BotContext) -> None:
    """Summary of the event: date, place, participants, chair, conclusion."""
    lang = await language(update, context)
    eng = context.services.engine
    answer = eng.event_card(eng.default_event(), lang, "/event")
    await send_answer(context, update.effective_message, answer)


def speakers_page(context: BotContext, lang: str, page: int
                  ) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of speakers: the list as text, one button per speaker, prev/next."""
    eng = context.services.engine
    answer, page, pages = eng.speakers_page(lang, eng.default_event(), page, PAGE_SIZE)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(t(lang, "button.prev"),
                                        callback_data=buttons.SPEAKERS_PAGE.encode(page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(t(lang, "button.next"),
                                        callback_data=buttons.SPEAKERS_PAGE.encode(page + 1)))
    return answer.html, answer_keyboard(answer, [nav] if nav else None)


async def speakers_command(update: Update, context: BotContext) -> None:
    """Every speaker with role, a button each; pages of ten."""
    lang = await language(update, context)
    text, keyboard = speakers_page(context, lang, 0)
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def _lookup(update: Update, context: BotContext, kind: str,
                  usage_key: str) -> None:
    lang = await language(update, context)
    message = update.effective_message
    name = " ".join(context.args or [])
    if not name.strip():
        await message.reply_text(t(lang, usage_key))
        return
    found = cards.lookup(context.services.engine, kind, name, lang)
    for answer in found.cards:
        await send_answer(context, message, answer)
    if found.cards:
        return
    answer = Answer(name, "suggestions", lang, answered=False, choices=found.suggestions)
    key = "lookup.did_you_mean" if found.suggestions else "lookup.nothing"
    answer.add(t(lang, key, name=name))
    await send_answer(context, message, answer)


async def speaker_command(update: Update, context: BotContext) -> None:
    """/speaker NAME: the card of a speaker, or "did you mean" buttons."""
    await _lookup(update, context, "person", "usage.speaker")


async def theme_command(update: Update, context: BotContext) -> None:
    """/theme NAME: who spoke about a theme and what they said."""
    await _lookup(update, context, "theme", "usage.theme")


async def institution_command(update: Update, context: BotContext) -> None:
    """/institution NAME: an institution and the people who represented it."""
    await _lookup(update, context, "institution", "usage.institution")


async def themes_command(update: Update, context: BotContext) -> None:
    """The reform themes, a button each."""
    lang = await language(update, context)
    eng = context.services.engine
    await send_answer(context, update.effective_message,
                      eng.list_themes("/themes", lang, eng.default_event()))


async def institutions_command(update: Update, context: BotContext) -> None:
    """The institutions that took part, a button each."""
    lang = await language(update, context)
    eng = context.services.engine
    await send_answer(context, update.effective_message,
                      eng.list_institutions("/institutions", lang, eng.default_event()))


async def card_button(update: Update, context: BotContext) -> None:
    """A record's button under an answer or a list: its card."""
    query = update.callback_query
    lang = await language(update, context)
    key = buttons.CARD.decode(query.data)
    answer = cards.card_by_key(context.services.engine, key, lang)
    if answer is None or query.message is None:  # no longer in the record, or inline mode
        await expired(update, context)
        return
    await query.answer()
    await send_answer(context, query.message, answer)


async def speakers_page_button(update: Update, context: BotContext) -> None:
    """Previous / Next under the speakers: show that page in the same message."""
    query = update.callback_query
    if query.message is None:
        await expired(update, context)
        return
    lang = await language(update, context)
    text, keyboard = speakers_page(context, lang, buttons.SPEAKERS_PAGE.decode(query.data))
    await query.answer()
    await query.edit_message_text(text, reply_markup=keyboard)


async def event_button(update: Update, context: BotContext) -> None:
    """The event button under /start: the event card."""
    query = update.callback_query
    if query.message is None:
        await expired(update, context)
        return
    lang = await language(update, context)
    eng = context.services.engine
    await query.answer()
    await send_answer(context, query.message, eng.event_card(eng.default_event(), lang))


async def themes_button(update: Update, context: BotContext) -> None:
    """The themes button under /start: the list of themes."""
    query = update.callback_query
    if query.message is None:
        await expired(update, context)
        return
    lang = await language(update, context)
    eng = context.services.engine
    await query.answer()
    await send_answer(context, query.message, eng.list_themes("", lang, eng.default_event()))


async def more_button(update: Update, context: BotContext) -> None:
    """More under a long answer: its next parts (kept for an hour)."""
    query = update.callback_query
    rest = context.services.continuations.take(buttons.MORE.decode(query.data))
    if rest is None or query.message is None:
        await expired(update, context)
        return
    await query.answer()
    # The More button is used (one press, one answer); the record buttons beside it stay.
    markup = query.message.reply_markup
    kept = [row for row in (markup.inline_keyboard if markup else ())
            if not any(button.callback_data == query.data for button in row)]
    await query.edit_message_reply_markup(InlineKeyboardMarkup(kept) if kept else None)
    await send_parts(context, query.message, rest)


def register(application: Application) -> None:
    """The record commands and the buttons of cards and lists."""
    application.add_handlers(command_handlers({
        "event": event_command,
        "speakers": speakers_command,
        "speaker": speaker_command,
        "themes": themes_command,
        "theme": theme_command,
        "institutions": institutions_command,
        "institution": institution_command,
    }))
    application.add_handlers([
        CallbackQueryHandler(card_button, pattern=buttons.CARD.matches),
        CallbackQueryHandler(more_button, pattern=buttons.MORE.matches),
        CallbackQueryHandler(speakers_page_button, pattern=buttons.SPEAKERS_PAGE.matches),
        CallbackQueryHandler(event_button, pattern=buttons.EVENT.matches),
        CallbackQueryHandler(themes_button, pattern=buttons.THEMES.matches),
    ])
