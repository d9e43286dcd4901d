"""How a question's words mention things beyond single records: the Kazakh Latin alphabet,
events by place, date or year, speaking order relative to a person, plural roles, and how
mentions combine (both / or / not). Used by bot.answering.question; knows no routes."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.answering.cues import EVENT_WORDS, INTENTS, forms, stems_of
from bot.answering.index import PHRASE_WEIGHT, Match
from bot.records.model import Event
from bot.text import STOPWORDS, has_cyrillic, normalize, stem

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.index import RecordIndex
    from bot.answering.question import Order, Question

# Month names as people type them, transliterated and cut to what tells them apart.
_MONTHS = {
    1: ("jan", "yanv", "kantar"), 2: ("feb", "fevr", "akpan"), 3: ("mar", "nauryz"),
    4: ("apr", "sauir"), 5: ("may", "mai", "mamyr"), 6: ("jun", "iyun", "mausym"),
    7: ("jul", "iyul", "shilde"), 8: ("aug", "avg", "tamyz"), 9: ("sep", "sent", "kyrkuy"),
    10: ("oct", "okt", "kazan"), 11: ("nov", "noyab", "karash"), 12: ("dec", "dek", "zhelto"),
}
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\b")
_DOTTED = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")

# The Kazakh Latin alphabet of 2021 beside the transliteration the records are read in:
# ş is ш, ı is і, q is қ (never before u in English words), ç is ч.
_KAZAKH_LATIN = str.maketrans({"ş": "sh", "Ş": "Sh", "ı": "i", "ç": "ch", "Ç": "Ch"})
_Q = re.compile(r"q(?!u)", re.IGNORECASE)

# A year names an event when written as one: "in 2025", "в 2025 году", "2025 жылы".
_YEAR_BEFORE = frozenset("in at of from during в во на за".split())
SPELT_ALIKE = 85  # one letter of seven: "tukymov" / "tukumov"
# Kazakh "жылы" also in the 2021 Latin alphabet ("2022 jyly").
_YEAR_AFTER = frozenset("year g god godu goda zhyly zhylgy zhylgi jyly jylgy jylgi".split())

# "just before / right after X", "перед / после X", "X-тен кейін / бұрын".
BEFORE = stems_of(
    "before preceded earlier перед до прежде раньше предшествовал бұрын алдында дейін")
AFTER = stems_of("after followed next following после вслед следом кейін соң")
BETWEEN = stems_of("between между арасында")
# "both A and B": the people who match each of them, not either.
BOTH = stems_of("both оба обе обоих обеих екеуі екеуін екеуіне екеуінде")
OR = frozenset({"or", "ili", "nemese", "libo"})
NOT = frozenset({"not", "except", "without", "emes", "krome"})
COMBINERS = BOTH | stems_of("or или либо немесе except without кроме")
_KK_NEGATIVE = ("aitpa", "soilemeg", "soilemed", "kozgama", "tokhtalma")
# Plural endings of role words: "chairs", "chairmen"; "заместители(-ей)"; "-лар/-лер".
_PLURAL_RU = ("eli", "teli", "ey", "ami", "yakh", "ikh", "ykh", "ov")
_PLURAL_KK = re.compile(r"(lar|ler|dar|der|tar|ter)")


def from_kazakh_latin(text: str) -> str:
    """"Aşımbaev", "Ysqaqova": the letters of the 2021 Kazakh Latin alphabet as the
    records' transliteration spells them (the other marks fold away in normalize)."""
    return _Q.sub(lambda m: "k" if m.group() == "q" else "K", text.translate(_KAZAKH_LATIN))


