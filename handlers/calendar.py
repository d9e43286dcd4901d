"""📅 Add to calendar, under an upcoming event's card: its .ics file, as a document."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.answering import upcoming
from bot.answering.render import pick
from bot.html import escape
from bot.records.ics import event_ics
from handlers import buttons
from handlers.common import language
from handlers.context import BotContext
from handlers.errors import expired

log = logging.getLogger(__name__)


async def calendar_button(update: Update, context: BotContext) -> None:
    """Add to calendar: the event's .ics file, while it is still to come."""
    query = update.callback_query
    key = buttons.CALENDAR.decode(query.data)
    events = context.services.engine.index.events.values()
    event = next((e for e in events if e.key == key), None)
    now = upcoming.now()
    if event is None or event.starts is None or not event.upcoming(now) \
            or query.message is None:  # gone from the records, over, or in inline mode
        await expired(update, context)
        return
    lang = await language(update, context)
    data = event_ics(event, lang, upcoming.time_span(event), now.astimezone(dt.UTC))
    await query.answer()
    await query.message.reply_document(InputFile(data, filename=f"{event.id}.ics"),
                                       caption=escape(pick(event.title, lang)))


def register(application: Application) -> None:
    """The calendar button."""
    application.add_handler(CallbackQueryHandler(calendar_button,
                                                 pattern=buttons.CALENDAR.matches))
