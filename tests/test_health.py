"""The heartbeat that `python -m bot health` (Docker's HEALTHCHECK) reads."""

from __future__ import annotations

import json
import sqlite3
import time

from bot import health
from bot.records import storage
from tests.botharness import bot_settings, running_bot


def test_fresh_heartbeat_is_healthy(tmp_path):
    path = tmp_path / "bot.db.health"
    health.beat(path, mode="polling", telegram_ok=None)
    assert health.check(path).ok  # starting: no answer yet
    health.beat(path, mode="polling", telegram_ok=time.time())
    written = json.loads(path.read_text())["written"]
    status = health.check(path, now=written + 5)
    assert status.ok, status.reason


def test_stale_heartbeat_means_a_stuck_bot(tmp_path):
    path = tmp_path / "bot.db.health"
    health.beat(path, mode="webhook", telegram_ok=None)
    written = json.loads(path.read_text())["written"]
    assert health.check(path, now=written + health.STALE_SECONDS - 1).ok
    status = health.check(path, now=written + health.STALE_SECONDS + 1)
    assert not status.ok and "stuck" in status.reason


def test_polling_bot_cut_off_from_telegram_is_unhealthy(tmp_path):
    path = tmp_path / "bot.db.health"
    health.beat(path, mode="polling", telegram_ok=0.0)
    status = health.check(path)
    assert not status.ok and "Telegram" in status.reason


def test_missing_or_garbage_heartbeat(tmp_path):
    path = tmp_path / "bot.db.health"
    assert not health.check(path).ok
    path.write_text("{not json")
    status = health.check(path)
    assert not status.ok and "unreadable" in status.reason
    health.beat(path, mode="polling", telegram_ok=None)
    health.forget(path)
    assert not path.exists()


async def test_start_erases_old_question_texts_and_writes_a_heartbeat(fake, tmp_path,
                                                                     loaded_database):
    """Both jobs run at start, not one interval later (the sweep's interval is 6 hours)."""
    settings = bot_settings(fake, tmp_path, database=loaded_database)
    db = await storage.connect(settings.database_path)
    await db.execute("INSERT INTO questions (asked_at, kind, answered, language, text) VALUES "
                     "(datetime('now', '-31 days'), 'unknown', 0, 'en', 'old question'), "
                     "(datetime('now', '-1 days'), 'unknown', 0, 'en', 'new question')")
    await db.close()
    async with running_bot(fake, settings):
        assert health.check(health.heartbeat_path(settings.database_path)).ok
        with sqlite3.connect(settings.database_path) as conn:
            texts = {row[0] for row in conn.execute("SELECT text FROM questions")}
    assert texts == {None, "new question"}
    assert not health.heartbeat_path(settings.database_path).exists()  # stopped: not healthy