def when_in(text: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) that a text gives, any of them None: '2025', 'September 2025',
    '30 сентября 2025', '2025-09-30', '30.09.2025'."""
    if found := _ISO.search(text):
        year, month, day = found.groups()
        return int(year), int(month), int(day) if day else None
    if found := _DOTTED.search(text):
        day, month, year = found.groups()
        return int(year), int(month), int(day)
    year = month = day = None
    for word in normalize(text).split():
        if word.isdigit() and len(word) == 4:
            year = int(word)
        elif word.isdigit() and len(word) <= 2 and 1 <= int(word) <= 31:
            day = int(word)
        elif not word.isdigit():
            month = next((number for number, starts in _MONTHS.items()
                          if any(word.startswith(s) for s in starts) and len(word) >= 3),
                         month)
    return year, month, day


class Names:
    """What the mentions look up, built once per index (at open and reload): the events
    newest first, by year and by place, the stems of their titles, and the words of each
    body's names (for "the upper house")."""

    def __init__(self, index: RecordIndex) -> None:
        self.newest = newest = sorted(index.events.values(), key=lambda e: (e.date, e.id),
                                      reverse=True)
        self.rank = {event.id: number for number, event in enumerate(newest)}
        # Words that name an event by its title, in every language ("…on the constitution").
        self.title_stems = {
            event.id: frozenset(stem(w) for text in event.title.values()
                                for w in normalize(text).split() if w not in STOPWORDS)
            for event in newest}
        # Each event's titles and aliases, each run together ("roundtable" in "round table").
        self.titles_run_together = {
            event.id: " ".join(normalize(name).replace(" ", "")
                               for name in [*event.title.values(), *event.aliases])
            for event in newest}
        self.years: dict[int, list[Event]] = defaultdict(list)
        self.cities: dict[str, list[Event]] = defaultdict(list)
        for event in newest:
            self.years[event.date.year].append(event)
            for city in {stem(normalize(c).replace(" ", "")) for c in event.city.values()}:
                if len(city) >= 4:
                    self.cities[city].append(event)
        self.body_words: dict[str, list[int]] = defaultdict(list)  # form -> phrase numbers
        self.body_phrases: list[tuple[str, int]] = []  # phrase number -> (body, words)
        for item in index.institutions.values():
            for text in {*item.name.values(), *item.short.values(), *item.aliases}:
                words = [w for w in normalize(text).split() if len(w) > 2]
                for place, word in enumerate(words):
                    for form in forms(word):
                        self.body_words[form].append(len(self.body_phrases) * 64 + place)
                self.body_phrases.append((item.id, len(words)))

        self.surnames: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for person in index.people.values():
            for text in [*person.name.values(), *person.aliases]:
                words = normalize(text).split()
                if len(words) > 1 and len(words[-1]) >= 6:
                    self.surnames[words[-1][0]][words[-1]].add(person.id)

    def person_spelt(self, word: str) -> str:
        """The one person whose surname the word is, spelt another way and maybe inflected:
        Kazakh "Тұқымов(тың)" for a record that spells only "Тукумов" ("" if none or many)."""
        found = {person for surname, people in self.surnames.get(word[:1], {}).items()
                 if len(word) >= len(surname)
                 and fuzz.ratio(word[:len(surname)], surname) >= SPELT_ALIKE
                 for person in people}
        return found.pop() if len(found) == 1 else ""

    def places(self, word: str) -> list[str]:
        """The city stems a question's word starts with ("strasburgte": "strasburg")."""
        return list({form[:cut] for form in forms(word) for cut in range(4, len(form) + 1)
                     if form[:cut] in self.cities})


