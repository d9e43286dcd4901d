"""The announcement's words: the event announcement, its URL button, the delivery report.

What is posted where and when is bot.announcements.outbox (the rows) and
bot.announcements.broadcast (the sender).
"""

from __future__ import annotations

import datetime as dt
import re

import aiosqlite

from bot.announcements import notices
from bot.announcements.delivery import Button, Messenger, Post
from bot.announcements.reports import Delivery
from bot.answering import upcoming
from bot.answering.cards import link_payload
from bot.answering.engine import AnswerEngine, pick
from bot.html import escape
from bot.i18n import t
from bot.records.model import SCHEDULED, Event

MAX_MESSAGE = 4096


def event_announcement(engine: AnswerEngine, event: Event, lang: str,
                       bot_username: str) -> str:
    """The event announcement in HTML: title, date, place, speakers, themes, how to ask."""
    people = engine.speakers_of(event)
    speakers = [p for p in people if engine.has_remarks(p)] or people
    themes = engine.index.themes_by_event.get(event.id, [])
    head = [
        t(lang, "ann.event.header", title=escape(pick(event.title, lang))),
        t(lang, "ann.event.when_where", when=escape(engine.when_where(event, lang))),
    ]
    tail = [t(lang, "ann.event.how_to_ask", bot=escape(bot_username))]
    names = [escape(pick(engine.index.people[p.person].name, lang)) for p in speakers]
    roles = [escape(pick(p.role, lang)) for p in speakers]
    theme_lines = [f"• {escape(pick(th.name, lang))}" for th in themes]

    def build(with_roles: bool, people_shown: int, themes_shown: int) -> str:
        lines = [*head]
        if speakers:
            lines += ["", t(lang, "ann.event.speakers")]
            lines += [f"• {name}, {role}" if with_roles and role else f"• {name}"
                      for name, role in zip(names[:people_shown], roles, strict=False)]
            lines += ["…"] if people_shown < len(names) else []
        if themes:
            lines += ["", t(lang, "ann.event.themes"), *theme_lines[:themes_shown]]
            lines += ["…"] if themes_shown < len(theme_lines) else []
        return "\n".join([*lines, "", *tail])

    text = build(True, len(names), len(theme_lines))
    if _visible_length(text) > MAX_MESSAGE:
        text = build(False, len(names), len(theme_lines))
    people_shown, themes_shown = len(names), len(theme_lines)
    while _visible_length(text) > MAX_MESSAGE and (people_shown or themes_shown):
        if people_shown >= themes_shown:
            people_shown -= 1
        else:
            themes_shown -= 1
        text = build(False, people_shown, themes_shown)
    return text


def _visible_length(html_text: str) -> int:
    """About what Telegram counts: the text without tags (entities count as one)."""
    return len(re.sub(r"&[a-z]+;|&#\d+;", "x", re.sub(r"<[^>]+>", "", html_text)))


def render(engine: AnswerEngine, row: aiosqlite.Row | dict, lang: str, bot: Messenger) -> Post:
    """An announcement as posted in a chat of language `lang`: HTML and its URL button.

    `bot` names the bot and links to it. Raises LookupError when an event announcement's
    event is no longer in the record.
    """
    # A preview (a dict) has no notice; `in` on an sqlite Row would look at the values.
    notice = row["notice"] if "notice" in row.keys() else None  # noqa: SIM118
    if notice is not None:  # says all it needs: written when `load` saw the change
        return notices.render(notice, lang, bot)
    event = engine.index.events.get(row["event_id"]) if row["event_id"] else None
    if row["reminder_lead"] is not None:
        text = reminder_text(event, row["reminder_at"], lang)
        url = bot.deep_link(link_payload("event", event.key))
    elif row["text"]:
        text = row["text"]
        url = row["button_url"]
    else:
        if event is None:
            raise LookupError(f"event {row['event_id']!r} is not in the record")
        text = event_announcement(engine, event, lang, bot.username)
        url = bot.deep_link(link_payload("event", event.key))
    return Post(text, Button(t(lang, "button.open_bot"), url) if url else None)


def reminder_text(event: Event | None, starts: str, lang: str) -> str:
    """A reminder in HTML: the title, how long until it starts, when (its own offset) and
    where. Raises LookupError when the event is gone, cancelled or moved since it was due:
    a reminder of a time that no longer holds is not posted."""
    if event is None or event.starts is None or event.status != SCHEDULED:
        raise LookupError("the event is no longer scheduled")
    if event.starts != dt.datetime.fromisoformat(starts):
        raise LookupError("the event has moved since the reminder was due")
    text = t(lang, "reminder.text", title=escape(pick(event.title, lang)),
             countdown=upcoming.countdown(event.starts, upcoming.now(), lang),
             time=escape(upcoming.time_span(event)))
    if event.venue:
        text += f"\n📍 {escape(pick(event.venue, lang))}"
    return text


def report_text(result: Delivery, lang: str, *, retracted: bool = False) -> str:
    if retracted:
        lines = [t(lang, "ann.retract.report", id=result.announcement_id,
                   deleted=result.retracted, total=result.retracted + result.retract_failed)]
    else:
        lines = [t(lang, "ann.report", id=result.announcement_id, sent=result.sent,
                   failed=result.failed, pending=result.pending)]
    failures = [(chat, error) for chat, error in result.failures if error]
    if failures:
        lines += ["", t(lang, "ann.report.failures")]
        lines += [f"• {escape(chat)}: {escape(error)}" for chat, error in failures]
    return "\n".join(lines)
