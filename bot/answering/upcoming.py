"""What an upcoming event's card adds: its time in the event's own UTC offset, how long until
it starts, whether it is cancelled, the venue, links and agenda.

A past event's card is unchanged: nothing here is shown once the event is over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.answering.answer import Answer, Span
from bot.answering.render import pick
from bot.i18n import t, tn
from bot.records.model import CANCELLED, Event

MINUTE, HOUR, DAY = 60, 3600, 86400


def now() -> dt.datetime:
    """The time cards count down from."""
    return dt.datetime.now(dt.UTC)


def offset_name(moment: dt.datetime) -> str:
    """The moment's UTC offset as people write it: 'UTC+05:00', 'UTC'."""
    offset = moment.utcoffset() or dt.timedelta()
    if not offset:
        return "UTC"
    sign, offset = ("+", offset) if offset > dt.timedelta() else ("-", -offset)
    hours, rest = divmod(int(offset.total_seconds()), HOUR)
    return f"UTC{sign}{hours:02d}:{rest // MINUTE:02d}"


def time_span(event: Event) -> str:
    """'10:00–13:00 (UTC+05:00)', in the event's own offset; the end's date too when it ends
    on another day."""
    starts = event.starts
    assert starts is not None
    text = starts.strftime("%H:%M")
    if event.ends is not None:
        ends = event.ends.astimezone(starts.tzinfo)
        text += "–" + (ends.strftime("%H:%M") if ends.date() == starts.date()
                       else ends.strftime("%Y-%m-%d %H:%M"))
    return f"{text} ({offset_name(starts)})"


def countdown(starts: dt.datetime, at: dt.datetime, lang: str) -> str:
    """How long until it starts, rounded to what matters: 'in 3 days', 'in 5 hours',
    'in 12 minutes'; 'under way' once it has started."""
    seconds = (starts - at).total_seconds()
    if seconds <= 0:
        return t(lang, "upcoming.under_way")
    if seconds >= DAY:
        return tn(lang, "upcoming.in_days", int(seconds / DAY + 0.5))
    if seconds >= HOUR:
        return tn(lang, "upcoming.in_hours", int(seconds / HOUR + 0.5))
    return tn(lang, "upcoming.in_minutes", max(1, int(seconds / MINUTE + 0.5)))


def add_schedule(answer: Answer, event: Event, lang: str, at: dt.datetime,
                 person_name: Callable[[str], str]) -> None:
    """The schedule paragraphs of a card, for an event with `starts` that is not over."""
    assert event.starts is not None
    if event.status == CANCELLED:
        answer.add(Span(t(lang, "upcoming.cancelled"), "b"))
        answer.add(t(lang, "upcoming.was", time=time_span(event)))
    else:
        answer.add(f"🕙 {time_span(event)} · ", Span(countdown(event.starts, at, lang), "b"))
    if event.venue:
        answer.add(f"📍 {t(lang, 'upcoming.venue')} ", pick(event.venue, lang))
    if event.links:
        spans: list[Span | str] = ["🔗 "]
        for number, link in enumerate(event.links):
            spans += ([" · "] if number else []) + [Span(pick(link.label, lang), url=link.url)]
        answer.add(*spans)
    if event.agenda:
        lines: list[list[Span | str]] = [[Span(t(lang, "upcoming.agenda"), "b")]]
        for item in event.agenda:
            line: list[Span | str] = [
                f"{item.time.astimezone(event.starts.tzinfo):%H:%M} ", pick(item.title, lang)]
            if item.speakers:
                line.append(" — " + ", ".join(person_name(p) for p in item.speakers))
            lines.append(line)
        answer.add_lines(lines)
