"""Announcements: /announce, /retract, /stats for bot admins; /subscribe in groups; membership.

The sending itself is bot.announcements.broadcast.Broadcaster, one task started by
`start_sender`, posting through handlers.messenger.TelegramMessenger.
"""

from __future__ import annotations

import logging
from functools import partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot import chats
from bot.announcements import content, outbox, reports, subscriptions
from bot.announcements.broadcast import Broadcaster
from bot.answering import cards, questions
from bot.answering.engine import pick
from bot.html import escape
from bot.i18n import t, tn
from bot.services import Services
from handlers import buttons, scheduled
from handlers.commands import command_handlers
from handlers.common import is_chat_admin, language, refuse_non_admin
from handlers.context import BotContext
from handlers.messenger import TelegramMessenger, url_keyboard

log = logging.getLogger(__name__)

GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)
GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


async def targets(context: BotContext) -> list[int]:
    """The chats an announcement would be posted to now."""
    return await subscriptions.announcement_targets(
        context.services.engine.db, context.services.settings.announce_chat_ids)


def command_argument_html(message: Message) -> str:
    """The HTML of what follows the command, formatting kept ('' if nothing)."""
    html = message.text_html or ""
    parts = html.split(maxsplit=1)
    if not parts or not parts[0].startswith("/"):
        return ""
    return html[len(parts[0]):].strip()


# ----- /announce ---------------------------------------------------------------------------


async def announce_command(update: Update, context: BotContext) -> None:
    """/announce [at TIME] [TEXT]: admins see a preview, the number of target chats, Send now,
    the times to schedule it for, Cancel; then what is already scheduled."""
    if await refuse_non_admin(update, context):
        return
    lang = await language(update, context)
    message = update.effective_message
    if update.effective_chat.type != ChatType.PRIVATE:
        await message.reply_text(t(lang, "ann.private_only"))
        return
    eng = context.services.engine
    event = eng.default_event()
    typed, custom = scheduled.split_at(command_argument_html(message))
    zone = scheduled.event_and_zone(context, event.id if event else None)[1]
    moment = scheduled.read_time(typed, zone, lang) if typed else None
    if isinstance(moment, str):  # unreadable, or past
        await message.reply_text(moment)
        return
    if not custom and event is None:
        await message.reply_text(t(lang, "ann.no_event"))
        await scheduled.send_listing(message, context, lang)
        return
    messenger = TelegramMessenger(context.bot)
    url = messenger.deep_link(cards.link_payload("event", event.key)) if event else None
    announcement_id = await outbox.create_draft(
        eng.db, event_id=event.id if event else None, text=custom, button_url=url,
        created_by=update.effective_user.id,
    )
    row = {"event_id": event.id if event else None, "text": custom, "button_url": url,
           "reminder_lead": None}
    post = content.render(eng, row, lang, messenger)
    await message.reply_text(post.text, reply_markup=url_keyboard(post.button))
    count = len(await targets(context))
    lines = [tn(lang, "ann.preview", count, id=announcement_id)]
    if not custom:
        lines.append(t(lang, "ann.preview.languages"))
    send = InlineKeyboardButton(t(lang, "ann.button.send"),
                                callback_data=buttons.ANNOUNCE_SEND.encode(announcement_id))
    cancel = InlineKeyboardButton(t(lang, "ann.button.cancel"),
                                  callback_data=buttons.ANNOUNCE_CANCEL.encode(announcement_id))
    rows = [[send, cancel] if count else [cancel]]
    if count:
        lines.append(scheduled.when_line(lang, zone, moment))
        times = scheduled.time_rows(lang, announcement_id, event, zone, moment)
        rows = [*times, [cancel]] if moment else [*rows, *times]
    else:
        lines.append(t(lang, "ann.no_targets"))
    await message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))
    if not typed and not custom:
        await scheduled.send_listing(message, context, lang)


