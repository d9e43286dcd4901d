"""Validate event files and load them into the database: used by the CLI and at bot start."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import aiosqlite

from bot.records import storage
from bot.records.files import event_files, parse_all
from bot.records.model import Event, RecordFile, file_digest

log = logging.getLogger(__name__)


def upcoming(today: dt.date | None = None) -> Callable[[Event], bool]:
    """The default announcement rule: an event is news only if it is today or later; an
    archive event loaded today happened long ago."""
    day = today or dt.date.today()
    return lambda event: event.date >= day


def always(event: Event) -> bool:
    return True


def never(event: Event) -> bool:
    return False


async def load_paths(db: aiosqlite.Connection, paths: Sequence[Path], *,
                     announce: Callable[[Event], bool] = never,
                     progress: Callable[[int, int], None] | None = None,
                     checking: Callable[[int, int], None] | None = None,
                     changes: storage.LoadHook | None = None,
                     ) -> tuple[list[RecordFile], storage.LoadResult]:
    """Parse all files (raising RecordsInvalid with every error), checked together with what
    other files loaded before, then load them atomically.

    `checking(done, total)` follows the files being read, `progress` the files being written.
    Returns the records and which events were new and which of them were queued to announce.
    `changes` queues the notices of what the load changed (bot.announcements.notices).
    """
    loaded = await storage.loaded_elsewhere(db, event_files(paths))
    records = parse_all(paths, loaded, checking)
    result = await storage.load_records(db, records, announce=announce, progress=progress,
                                        changes=changes)
    return records, result


async def files_changed(db: aiosqlite.Connection, events_path: Path) -> bool:
    """True when the database is empty or an event file differs from what was loaded."""
    loaded = await storage.loaded_digests(db)
    if not loaded:
        return True
    for path in event_files([events_path]):
        if loaded.get(str(path.resolve())) != file_digest(path.read_bytes()):
            return True
    return False
