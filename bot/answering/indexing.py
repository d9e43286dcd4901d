"""How the records' index is made: the maps between records, and every name as a phrase.

Built once from the database when the engine opens (and again after a load), never per
question: every name, alias, role, institution and theme keyword becomes a phrase of stems,
with postings from each stem to its phrases and to the statements that say it. The queries
over it are `bot.answering.index.RecordIndex`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import math
from array import array
from collections import defaultdict
from collections.abc import Iterator
from typing import NamedTuple, Self

import aiosqlite

from bot.records import storage
from bot.records.model import (
    Archive,
    Event,
    Institution,
    Participant,
    Person,
    Statement,
    Theme,
)
from bot.text import MIN_STEM, content_tokens, normalize, stem


class Phrase(NamedTuple):
    """A name, alias, role or keyword of a record, as stems. A tuple, not a dataclass: an
    archive has hundreds of thousands, built at every start."""

    entity: tuple[str, str, str]  # (kind, event_id, id)
    kind: str
    stems: tuple[str, ...]


def statement_stems(statement: Statement) -> set[str]:
    """The stems a statement says: the words of its texts, quote and figures (as in its FTS
    row, see storage.search_body)."""
    said = {stem(tok) for text in [*statement.text.values(), statement.quote]
            for tok in normalize(text).split()}
    for figure in statement.figures:
        said |= {stem(t) for lbl in figure.label.values()
                 for t in normalize(f"{figure.value} {lbl}").split()}
    return said


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside the block (unless it was off anyway)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class IndexedRecords:
    """All records of all events (the model of bot.records), plus the alias index over them,
    as built; `RecordIndex` adds the queries.

    People and institutions are archive-wide: their entities are ("person", "", id) and
    ("institution", "", id); events, themes and statements belong to their event.
    """

    def __init__(self, archive: Archive | None = None) -> None:
        archive = archive or Archive()
        self.events: dict[str, Event] = archive.events
        self.people: dict[str, Person] = archive.people
        self.institutions: dict[str, Institution] = archive.institutions
        self.themes: dict[tuple[str, str], Theme] = {}
        self.statements: dict[tuple[str, str], Statement] = {}
        self.participants: dict[tuple[str, str], Participant] = {}
        # Each event's records, in the file's order, so no answer scans the whole archive.
        self.participants_by_event: dict[str, list[Participant]] = archive.participants
        self.themes_by_event: dict[str, list[Theme]] = archive.themes
        self.statements_by_event: dict[str, list[Statement]] = archive.statements
        self.institutions_by_event: dict[str, list[str]] = {}  # ids, as first named
        self.events_of_person: dict[str, list[str]] = defaultdict(list)  # newest first
        self.events_of_institution: dict[str, list[str]] = defaultdict(list)  # newest first
        # What a person (or, by their id, the participants, the speakers or an institution)
        # said at an event; what was said on a theme.
        self.said: dict[tuple[str, str], list[Statement]] = defaultdict(list)
        self.theme_statements: dict[tuple[str, str], list[Statement]] = defaultdict(list)
        self.by_key: dict[str, tuple[str, str, str]] = {}
        # Role word -> the people whose title has it ("expert" -> the education expert).
        self.role_holders: dict[str, set[tuple[str, str, str]]] = {}
        self.phrases: list[Phrase] = []
        self._by_stem: dict[str, list[int]] = defaultdict(list)
        self._named_by: dict[str, frozenset[str] | None] = {}  # while building: _events_naming
        self._shape_stems: list[tuple[str, ...]] = []  # distinct phrase stems ("shapes")
        self._shape_phrases: list[list[int]] = []  # per shape: the phrases that have it
        self._shape_postings: dict[str, list[int]] = defaultdict(list)  # stem -> shapes
        self._shape_weight = array("d")  # per shape: the IDF weight of all its stems
        self._vocab: list[str] = []
        self._vocab_sorted: list[str] = []
        self._idf: dict[str, float] = {}
        self.statement_df: dict[str, int] = {}
        self._statement_vocab: list[str] = []
        self._statement_keys: list[str] = []  # statement number -> key
        self._stem_statements: dict[str, array] = {}  # stem -> numbers of statements with it
        self._link_records()

    # ----- building ------------------------------------------------------------------------

    @classmethod
    async def from_db(cls, db: aiosqlite.Connection) -> Self:
        # Reading the records and building the index allocate millions of objects and free
        # none: each of the cyclic collector's passes meanwhile would walk them all for
        # nothing (a third of the build at 1,000 events).
        with _collector_paused():
            archive = await storage.read_archive(db)
            # What each statement says, stemmed once by `load` for the FTS index: stemming
            # 50,000 statements again took seconds of every start.
            async with db.execute(
                    "SELECT event_id, ref, body FROM search WHERE kind = 'statement'") as cursor:
                bodies = {(event_id, ref): body
                          for event_id, ref, body in await cursor.fetchall()}
            # Seconds of pure Python for a large archive: in a thread, so a running bot keeps
            # answering from its current index meanwhile.
            index = await asyncio.to_thread(cls.build, archive, bodies)
            # The index lives until the next reload and holds no reference cycles: move it
            # (and whatever else is alive now) out of the cyclic collector's way, whose full
            # passes would otherwise walk every phrase: a pause of ~0.5 s each at 1,000 events.
            gc.freeze()
        return index

    @classmethod
    def build(cls, archive: Archive,
              bodies: dict[tuple[str, str], str] | None = None) -> Self:
        """`bodies`: the FTS body of each statement by (event id, id), if the caller has them."""
        index = cls(archive)
        index._build(bodies or {})
        return index

    def _link_records(self) -> None:
        """The maps between records: who took part where, what was said by whom and on what."""
        for event_id in sorted(self.events, key=lambda e: (self.events[e].date, e),
                               reverse=True):
            event = self.events[event_id]
            self.by_key[event.key] = ("event", event_id, event_id)
            named: dict[str, None] = {}
            for participant in self.participants_by_event.get(event_id, ()):
                self.participants[(event_id, participant.person)] = participant
                self.events_of_person[participant.person].append(event_id)
                if participant.institution:
                    named.setdefault(participant.institution)
            for theme in self.themes_by_event.get(event_id, ()):
                self.themes[(event_id, theme.id)] = theme
                self.by_key[theme.key] = ("theme", event_id, theme.id)
            for statement in self.statements_by_event.get(event_id, ()):
                self.statements[(event_id, statement.id)] = statement
                self.said[(event_id, statement.speaker or statement.by or "")].append(statement)
                if statement.by in self.institutions:
                    named.setdefault(statement.by)
                for theme_id in statement.themes:
                    self.theme_statements[(event_id, theme_id)].append(statement)
            self.institutions_by_event[event_id] = [i for i in named if i in self.institutions]
            for item in self.institutions_by_event[event_id]:
                self.events_of_institution[item].append(event_id)
        for person in self.people.values():
            self.by_key[person.key] = ("person", "", person.id)
        for item in self.institutions.values():
            self.by_key[item.key] = ("institution", "", item.id)

    def entity_events(self, entity: tuple[str, str, str]) -> list[str]:
        """The events a record belongs to: a person's and an institution's are every event
        they took part in, newest first."""
        kind, event_id, item_id = entity
        if kind == "person":
            return self.events_of_person.get(item_id, [])
        if kind == "institution":
            return self.events_of_institution.get(item_id, [])
        return [event_id]

    def _named(self) -> Iterator[tuple[tuple[str, str, str], list[tuple[str, str]]]]:
        """Each record a question may name, with its (phrase kind, text)s in index order."""
        for event in self.events.values():
            yield (("event", event.id, event.id),
                   [("event", text) for text in [*event.aliases, *event.title.values()]])
        for item in self.institutions.values():
            yield (("institution", "", item.id),
                   [*(("name", text) for text in item.name.values()),
                    *(("short", text) for text in [*item.short.values(), *item.aliases])])
        roles: dict[str, list[str]] = defaultdict(list)
        for (_, person_id), participant in self.participants.items():
            roles[person_id] += participant.role.values()
        for person in self.people.values():
            texts = []
            for text in [*person.name.values(), *person.aliases]:
                texts.append(("name", text))
                words = normalize(text).split()
                if len(words) > 1:  # "Maulen Ashimbayev": the surname alone, the first name alone
                    texts += [("surname", words[-1]), ("given", words[0])]
            texts += [("role", text) for text in [*roles.get(person.id, ()),
                                                  *person.role_aliases]]
            yield ("person", "", person.id), texts
        for theme in self.themes.values():
            yield (("theme", theme.event_id, theme.id),
                   [*(("theme", text) for text in theme.name.values()),
                    *(("keyword", text) for words in theme.keywords.values() for text in words)])

    def _build(self, bodies: dict[tuple[str, str], str]) -> None:
        # One pass over every record's names builds the phrases, the stems' postings, how
        # many records each stem names (for its IDF) and the distinct shapes: 200,000 phrases
        # at 1,000 events, so nothing per phrase that could be done per record or per text.
        phrases = self.phrases
        text_stems: dict[str, tuple[str, ...]] = {}
        entity_count: dict[str, int] = {}  # stem -> how many records have it in a phrase
        shape_ids: dict[tuple[str, ...], int] = {}
        shape_phrases, shape_postings = self._shape_phrases, self._shape_postings
        # A record's names as phrases, worked out once per distinct list of names: a theme
        # recurs in hundreds of events with the same name and keywords.
        done: dict[tuple[tuple[str, str], ...], tuple[list, tuple[str, ...]]] = {}
        new_phrase = tuple.__new__
        named = 0
        for entity, texts in self._named():
            key = tuple(texts)
            worked = done.get(key)
            if worked is None:
                worked = done[key] = self._phrase_plan(texts, text_stems, shape_ids)
            plan, tokens = worked
            for kind, stems, shape, postings in plan:
                phrase_id = len(phrases)
                phrases.append(new_phrase(Phrase, (entity, kind, stems)))
                for found in postings:
                    found.append(phrase_id)
                if kind == "role":
                    for token in stems:
                        self.role_holders.setdefault(token, set()).add(entity)
                # Phrases with the same words (one institution in many events, one alias of
                # a person who came to many) are scored once per question, as one "shape".
                if shape == len(shape_phrases):
                    shape_phrases.append([])
                    for token in stems:
                        shape_postings[token].append(shape)
                shape_phrases[shape].append(phrase_id)
            if tokens:
                named += 1
                for token in tokens:
                    entity_count[token] = entity_count.get(token, 0) + 1
        # Only words of titles alone ("expert", "director"), not of names of bodies or
        # places ("Kazakhstan" of "Rapporteur on Kazakhstan"): judged within the holder's own
        # events, since in an archive another event may well be an "expert platform".
        self.role_holders = {token: kept for token, holders in self.role_holders.items()
                             if (kept := {h for h in holders if self._title_word(token, h)})}
        total = max(1, named)
        self._idf = idf = {s: math.log(1 + total / count) for s, count in entity_count.items()}
        self._named_by.clear()
        self._shape_stems = list(shape_ids)
        self._shape_weight = array("d", (sum(idf[t] for t in stems) for stems in shape_ids))
        self._vocab_sorted = sorted(self._by_stem)
        # Fuzzy matching only onto stems of four letters or more: "musk" is not the acronym
        # "muk" (one letter off), and a typo in a short word is a different word.
        self._vocab = [token for token in self._vocab_sorted if len(token) >= MIN_STEM]
        self._index_statements(bodies)

    def _phrase_plan(self, texts: list[tuple[str, str]], text_stems: dict,
                     shape_ids: dict) -> tuple[list, tuple[str, ...]]:
        """A record's phrases as (kind, stems, shape, the postings of its stems), the same
        words once; and every stem they have."""
        plan, seen = [], set()
        for kind, text in texts:
            stems = text_stems.get(text)
            if stems is None:  # the same keyword, name or role recurs across many records
                # As a question's words are kept: no stopwords, no single letters ("к").
                stems = text_stems[text] = tuple(dict.fromkeys(
                    stem(w) for w in content_tokens(text)))
            if not stems or stems in seen:  # the same words for the same record: the first
                continue
            seen.add(stems)
            shape = shape_ids.setdefault(stems, len(shape_ids))
            plan.append((kind, stems, shape, [self._by_stem[token] for token in stems]))
        return plan, tuple(dict.fromkeys(t for _, stems, _, _ in plan for t in stems))

    def _index_statements(self, bodies: dict[tuple[str, str], str]) -> None:
        """Statements by key and by figure, and which statements say each stem."""
        self.figure_statements: dict[str, list[Statement]] = defaultdict(list)
        self.statement_by_key = by_key = {}
        figure_keys = []
        keys = self._statement_keys
        # Which statements say each stem, as compact arrays of statement numbers (a set of
        # keys per stem took ~95 MB at 1,000 events); what one statement says is read back
        # from its FTS row when a search needs it (search_body stores the same stems).
        said: dict[str, list[int]] = defaultdict(list)
        for number, (place, statement) in enumerate(self.statements.items()):
            key = statement.key
            keys.append(key)
            by_key[key] = statement
            if statement.figures:
                figure_keys.append(key)
                for figure in statement.figures:
                    self.figure_statements[figure.value].append(statement)
            body = bodies.get(place)
            for token in statement_stems(statement) if body is None else set(body.split()):
                said[token].append(number)
        self.figure_keys = frozenset(figure_keys)
        postings = self._stem_statements = {token: array("I", found)
                                            for token, found in said.items()}
        self.statement_df = {token: len(found) for token, found in postings.items()}
        self._statement_vocab = sorted(postings)

    def _title_word(self, token: str, holder: tuple[str, str, str]) -> bool:
        named = self._named_by.get(token, ...)
        if named is ...:  # once per word, not once per holder: a role word has thousands
            named = self._named_by[token] = self._events_naming(token)
        return named is not None and named.isdisjoint(self.entity_events(holder))

    def _events_naming(self, token: str) -> frozenset[str] | None:
        """The events whose title or theme has this word; None if an institution's name has
        it (then it is never a title word)."""
        events = set()
        for phrase_id in self._by_stem[token]:
            kind, event_id, _ = self.phrases[phrase_id].entity
            if kind == "institution":
                return None
            if kind in ("event", "theme"):
                events.add(event_id)
        return frozenset(events)
