"""Open the answer engine on the configured database, loading the records when needed."""

from __future__ import annotations

import logging

from bot.answering.engine import AnswerEngine
from bot.records import storage
from bot.records.loader import files_changed, load_paths
from bot.records.model import RecordsInvalid
from bot.settings import Settings

log = logging.getLogger(__name__)


async def open_engine(settings: Settings, changes: storage.LoadHook | None = None
                      ) -> AnswerEngine:
    """Connect, (re)load the event files if the database is empty or they changed, index.

    `changes` is told what such a load brings, as `python -m bot load` tells it."""
    db = await storage.connect(settings.database_path)
    try:
        if settings.events_path.exists() and await files_changed(db, settings.events_path):
            try:
                records, _ = await load_paths(db, [settings.events_path], changes=changes)
                log.info("loaded %d event file(s) from %s", len(records), settings.events_path)
            except RecordsInvalid as error:
                # Keep serving what was loaded before; the operator sees why in the log.
                for item in error.errors:
                    log.error("event records: %s", item)
                if not await storage.loaded_digests(db):
                    raise
        return await AnswerEngine.create(db)
    except BaseException:
        await db.close()
        raise
