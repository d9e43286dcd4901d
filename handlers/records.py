"""Commands and buttons that show the event record: event, speakers, themes, institutions."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.answering import cards, questions
from bot.answering.answer import Answer
from bot.i18n import t
from handlers import basic
from handlers.common import (
    answer_keyboard,
    callback_data,
    language,
    parse_callback,
    send_answer,
)
from handlers.context import BotContext

log = logging.getLogger(__name__)

PAGE_SIZE = 10


async def event_command(update: Update, context: BotContext) -> None:
    """Summary of the event: date, place, participants, chair, conclusion."""
    lang = await language(update, context)
    eng = context.services.engine
    answer = eng.event_card(eng.default_event(), lang, "/event")
    await send_answer(update.effective_message, answer)


def speakers_page(context: BotContext, lang: str, page: int
                  ) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of speakers: the list as text, one button per speaker, prev/next."""
    eng = context.services.engine
    answer, page, pages = eng.speakers_page(lang, eng.default_event(), page, PAGE_SIZE)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(t(lang, "button.prev"),
                                        callback_data=callback_data("sp", page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(t(lang, "button.next"),
                                        callback_data=callback_data("sp", page + 1)))
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
        await send_answer(message, answer)
    if found.cards:
        return
    answer = Answer(name, "suggestions", lang, answered=False, choices=found.suggestions)
    key = "lookup.did_you_mean" if found.suggestions else "lookup.nothing"
    answer.add(t(lang, key, name=name))
    await send_answer(message, answer)


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
    await send_answer(update.effective_message,
                      eng.list_themes("/themes", lang, eng.default_event()))


async def institutions_command(update: Update, context: BotContext) -> None:
    """The institutions that took part, a button each."""
    lang = await language(update, context)
    eng = context.services.engine
    await send_answer(update.effective_message,
                      eng.list_institutions("/institutions", lang, eng.default_event()))


async def answer_question(update: Update, context: BotContext,
                          question: str) -> None:
    """Run a question through the engine, log it for /stats, reply."""
    lang = await language(update, context)
    message = update.effective_message
    if not question.strip():
        await message.reply_text(t(lang, "usage.ask"))
        return
    eng = context.services.engine
    answer = await eng.answer(question, lang)
    await questions.log_question(eng.db, answer)
    await send_answer(message, answer, quote=message.chat.type != "private")


async def ask_command(update: Update, context: BotContext) -> None:
    """/ask QUESTION: the same as writing the question in a private chat."""
    await answer_question(update, context, " ".join(context.args or []))


async def on_button(update: Update, context: BotContext) -> None:
    """Buttons of cards and lists; anything unknown or outdated is answered as expired."""
    query = update.callback_query
    parts = parse_callback(query.data)
    lang = await language(update, context)
    eng = context.services.engine
    action, args = (parts[0], parts[1:]) if parts else ("", [])
    if query.message is None:  # a button under an inline-mode message: nothing to reply to
        action = ""
    if action == "c" and len(args) == 1 and (answer := cards.card_by_key(eng, args[0], lang)):
        await query.answer()
        await send_answer(query.message, answer, answer_keyboard(answer))
    elif action == "sp" and len(args) == 1 and args[0].isdigit():
        text, keyboard = speakers_page(context, lang, int(args[0]))
        await query.answer()
        await query.edit_message_text(text, reply_markup=keyboard)
    elif action == "event" and not args:
        await query.answer()
        await send_answer(query.message, eng.event_card(eng.default_event(), lang))
    elif action == "themes" and not args:
        await query.answer()
        await send_answer(query.message, eng.list_themes("", lang, eng.default_event()))
    elif action == "langs" and not args:
        await query.answer()
        await query.message.reply_text(t(lang, "lang.choose"),
                                       reply_markup=basic.language_keyboard())
    elif action == "lang" and len(args) == 1 and args[0] in basic.LANGUAGES:
        await basic.set_language(update, context, args[0])
    else:
        await expired(update, context)


async def expired(update: Update, context: BotContext) -> None:
    """A forged or stale button: say so instead of failing."""
    lang = await language(update, context)
    await update.callback_query.answer(t(lang, "button.expired"), show_alert=True)
