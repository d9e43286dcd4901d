"""The files of an archive checked together: each id defined once, every reference resolved
across files, and no alias that names two records.

People and institutions are defined once, in any file, and referred to by id from any event;
an event's themes, participants and statements stay in its own file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.records import fields as F
from bot.records.model import COLLECTIVE, RecordError, RecordFile, Text
from bot.records.tables import Located, suggest
from bot.text import fold, normalize


@dataclass(frozen=True)
class Defined:
    """A person, institution or event already loaded from a file that is not being checked:
    references may name it, and its names count when aliases are compared."""

    kind: str  # person | institution | event
    id: str
    path: Path
    names: tuple[str, ...]


def alias_key(text: str) -> str:
    """How an alias is compared: any script, case and common spelling variant alike
    ('Ашимбаев', 'ASHIMBAYEV' and 'Ashimbaev' are one alias)."""
    return " ".join(fold(word) for word in normalize(text).split())


@dataclass
class _Owner:
    """Who answers to an alias: a record, and where to point the editor."""

    kind: str
    id: str
    scope: str  # the event of a theme: themes of different events may share words
    loaded_place: str  # "file (loaded earlier)"; "" for a record of the files checked
    where: Located | None = None  # None: loaded earlier from a file not being checked
    field: str = ""
    value: str = ""
    names: int = 0  # how many names the record has
    own_name: bool = False  # its name, title or short name, not an alias or a keyword

    @property
    def place(self) -> str:
        """The file and line for messages: looked up for a clash only, not for each of the
        200,000 names of a large archive."""
        if self.where is None:
            return self.loaded_place
        return f"{self.where.path}:{self.where.line(self.field, self.value) or 1}"

    @property
    def record(self) -> tuple[str, str, str]:
        return self.kind, self.id, self.scope

    def same(self, other: _Owner) -> bool:
        return (self.kind, self.id, self.scope) == (other.kind, other.id, other.scope)

    def may_share(self, other: _Owner) -> bool:
        return self.kind == other.kind == "theme" and self.scope != other.scope


class _Check:
    def __init__(self, records: list[RecordFile], located: dict[Path, dict],
                 loaded: list[Defined]) -> None:
        self.records, self.located, self.loaded = records, located, loaded
        self.errors: list[RecordError] = []

    def at(self, record: RecordFile, kind: str, key: str) -> Located:
        return self.located[record.path][(kind, key)]

    def error(self, where: Located, message: str, name: str | None = None,
              value: str | None = None) -> None:
        self.errors.append(RecordError(where.path, where.where, message, where.line(name, value)))

    def place(self, where: Located, name: str | None = None, value: str | None = None) -> str:
        return f"{where.path}:{where.line(name, value) or 1}"

    # ----- ids -------------------------------------------------------------------------------

    def defined_once(self) -> tuple[set[str], set[str]]:
        """Event, person and institution ids each defined in one file; the person and
        institution ids that references may use."""
        ids: dict[str, set[str]] = {"person": set(), "institution": set()}
        first: dict[tuple[str, str], str] = {}
        for item in self.loaded:
            first[(item.kind, item.id)] = f"{item.path} (loaded earlier)"
            if item.kind in ids:
                ids[item.kind].add(item.id)
        for record in self.records:
            defined = [("event", record.event.id, "", "event")] if record.event else []
            defined += [("person", p.id, p.id, "person") for p in record.people]
            defined += [("institution", i.id, i.id, "institution") for i in record.institutions]
            for kind, item_id, key, noun in defined:
                where = self.at(record, kind, key)
                if (kind, item_id) in first:
                    hint = "" if kind == "event" else (
                        f"; define each {noun} once and refer to them by id")
                    self.error(where, f"duplicate {noun} id '{item_id}' (also in "
                               f"{first[(kind, item_id)]}){hint}", "id")
                    continue
                first[(kind, item_id)] = self.place(where, "id")
                if kind in ids:
                    ids[kind].add(item_id)
        return ids["person"], ids["institution"]

    # ----- references ------------------------------------------------------------------------

    def references(self, people: set[str], institutions: set[str]) -> None:
        parents: dict[str, str] = {}
        for record in self.records:
            for item in record.institutions:
                if item.parent is None:
                    continue
                parents[item.id] = item.parent
                if item.parent not in institutions:
                    self.error(self.at(record, "institution", item.id), "unknown parent "
                               f"institution '{item.parent}'{suggest(item.parent, institutions)}",
                               "parent")
            if record.event is not None:
                self.event_references(record, people, institutions)
        for start in sorted(parents):
            seen, current = {start}, parents[start]
            while current in parents and current not in seen:
                seen.add(current)
                current = parents[current]
            if current == start:
                record = next(r for r in self.records if any(i.id == start
                                                              for i in r.institutions))
                self.error(self.at(record, "institution", start), f"institution '{start}' is "
                           "its own parent through 'parent' links", "parent")

    def event_references(self, record: RecordFile, people: set[str],
                         institutions: set[str]) -> None:
        event = record.event
        taking_part = {p.person for p in record.participants}
        for participant in record.participants:
            where = self.at(record, "participant", participant.person)
            if participant.person not in people:
                self.error(where, f"unknown person '{participant.person}'"
                           f"{suggest(participant.person, people)}: define them in [[people]] "
                           "of any file", "person")
            if participant.institution and participant.institution not in institutions:
                self.error(where, f"unknown institution '{participant.institution}'"
                           f"{suggest(participant.institution, institutions)}", "institution")
        theme_ids = {theme.id for theme in record.themes}
        said: Counter[str] = Counter()
        for statement in record.statements:
            where = self.at(record, "statement", statement.id)
            if statement.speaker:
                said[statement.speaker] += 1
                if statement.speaker not in taking_part:
                    message = (f"speaker '{statement.speaker}' is not among this event's "
                               "[[participants]]: add them there")
                    if statement.speaker not in people:
                        message = (f"unknown speaker '{statement.speaker}'"
                                   f"{suggest(statement.speaker, taking_part or people)}")
                    self.error(where, message, "speaker")
            if statement.by:
                said[statement.by] += 1
                if statement.by not in COLLECTIVE and statement.by not in institutions:
                    self.error(where, f"'by' must be 'participants', 'speakers' or an "
                               f"institution id, not '{statement.by}'"
                               f"{suggest(statement.by, [*COLLECTIVE, *institutions])}", "by")
            for theme in statement.themes:
                if theme not in theme_ids:
                    self.error(where, f"unknown theme '{theme}'{suggest(theme, theme_ids)}",
                               "themes", f'"{theme}"')
            if statement.source and statement.source not in event.sources:
                self.error(where, "'source' must be one of the event's 'sources'", "source")
        for index, item in enumerate(event.agenda):
            for speaker in item.speakers:
                if speaker not in people:
                    self.error(self.at(record, "agenda", str(index)),
                               f"unknown speaker '{speaker}'{suggest(speaker, people)}: define "
                               "them in [[people]] of any file", "speakers", f'"{speaker}"')
        for speaker, count in said.items():
            if count > F.MAX_STATEMENTS_PER_SPEAKER:
                where = self.at(record, "event", "")
                self.error(where, f"'{speaker}' has {count} statements at this event; at most "
                           f"{F.MAX_STATEMENTS_PER_SPEAKER}: split the event or shorten")

    # ----- aliases ---------------------------------------------------------------------------

    def aliases(self) -> None:
        """One error per pair of records that answer to the same names, at the record with
        fewer names (a newcomer repeating someone the archive knows, usually)."""
        owners: dict[str, _Owner] = {}
        for item in self.loaded:
            owner = _Owner(item.kind, item.id, "", f"{item.path} (loaded earlier)")
            for name in item.names:
                owners.setdefault(alias_key(name), owner)
        clashes: dict[frozenset, list[tuple[_Owner, _Owner]]] = {}
        keys: dict[str, str] = {}  # a keyword or name recurs in hundreds of events
        # Names first, then aliases and keywords: an alias that repeats another record's
        # own name is the one at fault.
        for first_pass in (True, False):
            for record in self.records:
                for kind, key, item_id, scope, names in names_in(record):
                    where = self.at(record, kind, key)
                    for field, value in names:
                        if (field.split("_")[0] in ("name", "title", "short")) != first_pass:
                            continue
                        normal = keys.get(value)
                        if normal is None:
                            normal = keys[value] = alias_key(value)
                        if not normal:
                            self.error(where, f"'{field}' {value!r} has no letters or digits to "
                                       "match", field, value)
                            continue
                        owner = _Owner(kind, item_id, scope, "", where, field, value,
                                       len(names), first_pass)
                        first = owners.setdefault(normal, owner)
                        if not first.same(owner) and not first.may_share(owner):
                            pair = frozenset((first.record, owner.record))
                            clashes.setdefault(pair, []).append((first, owner))
        for pairs in clashes.values():
            first, later = pairs[0]
            # Blame an alias that repeats another record's own name; else the side with
            # fewer names (the later one on a tie); never a record loaded earlier from a
            # file that is not being checked.
            swap = later.where is not None and first.where is not None \
                and first.own_name == later.own_name and first.names < later.names
            blamed, other = (first, later) if swap else (later, first)
            more = f" (and {len(pairs) - 1} more of its names)" if len(pairs) > 1 else ""
            hint = (f"; if they are the same person, refer to '{other.id}' by id instead of "
                    "defining them again") if blamed.kind == other.kind == "person" else ""
            self.error(blamed.where, f"'{blamed.value}' also names {other.kind} '{other.id}' "
                       f"({other.place}){more}: one alias must name one record{hint}",
                       blamed.field, blamed.value)


def _texts(field: str, text: Text) -> list[tuple[str, str]]:
    return [(field if lang == "en" else f"{field}_{lang}", value) for lang, value in text.items()]


def names_in(record: RecordFile) -> list[tuple[str, str, str, str, list[tuple[str, str]]]]:
    """(kind, located key, id, scope, [(field, name)...]) of every record a question may
    name; the scope of a theme is its event."""
    found = []
    if record.event:
        event = record.event
        found.append(("event", "", event.id, "", [*_texts("title", event.title),
                                               *(("aliases", a) for a in event.aliases)]))
        for theme in record.themes:
            words = [(("keywords" if lang == "en" else f"keywords_{lang}"), word)
                     for lang, items in theme.keywords.items() for word in items]
            found.append(("theme", theme.id, theme.id, event.id,
                          [*_texts("name", theme.name), *words]))
    for person in record.people:
        found.append(("person", person.id, person.id, "", [*_texts("name", person.name),
                                                 *(("aliases", a) for a in person.aliases)]))
    for item in record.institutions:
        found.append(("institution", item.id, item.id, "", [*_texts("name", item.name),
                                                   *_texts("short", item.short),
                                                   *(("aliases", a) for a in item.aliases)]))
    return found


def check(records: list[RecordFile], located: dict[Path, dict],
          loaded: list[Defined]) -> list[RecordError]:
    """Every error of the files taken together (each file already passed on its own)."""
    checker = _Check(records, located, loaded)
    people, institutions = checker.defined_once()
    checker.references(people, institutions)
    checker.aliases()
    return checker.errors


@dataclass(frozen=True)
class Known:
    """A person or institution an editor may refer to instead of defining them again."""

    kind: str
    id: str
    name: str
    place: str  # file:line of its definition
    events: tuple[str, ...]  # the events it takes part in


def find_known(records: list[RecordFile], located: dict[Path, dict],
               text: str) -> list[Known]:
    """People and institutions whose names or aliases resemble `text` in any script or
    spelling ('Ashimbaev', 'Ашимбаев', 'senate'): what `python -m bot who` prints."""
    from rapidfuzz import fuzz

    wanted = alias_key(text)
    if not wanted:
        return []
    events: dict[str, list[str]] = {}
    newest = sorted((r for r in records if r.event), key=lambda r: r.event.date, reverse=True)
    for record in newest:
        for part in record.participants:
            events.setdefault(part.person, []).append(part.event_id)
            if part.institution:
                events.setdefault(part.institution, []).append(part.event_id)
    found = []
    for record in records:
        for kind, key, item_id, _, names in names_in(record):
            if kind not in ("person", "institution"):
                continue
            keys = [alias_key(name) for _, name in names]
            words = {word for k in keys for word in k.split()}
            if any(k == wanted or fuzz.ratio(k, wanted) >= 85 for k in keys) \
                    or all(w in words or any(fuzz.ratio(w, x) >= 85 for x in words)
                           for w in wanted.split()):
                where = located[record.path][(kind, key)]
                found.append(Known(kind, item_id, names[0][1], f"{where.path}:{where.line('id')}",
                                   tuple(dict.fromkeys(events.get(item_id, [])))))
    return found
