"""The records in memory and the alias index that links words of a question to them.

Built once from the database when the engine opens (and again after a load), never per
question. Every name, alias, role, institution and theme keyword becomes a phrase of stems;
a question's words are matched to stems exactly, by a shared prefix or with rapidfuzz, and a
phrase counts when most of its (IDF-weighted) words are present.
"""

from __future__ import annotations

import asyncio
import bisect
import gc
import math
from array import array
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import aiosqlite
from rapidfuzz import fuzz, process

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
from bot.text import MIN_STEM, STOPWORDS, normalize, stem, stem_variants

# Phrase kinds, strongest evidence first; "given" (a first name alone) is the weakest.
PHRASE_WEIGHT = {"name": 1.0, "alias": 1.0, "surname": 1.0, "role": 0.98, "short": 1.0,
                 "keyword": 0.97, "theme": 1.0, "given": 0.9, "event": 0.95}
ACCEPT_RECALL = 0.8
SIMILAR_CACHE = 50_000  # question stems whose similar index stems are remembered


class Phrase(NamedTuple):
    """A name, alias, role or keyword of a record, as stems. A tuple, not a dataclass: an
    archive has hundreds of thousands, built at every start."""

    entity: tuple[str, str, str]  # (kind, event_id, id)
    kind: str
    stems: tuple[str, ...]


@dataclass
class Match:
    """One record the question names, and which question words did it."""

    entity: tuple[str, str, str]
    score: float
    positions: frozenset[int]
    phrase: Phrase


def statement_stems(statement: Statement) -> set[str]:
    """The stems a statement says: the words of its texts, quote and figures (as in its FTS
    row, see storage.search_body)."""
    said = {stem(tok) for text in [*statement.text.values(), statement.quote]
            for tok in normalize(text).split()}
    for figure in statement.figures:
        said |= {stem(t) for lbl in figure.label.values()
                 for t in normalize(f"{figure.value} {lbl}").split()}
    return said


