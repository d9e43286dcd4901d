"""Scheduled announcements: the time an admin picks or types, read and shown in the event's
time zone.

Times are read in the event's own UTC offset (that of its `starts`), else in TIMEZONE
(bot.settings). A time must lie ahead. The sender (Broadcaster.release) lets a scheduled
announcement go once its time has come; after downtime, one due more than GRACE ago is
skipped and its admin told, since an announcement hours late may announce what has begun.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from bot.answering.upcoming import offset_name
from bot.records.model import SCHEDULED, Event

GRACE = 3600.0  # seconds a scheduled announcement may still go out late (after downtime)

# The preset times under a preview, as its buttons carry them; resolved when pressed.
DAY_BEFORE, HOUR_BEFORE, IN_AN_HOUR, TOMORROW_9 = "d1", "h1", "in1h", "tom9"
PRESETS = (DAY_BEFORE, HOUR_BEFORE, IN_AN_HOUR, TOMORROW_9)

_DATE_TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
# What looks like a time to a reader (so '/announce at 25:00' is a mistake, not a text).
LOOKS_LIKE = re.compile(r"(?:\d{4}-\d{1,2}-\d{1,2}[ T]+)?\d{1,2}:\d{2}(?=\s|$)")


class Unreadable(ValueError):
    """Not a time in one of the forms we read."""


class InThePast(ValueError):
    """A time that has passed (`moment`, aware)."""

    def __init__(self, moment: dt.datetime) -> None:
        super().__init__(moment.isoformat())
        self.moment = moment


def zone_of(event: Event | None, default: dt.tzinfo) -> dt.tzinfo:
    """The event's own offset when it has a start time, else the bot's time zone."""
    if event is not None and event.starts is not None and event.starts.tzinfo is not None:
        return event.starts.tzinfo
    return default


def show(moment: dt.datetime | float, zone: dt.tzinfo) -> str:
    """'2026-03-11 18:00 (UTC+05:00)': the moment in the zone, as it was typed."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.fromtimestamp(moment, dt.UTC)
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} ({offset_name(local)})"


def parse(text: str, zone: dt.tzinfo, now: dt.datetime) -> dt.datetime:
    """'YYYY-MM-DD HH:MM' or 'HH:MM' (today) in `zone`; Unreadable or InThePast otherwise."""
    text = text.strip()
    if match := _DATE_TIME.fullmatch(text):
        year, month, day, hour, minute = map(int, match.groups())
    elif match := _TIME.fullmatch(text):
        hour, minute = map(int, match.groups())
        today = now.astimezone(zone).date()
        year, month, day = today.year, today.month, today.day
    else:
        raise Unreadable(text)
    try:
        moment = dt.datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError as error:  # 2026-02-30, 24:10
        raise Unreadable(text) from error
    return ahead(moment, now)


def ahead(moment: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The moment if it is still to come; InThePast otherwise."""
    if moment <= now:
        raise InThePast(moment)
    return moment


def preset(choice: str, event: Event | None, zone: dt.tzinfo,
           now: dt.datetime) -> dt.datetime | None:
    """The moment a preset means now; None where it means nothing (no upcoming start)."""
    if choice == IN_AN_HOUR:
        return _next_minute(now + dt.timedelta(hours=1))
    if choice == TOMORROW_9:
        tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
        return dt.datetime.combine(tomorrow, dt.time(9), zone)
    if event is None or event.starts is None or event.status != SCHEDULED:
        return None
    return event.starts - (dt.timedelta(days=1) if choice == DAY_BEFORE
                           else dt.timedelta(hours=1))


def presets(event: Event | None, zone: dt.tzinfo,
            now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """The presets that lie ahead now, each moment once, in PRESETS' order."""
    found: list[tuple[str, dt.datetime]] = []
    for choice in PRESETS:
        moment = preset(choice, event, zone, now)
        if moment is not None and moment > now and all(moment != m for _, m in found):
            found.append((choice, moment))
    return found


def overdue(send_at: float, now: float) -> bool:
    """Due more than GRACE ago (the bot was down): skipped, not sent late."""
    return now - send_at > GRACE


def _next_minute(moment: dt.datetime) -> dt.datetime:
    seconds = moment.timestamp()
    return dt.datetime.fromtimestamp(math.ceil(seconds / 60) * 60, moment.tzinfo)