async def send_button(update: Update, context: BotContext) -> None:
    """Send under a preview: approve the draft; the sender posts it."""
    pressed = await scheduled.move_by_button(update, context, buttons.ANNOUNCE_SEND, "approved",
                                             ("draft",))
    if pressed is None or not pressed.moved:
        return
    wake_sender(context)
    count = len(await targets(context))
    await pressed.query.answer()
    await pressed.query.edit_message_text(
        tn(pressed.lang, "ann.sending", count, id=pressed.announcement_id))


async def cancel_button(update: Update, context: BotContext) -> None:
    """Cancel under a preview: the draft is never sent."""
    pressed = await scheduled.move_by_button(update, context, buttons.ANNOUNCE_CANCEL,
                                             "cancelled", ("draft",))
    if pressed is None or not pressed.moved:
        return
    await pressed.query.answer()
    await pressed.query.edit_message_text(t(pressed.lang, "ann.cancelled"))


# ----- /retract ----------------------------------------------------------------------------


async def retract_command(update: Update, context: BotContext) -> None:
    """/retract [ID]: admins delete the last announcement (or #ID) from every chat it reached."""
    if await refuse_non_admin(update, context):
        return
    lang = await language(update, context)
    message = update.effective_message
    args = context.args or []
    if len(args) > 1 or (args and not args[0].lstrip("#").isdigit()):
        await message.reply_text(t(lang, "ann.retract.usage"))
        return
    chosen = int(args[0].lstrip("#")) if args else None
    db = context.services.engine.db
    if chosen is not None and await outbox.set_status(db, chosen, "cancelled", ("scheduled",)):
        # Not sent yet: taking it back means it never goes out.
        await message.reply_text(t(lang, "ann.schedule.cancelled", id=chosen))
        return
    found = await outbox.start_retract(db, update.effective_user.id, chosen)
    if found is None:
        await message.reply_text(t(lang, "ann.retract.none"))
        return
    announcement_id, reached = found
    wake_sender(context)
    await message.reply_text(tn(lang, "ann.retract.started", reached, id=announcement_id))


# ----- /subscribe, /unsubscribe ------------------------------------------------------------


async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe in a group: its administrators turn announcements on."""
    await _subscription(update, context, subscribed=True)


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe in a group: its administrators turn announcements off."""
    await _subscription(update, context, subscribed=False)


async def _subscription(update: Update, context: BotContext,
                        subscribed: bool) -> None:
    lang = await language(update, context)
    message, chat = update.effective_message, update.effective_chat
    if chat.type not in GROUP_TYPES:
        await message.reply_text(t(lang, "sub.groups_only"))
        return
    if not await is_chat_admin(update, context):
        await message.reply_text(t(lang, "sub.admins_only"))
        return
    await chats.upsert_chat(context.services.engine.db, chat.id, chat.type, chat.title or "",
                            subscribed=int(subscribed), active=1)
    await message.reply_text(t(lang, "sub.on" if subscribed else "sub.off"))


# ----- membership --------------------------------------------------------------------------


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """The bot was removed, blocked or (re-)added: keep the targets right; offer /subscribe."""
    change = update.my_chat_member
    chat, db = change.chat, context.services.engine.db
    old, new = change.old_chat_member, change.new_chat_member
    title = chat.title or ""  # no names of private users
    if not _is_in(new):
        log.info("bot removed from chat %s (%s)", chat.id, new.status)
        await chats.upsert_chat(db, chat.id, chat.type, title, active=0)
        return
    if _is_in(old):
        await chats.upsert_chat(db, chat.id, chat.type, title, active=1)
        return
    log.info("bot added to chat %s (%s)", chat.id, chat.type)
    if chat.type not in GROUP_TYPES:
        await chats.upsert_chat(db, chat.id, chat.type, title, active=1)
        return
    # A group that removed the bot chooses again: announcements only after a new /subscribe.
    await chats.upsert_chat(db, chat.id, chat.type, title, active=1, subscribed=0)
    lang = await language(update, context)
    event = context.services.engine.default_event()
    name = escape(pick(event.title, lang)) if event else ""
    try:
        await context.bot.send_message(chat.id, t(lang, "sub.offer", event=name,
                                                  bot=escape(context.bot.username)))
    except TelegramError as error:  # e.g. the bot may not write there
        log.info("could not offer /subscribe in %s: %s", chat.id, error)


