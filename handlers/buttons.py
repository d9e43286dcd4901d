"""Button data: one small codec per action, versioned and within Telegram's 64 bytes.

Each action is handled by its own CallbackQueryHandler whose pattern is the codec's
`matches`, so a new button is a codec and a handler, never a branch in a router. Data that
no codec accepts (forged, cut, or from another version) reaches handlers.errors.expired: a
polite "this button has expired", and no error in the log.

The data stays as it was before the codecs ('v1|sp|2', 'v1|ann|send|7'), so buttons already
in chats keep working.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Generic, TypeVar

from bot.announcements.schedule import PRESETS
from bot.i18n import LANGUAGES

VERSION = "v1"
MAX_BYTES = 64  # Telegram refuses longer callback data

T = TypeVar("T")


class Forged(ValueError):
    """Data that no button of this action and version could have carried."""


class Codec(Generic[T]):
    """The data of one action's buttons: 'v1|<action>|<argument>...' and back to a T."""

    def __init__(self, action: str, write: Callable[[T], tuple[str, ...]],
                 read: Callable[[tuple[str, ...]], T]) -> None:
        self.action = action
        self.prefix = f"{VERSION}|{action}"
        self._write = write
        self._read = read

    def encode(self, value: T) -> str:
        data = "|".join((self.prefix, *self._write(value)))
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"button data too long: {data!r}")
        return data

    def decode(self, data: object) -> T:
        """The value a button of this action carried; Forged for anything else."""
        if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
            raise Forged(repr(data)[:80])
        if data == self.prefix:
            parts: tuple[str, ...] = ()
        elif data.startswith(f"{self.prefix}|"):
            parts = tuple(data[len(self.prefix) + 1 :].split("|"))
        else:
            raise Forged(data)
        try:
            return self._read(parts)
        except ValueError as error:
            raise Forged(data) from error

    def matches(self, data: object) -> bool:
        """CallbackQueryHandler's pattern: whether `decode` accepts the data."""
        try:
            self.decode(data)
        except Forged:
            return False
        return True


def plain(action: str) -> Codec[None]:
    """A button without an argument: 'v1|event'."""

    def read(parts: tuple[str, ...]) -> None:
        if parts:
            raise ValueError(f"{action} takes no argument")

    return Codec(action, lambda _: (), read)


def single(action: str, read: Callable[[str], T]) -> Codec[T]:
    """A button with one argument: 'v1|sp|2'; `read` raises ValueError for a bad one."""

    def read_parts(parts: tuple[str, ...]) -> T:
        (part,) = parts  # ValueError when there are more or fewer
        return read(part)

    return Codec(action, lambda value: (str(value),), read_parts)


def number(text: str) -> int:
    """A small non-negative integer written in ASCII digits."""
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise ValueError(text)
    return int(text)


def record_key(text: str) -> str:
    """A record's stable key (bot.records.model.stable_key): ASCII letters and digits."""
    if not (text.isascii() and text.isalnum() and len(text) <= 32):
        raise ValueError(text)
    return text


def one_of(options: Collection[str]) -> Callable[[str], str]:
    def read(text: str) -> str:
        if text not in options:
            raise ValueError(text)
        return text

    return read


def token(text: str) -> str:
    """A short hex token (bot.answering.continuations)."""
    if not (text.isascii() and len(text) == 8 and all(c in "0123456789abcdef" for c in text)):
        raise ValueError(text)
    return text


def scheduled_time(text: str) -> str:
    """A preset's name (bot.announcements.schedule.PRESETS) or a Unix time in seconds."""
    if text in PRESETS or (text.isascii() and text.isdigit() and len(text) <= 11):
        return text
    raise ValueError(text)


def announce_at() -> Codec[tuple[int, str]]:
    """Schedule a draft: 'v1|ann|at|<id>|<preset or Unix time>'."""

    def read(parts: tuple[str, ...]) -> tuple[int, str]:
        announcement_id, when = parts  # ValueError when there are more or fewer
        return number(announcement_id), scheduled_time(when)

    return Codec("ann|at", lambda value: (str(value[0]), value[1]), read)


def keyed_page(action: str) -> Codec[tuple[str, int]]:
    """A page of a record's list: 'v1|spe|<event key>|2'."""

    def read(parts: tuple[str, ...]) -> tuple[str, int]:
        key, page = parts  # ValueError when there are more or fewer
        return record_key(key), number(page)

    return Codec(action, lambda value: (value[0], str(value[1])), read)


CARD = single("c", record_key)  # the card of a person, theme, institution or event
SPEAKERS_PAGE = single("sp", number)  # a page of /speakers (latest event; older buttons)
EVENT_SPEAKERS_PAGE = keyed_page("spe")  # a page of one event's speakers
EVENTS_PAGE = single("evp", number)  # the archive (/events), as a new message
EVENTS_NAV = single("evn", number)  # Previous / Next in the archive: that page in place
EVENT = plain("event")  # the event card (/start)
THEMES = plain("themes")  # the list of themes (/start)
LANGUAGE_MENU = plain("langs")  # the three languages to choose from (/start)
LANGUAGE = single("lang", one_of(LANGUAGES))  # the interface language chosen
MORE = single("more", token)  # the next parts of a long answer
CALENDAR = single("ics", record_key)  # an upcoming event's calendar file
REMIND = single("rem", record_key)  # 🔔 Remind me: an upcoming event's reminders by DM
FOLLOW = single("fol", record_key)  # ➕ Follow: a person, theme or institution, by key
STOP_FOLLOW = single("unf", number)  # /following: stop the follow with this row id
STOP_REMINDER = single("unr", number)  # /following: stop the reminder with this row id
FORGET = plain("forget")  # /forget, confirmed: delete everything about the user
FORGET_CANCEL = plain("keep")  # /forget, cancelled
ANNOUNCE_SEND = single("ann|send", number)  # send announcement <id> (its preview)
ANNOUNCE_CANCEL = single("ann|cancel", number)  # cancel announcement <id>
ANNOUNCE_AT = announce_at()  # schedule announcement <id> at a preset or a typed time
ANNOUNCE_UNSCHEDULE = single("ann|unsched", number)  # cancel scheduled announcement <id>
