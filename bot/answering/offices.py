"""Offices: who heads (or deputises for) a body the question names ("the speaker of the upper
chamber", "who ran KazISS?"); and an office named at a named event: "the deputy chair of the
Senate at the 2022 meeting" is who held that office there, not its holders at other events
that a record's alias names.

Titles differ between records ("Deputy Chair of the Senate", "Deputy Chairwoman of the Senate
of the Kazakh Parliament"), so an office is its head words (those before "of"), "-man" / "-woman"
left out, at the same institution.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from bot.answering.cues import INTENTS, forms, stems_of
from bot.answering.index import Match
from bot.answering.mentions import is_plural
from bot.records.model import Participant
from bot.text import normalize

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

_OF = frozenset({"of", "at", "for", "in"})
# "Chairman", "Chairwoman", "Chairperson" and "Chair" are one office.
_GENDERED = ("woman", "person", "man")


def _head(participant: Participant) -> list[str]:
    words = normalize(participant.role.get("en", "")).split()
    cut = next((i for i, w in enumerate(words) if w in _OF), len(words))
    return [_base(w) for w in words[:cut]]


def _base(word: str) -> str:
    for ending in _GENDERED:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[:-len(ending)]
    return word


def same_office(a: Participant, b: Participant) -> bool:
    """Whether two participants (of different events) hold the same office."""
    if not a.institution or a.institution != b.institution:
        return False
    head_a, head_b = _head(a), _head(b)
    return bool(head_a) and head_a == head_b


def at_the_event(engine: AnswerEngine, q: Question) -> tuple[list[Match], list[Match]]:
    """The question's matches (at every event, at the event in question) with every office
    named by a title of another event's record put as who held it at the event the question
    names (when somebody there did)."""
    index, event = engine.index, q.chosen
    if not event or not (q.scope or any(m.entity[0] == "event" for m in q.all_matches)):
        return q.all_matches, q.matches
    here = index.participants_by_event.get(event, [])
    moved: list[Match] = []
    for match in q.all_matches:
        person = match.entity[2]
        if match.entity[0] != "person" or match.phrase.kind != "role" \
                or (event, person) in index.participants:
            moved.append(match)
            continue
        elsewhere = [index.participants[(e, person)] for e in index.events_of_person[person]]
        holders = [p.person for p in here if any(same_office(o, p) for o in elsewhere)]
        if not holders:
            moved.append(match)
        moved.extend(Match(("person", "", h), match.score, match.positions, match.phrase)
                     for h in holders)
    every = list({(m.entity, m.positions): m for m in moved}.values())
    return every, [m for m in every if m in q.matches
                   or (m.phrase.kind == "role" and (event, m.entity[2]) in index.participants)]


# "The speaker of the upper chamber", "глава верхней палаты": a head of a body, named by the
# body's name in part ("upper house" of "upper house of parliament").
HEADS = stems_of(
    "head heads leader chair chairman chairwoman speaker president director "
    "глава руководитель председатель спикер директор басшы басшысы төраға төрағасы спикері "
    "директоры "
    # and as verbs: "who ran KazISS?", "кто возглавлял КИСИ?", "КИСИ-ді кім басқарды?"
    "headed leads led ran runs руководит руководил руководила возглавляет возглавлял "
    "возглавляла басқарады басқарды басқарған")
DEPUTY = stems_of("deputy vice заместитель заместители вице орынбасары орынбасарлары")


def _bodies(engine: AnswerEngine, q: Question) -> list[str]:
    """Institutions the question names, whole or by most of a name (two words at least, or
    the one word of a short name: "KazISS" inside "KazISS's expert platform")."""
    named = [m.entity[2] for m in q.all_matches if m.entity[0] == "institution"]
    if named:
        return named
    names = engine.names
    asked = {f for w in q.kept if not forms(w) & HEADS for f in forms(w)}
    hits: dict[int, set[int]] = defaultdict(set)
    for form in asked:
        for code in names.body_words.get(form, ()):
            hits[code // 64].add(code % 64)
    best: dict[str, float] = {}
    for phrase, places in hits.items():
        body, size = names.body_phrases[phrase]
        if len(places) >= min(2, size) and len(places) >= 0.6 * size:
            best[body] = max(best.get(body, 0), len(places) / size)
    top = max(best.values(), default=0)
    return [b for b, share in best.items() if share == top]


def _next_to(kept: list[str], one: int, other: int) -> bool:
    """Whether two of a question's words stand side by side, but for endings written apart
    ("КИСИ-ді": kisi, di) and the small words the question drops ("head of the Senate")."""
    return all(len(w) <= 2 for w in kept[min(one, other) + 1:max(one, other)])


def heads_of(engine: AnswerEngine, q: Question) -> list[str]:
    """The people who head (or, asked so, deputise for) a body the question names ("the
    speakers at the KazISS meeting" are those who spoke, not its head)."""
    heads = [i for i, w in enumerate(q.kept) if forms(w) & HEADS
             and not (forms(w) & INTENTS["speakers"] and is_plural(q, {w}))]
    if not heads or any(m.entity[0] == "person" for m in q.all_matches):
        return []
    # The head word beside the body's name: "my academic supervisor (руководитель) said
    # that someone of the Senate…" asks about no head of the Senate.
    named = {p for m in q.all_matches if m.entity[0] == "institution" for p in m.positions}
    if named and not any(_next_to(q.kept, h, p) for h in heads for p in named):
        return []
    deputy = any(forms(w) & DEPUTY for w in q.kept)
    index, found = engine.index, []
    for body in _bodies(engine, q):
        for event_id in index.events_of_institution.get(body, []):
            for part in index.participants_by_event.get(event_id, ()):
                if part.institution != body:
                    continue
                role = {f for text in part.role.values() for w in normalize(text).split()
                        for f in forms(w)}
                if role & HEADS and bool(role & DEPUTY) == deputy:
                    found.append(part.person)
    return list(dict.fromkeys(found))
