"""/lang and its buttons: each user chooses a language; a group's administrators choose its own."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackQueryHandler

from bot.i18n import LANGUAGE_NAMES, LANGUAGES, t
from handlers import buttons
from handlers.commands import command_handlers
from handlers.common import is_chat_admin, language
from handlers.context import BotContext
from handlers.errors import chat_button, expired


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=buttons.LANGUAGE.encode(code))
        for code in LANGUAGES
    ]])


async def lang_command(update: Update, context: BotContext) -> None:
    """Offer the three languages as buttons."""
    lang = await language(update, context)
    await update.effective_message.reply_text(t(lang, "lang.choose"),
                                              reply_markup=language_keyboard())


async def language_menu_button(update: Update, context: BotContext) -> None:
    """The language button under /start: offer the three languages."""
    query = update.callback_query
    if (lang := await chat_button(update, context)) is None:
        return
    await query.answer()
    await query.message.reply_text(t(lang, "lang.choose"), reply_markup=language_keyboard())


async def language_button(update: Update, context: BotContext) -> None:
    """Store the choice: per user in private chats, per chat (admins only) in groups."""
    query = update.callback_query
    if query.message is None:  # under an inline-mode message: no chat to set it for
        await expired(update, context)
        return
    code = buttons.LANGUAGE.decode(query.data)
    chat, db = update.effective_chat, context.services.engine.db
    if chat and chat.type != ChatType.PRIVATE:
        if not await is_chat_admin(update, context):
            await query.answer(t(await language(update, context), "lang.admins_only"),
                               show_alert=True)
            return
        await context.services.languages.choose_for_chat(db, chat.id, chat.type,
                                                         chat.title or "", code)
    else:
        await context.services.languages.choose(db, update.effective_user.id, code)
    await query.answer()
    await query.edit_message_text(t(code, "lang.set", language=LANGUAGE_NAMES[code]))


def register(application: Application) -> None:
    """/lang and the language buttons."""
    application.add_handlers(command_handlers({"lang": lang_command}))
    application.add_handlers([
        CallbackQueryHandler(language_menu_button, pattern=buttons.LANGUAGE_MENU.matches),
        CallbackQueryHandler(language_button, pattern=buttons.LANGUAGE.matches),
    ])