def event_scope(engine: AnswerEngine, q: Question) -> tuple[list[str], set[str]]:
    """The events a question names by place, date or year, newest first ("in Strasbourg",
    "in 2022", "on 30 September 2025"), and the words that named them."""
    names, words = engine.names, q.words
    # A year after "in", a month ("in February 2026", "September 30, 2025") or before an
    # event word ("the 2022 meeting"), or before "year".
    years = {int(w) for i, w in enumerate(words) if len(w) == 4 and w.isdigit() and (
        (i and (words[i - 1] in _YEAR_BEFORE or month_of(words[i - 1])))
        or (i > 1 and words[i - 1].isdigit() and len(words[i - 1]) <= 2 and month_of(words[i - 2]))
        or (i + 1 < len(words) and (words[i + 1] in _YEAR_AFTER
                                    or forms(words[i + 1]) & INTENTS["event"])))}
    places = {w: cities for w in words if not w.isdigit() and (cities := names.places(w))}
    # A city of two words written with a hyphen or a space: "Nur-Sultan", "Нур-Султан".
    places |= {f"{a} {b}": cities for a, b in pairwise(words)
               if f"{a} {b}" not in places and not (a.isdigit() or b.isdigit())
               and not names.places(a) and (cities := names.places(a + b))}
    if not years and not places:
        return [], set()
    month, day, date_words = _date_of(q.text, words)  # "in Astana on 9 February": its date
    in_years = [e for y in years for e in names.years.get(y, ())
                if (not month or e.date.month == month) and (not day or e.date.day == day)]
    at_places = [e for cities in places.values() for c in cities for e in names.cities[c]]
    if not years and month:  # a day and month without a year date the event at the place
        dated = [e for e in at_places if e.date.month == month and (not day or e.date.day == day)]
        at_places, month = (dated, month) if dated else (at_places, None)
        date_words = date_words if dated else set()
    # "in Astana in 2026": both
    chosen = [e for e in in_years if e in at_places] if years and places else (
        in_years or at_places)
    ids = sorted({e.id for e in chosen}, key=names.rank.__getitem__)
    if not ids:
        return [], set()
    named = {str(y) for y in years} | {w for place in places for w in place.split()}
    # The month and day of a date that names the event ("on 30 September 2025") name it
    # too, as does the word for "year" after it ("2025 года", "2026 жылы"): none is a
    # figure asked about, nor a word the record lacks.
    named |= {w for w in words if month and month_of(w) == month} | date_words
    named |= {b for a, b in pairwise(words) if a in named and a.isdigit() and b in _YEAR_AFTER}
    if all(w in named for w in words if forms(w) & INTENTS["when"]):  # "2026 жылы": no "when?"
        q.cues.discard("when")
    return ids, named


def _date_of(text: str, words: list[str]) -> tuple[int | None, int | None, set[str]]:
    """The month and day a question dates an event by, and the words of the day: a day is
    a number beside a month word ("30 сентября", "February 9") or of a written date
    ("30.09.2025"), never any other number ("the 3rd speaker in 2026")."""
    _, month, day = when_in(text)
    if _ISO.search(text) or _DOTTED.search(text):
        found = _ISO.search(text) or _DOTTED.search(text)
        return month, day, {str(int(g)) for g in found.groups() if g} | {
            g for g in found.groups() if g}
    beside = {w for i, w in enumerate(words) if w.isdigit() and len(w) <= 2
              and any(month_of(x) for x in words[max(i - 1, 0):i + 2] if x != w)}
    if day is not None and str(day) not in beside:
        day = next((int(w) for w in beside if 1 <= int(w) <= 31), None)
    return month, day, {w for w in beside if day is not None and int(w) == day}


def month_of(word: str) -> int | None:
    """The month a word names ("february", "сентябре", "сәуір"), if any."""
    if word.isdigit() or len(word) < 3:
        return None
    return next((number for number, starts in _MONTHS.items()
                 if any(word.startswith(s) for s in starts)), None)


def title_part(engine: AnswerEngine, q: Question) -> Match | None:
    """"Where was the expert platform held?": two or more words of one event's title or
    alias, beside nothing but words about a fact of the event, name that event."""
    if not q.cues & {"when", "where"} or any(m.entity[0] == "event" for m in q.all_matches):
        return None
    asked = frozenset(i for i, w in enumerate(q.kept)
                      if i not in q.noise and not forms(w) & EVENT_WORDS)
    if len(asked) < 2:
        return None
    phrases = engine.index.event_names_with({q.known[i] for i in asked})
    if len({p.entity for p in phrases}) != 1:
        return None
    return Match(phrases[0].entity, PHRASE_WEIGHT["event"], asked, phrases[0])


def relative_order(q: Question) -> Order | None:
    """"Who spoke just before Iskakova?": the place next to a person in the speaking order."""
    from bot.answering.question import Order

    people = list(dict.fromkeys(m.entity[2] for m in q.all_matches if m.entity[0] == "person"))
    said = set(q.stems) | {f for w in q.words for f in forms(w)}
    if len(people) == 2 and said & BETWEEN and (q.speaking or "who" in q.cues):
        return Order(relative="between", anchor=people[0], other=people[1])
    if len(people) != 1:
        return None
    near = _words_near(q, people[0])  # "Iskakova-dan keiin", "just before Iskakova"
    relative = "before" if near & BEFORE else "after" if near & AFTER else ""
    if not relative or not (q.speaking or "who" in q.cues or q.cues & {"speakers"}):
        return None
    return Order(relative=relative, anchor=people[0])


