"""The event record model: what one event file holds, and the errors a file can have."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from bot.text import TEXT_VERSION

TRANSLATED = ("ru", "kk")
SCHEMA = 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

# A translatable field `x` may have the siblings `x_ru` and `x_kk`.
Text = dict[str, str]


@dataclass(frozen=True)
class Figure:
    value: str
    label: Text


@dataclass(frozen=True)
class Institution:
    id: str
    name: Text
    short: Text
    aliases: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class Person:
    id: str
    name: Text
    role: Text
    institution: str
    order: int
    spoke: bool
    opened: bool = False
    aliases: tuple[str, ...] = ()
    role_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    id: str
    name: Text
    description: Text
    keywords: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Statement:
    id: str
    speaker: str
    themes: tuple[str, ...]
    paragraph: int
    text: Text
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Event:
    id: str
    title: Text
    date: dt.date
    city: Text
    participants_count: int
    participants: Text
    chair: str
    conclusion: Text
    summary: Text
    source: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventRecord:
    """Everything one event file holds."""

    path: Path
    digest: str
    event: Event
    institutions: tuple[Institution, ...]
    people: tuple[Person, ...]
    themes: tuple[Theme, ...]
    statements: tuple[Statement, ...]


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


def stable_key(*parts: str) -> str:
    """A short id that survives reloads: used in buttons and deep links."""
    return hashlib.blake2s("/".join(parts).encode(), digest_size=5).hexdigest()


