"""What every handler module shares: the user's language, answers with their buttons, replies."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import filters

from bot.answering.answer import Answer, Ref
from bot.answering.continuations import MAX_PARTS, Rest
from bot.i18n import language_of, pick_language, t
from handlers import buttons
from handlers.context import BotContext

log = logging.getLogger(__name__)

MAX_BUTTONS = 8
CHAT_ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
WROTE_IN = "wrote_in"  # user_data: the language of the user's last question


async def chosen_language(update: Update, context: BotContext) -> str | None:
    """The language an admin chose for a group, else the one the user chose with /lang."""
    db = context.services.engine.db
    chat = update.effective_chat
    if chat and chat.type != ChatType.PRIVATE:
        chosen = await context.services.languages.for_chat(db, chat.id)
        if chosen:
            return chosen
    user = update.effective_user
    return await context.services.languages.get(db, user.id) if user else None


async def language(update: Update, context: BotContext) -> str:
    """The language chosen (chosen_language), else the one the user last wrote a question
    in (kept in memory: buttons under an answer go on in its language), else Telegram's."""
    return await chosen_language(update, context) or _unchosen_language(update, context)


def _unchosen_language(update: Update, context: BotContext) -> str:
    """With no choice made: the language of the user's last question, else Telegram's."""
    user = update.effective_user
    wrote_in = context.user_data.get(WROTE_IN) if user and context.user_data is not None \
        else None
    return wrote_in or pick_language(user.language_code if user else None)


async def question_language(update: Update, context: BotContext, text: str) -> str:
    """The language to answer a question in: the one chosen, else the question's own (a
    Russian question is answered in Russian, a Kazakh one in Kazakh: Telegram has no Kazakh
    interface, so Kazakh speakers' apps say "ru" or "en")."""
    chosen = await chosen_language(update, context)
    if chosen:
        return chosen
    lang = language_of(text, _unchosen_language(update, context))
    if update.effective_user and context.user_data is not None:
        context.user_data[WROTE_IN] = lang
    return lang


def ref_button(ref: Ref) -> InlineKeyboardButton:
    return InlineKeyboardButton(ref.name[:60], callback_data=buttons.CARD.encode(ref.key))


# Cards whose record can be followed (bot.announcements.follows.KINDS).
FOLLOWABLE = ("person", "theme", "institution")


def personal_buttons(answer: Answer) -> list[InlineKeyboardButton]:
    """🔔 Remind me under an upcoming event's card, ➕ Follow under a card of one person,
    theme or institution: for a private chat only, where the messages they ask for go."""
    lang, found = answer.lang, []
    if answer.calendar:
        found.append(InlineKeyboardButton(t(lang, "button.remind"),
                                          callback_data=buttons.REMIND.encode(answer.calendar)))
    about = [ref for ref in answer.entities if ref.kind == answer.kind]
    if answer.kind in FOLLOWABLE and len(about) == 1:
        found.append(InlineKeyboardButton(t(lang, "button.follow"),
                                          callback_data=buttons.FOLLOW.encode(about[0].key)))
    return found


def is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


def answer_keyboard(answer: Answer, extra: list[list[InlineKeyboardButton]] | None = None,
                    *, personal: bool = False) -> InlineKeyboardMarkup | None:
    """Choices one per row; related records (suggestions) two per row; an upcoming event's
    calendar file first, beside Remind me and Follow when `personal` (a private chat)."""
    first = [InlineKeyboardButton(t(answer.lang, "button.calendar"),
                                  callback_data=buttons.CALENDAR.encode(answer.calendar))
             ] if answer.calendar else []
    first += personal_buttons(answer) if personal else []
    rows = [first] if first else []
    rows += [[ref_button(ref)] for ref in answer.choices[:MAX_BUTTONS * 2]]
    shown = {ref.key for ref in answer.choices} | {ref.key for ref in answer.entities[:1]}
    related = [ref for ref in answer.suggestions if ref.key not in shown][:MAX_BUTTONS]
    rows += [[ref_button(r) for r in related[i : i + 2]] for i in range(0, len(related), 2)]
    rows += extra or []
    return InlineKeyboardMarkup(rows) if rows else None


async def send_answer(context: BotContext, message: Message, answer: Answer,
                      keyboard: InlineKeyboardMarkup | None = None, *, quote: bool = False,
                      ) -> Message:
    """Reply with the answer split under Telegram's limit, at most MAX_PARTS messages; the
    rest waits behind a More button. Buttons go on the last part sent."""
    chunks = answer.html_chunks()
    return await send_parts(context, message, Rest(answer, tuple(chunks), len(chunks)),
                            keyboard, quote=quote)


async def send_parts(context: BotContext, message: Message, rest: Rest,
                     keyboard: InlineKeyboardMarkup | None = None, *, quote: bool = False,
                     ) -> Message:
    """Send the next parts of `rest`; a More button carries what is still left."""
    now, later = rest.parts[:MAX_PARTS], rest.parts[MAX_PARTS:]
    if keyboard is None:
        keyboard = answer_keyboard(rest.answer, personal=is_private(message))
    if later:
        left = Rest(rest.answer, later, rest.total)
        token = context.services.continuations.keep(left)
        lang = rest.answer.lang
        more = InlineKeyboardButton(
            t(lang, "answer.more", first=rest.total - len(later) + 1, total=rest.total),
            callback_data=buttons.MORE.encode(token))
        rows = [[more], *(keyboard.inline_keyboard if keyboard else ())]
        keyboard = InlineKeyboardMarkup(rows)
    sent = message
    for number, chunk in enumerate(now, 1):
        sent = await message.reply_text(
            chunk,
            reply_markup=keyboard if number == len(now) else None,
            do_quote=quote and number == 1,
        )
    return sent


async def reply_text(update: Update, context: BotContext, key: str,
                     **values: object) -> None:
    if update.effective_message:
        lang = await language(update, context)
        await update.effective_message.reply_text(t(lang, key, **values))


class AddressedToBot(filters.MessageFilter):
    """A group message that mentions this bot or replies to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply and reply.from_user and reply.from_user.id == bot.id:
            return True
        username = f"@{bot.username}".lower() if bot.username else None
        for entity, text in message.parse_entities(["mention", "text_mention"]).items():
            if entity.type == "text_mention" and entity.user and entity.user.id == bot.id:
                return True
            if username and text.lower() == username:
                return True
        return False


def strip_mention(message: Message) -> str:
    """The question without '@ThisBot'."""
    text = message.text or ""
    username = message.get_bot().username
    if username:
        for _entity, mention in message.parse_entities(["mention"]).items():
            if mention.lower() == f"@{username}".lower():
                text = text.replace(mention, " ")
    return " ".join(text.split())


def is_bot_admin(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    return bool(user and user.id in context.services.settings.admin_ids)


async def refuse_non_admin(update: Update, context: BotContext) -> bool:
    """Say politely (an alert under a button, else a reply) and return True when the user is
    not a bot admin."""
    if is_bot_admin(update, context):
        return False
    lang = await language(update, context)
    if update.callback_query:
        await update.callback_query.answer(t(lang, "admin.only"), show_alert=True)
    else:
        await update.effective_message.reply_text(t(lang, "admin.only"))
    return True


async def is_chat_admin(update: Update, context: BotContext) -> bool:
    """The sender administers this chat (anonymous admins write as the chat itself)."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message.sender_chat and message.sender_chat.id == chat.id:
        return True
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in CHAT_ADMINS
