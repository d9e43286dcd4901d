"""One person's requests, in a private chat: 🔔 Remind me, ➕ Follow, /following and /forget.

What is stored, and what is sent because of it, is bot.announcements.follows and
bot.announcements.notices; here are only the buttons and commands.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.announcements import follows
from bot.answering import upcoming
from bot.answering.render import format_date, pick
from bot.html import escape
from bot.i18n import t
from bot.records.model import SCHEDULED
from handlers import buttons
from handlers.commands import command_handlers
from handlers.common import is_private, language
from handlers.context import BotContext
from handlers.errors import expired

log = logging.getLogger(__name__)

# Stop buttons under /following at most (Telegram takes 100 buttons under a message; a list
# that long is read in pages of stopping anyway): the rest show as those are stopped.
MAX_LISTED = 40


async def _private_button(update: Update, context: BotContext) -> str | None:
    """The presser's language for a button in a private chat with the bot; None (after
    saying it expired) elsewhere: these buttons are only offered there."""
    message = update.callback_query.message
    if message is None or not is_private(message):
        await expired(update, context)
        return None
    return await language(update, context)


async def _private_command(update: Update, context: BotContext) -> str | None:
    """The user's language in a private chat; None (after saying where it works) elsewhere:
    what one person follows is not for a group to read."""
    lang = await language(update, context)
    if update.effective_user is None or not is_private(update.effective_message):
        await update.effective_message.reply_text(t(lang, "personal.private_only"))
        return None
    return lang


async def remind_button(update: Update, context: BotContext) -> None:
    """🔔 Remind me under an upcoming event's card: its reminders, by direct message."""
    query = update.callback_query
    if (lang := await _private_button(update, context)) is None:
        return
    key = buttons.REMIND.decode(query.data)
    services = context.services
    event = next((e for e in services.engine.index.events.values() if e.key == key), None)
    if event is None or event.starts is None or event.status != SCHEDULED \
            or not event.upcoming(upcoming.now()):
        await expired(update, context)
        return
    await query.answer()
    if not services.settings.reminder_leads:
        await query.message.reply_text(t(lang, "remind.off"))
        return
    new = await follows.remind(services.engine.db, update.effective_user.id, event.id, lang)
    now, title = upcoming.now(), escape(pick(event.title, lang))
    if not any(event.starts - dt.timedelta(seconds=lead) > now
               for lead in services.settings.reminder_leads):
        # Every reminder's moment has passed: say so (a change is still told).
        await query.message.reply_text(t(lang, "remind.too_soon", title=title,
                                         countdown=upcoming.countdown(event.starts, now, lang)))
        return
    await query.message.reply_text(t(lang, "remind.on" if new else "remind.already",
                                     title=title))


async def follow_button(update: Update, context: BotContext) -> None:
    """➕ Follow under a card: news of the person, theme or institution, by direct message."""
    query = update.callback_query
    if (lang := await _private_button(update, context)) is None:
        return
    engine = context.services.engine
    entity = engine.lookup_key(buttons.FOLLOW.decode(query.data))
    if entity is None or entity[0] not in follows.KINDS:
        await expired(update, context)
        return
    kind, _, target = entity
    new = await follows.follow(engine.db, update.effective_user.id, kind, target, lang)
    await query.answer()
    await query.message.reply_text(t(lang, "follow.on" if new else "follow.already",
                                     name=escape(engine.ref(entity, lang).name)))


def _name(context: BotContext, request: follows.Request, lang: str) -> str:
    """What a follow or reminder is called now; its id if the records no longer have it."""
    index = context.services.engine.index
    if request.kind == "event":
        event = index.events.get(request.target)
        return (f"{pick(event.title, lang)}, {format_date(event.date, lang)}" if event
                else request.target)
    if request.kind == "theme":
        theme = next((th for th in index.themes.values() if th.id == request.target), None)
        return pick(theme.name, lang) if theme else request.target
    table = index.people if request.kind == "person" else index.institutions
    record = table.get(request.target)
    return pick(record.name, lang) if record else request.target


