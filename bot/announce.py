"""Announcements: the outbox that survives restarts (filled in by the announcements work)."""

from __future__ import annotations

import aiosqlite


async def queue_event_announcements(db: aiosqlite.Connection, event_ids: list[str]) -> None:
    """Mark new events so the running bot prepares their announcement."""
    await db.executemany(
        "INSERT INTO announcements (event_id, text, status) VALUES (?, '', 'queued')",
        [(event_id,) for event_id in event_ids],
    )
