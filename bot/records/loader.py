"""Validate event files and load them into the database: used by the CLI and at bot start."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import aiosqlite

from bot.records import storage
from bot.records.files import event_files, parse_all
from bot.records.model import EventRecord, file_digest

log = logging.getLogger(__name__)


async def load_paths(db: aiosqlite.Connection, paths: Sequence[Path], *,
                     announce_new: bool = False) -> tuple[list[EventRecord], list[str]]:
    """Parse all files (raising RecordsInvalid with every error), then load them atomically.

    Returns the records and the ids of events new to this database.
    """
    records = parse_all(paths)
    new_events = await storage.load_records(db, records, announce_new=announce_new)
    return records, new_events


async def files_changed(db: aiosqlite.Connection, events_path: Path) -> bool:
    """True when the database is empty or an event file differs from what was loaded."""
    loaded = await storage.loaded_digests(db)
    if not loaded:
        return True
    for path in event_files([events_path]):
        if loaded.get(str(path.resolve())) != file_digest(path.read_bytes()):
            return True
    return False
