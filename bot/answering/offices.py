"""An office named at a named event: "the deputy chair of the Senate at the 2022 meeting" is
who held that office there, not its holders at other events that a record's alias names.

Titles differ between records ("Deputy Chair of the Senate", "Deputy Chairwoman of the Senate
of the Kazakh Parliament"), so an office is its head words (those before "of"), "-man" / "-woman"
left out, at the same institution.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.index import Match
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
