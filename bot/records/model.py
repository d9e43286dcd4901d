"""The record model: events, the people and institutions they share, and file errors.

One model from the event files to the answers: `bot.records.files` builds these records from
TOML, `bot.records.storage` stores them and reads them back, and the answer index is built
from them. People and institutions exist once across the archive; what is per event (a
person's role, who opened it, what was said) lives in the event's records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from bot.text import TEXT_VERSION

TRANSLATED = ("ru", "kk")
LANGUAGES = ("en", *TRANSLATED)
# Who may say something besides a person: the participants or the speakers as a whole, or an
# institution (by its id).
COLLECTIVE = ("participants", "speakers")

# A translatable field `x` may have the siblings `x_ru` and `x_kk`.
Text = dict[str, str]


def stable_key(*parts: str) -> str:
    """A short id that survives reloads: used in buttons and deep links."""
    return hashlib.blake2s("/".join(parts).encode(), digest_size=5).hexdigest()


@dataclass(frozen=True)
class Figure:
    value: str
    label: Text


@dataclass(frozen=True)
class Institution:
    id: str
    name: Text
    short: Text = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    parent: str | None = None

    @cached_property
    def key(self) -> str:
        return stable_key("institution", self.id)


@dataclass(frozen=True)
class Person:
    """Who someone is, across every event: their names and the titles people ask by."""

    id: str
    name: Text
    aliases: tuple[str, ...] = ()
    role_aliases: tuple[str, ...] = ()

    @cached_property
    def key(self) -> str:
        return stable_key("person", self.id)


@dataclass(frozen=True)
class Participant:
    """A person at one event: their role there, as the source gives it (roles change)."""

    event_id: str
    person: str
    role: Text = field(default_factory=dict)
    institution: str | None = None
    order: int = 0  # place in the speaking order; 0 when the source does not give it
    opened: bool = False


@dataclass(frozen=True)
class Theme:
    event_id: str
    id: str
    name: Text
    description: Text = field(default_factory=dict)
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def key(self) -> str:
        return stable_key(self.event_id, "t", self.id)


@dataclass(frozen=True)
class Statement:
    """What the source says someone said: a person (`speaker`) or, collectively, the
    participants, the speakers or an institution (`by`); exactly one of the two is set."""

    event_id: str
    id: str
    position: int  # in the file, from 0: answers keep the source's order
    paragraph: int
    text: Text
    speaker: str | None = None
    by: str | None = None
    themes: tuple[str, ...] = ()
    quote: str = ""  # verbatim, in the source's language, where the source quotes it
    source: str = ""  # the URL it comes from; "" for the event's first source
    figures: tuple[Figure, ...] = ()

    @cached_property
    def key(self) -> str:
        return stable_key(self.event_id, "s", self.id)


@dataclass(frozen=True)
class Link:
    """A web address an upcoming event offers: its livestream, its registration."""

    label: Text
    url: str


@dataclass(frozen=True)
class AgendaItem:
    """One item of an event's programme: when, what, and who speaks (person ids)."""

    time: dt.datetime
    title: Text
    speakers: tuple[str, ...] = ()


SCHEDULED, CANCELLED = "scheduled", "cancelled"
STATUSES = (SCHEDULED, CANCELLED)


@dataclass(frozen=True)
class Event:
    id: str
    title: Text
    date: dt.date
    sources: tuple[str, ...]
    source_language: str = "en"
    city: Text = field(default_factory=dict)
    participants_count: int | None = None
    participants_description: Text = field(default_factory=dict)
    conclusion: Text = field(default_factory=dict)
    summary: Text = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    # An upcoming event's schedule; the times carry the event's own UTC offset.
    starts: dt.datetime | None = None
    ends: dt.datetime | None = None
    venue: Text = field(default_factory=dict)
    links: tuple[Link, ...] = ()
    status: str = SCHEDULED
    agenda: tuple[AgendaItem, ...] = ()

    @cached_property
    def key(self) -> str:
        return stable_key(self.id)

    @property
    def finish(self) -> dt.datetime:
        """When it is over: `ends`, else the end of its day (in its own offset when it has
        `starts`, in UTC when it has only a date)."""
        if self.ends is not None:
            return self.ends
        if self.starts is not None:
            day = self.starts.date() + dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(), self.starts.tzinfo)
        return dt.datetime.combine(self.date + dt.timedelta(days=1), dt.time(), dt.UTC)

    def upcoming(self, now: dt.datetime) -> bool:
        """Still to come or under way at `now` (an aware time): upcoming until it ends."""
        return now < self.finish