class RecordIndex:
    """All records of all events (the model of bot.records), plus the alias index over them.

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
        self._seen: set[tuple[tuple[str, str, str], tuple[str, ...]]] = set()  # while building
        self._text_stems: dict[str, tuple[str, ...]] = {}  # while building
        self._named_by: dict[str, frozenset[str] | None] = {}  # while building: _events_naming
        self._shape_stems: list[tuple[str, ...]] = []  # distinct phrase stems ("shapes")
        self._shape_phrases: list[list[int]] = []  # per shape: the phrases that have it
        self._shape_postings: dict[str, list[int]] = defaultdict(list)  # stem -> shapes
        self._shape_weight = array("d")  # per shape: the IDF weight of all its stems
        self._vocab: list[str] = []
        self._vocab_sorted: list[str] = []
        self._similar: dict[str, dict[str, float]] = {}  # question stem -> similar_stems()
        self._idf: dict[str, float] = {}
        self.statement_df: dict[str, int] = {}
        self._statement_vocab: list[str] = []
        self._statement_keys: list[str] = []  # statement number -> key
        self._stem_statements: dict[str, array] = {}  # stem -> numbers of statements with it
        self._saying: dict[str, frozenset[str]] = {}
        self._last_link: tuple[tuple[str, ...] | None, list[Match]] = (None, [])
        self._link_records()

    # ----- loading -------------------------------------------------------------------------

    @classmethod
    async def from_db(cls, db: aiosqlite.Connection) -> RecordIndex:
        archive = await storage.read_archive(db)
        # What each statement says, stemmed once by `load` for the FTS index: stemming 50,000
        # statements again took seconds of every start.
        async with db.execute(
                "SELECT event_id, ref, body FROM search WHERE kind = 'statement'") as cursor:
            bodies = {(event_id, ref): body for event_id, ref, body in await cursor.fetchall()}
        # Seconds of pure Python for a large archive: in a thread, so a running bot keeps
        # answering from its current index meanwhile.
        index = await asyncio.to_thread(cls.build, archive, bodies)
        # The index lives until the next reload and holds no reference cycles: move it (and
        # whatever else is alive now) out of the cyclic collector's way, whose full passes
        # would otherwise walk every phrase: a pause of ~0.5 s each at 1,000 events.
        gc.freeze()
        return index

    @classmethod
    def build(cls, archive: Archive,
              bodies: dict[tuple[str, str], str] | None = None) -> RecordIndex:
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

    def _build(self, bodies: dict[tuple[str, str], str]) -> None:
        for event in self.events.values():
            entity = ("event", event.id, event.id)
            for text in [*event.aliases, *event.title.values()]:
                self._add(entity, "event", text)
        for item in self.institutions.values():
            entity = ("institution", "", item.id)
            for text in item.name.values():
                self._add(entity, "name", text)
            for text in [*item.short.values(), *item.aliases]:
                self._add(entity, "short", text)
        roles: dict[str, list[str]] = defaultdict(list)
        for (_, person_id), participant in self.participants.items():
            roles[person_id] += participant.role.values()
        for person in self.people.values():
            entity = ("person", "", person.id)
            for text in [*person.name.values(), *person.aliases]:
                self._add(entity, "name", text)
                words = normalize(text).split()
                if len(words) > 1:  # "Maulen Ashimbayev": the surname alone, the first name alone
                    self._add(entity, "surname", words[-1])
                    self._add(entity, "given", words[0])
            for text in [*roles.get(person.id, ()), *person.role_aliases]:
                self._add(entity, "role", text)
        for theme in self.themes.values():
            entity = ("theme", theme.event_id, theme.id)
            for text in theme.name.values():
                self._add(entity, "theme", text)
            for words in theme.keywords.values():
                for text in words:
                    self._add(entity, "keyword", text)
        # Only words of titles alone ("expert", "director"), not of names of bodies or
        # places ("Kazakhstan" of "Rapporteur on Kazakhstan"): judged within the holder's own
        # events, since in an archive another event may well be an "expert platform".
        self.role_holders = {token: kept for token, holders in self.role_holders.items()
                             if (kept := {h for h in holders if self._title_word(token, h)})}
        entities_by_stem: dict[str, set] = defaultdict(set)
        for phrase in self.phrases:
            for token in phrase.stems:
                entities_by_stem[token].add(phrase.entity)
        total = max(1, len({p.entity for p in self.phrases}))
        self._idf = {s: math.log(1 + total / len(es)) for s, es in entities_by_stem.items()}
        self._seen.clear()
        self._text_stems.clear()
        self._named_by.clear()
        # Phrases with the same words (one institution in many events, one alias of a person
        # who came to many) are scored once per question, as one "shape".
        shape_ids: dict[tuple[str, ...], int] = {}
        for phrase_id, phrase in enumerate(self.phrases):
            shape = shape_ids.setdefault(phrase.stems, len(shape_ids))
            if shape == len(self._shape_phrases):
                self._shape_phrases.append([])
                for token in phrase.stems:
                    self._shape_postings[token].append(shape)
            self._shape_phrases[shape].append(phrase_id)
        self._shape_stems = list(shape_ids)
        idf = self._idf
        self._shape_weight = array("d", (sum(idf[t] for t in stems) for stems in shape_ids))
        self._vocab_sorted = sorted(self._by_stem)
        # Fuzzy matching only onto stems of four letters or more: "musk" is not the acronym
        # "muk" (one letter off), and a typo in a short word is a different word.
        self._vocab = [token for token in self._vocab_sorted if len(token) >= MIN_STEM]
        self.figure_statements: dict[str, list[Statement]] = defaultdict(list)
        for statement in self.statements.values():
            for figure in statement.figures:
                self.figure_statements[figure.value].append(statement)
        self.figure_keys = frozenset(s.key for s in self.statements.values() if s.figures)
        self.statement_by_key = {s.key: s for s in self.statements.values()}
        # Which statements say each stem, as compact arrays of statement numbers (a set of
        # keys per stem took ~95 MB at 1,000 events); what one statement says is read back
        # from its FTS row when a search needs it (search_body stores the same stems).
        postings: dict[str, array] = {}
        for number, (place, statement) in enumerate(self.statements.items()):
            self._statement_keys.append(statement.key)
            body = bodies.get(place)
            for token in statement_stems(statement) if body is None else set(body.split()):
                found = postings.get(token)
                if found is None:
                    found = postings[token] = array("I")
                found.append(number)
        self._stem_statements = postings
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

    def _add(self, entity: tuple[str, str, str], kind: str, text: str) -> None:
        stems = self._text_stems.get(text)
        if stems is None:  # the same keyword, name or role recurs across many events
            words = [w for w in normalize(text).split() if w not in STOPWORDS or w.isdigit()]
            stems = self._text_stems[text] = tuple(dict.fromkeys(stem(w) for w in words))
        if not stems:
            return
        if (entity, stems) in self._seen:  # the same words for the same record: keep the first
            return
        self._seen.add((entity, stems))
        phrase = Phrase(entity, kind, stems)
        if kind == "role":
            for token in stems:
                self.role_holders.setdefault(token, set()).add(entity)
        self.phrases.append(phrase)
        for token in stems:
            self._by_stem[token].append(len(self.phrases) - 1)

    # ----- linking ---------------------------------------------------------------------------

    def idf(self, token: str) -> float:
        return self._idf.get(token, 1.0)

    def in_statements(self, token: str, prefix: bool = False) -> bool:
        """Whether a statement has this stem (with prefix: a stem that starts with it)."""
        if token in self.statement_df:
            return True
        if not prefix:
            return False
        at = bisect.bisect_left(self._statement_vocab, token)
        return at < len(self._statement_vocab) and self._statement_vocab[at].startswith(token)

    def saying(self, word: str) -> frozenset[str]:
        """Keys of the statements that have this stem in some inflection: the same stem, or
        one that starts the other ("құрылтай" / "құрылтайды"), both of at least four letters."""
        cached = self._saying.get(word)
        if cached is None:
            postings = self._stem_statements
            numbers = set(postings.get(word, ()))
            if len(word) >= MIN_STEM:
                for cut in range(MIN_STEM, len(word)):
                    numbers.update(postings.get(word[:cut], ()))
                vocab = self._statement_vocab
                at = bisect.bisect_left(vocab, word)
                while at < len(vocab) and vocab[at].startswith(word):
                    numbers.update(postings[vocab[at]])
                    at += 1
            keys = map(self._statement_keys.__getitem__, numbers)
            if len(self._saying) >= SIMILAR_CACHE:
                self._saying.clear()
            cached = self._saying[word] = frozenset(keys)
        return cached

    def best_stem(self, word: str) -> str:
        """The stem of a question's word that the index knows, if any ending gives one."""
        for variant in stem_variants(word):
            if variant in self._by_stem:
                return variant
        return stem(word)

    def similar_stems(self, token: str) -> dict[str, float]:
        """Index stems that a question's stem may stand for, with a similarity in 0..1."""
        cached = self._similar.get(token)
        if cached is None:
            if len(self._similar) >= SIMILAR_CACHE:
                self._similar.clear()
            cached = self._similar[token] = self._similar_stems(token)
        return dict(cached)

    def _similar_stems(self, token: str) -> dict[str, float]:
        found: dict[str, float] = {}
        if token in self._by_stem:
            found[token] = 1.0
        if token.isdigit() or len(token) < 3:
            return found
        # The word's own stem too: best_stem() keeps the longest form the index knows
        # ("kazakhstan", from a title), the record may spell it inflected ("Taza Kazakhstan"
        # keyword -> "kazakhs").
        if (own := stem(token)) != token and own in self._by_stem:
            found.setdefault(own, 0.95)
        if len(token) >= 5:  # "chair" / "chairman", "kurulta" / "kurultai"
            start = bisect.bisect_left(self._vocab_sorted, token)
            for candidate in self._vocab_sorted[start : start + 8]:
                if not candidate.startswith(token):
                    break
                found.setdefault(candidate, 0.9)
            for cut in range(len(token) - 1, MIN_STEM - 1, -1):
                if token[:cut] in self._by_stem:
                    found.setdefault(token[:cut], 0.88)
                    break
        if len(token) >= 5 and not found:  # four letters are too few to tell a typo
            cutoff = 84 if len(token) <= 5 else 78
            for candidate, score, _ in process.extract(
                token, self._vocab, scorer=fuzz.ratio, limit=6, score_cutoff=cutoff
            ):
                # A typo keeps the word's length: "fotbal" is not "otba" (отбасы, family).
                if abs(len(candidate) - len(token)) <= max(1, len(token) // 4):
                    found.setdefault(candidate, score / 100)
        return found

    def link(self, question_stems: list[str]) -> list[Match]:
        """Records the question names: each at its best phrase, weaker overlaps dropped.
        The stages around the engine and the engine link the same question in turn: the
        last question's links are kept for that, not a cache across questions."""
        key = tuple(question_stems)
        if self._last_link[0] != key:
            self._last_link = (key, self._link(question_stems))
        return list(self._last_link[1])

    def _link(self, question_stems: list[str]) -> list[Match]:
        hits: dict[str, tuple[int, float]] = {}  # index stem -> its best question word
        for position, token in enumerate(question_stems):
            for candidate, similarity in self.similar_stems(token).items():
                if candidate not in hits or similarity > hits[candidate][1]:
                    hits[candidate] = (position, similarity)
        # What each shape gains from those stems, summed along their postings: the work
        # follows the question's words, not every word of every phrase they touch.
        gained: dict[int, float] = defaultdict(float)
        for candidate, (_, similarity) in hits.items():
            gain = self.idf(candidate) * similarity
            for shape in self._shape_postings.get(candidate, ()):
                gained[shape] += gain
        accepted: list[tuple[int, float, set[int]]] = []
        for shape, gain in gained.items():
            total = self._shape_weight[shape]
            if gain < 0.5 * total:  # short of both thresholds below
                continue
            stems = self._shape_stems[shape]
            recall = gain / total
            positions = {hits[token][0] for token in stems if token in hits}
            long_phrase_ok = len(stems) >= 4 and len(positions) >= 3 and recall >= 0.5
            if recall < ACCEPT_RECALL and not long_phrase_ok:
                continue
            accepted.extend((i, recall, positions) for i in self._shape_phrases[shape])
        best: dict[tuple[str, str, str], Match] = {}
        for phrase_id, recall, positions in sorted(accepted, key=lambda a: a[0]):
            phrase = self.phrases[phrase_id]
            score = recall * PHRASE_WEIGHT[phrase.kind] + 0.01 * len(positions)
            current = best.get(phrase.entity)
            if current is None:
                best[phrase.entity] = Match(phrase.entity, score, frozenset(positions), phrase)
            else:  # an entity covers every word any of its phrases covers
                current.positions = current.positions | positions
                if score > current.score:
                    current.score, current.phrase = score, phrase
        # Longest match wins: "director of AMANAT" beats "AMANAT", "deputy chair" beats "chair";
        # on the same words an institution's name beats a role that contains it. Compared by
        # distinct sets of question words, which are few however many records match.
        spans = {m.positions for m in best.values()}
        institution_spans = {m.positions for m in best.values() if m.entity[0] == "institution"}
        covered = {span for span in spans if any(other > span for other in spans)}
        kept = [m for m in best.values() if m.positions not in covered and not (
            m.phrase.kind == "role" and m.positions in institution_spans)]
        return sorted(kept, key=lambda m: (-m.score, m.entity))
