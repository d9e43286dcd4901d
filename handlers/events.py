"""The archive of events: /events, and which event a command's argument names.

/event, /speakers, /themes and /institutions take an optional event (its name, place, date or
year: `/speakers Strasbourg`, `/event 2022`); without one they show the latest event, with a
button to the whole archive when it holds more than one.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.answering import cards
from bot.answering.answer import Answer
from bot.answering.engine import AnswerEngine
from bot.i18n import t
from bot.records.model import Event
from handlers import buttons
from handlers.commands import command_handlers
from handlers.common import answer_keyboard, is_private, language, send_answer
from handlers.context import BotContext
from handlers.errors import chat_button


def all_events_row(context: BotContext, lang: str) -> list[list[InlineKeyboardButton]]:
    """The button to the archive, when there is more than the one event shown."""
    count = len(context.services.engine.index.events)
    if count < 2:
        return []
    return [[InlineKeyboardButton(t(lang, "button.all_events", count=count),
                                  callback_data=buttons.EVENTS_PAGE.encode(0))]]


def events_page(context: BotContext, lang: str, page: int
                ) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the archive: the list as text, a button per event, prev/next."""
    answer, pages = cards.events_page(context.services.engine, lang, page)
    page = min(max(page, 0), pages - 1)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(t(lang, "button.prev"),
                                        callback_data=buttons.EVENTS_NAV.encode(page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(t(lang, "button.next"),
                                        callback_data=buttons.EVENTS_NAV.encode(page + 1)))
    return answer.html, answer_keyboard(answer, [nav] if nav else None)


async def chosen_event(update: Update, context: BotContext, lang: str) -> Event | None:
    """The event the command's argument names (the latest without one). When it names none
    or several, says so with buttons and returns None."""
    message: Message = update.effective_message
    text = " ".join(context.args or []).strip()
    engine = context.services.engine
    found = cards.resolve_event(engine, text)
    if len(found) == 1:
        return found[0]
    if not text and not found:  # an empty archive
        await message.reply_text(t(lang, "events.none"))
        return None
    if found:
        rows = [[InlineKeyboardButton(
            engine.ref(("event", event.id, event.id), lang).name[:60],
            callback_data=buttons.CARD.encode(event.key))] for event in found[:10]]
        await message.reply_text(t(lang, "events.which", text=text),
                                 reply_markup=InlineKeyboardMarkup(rows))
        return None
    listing, keyboard = events_page(context, lang, 0)
    await message.reply_text(f"{t(lang, 'events.not_found', text=text)}\n\n{listing}",
                             reply_markup=keyboard)
    return None


async def events_command(update: Update, context: BotContext) -> None:
    """/events: the archive, newest first, a button per event; pages of ten."""
    lang = await language(update, context)
    text, keyboard = events_page(context, lang, 0)
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def all_events_button(update: Update, context: BotContext) -> None:
    """All events (under a card): the archive's first page as a new message."""
    query = update.callback_query
    if (lang := await chat_button(update, context)) is None:
        return
    text, keyboard = events_page(context, lang, buttons.EVENTS_PAGE.decode(query.data))
    await query.answer()
    await query.message.reply_text(text, reply_markup=keyboard)


async def events_nav_button(update: Update, context: BotContext) -> None:
    """Previous / Next under the archive: that page in the same message."""
    query = update.callback_query
    if (lang := await chat_button(update, context)) is None:
        return
    text, keyboard = events_page(context, lang, buttons.EVENTS_NAV.decode(query.data))
    await query.answer()
    await query.edit_message_text(text, reply_markup=keyboard)


async def reply_for_event(update: Update, context: BotContext,
                          card: Callable[[AnswerEngine, Event, str], Answer]) -> None:
    """A card of the event the command names (the latest without one), with All events."""
    lang = await language(update, context)
    event = await chosen_event(update, context, lang)
    if event is not None:
        answer = card(context.services.engine, event, lang)
        message = update.effective_message
        await send_answer(context, message, answer, answer_keyboard(
            answer, all_events_row(context, lang), personal=is_private(message)))


async def event_command(update: Update, context: BotContext) -> None:
    """/event [name, place or year]: that event's card (the latest without an argument)."""
    await reply_for_event(update, context, cards.event_card)


def register(application: Application) -> None:
    """/events, /event and the archive's page buttons."""
    application.add_handlers(command_handlers({"events": events_command,
                                               "event": event_command}))
    application.add_handlers([
        CallbackQueryHandler(all_events_button, pattern=buttons.EVENTS_PAGE.matches),
        CallbackQueryHandler(events_nav_button, pattern=buttons.EVENTS_NAV.matches),
    ])
