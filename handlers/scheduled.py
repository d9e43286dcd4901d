"""Scheduled announcements: the times under /announce's preview, `/announce at TIME`, a reply
with a time to the preview, and the list of what is scheduled with a Cancel for each.

Admins only, as /announce. Times are read and shown in the event's time zone
(bot.announcements.schedule); the sender lets an announcement go when its time comes.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from typing import NamedTuple

import aiosqlite
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.announcements import outbox, schedule
from bot.answering.engine import pick
from bot.answering.upcoming import offset_name
from bot.html import escape
from bot.i18n import t
from bot.records.model import Event
from handlers import buttons
from handlers.buttons import Codec
from handlers.common import is_bot_admin, language, refuse_non_admin
from handlers.context import BotContext

log = logging.getLogger(__name__)

# '/announce at 2026-03-11 18:00 TEXT': the time, then the text (if any).
_AT = re.compile(rf"at\s+({schedule.LOOKS_LIKE.pattern})\s*", re.IGNORECASE)
SNIPPET = 60  # characters of an own text shown in the list


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def split_at(argument: str) -> tuple[str | None, str]:
    """'at 18:00 Doors open' -> ('18:00', 'Doors open'); text without a time as it was."""
    match = _AT.match(argument)
    if match is None:
        return None, argument
    return match.group(1), argument[match.end():]


def event_and_zone(context: BotContext, event_id: str | None) -> tuple[Event | None, dt.tzinfo]:
    event = context.services.engine.index.events.get(event_id) if event_id else None
    return event, schedule.zone_of(event, context.services.settings.zone)


def read_time(text: str, zone: dt.tzinfo, lang: str) -> dt.datetime | str:
    """The moment typed, or the one line that says why it is not one."""
    try:
        return schedule.parse(text, zone, now())
    except schedule.InThePast as error:
        return t(lang, "ann.time.past", time=schedule.show(error.moment, zone))
    except schedule.Unreadable:
        return t(lang, "ann.time.unreadable", text=escape(text.strip()[:40]),
                 zone=offset_name(now().astimezone(zone)))


def time_rows(lang: str, announcement_id: int, event: Event | None, zone: dt.tzinfo,
              typed: dt.datetime | None = None) -> list[list[InlineKeyboardButton]]:
    """A button for the time typed, else one for each preset still ahead."""
    choices = [("typed", typed)] if typed else schedule.presets(event, zone, now())
    return [[InlineKeyboardButton(
        t(lang, f"ann.at.{choice}", time=schedule.show(moment, zone)),
        callback_data=buttons.ANNOUNCE_AT.encode(
            (announcement_id, str(int(moment.timestamp())) if choice == "typed" else choice)),
    )] for choice, moment in choices]


def when_line(lang: str, zone: dt.tzinfo, typed: dt.datetime | None) -> str:
    if typed is not None:
        return t(lang, "ann.preview.at", time=schedule.show(typed, zone))
    return t(lang, "ann.preview.when", zone=offset_name(now().astimezone(zone)))


async def _schedule(context: BotContext, announcement_id: int, moment: dt.datetime,
                    zone: dt.tzinfo, lang: str) -> tuple[bool, str]:
    """Schedule the draft: whether it was, and the line to show (or why not)."""
    try:
        schedule.ahead(moment, now())
    except schedule.InThePast:
        return False, t(lang, "ann.time.past", time=schedule.show(moment, zone))
    if not await outbox.schedule(context.services.engine.db, announcement_id,
                                 moment.timestamp()):
        return False, t(lang, "ann.already")
    log.info("announcement %d scheduled for %s", announcement_id, moment.isoformat())
    if context.services.broadcaster is not None:
        context.services.broadcaster.wake()  # its next round counts down to this one
    return True, t(lang, "ann.scheduled", id=announcement_id, time=schedule.show(moment, zone))


async def schedule_button(update: Update, context: BotContext) -> None:
    """A time under a preview: the draft is scheduled for it."""
    if await refuse_non_admin(update, context):
        return
    query = update.callback_query
    lang = await language(update, context)
    announcement_id, when = buttons.ANNOUNCE_AT.decode(query.data)
    row = await outbox.announcement(context.services.engine.db, announcement_id)
    if row is None or row["status"] != "draft":
        await query.answer(t(lang, "ann.already"), show_alert=True)
        return
    event, zone = event_and_zone(context, row["event_id"])
    moment = (schedule.preset(when, event, zone, now()) if when in schedule.PRESETS
              else dt.datetime.fromtimestamp(int(when), dt.UTC))
    if moment is None:  # the event was cancelled or lost its time since the preview
        await query.answer(t(lang, "ann.already"), show_alert=True)
        return
    done, line = await _schedule(context, announcement_id, moment, zone, lang)
    if done:
        await query.answer()
        await query.edit_message_text(line)
    else:  # e.g. "1 hour before" pressed when the event starts in 30 minutes
        await query.answer(line, show_alert=True)


async def reply_with_time(update: Update, context: BotContext) -> None:
    """An admin's reply to a preview with a time ('18:00', '2026-03-11 18:00')."""
    message = update.effective_message
    announcement_id = _preview_of(message.reply_to_message)
    if announcement_id is None or not is_bot_admin(update, context):
        return  # not about a preview: a question for the engine like any other
    lang = await language(update, context)
    row = await outbox.announcement(context.services.engine.db, announcement_id)
    if row is None or row["status"] != "draft":
        await message.reply_text(t(lang, "ann.already"))
        raise ApplicationHandlerStop
    _, zone = event_and_zone(context, row["event_id"])
    moment = read_time(message.text, zone, lang)
    if isinstance(moment, str):
        await message.reply_text(moment)
        raise ApplicationHandlerStop
    done, line = await _schedule(context, announcement_id, moment, zone, lang)
    await message.reply_text(line)
    if done:  # the preview's buttons would only say "already scheduled" now
        await message.reply_to_message.edit_text(line)
    raise ApplicationHandlerStop