def _words_near(q: Question, person: str, reach: int = 3) -> set[str]:
    """The forms of the words within `reach` of where the question names the person (not
    "my aunt follows politics … Suleimen": "follows" is far from her)."""
    named = {q.kept_at[p] for m in q.all_matches if m.entity[2] == person
             for p in m.positions if p < len(q.kept_at)}
    if not named:  # pointed at, not named: the whole question
        return set(q.stems) | {f for w in q.words for f in forms(w)}
    return {f for i, w in enumerate(q.words) if min(abs(i - n) for n in named) <= reach
            for f in forms(w) | {stem(w)}}


def combination(q: Question) -> tuple[str, list[Match]]:
    """How the themes of a question combine: "and" (both), "or", "not" (with the themes
    that must be absent), or "" (each theme answered)."""
    # With no event named, the themes of every event: "both A and B" may span two events.
    named = q.scope or any(m.entity[0] == "event" for m in q.matches)
    themes = [m for m in (q.matches if named else q.all_matches) if m.entity[0] == "theme"]
    if len(themes) < 2:
        return "", []
    kept_at = q.kept_at
    words = q.words
    negation = next((i for i, w in enumerate(words) if w in NOT or (
        w == "ne" and i + 1 < len(words) and words[i + 1] in ("o", "ob", "obo", "pro"))), None)
    if negation is not None:  # "..., but not about Y": the themes after the negation
        after = [m for m in themes if kept_at and min(m.positions) < len(kept_at)
                 and kept_at[min(m.positions)] > negation]
        if after and len(after) < len(themes):
            return "not", after
    kk_negative = next((i for i, w in enumerate(words) if w.startswith(_KK_NEGATIVE)), None)
    if kk_negative is not None:  # "X туралы айтқан, Y туралы айтпаған": Y is before the verb
        before = [m for m in themes if kept_at[max(m.positions)] < kk_negative]
        nearest = max((kept_at[max(m.positions)] for m in before), default=None)
        excluded = [m for m in before if kept_at[max(m.positions)] == nearest]
        if excluded and len(excluded) < len(themes):
            return "not", excluded
    if {stem(w) for w in words} & BOTH or words.count("i") >= 2:  # "и о X, и о Y"
        return "and", []
    if set(words) & OR:
        return "or", []
    return "", []


def plural_role(q: Question) -> bool:
    """Whether the question asks about a role in the plural ("the deputy chairs")."""
    # Over every event: "the deputy chairs in Strasbourg" names them even where absent.
    roles = [m for m in q.all_matches if m.entity[0] == "person" and m.phrase.kind == "role"]
    if len({m.entity[2] for m in roles}) < 2:
        return False
    if "how_many" in q.cues:
        return True
    return is_plural(q, {q.kept[p] for m in roles for p in m.positions if p < len(q.kept)})


def is_plural(q: Question, words: set[str]) -> bool:
    """Whether one of these words of the question is a plural, judged in its own script."""
    if has_cyrillic(q.text):
        return any(w.endswith(_PLURAL_RU) or _PLURAL_KK.search(w[3:]) for w in words)
    return any(w.endswith("men") or (w.endswith("s") and not w.endswith("ss")) for w in words)


def spelt_otherwise(engine: AnswerEngine, q: Question) -> list[Match]:
    """People named in a spelling the index lacks (a Kazakh one of a name recorded in
    Russian), when the question names no one else: words no record or statement has."""
    from bot.answering.index import Match
    from bot.answering.indexing import Phrase

    if any(m.entity[0] == "person" for m in q.all_matches):
        return []
    index, names = engine.index, engine.names
    explained = {p for m in q.all_matches for p in m.positions} | q.noise
    found = []
    for position, word in enumerate(q.kept):
        if position in explained or len(word) < 6 or word.isdigit() or index.in_statements(
                q.linked[position], prefix=True) or index.similar_stems(q.linked[position]):
            continue
        if person := names.person_spelt(word):
            entity = ("person", "", person)
            found.append(Match(entity, 0.9, frozenset({position}),
                               Phrase(entity, "surname", (q.linked[position],))))
    return found