def _is_in(member: object) -> bool:
    status = getattr(member, "status", None)
    if status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return status is not None and status not in GONE


async def on_migrate(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its subscription and pending posts follow the new id."""
    message = update.effective_message
    if not message.migrate_to_chat_id:
        return
    old_id, new_id = message.chat.id, message.migrate_to_chat_id
    await subscriptions.move_chat(context.services.engine.db, old_id, new_id,
                                  was_target=old_id in context.services.settings.announce_chat_ids)
    wake_sender(context)


# ----- /stats ------------------------------------------------------------------------------


async def stats_command(update: Update, context: BotContext) -> None:
    """/stats: admins see the last 7 days of questions, top records and subscriptions."""
    if await refuse_non_admin(update, context):
        return
    lang = await language(update, context)
    eng = context.services.engine
    await context.services.flush_questions()  # what was asked up to now counts
    stats = await questions.question_stats(eng.db, days=7)
    lines = [t(lang, "stats.header", days=stats.days),
             t(lang, "stats.questions", total=stats.total, answered=stats.answered,
               unanswered=stats.total - stats.answered)]
    for kind, key in (("theme", "stats.top_themes"), ("person", "stats.top_speakers")):
        lines += ["", t(lang, key)]
        top = stats.top(kind)
        lines += [f"• {escape(_name(context, entity, lang))} — {count}" for entity, count in top]
        if not top:
            lines.append(t(lang, "stats.none"))
    lines += ["", t(lang, "stats.chats", count=len(await targets(context)),
                    inactive=await subscriptions.inactive_chat_count(eng.db))]
    latest = await outbox.latest_announcement(eng.db)
    result = await reports.delivery(eng.db, latest) if latest else None
    if result:
        lines.append(t(lang, "stats.announcement", id=result.announcement_id,
                       status=result.status, sent=result.sent, failed=result.failed,
                       pending=result.pending))
    lines += ["", t(lang, "stats.unanswered")]
    lines += [f"• {escape(asked_at[:16])} — {escape(text)}" for asked_at, text in stats.unanswered]
    if not stats.unanswered:
        lines.append(t(lang, "stats.none"))
    await update.effective_message.reply_text("\n".join(lines))


def _name(context: BotContext, entity: tuple[str, str, str], lang: str) -> str:
    try:
        return context.services.engine.ref(entity, lang).name
    except KeyError:  # no longer in the record
        return entity[2]


# ----- registration ------------------------------------------------------------------------


async def start_sender(application: Application) -> None:
    """Start hook: recover from a crash, then run the one sender once the application runs."""
    services: Services = application.bot_data
    broadcaster = Broadcaster(TelegramMessenger(application.bot), services.engine,
                              services.settings, running=lambda: application.running)
    services.broadcaster = broadcaster
    await broadcaster.recover()

    async def launch(context: BotContext) -> None:
        # Started from the JobQueue so that the application is running: stop() then waits
        # for the sender to finish the posts in flight.
        context.application.create_task(broadcaster.run(), name="announcement-sender")

    application.job_queue.run_once(launch, 0, name="announcement-sender")


def wake_sender(context: BotContext) -> None:
    """Something to post or delete: the sender starts now instead of at its next poll."""
    if context.services.broadcaster is not None:
        context.services.broadcaster.wake()


def register(application: Application) -> None:
    """Admins' and groups' commands, the preview buttons, membership; the sender at start."""
    application.add_handlers(command_handlers({
        "subscribe": subscribe_command,
        "unsubscribe": unsubscribe_command,
        "announce": announce_command,
        "retract": retract_command,
        "stats": stats_command,
    }))
    application.add_handlers([
        CallbackQueryHandler(send_button, pattern=buttons.ANNOUNCE_SEND.matches),
        CallbackQueryHandler(cancel_button, pattern=buttons.ANNOUNCE_CANCEL.matches),
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate),
    ])
    services: Services = application.bot_data
    services.start_hooks.append(partial(start_sender, application))
