"""Faults around the bot: another process holding the database's write lock."""

from __future__ import annotations

import sqlite3

from bot.i18n import t
from tests.botharness import bot_settings, converse, running_bot, texts

USER = 1001


async def test_a_held_write_lock_delays_statistics_not_answers(fake, tmp_path):
    """Another process holds the write lock: questions are answered at once and counted
    once the lock is gone (the answer used to wait 5 s, then say 'something went wrong')."""
    settings = bot_settings(fake, tmp_path)
    async with running_bot(settings) as application:
        holder = sqlite3.connect(settings.database_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, as a long `load` would hold it
        try:
            for question in ("who opened the roundtable?", "кто говорил об экологии?"):
                reply = texts(await converse(fake, question, chat_id=USER, user_id=USER))
                assert reply and t("en", "error.generic") not in reply
            assert await application.bot_data.flush_questions() == 0  # still locked: kept
            assert len(application.bot_data.question_log) == 2
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert await application.bot_data.flush_questions() == 2
    with sqlite3.connect(settings.database_path) as conn:
        (count,) = conn.execute("SELECT COUNT(*) FROM questions").fetchone()
    assert count == 2
