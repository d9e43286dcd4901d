"""An upcoming event's schedule in its file: `starts`/`ends` with their UTC offset, the
venue, status, [[links]] and [[agenda]], each checked with the line of what is wrong.

Who speaks at an agenda item is checked with the files together (`bot.records.archive`):
people may be defined in any file.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.records import fields as F
from bot.records.model import STATUSES, AgendaItem, Link

if TYPE_CHECKING:
    from bot.records.tables import FileChecker, Table

EXAMPLE = "2026-03-12T10:00:00+05:00"


def _clock(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="minutes")


def moment(table: Table, name: str, value: object) -> dt.datetime | None:
    """A date and time with its UTC offset, or None after reporting what is wrong."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            table.error(f"'{name}' {value.isoformat()} has no UTC offset: write it with the "
                        f"event's, like {EXAMPLE}", name)
            return None
        return value
    table.error(f"'{name}' must be a date and time with its UTC offset, like {EXAMPLE} (no "
                "quotes)", name)
    return None


def schedule(check: FileChecker, table: Table, data: dict, day: dt.date) -> dict:
    """The schedule fields of the event in `table` (the [event] table of the file `data`),
    as keyword arguments of `Event`."""
    starts = moment(table, "starts", table.data["starts"]) if "starts" in table.data else None
    ends = moment(table, "ends", table.data["ends"]) if "ends" in table.data else None
    if starts and day != dt.date.min and starts.date() != day:
        table.error(f"'starts' is on {starts.date()} but 'date' is {day}: the event's day in "
                    "its own offset", "starts")
    if ends and "starts" not in table.data:
        table.error("'ends' needs 'starts'", "ends")
    elif ends and starts and ends <= starts:
        table.error(f"'ends' ({_clock(ends)}) must be after 'starts' ({_clock(starts)})", "ends")
        ends = None
    status = table.string("status") or STATUSES[0]
    if status not in STATUSES:
        table.error(f"'status' must be {' or '.join(map(repr, STATUSES))}, not {status[:40]!r}",
                    "status")
    links = tuple(link for index, item in check.array(data, "links", F.MAX_LINKS)
                  if (link := _link(check, item, index)))
    agenda = tuple(entry for index, item in check.array(data, "agenda", F.MAX_AGENDA)
                   if (entry := _agenda_item(check, item, index, starts, ends)))
    if data.get("agenda") and "starts" not in table.data:
        check.error("agenda", "[[agenda]] needs the event's 'starts'",
                    check.source.block("agenda", 0).line)
    return {"starts": starts, "ends": ends, "venue": table.text("venue"), "status": status,
            "links": links, "agenda": agenda}


def _link(check: FileChecker, data: object, index: int) -> Link | None:
    if (table := check.table("links", data, index)) is None:
        return None
    url = table.url("url", table.data["url"]) if "url" in table.data else ""
    label = table.text("label")
    return Link(label, url) if url and label else None


def _agenda_item(check: FileChecker, data: object, index: int, starts: dt.datetime | None,
                 ends: dt.datetime | None) -> AgendaItem | None:
    if (table := check.table("agenda", data, index)) is None:
        return None
    check.locate("agenda", str(index), table)
    raw = table.data.get("time")
    when = None
    if isinstance(raw, dt.time) and not isinstance(raw, dt.datetime):
        if starts is not None:  # a time of day: on the day the event starts, in its offset
            when = dt.datetime.combine(starts.date(), raw, starts.tzinfo)
    elif raw is not None:
        when = moment(table, "time", raw)
    speakers = tuple(dict.fromkeys(table.strings("speakers")))
    title = table.text("title")
    if when is None or starts is None:
        return None
    finish = ends or dt.datetime.combine(starts.date() + dt.timedelta(days=1), dt.time(),
                                         starts.tzinfo)
    if not starts <= when < finish:
        table.error(f"the item at {_clock(when)} is outside the event's time ({_clock(starts)} "
                    f"to {_clock(finish)})", "time")
        return None
    return AgendaItem(when, title, speakers)