def _preview_of(message: Message | None) -> int | None:
    """The draft whose preview this message is (its Send button says which)."""
    markup = message.reply_markup if message is not None else None
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if buttons.ANNOUNCE_SEND.matches(button.callback_data):
                return buttons.ANNOUNCE_SEND.decode(button.callback_data)
            if buttons.ANNOUNCE_AT.matches(button.callback_data):
                return buttons.ANNOUNCE_AT.decode(button.callback_data)[0]
    return None


# ----- the list ------------------------------------------------------------------------------


async def listing(context: BotContext, lang: str) -> tuple[str, InlineKeyboardMarkup] | None:
    """What is scheduled, soonest first, with a Cancel button for each; None if nothing."""
    rows = await outbox.scheduled(context.services.engine.db)
    if not rows:
        return None
    lines, keyboard = [t(lang, "ann.schedule.header")], []
    for row in rows:
        event, zone = event_and_zone(context, row["event_id"])
        lines.append(t(lang, "ann.schedule.item", id=row["id"],
                       time=schedule.show(row["send_at"], zone), what=_what(row, event, lang)))
        keyboard.append([InlineKeyboardButton(
            t(lang, "ann.button.unschedule", id=row["id"]),
            callback_data=buttons.ANNOUNCE_UNSCHEDULE.encode(row["id"]))])
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def _what(row: aiosqlite.Row, event: Event | None, lang: str) -> str:
    if row["text"]:
        plain = html.unescape(re.sub(r"<[^>]+>", "", row["text"])).strip()
        plain = " ".join(plain.split())
        return escape(plain[:SNIPPET] + ("…" if len(plain) > SNIPPET else ""))
    title = pick(event.title, lang) if event else row["event_id"] or ""
    return t(lang, "ann.schedule.event", title=escape(title))


async def send_listing(message: Message, context: BotContext, lang: str) -> None:
    """Under /announce: what is scheduled, if anything."""
    found = await listing(context, lang)
    if found is not None:
        await message.reply_text(found[0], reply_markup=found[1])


class Pressed(NamedTuple):
    """An admin's press of a button that moves an announcement from one status to another."""
    query: CallbackQuery
    lang: str
    announcement_id: int
    moved: bool  # False: it had left the expected status already, and the presser was told


async def move_by_button(update: Update, context: BotContext, codec: Codec[int], new: str,
                         old: tuple[str, ...]) -> Pressed | None:
    """What Send, Cancel and the list's Cancel share: None for a non-admin (refused), else
    the announcement the button names moved from `old` to `new` if it still was in `old`;
    if not, 'already' is answered in an alert (a second press, or another admin's)."""
    if await refuse_non_admin(update, context):
        return None
    query = update.callback_query
    lang = await language(update, context)
    announcement_id = codec.decode(query.data)
    moved = await outbox.set_status(context.services.engine.db, announcement_id, new, old)
    if not moved:
        await query.answer(t(lang, "ann.already"), show_alert=True)
    return Pressed(query, lang, announcement_id, moved)


async def unschedule_button(update: Update, context: BotContext) -> None:
    """Cancel in the list: the scheduled announcement is never sent (final)."""
    pressed = await move_by_button(update, context, buttons.ANNOUNCE_UNSCHEDULE, "cancelled",
                                   ("scheduled",))
    if pressed is None:
        return
    query, lang, announcement_id, moved = pressed
    if moved:
        log.info("scheduled announcement %d cancelled", announcement_id)
        await query.answer(t(lang, "ann.schedule.cancelled", id=announcement_id))
    found = await listing(context, lang)
    if found is None:
        await query.edit_message_text(t(lang, "ann.schedule.none"))
    else:
        await query.edit_message_text(found[0], reply_markup=found[1])


def register(application: Application) -> None:
    """The time buttons, the list's Cancel, and replies with a time (before free text)."""
    application.add_handlers([
        CallbackQueryHandler(schedule_button, pattern=buttons.ANNOUNCE_AT.matches),
        CallbackQueryHandler(unschedule_button, pattern=buttons.ANNOUNCE_UNSCHEDULE.matches),
    ])
    # Group -1: seen before the free-text handler, which stops here only for a preview's time.
    time_only = filters.Regex(rf"^\s*{schedule.LOOKS_LIKE.pattern}\s*$")
    application.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & filters.REPLY & filters.TEXT & ~filters.COMMAND & time_only,
        reply_with_time), group=-1)