async def _following(context: BotContext, user_id: int, lang: str
                     ) -> tuple[str, InlineKeyboardMarkup | None]:
    """The /following message: what the user follows, their reminders, a stop button each."""
    found = await follows.requests(context.services.engine.db, user_id)
    if not found:
        return t(lang, "following.none"), None
    hidden, found = len(found) - MAX_LISTED, found[:MAX_LISTED]
    lines, rows = [], []
    for reminders, header in ((False, "following.header"), (True, "following.reminders")):
        part = [r for r in found if (r.kind == "event") == reminders]
        if not part:
            continue
        lines += ["", t(lang, header)] if lines else [t(lang, header)]
        codec = buttons.STOP_REMINDER if reminders else buttons.STOP_FOLLOW
        for request in part:
            name = _name(context, request, lang)
            lines.append(f"• {escape(name)}")
            rows.append([InlineKeyboardButton(t(lang, "button.stop", name=name[:60]),
                                              callback_data=codec.encode(request.number))])
    lines += [t(lang, "following.more", count=hidden)] if hidden > 0 else []
    lines += ["", t(lang, "following.how_to_stop")]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def following_command(update: Update, context: BotContext) -> None:
    """/following: what you follow and the reminders you asked for, a button to stop each."""
    if (lang := await _private_command(update, context)) is None:
        return
    text, keyboard = await _following(context, update.effective_user.id, lang)
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def stop_button(update: Update, context: BotContext) -> None:
    """✖ under /following: stop that follow or reminder, and show the list as it is now."""
    query = update.callback_query
    if (lang := await _private_button(update, context)) is None:
        return
    reminder = buttons.STOP_REMINDER.matches(query.data)
    codec = buttons.STOP_REMINDER if reminder else buttons.STOP_FOLLOW
    user_id = update.effective_user.id
    await follows.stop(context.services.engine.db, user_id, reminder, codec.decode(query.data))
    await query.answer(t(lang, "following.stopped"))
    text, keyboard = await _following(context, user_id, lang)
    await query.edit_message_text(text, reply_markup=keyboard)


async def forget_command(update: Update, context: BotContext) -> None:
    """/forget: after a confirmation, delete everything the bot stores about you."""
    if (lang := await _private_command(update, context)) is None:
        return
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(t(lang, "button.forget"), callback_data=buttons.FORGET.encode(None)),
        InlineKeyboardButton(t(lang, "button.keep"),
                             callback_data=buttons.FORGET_CANCEL.encode(None)),
    ]])
    await update.effective_message.reply_text(t(lang, "forget.confirm"), reply_markup=keyboard)


async def forget_button(update: Update, context: BotContext) -> None:
    """Delete everything under /forget: follows, reminders, language, deliveries to come."""
    query = update.callback_query
    if (lang := await _private_button(update, context)) is None:
        return
    services, user_id = context.services, update.effective_user.id
    deleted = await follows.forget(services.engine.db, user_id)
    services.languages.invalidate(user_id)  # the /lang choice went with the rest
    log.info("a user asked to be forgotten: %d row(s) deleted", deleted)
    await query.answer()
    await query.edit_message_text(t(lang, "forget.done"))


async def keep_button(update: Update, context: BotContext) -> None:
    """Cancel under /forget: nothing is deleted."""
    query = update.callback_query
    if (lang := await _private_button(update, context)) is None:
        return
    await query.answer()
    await query.edit_message_text(t(lang, "forget.kept"))


def register(application: Application) -> None:
    """Remind me, Follow, /following with its stop buttons, /forget with its confirmation."""
    application.add_handlers(command_handlers({"following": following_command,
                                               "forget": forget_command}))
    application.add_handlers([
        CallbackQueryHandler(remind_button, pattern=buttons.REMIND.matches),
        CallbackQueryHandler(follow_button, pattern=buttons.FOLLOW.matches),
        CallbackQueryHandler(stop_button, pattern=buttons.STOP_FOLLOW.matches),
        CallbackQueryHandler(stop_button, pattern=buttons.STOP_REMINDER.matches),
        CallbackQueryHandler(forget_button, pattern=buttons.FORGET.matches),
        CallbackQueryHandler(keep_button, pattern=buttons.FORGET_CANCEL.matches),
    ])
