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
from bot.records.model import Event
from handlers import buttons
from handlers.commands import command_handlers
from handlers.common import answer_keyboard, language, send_answer, send_parts
from handlers.context import BotContext
from handlers.errors import chat_button, expired
from handlers.events import all_events_row, chosen_event, reply_for_event

log = logging.getLogger(__name__)

PAGE_SIZE = 10


def speakers_page(context: BotContext, lang: str, event: Event | None, page: int
                  ) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of an event's speakers: the list as text, a button each, prev/next."""
    eng = context.services.engine
    answer, page, pages = eng.speakers_page(lang, event, page, PAGE_SIZE)
    key = event.key if event else ""
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(
            t(lang, "button.prev"),
            callback_data=buttons.EVENT_SPEAKERS_PAGE.encode((key, page - 1))))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(
            t(lang, "button.next"),
            callback_data=buttons.EVENT_SPEAKERS_PAGE.encode((key, page + 1))))
    rows = [nav] if nav else []
    return answer.html, answer_keyboard(answer, rows + all_events_row(context, lang))


async def speakers_command(update: Update, context: BotContext) -> None:
    """/speakers [event]: every speaker with their role, a button each; pages of ten."""
    lang = await language(update, context)
    event = await chosen_event(update, context, lang)
    if event is None:
        return
    text, keyboard = speakers_page(context, lang, event, 0)
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
    """/themes [event]: the event's themes, a button each."""
    await reply_for_event(update, context, cards.themes_card)


async def institutions_command(update: Update, context: BotContext) -> None:
    """/institutions [event]: the institutions that took part, a button each."""
    await reply_for_event(update, context, cards.institutions_card)


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
    if (lang := await chat_button(update, context)) is None:
        return
    eng = context.services.engine
    if buttons.SPEAKERS_PAGE.matches(query.data):  # a button from before events had keys
        event, page = eng.default_event(), buttons.SPEAKERS_PAGE.decode(query.data)
    else:
        key, page = buttons.EVENT_SPEAKERS_PAGE.decode(query.data)
        event = next((e for e in eng.index.events.values() if e.key == key), None)
        if event is None:  # no longer in the archive
            await expired(update, context)
            return
    text, keyboard = speakers_page(context, lang, event, page)
    await query.answer()
    await query.edit_message_text(text, reply_markup=keyboard)


async def event_button(update: Update, context: BotContext) -> None:
    """The event button under /start: the event card."""
    query = update.callback_query
    if (lang := await chat_button(update, context)) is None:
        return
    eng = context.services.engine
    await query.answer()
    await send_answer(context, query.message, eng.event_card(eng.default_event(), lang))


async def themes_button(update: Update, context: BotContext) -> None:
    """The themes button under /start: the list of themes."""
    query = update.callback_query
    if (lang := await chat_button(update, context)) is None:
        return
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
        CallbackQueryHandler(speakers_page_button,
                             pattern=buttons.EVENT_SPEAKERS_PAGE.matches),
        CallbackQueryHandler(event_button, pattern=buttons.EVENT.matches),
        CallbackQueryHandler(themes_button, pattern=buttons.THEMES.matches),
    ])
