"""An upcoming event as an iCalendar file (.ics) that calendar apps import.

Made with the `icalendar` library: RFC 5545's escaping, line folding and date-time forms
are easy to get subtly wrong by hand. Times are written in UTC, which every calendar reads
without a time-zone definition, and the event's own local time and offset go in the
description, as its card shows them.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from bot.records.model import CANCELLED, Event, Text

PRODUCT = "-//event-record-bot//upcoming events//EN"
UID_DOMAIN = "event-record-bot"


def _pick(texts: Text, lang: str) -> str:
    return texts.get(lang) or texts.get("en", "")


def event_ics(event: Event, lang: str, local_time: str, stamp: dt.datetime) -> bytes:
    """The calendar file of an event with `starts`: `local_time` is how its card writes its
    time ('10:00–13:00 (UTC+05:00)'), `stamp` when the file is made (DTSTAMP)."""
    assert event.starts is not None
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    item = icalendar.Event()
    item.add("uid", f"{event.id}@{UID_DOMAIN}")  # the same event, the same entry: no duplicate
    item.add("dtstamp", stamp.astimezone(dt.UTC))
    item.add("dtstart", event.starts.astimezone(dt.UTC))
    item.add("dtend", event.finish.astimezone(dt.UTC))
    item.add("summary", _pick(event.title, lang))
    place = [text for text in (_pick(event.venue, lang), _pick(event.city, lang)) if text]
    if place:
        item.add("location", ", ".join(place))
    if event.links:
        item.add("url", event.links[0].url)
    lines = [local_time, *(f"{_pick(link.label, lang)}: {link.url}" for link in event.links)]
    item.add("description", "\n".join(lines))
    item.add("status", "CANCELLED" if event.status == CANCELLED else "CONFIRMED")
    calendar.add_component(item)
    return calendar.to_ical()
