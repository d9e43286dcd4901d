"""Words that point back at the person the question before found, besides pronouns (those
are in bot.answering.question BACK_PERSON): a demonstrative and a word for a person, "this
person", "that speaker", "этот человек", "тот спикер", "осы адам", "сол кісі"."""

from __future__ import annotations

from itertools import pairwise

from bot.answering.cues import stems_of
from bot.text import normalize, stem

DEMONSTRATIVES = frozenset(normalize(
    "this that same этот эта тот та этого этой того той этому тому этим тем "
    "осы сол бұл bul osy sol").split())
PERSON_WORDS = stems_of(
    "person man woman speaker participant человек человека человеку спикер спикера "
    "участник участника участница участницы адам адамы кісі шешен")


def points_at_person(words: list[str]) -> bool:
    """Whether normalized words hold a demonstrative followed by a word for a person."""
    return any(a in DEMONSTRATIVES and stem(b) in PERSON_WORDS for a, b in pairwise(words))
