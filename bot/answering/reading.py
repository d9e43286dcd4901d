"""A first reading of a question for the stages around the engine: its cue words, its
meaningful words and the records they name, over every event (no event chosen yet)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.cues import INTENTS, NOISE_STEMS, forms
from bot.answering.index import Match, RecordIndex
from bot.text import STOPWORDS, normalize

_RAW_WORD = re.compile(r"[\w-]+", re.UNICODE)


@dataclass(frozen=True)
class Reading:
    raw: list[str]  # the words as written, lower case (Cyrillic kept)
    cues: set[str]  # INTENTS names
    word_forms: frozenset[str]
    kept: list[str]  # normalized words but stopwords; positions of `matches` index these
    noise: set[int]  # positions of words that only shape the question
    matches: list[Match]

    def kinds(self, *kinds: str) -> list[Match]:
        return [m for m in self.matches if m.entity[0] in kinds]


def read(index: RecordIndex, question: str) -> Reading:
    words = normalize(question).split()
    word_forms = frozenset().union(*(forms(w) for w in words)) if words else frozenset()
    cues = {name for name, cue in INTENTS.items() if cue & word_forms}
    kept = [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    noise = {i for i, w in enumerate(kept) if forms(w) & NOISE_STEMS}
    known = [index.best_stem(w) for w in kept]
    matches = [m for m in index.link(known) if m.positions - noise]
    raw = [w.lower() for w in _RAW_WORD.findall(question)]
    return Reading(raw, cues, word_forms, kept, noise, matches)
