"""What a `load` tells people: an upcoming event that moved or was cancelled, and news for
those who follow someone or something in it.

`queue` runs inside the load's transaction (bot.records.storage.LoadHook), so a notice is
queued with the change it tells of, or not at all, and once: a reload of the same data
changes nothing. A notice is an announcement row (`notice`: the JSON of what it says, fixed
then), delivered by the outbox like any other, so it survives a crash:

- a schedule change goes to the chats that got the event's announcement and to the users who
  asked for its reminders;
- follow news is one announcement per user and event (`for_user`; a unique index makes it
  once per user and event, ever), one short message with a button to the event, however many
  of the things the user follows it brings.

`audience` says who gets an announcement when its outbox is written; `render` writes a notice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import aiosqlite

from bot.announcements import follows, subscriptions
from bot.announcements.delivery import Button, Messenger, Post
from bot.answering import upcoming
from bot.answering.cards import link_payload
from bot.answering.render import format_date, pick
from bot.html import escape
from bot.i18n import t
from bot.records.model import CANCELLED, SCHEDULED, Event, RecordFile, Text
from bot.records.storage import Loaded

CHANGE, NEWS = "change", "news"


async def queue(db: aiosqlite.Connection, loaded: Loaded) -> int:
    """Queue the notices of what the load changed; how many announcements were queued."""
    return await _changes(db, loaded) + await _news(db, loaded)


# ----- schedule changes ----------------------------------------------------------------------


def _schedule(event: Event) -> dict:
    return {"starts": event.starts.isoformat() if event.starts else None,
            "ends": event.ends.isoformat() if event.ends else None,
            "venue": event.venue, "time": upcoming.time_span(event) if event.starts else ""}


def change(old: Event, new: Event, now: dt.datetime) -> dict | None:
    """What a notice of the change says, or None: only a scheduled, upcoming event that moved
    (its start, end or venue) or was cancelled is news."""
    if old.starts is None or old.status != SCHEDULED or not old.upcoming(now):
        return None
    cancelled = new.status == CANCELLED
    moved = (new.starts, new.ends, new.venue) != (old.starts, old.ends, old.venue)
    if not cancelled and (not moved or new.starts is None):
        return None
    return {"type": CHANGE, "event": new.id, "key": new.key, "title": new.title,
            "cancelled": cancelled, "was": _schedule(old), "now": _schedule(new)}


async def _changes(db: aiosqlite.Connection, loaded: Loaded) -> int:
    now, queued = dt.datetime.now(dt.UTC), 0
    for record in loaded.records:
        new = record.event
        if new is None or new.id not in loaded.before:
            continue
        notice = change(loaded.before[new.id][0], new, now)
        if notice is not None:
            await db.execute(
                "INSERT INTO announcements (event_id, text, status, notice) "
                "VALUES (?, '', 'queued', ?)", (new.id, json.dumps(notice, ensure_ascii=False)))
            queued += 1
    return queued


# ----- follow news ---------------------------------------------------------------------------


def brings(record: RecordFile, statement_ids: frozenset[str] | None) -> set[tuple[str, str]]:
    """What (kind, id) a new event brings, or (with the ids it had) its new statements."""
    assert record.event is not None
    said = [s for s in record.statements
            if statement_ids is None or s.id not in statement_ids]
    found = {("person", s.speaker) for s in said if s.speaker}
    found |= {("institution", s.by) for s in said if s.by}
    themes = {theme for s in said for theme in s.themes}
    if statement_ids is None:  # a new event: everyone and everything in it
        found |= {("person", p.person) for p in record.participants}
        found |= {("institution", p.institution) for p in record.participants if p.institution}
        themes |= {theme.id for theme in record.themes}
    return found | {("theme", theme) for theme in themes}


async def _names(db: aiosqlite.Connection, record: RecordFile,
                 things: Iterable[tuple[str, str]]) -> list[Text]:
    """The names of followed things, as the records (just written) have them."""
    themes = {theme.id: theme.name for theme in record.themes}
    names = []
    for kind, target in sorted(things):
        if kind == "theme":
            names.append(themes.get(target, {"en": target}))
            continue
        table = "people" if kind == "person" else "institutions"
        async with db.execute(f"SELECT record FROM {table} WHERE id = ?", (target,)) as cursor:
            row = await cursor.fetchone()
        names.append(json.loads(row[0])["name"] if row else {"en": target})
    return names


async def _news(db: aiosqlite.Connection, loaded: Loaded) -> int:
    followed, queued = await follows.all_follows(db), 0
    for record in loaded.records:
        event = record.event
        # An event that comes (or is still) cancelled is no news: its chats and reminded users
        # hear of a cancellation from _changes.
        if event is None or not followed or event.status == CANCELLED:
            continue
        before = loaded.before.get(event.id)
        users: dict[int, set[tuple[str, str]]] = {}
        for thing in brings(record, before[1] if before else None) & followed.keys():
            for user_id in followed[thing]:
                users.setdefault(user_id, set()).add(thing)
        for user_id, things in sorted(users.items()):
            notice = {"type": NEWS, "event": event.id, "key": event.key, "title": event.title,
                      "date": event.date.isoformat(), "new": before is None,
                      "about": await _names(db, record, things)}
            cursor = await db.execute(
                "INSERT OR IGNORE INTO announcements (event_id, text, status, notice, for_user)"
                " VALUES (?, '', 'queued', ?, ?)",
                (event.id, json.dumps(notice, ensure_ascii=False), user_id))
            queued += cursor.rowcount == 1
    return queued


# ----- who gets what, and the words ----------------------------------------------------------


async def audience(db: aiosqlite.Connection, row: aiosqlite.Row, configured: Iterable[int]
                   ) -> list[tuple[int, str | None]]:
    """Who gets an announcement (`row` of announcements): each chat, with the language of
    the request for a user (None: the chat's own)."""
    if row["for_user"] is not None:
        return [(row["for_user"], await follows.language(db, row["for_user"]))]
    if row["notice"] is not None:
        chats = await announced_in(db, row["event_id"])
    else:
        chats = await subscriptions.announcement_targets(db, configured)
    targets: list[tuple[int, str | None]] = [(chat_id, None) for chat_id in chats]
    if row["notice"] is not None or row["reminder_lead"] is not None:
        targets += await follows.reminded(db, row["event_id"])
    return targets


async def announced_in(db: aiosqlite.Connection, event_id: str) -> list[int]:
    """The chats where an announcement of the event stands (reminders and notices aside)."""
    async with db.execute(
        "SELECT DISTINCT o.chat_id FROM outbox o JOIN announcements a ON a.id = o.announcement_id"
        " WHERE a.event_id = ? AND a.reminder_lead IS NULL AND a.notice IS NULL"
        " AND o.status = 'sent' ORDER BY o.chat_id", (event_id,),
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


def _when(schedule: dict, lang: str) -> str:
    starts = dt.datetime.fromisoformat(schedule["starts"])
    return f"{format_date(starts.date(), lang)}, {schedule['time']}"


def render(notice_json: str, lang: str, bot: Messenger) -> Post:
    """A notice as posted in a chat of language `lang`, with a button to the event."""
    notice = json.loads(notice_json)
    title = escape(pick(notice["title"], lang))
    if notice["type"] == NEWS:
        about = ", ".join(escape(pick(name, lang)) for name in notice["about"])
        key = "news.new_event" if notice["new"] else "news.new_statements"
        text = t(lang, key, title=title, date=format_date(notice["date"], lang), about=about)
    else:
        was, now = notice["was"], notice["now"]
        if notice["cancelled"]:
            text = t(lang, "change.cancelled", title=title, when=_when(was, lang))
        else:
            lines = [t(lang, "change.moved", title=title)]
            if (now["starts"], now["ends"]) != (was["starts"], was["ends"]):
                lines.append(t(lang, "change.time", now=_when(now, lang), was=_when(was, lang)))
            if now["venue"] != was["venue"]:
                lines.append(t(lang, "change.venue", now=escape(pick(now["venue"], lang) or "—"),
                               was=escape(pick(was["venue"], lang) or "—")))
            text = "\n".join(lines)
    url = bot.deep_link(link_payload("event", notice["key"]))
    return Post(text, Button(t(lang, "button.open_event"), url))
