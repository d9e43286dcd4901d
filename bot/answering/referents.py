"""A question that points back to the one before it in the same message takes what that one
was about: its event ("…and who spoke there?") or the people it was answered with ("…what
did she say?", "this person", "этот человек", "осы адам")."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from bot.answering.cues import stems_of
from bot.answering.index import PHRASE_WEIGHT, Match
from bot.answering.indexing import Phrase
from bot.text import normalize, stem

if TYPE_CHECKING:
    from bot.answering.question import Question

# Words of a question that point back to the one before it: "…and what was said there?"
BACK = frozenset(
    "there then it its he she they him her his their them там туда тогда нём нем его её ее "
    "их он она они онда сонда ол оның оны олар".split())
# Those that point back at a person: "Who spoke about X? And what problems did she name?"
BACK_PERSON = frozenset(
    "he she they him her his their them он она они его её ее их ему ей ним ней нём нем "
    "ол оның оны оған олар олардың".split())

DEMONSTRATIVES = frozenset(normalize(
    "this that same этот эта тот та этого этой того той этому тому этим тем "
    "осы сол бұл bul osy sol").split())
PERSON_WORDS = stems_of(
    "person man woman speaker participant человек человека человеку спикер спикера "
    "участник участника участница участницы адам адамы кісі шешен")


def points_at_person(words: list[str]) -> bool:
    """Whether normalized words hold a demonstrative followed by a word for a person."""
    return any(a in DEMONSTRATIVES and stem(b) in PERSON_WORDS for a, b in pairwise(words))


def carry_from(before: Question, q: Question, words: list[str]) -> None:
    """The event of the question before, when this one points back and names none; the
    people it was answered with (up to three), when this one points back at a person and
    names nobody; `dangling` when it points at a person the one before found none of."""
    raw = set(q.raw)
    if not q.scope and BACK & raw and not any(m.entity[0] == "event" for m in q.all_matches):
        q.scope = before.scope or ([before.chosen] if before.chosen else [])
    if (BACK_PERSON & raw or points_at_person(words)) \
            and not any(m.entity[0] == "person" for m in q.all_matches):
        q.all_matches += [_pointed_at(person) for person in before.answered[:3]]
        q.dangling = not before.answered  # "Ержан выступал? Что он сказал?": nobody


def _pointed_at(person: str) -> Match:
    """The person a pronoun points back to, as if named (by no word of this question)."""
    entity = ("person", "", person)
    return Match(entity, PHRASE_WEIGHT["name"], frozenset(), Phrase(entity, "name", ()))
