"""Interpret: the words of one question become a typed `Question`.

What is asked (who, what was said, when, where, how many, yes or no, a list, a place in the
speaking order), what is mentioned (people by name, surname, first name or role, singular or
plural; institutions, themes, events by name, place, date or year; figures) and how the
mentions combine (both, or, not). Mentions the records cannot resolve are kept in
`unresolved`, so an answer can say the record lacks them. Built once per question, over
every event; the route table (bot.answering.routes) reads it and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.answering.cues import (
    EVENT_WORDS,
    GREETINGS,
    INTENTS,
    LACKS,
    NOISE_STEMS,
    NOT_SPOKEN,
    NUMBER_WORDS,
    ORDINALS,
    RU_SPEAK,
    THANKS,
    forms,
    numbered,
    stems_of,
)
from bot.answering.index import Match
from bot.answering.mentions import (
    BOTH,
    combination,
    event_scope,
    from_kazakh_latin,
    is_plural,
    plural_role,
    relative_order,
    spelt_otherwise,
    title_part,
)
from bot.answering.offices import at_the_event, heads_of
from bot.answering.referents import carry_from
from bot.answering.split import MAX_QUESTION
from bot.answering.unsaid import unsaid
from bot.answering.wording import RAW_WORD, acronyms, capitalized, drop_namesakes, is_foreign
from bot.records.model import Event
from bot.text import names_something, normalize, stem

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine

_POSSESSIVE = re.compile(r"(\w)['’]s\b")  # "Olga's point": Olga
BY_NAME = frozenset({"name", "alias", "surname"})  # phrase kinds that name one person
ASKED = frozenset({"who", "what_said", "when", "where", "how_many", "how_long", "list"})
# English words spelt like a Kazakh cue word once transliterated: "is" and "share" are not
# іс-шара (an event); "is-şara", in the Kazakh Latin alphabet, still is.
FALSE_FRIENDS = re.compile(r"\b(?:is(?!-)|shares?|shared|sharing)\b", re.IGNORECASE)
# Words that ask how long, besides "take" ("how many took part?" asks no duration).
LONG = stems_of("long duration lasted last длилось длилась длится долго ұзақ созылды "
                "времени уақыт уақытқа")
YES_NO_OPENERS = frozenset("did does do has have had was were is are".split())
RU_PARTICLE = "ли"
# Kazakh question particles, in Cyrillic and in the 2021 Latin alphabet ("aitty ma?").
KK_PARTICLES = frozenset("ма ме ба бе па пе ma me ba be pa pe".split())
# A Cyrillic question without one of these asks yes or no by intonation alone
# ("Абаканов говорил про экологию?"): Russian and Kazakh question words.
CYRILLIC_WH = frozenset(
    "кто кого кем кому что чего чём чем когда где куда откуда сколько какой какая какое какие "
    "каких каким какую как почему зачем чей чья чьи который которые "
    "кім кімдер кімге кімнің не нені неше қашан қайда қанша қандай қай неге қалай".split()
)


def _by_intonation(q: Question) -> bool:
    """A Cyrillic "X said Y?" with no question word: Russian asks yes or no by intonation."""
    return (q.text.rstrip().endswith("?") and "what_said" in q.cues
            and any("а" <= c <= "я" for c in q.raw[0]) and not CYRILLIC_WH & set(q.raw)
            and not q.cues & (ASKED - {"what_said"}))  # "нешеге": inflected, still a question


@dataclass(frozen=True)
class Order:
    """A place in the speaking order: the nth (-1: the last), just before / after a person
    (`anchor`), or between two."""

    place: int = 0
    relative: str = ""  # "before" | "after" | "between"
    anchor: str = ""
    other: str = ""  # the second person of "between"


@dataclass
class Question:
    text: str
    archive: int = 0  # how many events the records have
    # ----- the words
    words: list[str] = field(default_factory=list)  # normalized
    raw: list[str] = field(default_factory=list)  # as written, lower case (Cyrillic kept)
    stems: list[str] = field(default_factory=list)
    cues: set[str] = field(default_factory=set)  # INTENTS names
    word_forms: frozenset[str] = frozenset()
    kept: list[str] = field(default_factory=list)  # words but stopwords: Match positions
    kept_at: list[int] = field(default_factory=list)  # where each kept word is in `words`
    linked: list[str] = field(default_factory=list)  # their stems
    known: list[str] = field(default_factory=list)  # the stems the index knows them by
    noise: set[int] = field(default_factory=set)  # positions of words that shape the question
    content: list[str] = field(default_factory=list)  # stems of the other words
    # ----- what is asked
    greeting: str = ""  # "greeting" | "thanks" when the question is small talk alone
    yes_no: bool = False
    order: Order | None = None
    negated: bool = False  # "who did not speak?"
    plural: bool = False  # a role in the plural: "the deputy chairs"
    # ----- what is mentioned: every event's records, then those of the event in question
    all_matches: list[Match] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    chosen: str = ""  # the event the records named fit best ("" with one event)
    event: Event | None = None  # that event, else the latest
    scope: list[str] = field(default_factory=list)  # events named by place, date or year
    scope_words: set[str] = field(default_factory=set)  # the words that named them
    figures: list[str] = field(default_factory=list)  # numbers written in the question
    holders: list[str] = field(default_factory=list)  # people whose title has a word of it
    heads: list[str] = field(default_factory=list)  # who heads the body it names
    plural_title: bool = False  # the title word is a plural: "the directors"
    foreign: list[int] = field(default_factory=list)  # positions of words no record knows
    named_foreign: bool = False  # one of them written as a name ("USA", "Google")
    about_event: bool = False  # every other word is about the event ("when was it held?")
    lacking: list[str] = field(default_factory=list)  # facts no record holds ("funding")
    unsaid: list[str] = field(default_factory=list)  # of a person, what no record of theirs has
    bare: bool = False  # nothing asked about but the event ("who spoke at the roundtable?")
    # ----- how the mentions combine
    both: bool = False  # "both", "оба", "екеуі": each of what is named, not either
    combine: str = ""  # "and" | "or" | "not" | ""
    excluded: list[Match] = field(default_factory=list)  # themes after "not"
    # ----- set once answered: the people its answer was about, for a question after it
    answered: list[str] = field(default_factory=list)
    dangling: bool = False  # it points back at a person the question before found none of

    @property
    def asks(self) -> frozenset[str]:
        """What is asked: who, what was said, when, where, how many / how long, a list, yes
        or no, a place in the speaking order (several at once: "who spoke first?")."""
        found = {cue for cue in self.cues if cue in ASKED}
        found |= {"yes_no"} if self.yes_no else set()
        return frozenset(found | ({"order"} if self.order else set()))

    @property
    def roles(self) -> list[Match]:
        """People named by a title ("the deputy chairs"), as opposed to by name."""
        return [m for m in self.people if m.phrase.kind == "role"]

    def kinds(self, *kinds: str) -> list[Match]:
        return [m for m in self.matches if m.entity[0] in kinds]

    @property
    def people(self) -> list[Match]:
        return self.kinds("person")

    @property
    def themes(self) -> list[Match]:
        return [m for m in self.kinds("theme") if m not in self.excluded]

    @property
    def institutions(self) -> list[Match]:
        return self.kinds("institution")

    @property
    def matches_but_events(self) -> list[Match]:
        """People, institutions and themes named: what a question asks about an event; not
        a theme named only by words for the event and its people ("how many people spoke
        at the meeting?" is not about "meeting people")."""
        return [m for m in self.matches if m.entity[0] != "event" and any(
            p not in self.noise and not forms(self.kept[p]) & EVENT_WORDS
            for p in m.positions)]

    @property
    def events(self) -> list[Match]:
        return self.kinds("event")

    @property
    def explained(self) -> set[int]:
        """Positions of the words the records of the event in question explain."""
        return {p for m in self.matches for p in m.positions} - self.noise

    @property
    def unresolved(self) -> list[str]:
        """The words that name something no record knows (kept for "the record doesn't say")."""
        return [self.kept[i] for i in self.foreign]

    @property
    def speaking(self) -> bool:
        return bool(self.cues & {"who", "speakers"}) or "what_said" in self.cues


def interpret(engine: AnswerEngine, text: str, before: Question | None = None) -> Question:
    """The typed reading of one question (at most MAX_QUESTION characters); `before`, the
    question it follows in the same message, lends it its event when it points back ("When
    was the Strasbourg round table, and what was discussed there?")."""
    text = " ".join(text.split())[:MAX_QUESTION]
    index = engine.index
    words = normalize(from_kazakh_latin(_POSSESSIVE.sub(r"\1", text))).split()
    raw = [w.lower() for w in RAW_WORD.findall(text)]
    q = Question(text, len(index.events), words=words, raw=raw)
    q.stems = [stem(w) for w in words]
    capitals = acronyms(text)  # "КИСИ" names a body, not кісі (a person) the cue word
    cue_words = normalize(from_kazakh_latin(FALSE_FRIENDS.sub(" ", text))).split()
    q.word_forms = frozenset().union(*(forms(w) for w in cue_words if w not in capitals))
    q.cues = {name for name, cue in INTENTS.items() if cue & q.word_forms}
    if not {"how", "skolko", "kansha", "kak", "neshe"} & set(words) or (
            "participants" in q.cues and not q.word_forms & LONG):
        q.cues.discard("how_long")  # "long" alone, or "took part", asks no duration
    if words and all(s in GREETINGS for s in q.stems):  # "hello", "спасибо", "рахмет"
        q.greeting = "thanks" if THANKS & set(q.stems) else "greeting"
    q.yes_no = bool(q.raw) and (q.raw[0] in YES_NO_OPENERS or RU_PARTICLE in q.raw[1:]
                                or q.raw[-1] in KK_PARTICLES or _by_intonation(q))
    # Link on every meaningful word, cue words included ("People's Council"), but drop
    # matches made of cue words alone ("people" in "how many people").
    q.kept_at = [i for i, w in enumerate(words) if names_something(w)]
    q.kept = [words[i] for i in q.kept_at]
    q.linked = [stem(w) for w in q.kept]
    q.noise = {i for i, w in enumerate(q.kept) if forms(w) & NOISE_STEMS and w not in capitals}
    q.content = [s for i, s in enumerate(q.linked) if i not in q.noise]
    q.known = [index.best_stem(w) for w in q.kept]
    q.all_matches = [m for m in index.link(q.known) if m.positions - q.noise]
    q.all_matches += spelt_otherwise(engine, q)
    q.scope, q.scope_words = event_scope(engine, q)
    if before is not None:  # "…and who spoke there?", "…what did she say?"
        carry_from(before, q, words)
    if title := title_part(engine, q):  # the words name the event, not its theme
        q.all_matches = [m for m in q.all_matches if not m.positions <= title.positions]
        q.all_matches.append(title)
    in_names = {p for m in q.all_matches for p in m.positions}  # "Oral, 2017" of a title
    q.figures = [w for i, w in enumerate(q.kept)
                 if w.isdigit() and w not in q.scope_words and i not in in_names]
    q.figures += [NUMBER_WORDS[w] for w in raw if w in NUMBER_WORDS]  # "nine days": 9
    q.content = [s for i, s in enumerate(q.linked)  # "in 2022" names the event, not a figure
                 if i not in q.noise and q.kept[i] not in q.scope_words]
    q.matches, q.chosen = _one_event(engine, q)
    q.all_matches, q.matches = at_the_event(engine, q)  # "the deputy chair" there, not elsewhere
    q.matches = drop_namesakes(q.matches, q.kept, q.noise, text)
    # "the first KazISS GPS meeting": words of the event's name name the event, not a theme.
    named_event = {p for m in q.matches if m.entity[0] == "event" for p in m.positions}
    q.matches = [m for m in q.matches if m.entity[0] == "event"
                 or not m.positions - q.noise <= named_event]
    q.event = index.events[q.chosen] if q.chosen else engine.default_event()
    q.combine, q.excluded = combination(q)
    q.both = bool(set(q.stems) & BOTH) or words.count("i") >= 2  # "и в X, и в Y"
    q.plural = plural_role(q)
    explained = q.explained
    unexplained = [i for i in range(len(q.linked)) if i not in q.noise and i not in explained]
    named = capitalized(text)  # "USA", "Google": names the record lacks weigh more
    q.foreign = [i for i in unexplained if q.kept[i] not in q.scope_words  # a place is known
                 and is_foreign(engine, q.kept[i], q.linked[i], named=q.kept[i] in named)]
    q.named_foreign = any(q.kept[i] in named and not forms(q.kept[i]) & LACKS
                          for i in q.foreign)
    # Event facts only when every other word is about the event ("where can I buy
    # tickets?" is not asking where the roundtable was).
    year = str(q.event.date.year) if q.event else ""
    titled = engine.names.title_stems[q.event.id] if q.event else frozenset()
    q.about_event = all(forms(q.kept[i]) & (EVENT_WORDS | titled) or q.kept[i] in q.scope_words
                        or q.kept[i] == year for i in unexplained)
    at_event = {p for m in q.matches if m.entity[0] == "event" for p in m.positions}
    q.bare = all(i in q.noise or i in at_event or forms(w) & EVENT_WORDS
                 or w in q.scope_words for i, w in enumerate(q.kept))
    q.lacking = [q.kept[i] for i in range(len(q.kept))
                 if i not in explained and forms(q.kept[i]) & LACKS]
    # "the first KazISS GPS meeting": an ordinal of the event's name is no speaking order.
    in_title = {q.kept[p] for m in q.events for p in m.positions}
    orders = [ORDINALS[s] for w, s in zip(words, q.stems, strict=True)
              if s in ORDINALS and w not in in_title] + numbered(words)
    q.order = relative_order(q) or (Order(orders[0]) if orders else None)
    q.negated = bool(NOT_SPOKEN & set(q.stems)) or any(
        w == "ne" and s in RU_SPEAK for w, s in zip(words, q.stems[1:], strict=False))
    if not q.matches and not q.foreign:
        q.holders = _role_word_holders(engine, q)
    q.heads = heads_of(engine, q)
    q.unsaid = unsaid(engine, q)  # "how old is X?", "which initiatives exactly?"
    return q


def _one_event(engine: AnswerEngine, q: Question) -> tuple[list[Match], str]:
    """With several events, the event in question: the one it names (by name, place, date or
    year), else the one whose records it names most fully (the latest on a tie). People
    and institutions belong to every event they took part in."""
    index, matches = engine.index, q.all_matches
    if len(index.events) < 2 or (not matches and not q.scope):
        return matches, ""
    named = [m.entity[1] for m in sorted(  # the event whose name it says most fully first
        (m for m in matches if m.entity[0] == "event"), key=lambda m: -len(m.positions))]
    in_scope = [e for e in named if e in q.scope]
    if in_scope:  # by its name, and the place or year tells namesakes apart
        chosen = in_scope[0]
    elif q.scope:  # a place or year is surer than a name as common as "roundtable"
        chosen = q.scope[0]
    elif named:
        chosen = named[0]
    else:
        covered: dict[str, set[int]] = {}
        for match in matches:
            for event_id in index.entity_events(match.entity):
                covered.setdefault(event_id, set()).update(match.positions)
        if not covered:
            return matches, ""
        chosen = max(covered, key=lambda e: (len(covered[e]), index.events[e].date, e))
    # With no event named, people named by their names are asked about wherever they were
    # ("What did Karibek and Ashimbayev say?": two events); a title stays the event's.
    anywhere = not named and not q.scope
    return [m for m in matches if chosen in index.entity_events(m.entity)
            or (anywhere and m.entity[0] == "person" and m.phrase.kind in BY_NAME)], chosen


def _role_word_holders(engine: AnswerEngine, q: Question) -> list[str]:
    """The few people (at most three) whose title has a word of the question; those of
    the event in question when it has any."""
    index, event = engine.index, q.event
    best: set[tuple[str, str, str]] = set()
    for position, token in enumerate(q.known):
        every = index.role_holders.get(token, set()) if position not in q.noise else set()
        if every and ("how_many" in q.cues or is_plural(q, {q.kept[position]})):
            q.plural_title = True  # "the directors": every holder, not "which one?"
            for other in q.known:  # "deputy directors": those whose title has each word
                every &= index.role_holders.get(other, every)
            return sorted(h[2] for h in every)  # the answer groups them by event
        holders = every
        if event and holders:
            here = {h for h in holders if event.id in index.entity_events(h)}
            holders = here or holders
        if holders and len(holders) <= 3 and (not best or len(holders) < len(best)):
            best = set(holders)
    people = [entity[2] for entity in sorted(best)]
    return sorted(people, key=lambda p: (engine.order_of(p, event), p))