@dataclass(frozen=True)
class RecordFile:
    """Everything one file holds: its event (a file may hold none), and the people and
    institutions it defines, which any event of any file may refer to by id."""

    path: Path
    digest: str
    event: Event | None
    participants: tuple[Participant, ...] = ()
    themes: tuple[Theme, ...] = ()
    statements: tuple[Statement, ...] = ()
    people: tuple[Person, ...] = ()
    institutions: tuple[Institution, ...] = ()


@dataclass
class Archive:
    """Every record of every loaded file, by id; what the answer index is built from."""

    events: dict[str, Event] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    participants: dict[str, list[Participant]] = field(default_factory=dict)  # by event, in order
    themes: dict[str, list[Theme]] = field(default_factory=dict)  # by event, in order
    statements: dict[str, list[Statement]] = field(default_factory=dict)  # by event, in order


# ----- rows: how a record is stored in the database and read back --------------------------


def to_json(record: object) -> str:
    """A record as stored: JSON of its fields (dates as YYYY-MM-DD)."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_plain)


def _plain(value: object) -> object:
    # What asdict() gives, without its deep copy of every field (11 s of a 1,000-event load);
    # the JSON is the same.
    if isinstance(value, dt.date):
        return value.isoformat()
    names = _FIELD_NAMES.get(type(value))
    if names is None:
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    return {name: getattr(value, name) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _strings(values: list) -> tuple[str, ...]:
    return tuple(values)


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def event_from(data: dict) -> Event:
    """An event as stored; one stored before events had schedules gets the defaults."""
    links = tuple(Link(link["label"], link["url"]) for link in data.get("links", ()))
    agenda = tuple(AgendaItem(dt.datetime.fromisoformat(item["time"]), item["title"],
                              _strings(item["speakers"])) for item in data.get("agenda", ()))
    return Event(**{**data, "date": dt.date.fromisoformat(data["date"]),
                    "sources": _strings(data["sources"]), "aliases": _strings(data["aliases"]),
                    "starts": _moment(data.get("starts")), "ends": _moment(data.get("ends")),
                    "links": links, "agenda": agenda})


def person_from(data: dict) -> Person:
    return Person(data["id"], data["name"], _strings(data["aliases"]),
                  _strings(data["role_aliases"]))


def institution_from(data: dict) -> Institution:
    return Institution(data["id"], data["name"], data["short"], _strings(data["aliases"]),
                       data["parent"])


def participant_from(data: dict) -> Participant:
    return Participant(**data)


def theme_from(data: dict) -> Theme:
    keywords = {lang: _strings(words) for lang, words in data["keywords"].items()}
    return Theme(**{**data, "keywords": keywords})


def statement_from(data: dict) -> Statement:
    figures = tuple(Figure(str(f["value"]), f["label"]) for f in data["figures"])
    return Statement(**{**data, "themes": _strings(data["themes"]), "figures": figures})


# ----- errors --------------------------------------------------------------------------------


@dataclass
class RecordError:
    path: Path
    where: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        loc = f"{self.path}:{self.line}" if self.line else str(self.path)
        where = f" [{self.where}]" if self.where else ""
        return f"{loc}{where}: {self.message}"


class RecordsInvalid(Exception):
    """Raised with every problem found in a set of files."""

    def __init__(self, errors: list[RecordError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in event records")


def file_digest(raw: bytes) -> str:
    """Identifies a file's content as indexed: a new text normalization means a new digest."""
    return f"{hashlib.sha256(raw).hexdigest()}:t{TEXT_VERSION}"
