"""The thinnest echo bot on the bot's own PTB stack (same builder options): the CPU baseline."""

from __future__ import annotations

import os
from html import escape

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the text back."""
    await update.effective_message.reply_text(escape(update.effective_message.text or "-"))


def main() -> None:
    base_url = os.environ["TELEGRAM_BASE_URL"]
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
