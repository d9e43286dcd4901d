"""Reminders of upcoming events, at REMINDER_LEADS before each starts, to the chats that get
announcements.

A reminder is an announcement row (`reminder_lead`, `reminder_at`: the lead in seconds and
the start it counts down to), so the outbox posts it like any announcement and it survives
a crash the same way. A unique index makes it once per event, start and lead, ever: a moved
event is reminded of its new time. A reminder whose moment passed more than half its lead
ago (the bot was down) is recorded as 'skipped' and never sent: late is worse than never.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite

from bot.records.model import SCHEDULED, Event


@dataclass(frozen=True)
class Reminder:
    event_id: str
    starts: dt.datetime
    lead: int  # seconds

    @property
    def moment(self) -> dt.datetime:
        return self.starts - dt.timedelta(seconds=self.lead)

    def late(self, now: dt.datetime) -> bool:
        """Its moment passed more than half its lead ago: skipped, not sent late."""
        return (now - self.moment).total_seconds() > self.lead / 2


def reminders(events: Iterable[Event], leads: Iterable[int]) -> list[Reminder]:
    """Every reminder of the scheduled events that have a start."""
    leads = tuple(leads)
    return [Reminder(e.id, e.starts, lead) for e in events
            if e.starts is not None and e.status == SCHEDULED for lead in leads]


def due(all_reminders: Iterable[Reminder], now: dt.datetime) -> list[Reminder]:
    """Those whose moment has come, of events that have not started."""
    return [r for r in all_reminders if r.moment <= now < r.starts]


def next_moment(all_reminders: Iterable[Reminder], now: dt.datetime) -> float | None:
    """Seconds until the next reminder's moment, if any is still ahead."""
    ahead = [(r.moment - now).total_seconds() for r in all_reminders if r.moment > now]
    return min(ahead) if ahead else None


async def queue(db: aiosqlite.Connection, reminders_due: Iterable[Reminder],
                now: dt.datetime) -> int:
    """Queue the due reminders not queued (or skipped) before; how many will be sent."""
    queued = 0
    for reminder in reminders_due:
        status = "skipped" if reminder.late(now) else "queued"
        cursor = await db.execute(
            "INSERT OR IGNORE INTO announcements (event_id, text, status, reminder_lead, "
            "reminder_at) VALUES (?, '', ?, ?, ?)",
            (reminder.event_id, status, reminder.lead,
             reminder.starts.astimezone(dt.UTC).isoformat()))
        queued += cursor.rowcount == 1 and status == "queued"
    return queued
