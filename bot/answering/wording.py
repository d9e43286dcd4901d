"""The words of a question taken one by one: which are abbreviations or names written with
a capital, which name nobody the record knows ("Olga Buzova"), which no record, statement
or question pattern knows at all. Used by bot.answering.question to interpret a question.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.answering.cues import CUE_STEMS, FUNCTION_WORDS, NTH, forms
from bot.answering.index import Match
from bot.answering.mentions import COMBINERS, month_of
from bot.text import MIN_STEM, normalize

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine

RAW_WORD = re.compile(r"[\w-]+", re.UNICODE)  # a word as written, hyphens kept
# How surnames end in Kazakhstan and around, transliterated: -ov(a), -ev(a), -in(a), -uly...
SURNAME_ENDINGS = ("ov", "ova", "ev", "eva", "yev", "yeva", "in", "ina", "sky", "skaya",
                   "enko", "uly", "kyzy", "vich", "vna", "yan", "dze", "shvili")


def acronyms(question: str) -> set[str]:
    """Words of three letters or more written in capitals, in a question that is not all
    capitals: abbreviations of names ("КИСИ", "WHO" of an organisation), never cue words."""
    if not any(c.islower() for c in question):
        return set()
    return {normalize(part) for word in RAW_WORD.findall(question)  # "КИСИ-ді": КИСИ
            for part in word.split("-") if len(part) >= 3 and part.isupper()}


def capitalized(question: str) -> set[str]:
    """Words written with a capital inside the question (not its first word): names."""
    words = question.split()
    opening = {0} | {i + 1 for i, w in enumerate(words) if w[-1:] in ".!?…:"}  # sentences'
    return {part for i, word in enumerate(words) if i not in opening and word[:1].isupper()
            for part in normalize(word).split()}


def drop_namesakes(matches: list[Match], kept: list[str], noise: set[int],
                   text: str) -> list[Match]:
    """"Olga Buzova" is not Olga Perepechina: a first name followed by a surname the
    record does not know names somebody else. A surname is written with a capital, or,
    in a message all in lower case, ends like one ("olga buzova"); "Madina's idea",
    "Nurlan qaı taqyrypta", "Мәулен деген кім" go on about the person named."""
    covered = {p for m in matches if m.phrase.kind != "given" for p in m.positions}
    names = capitalized(text) if text != text.lower() else set()
    kept_matches = []
    for match in matches:
        if match.phrase.kind == "given":
            after = max(match.positions) + 1
            if after < len(kept) and after not in noise and after not in covered \
                    and (kept[after] in names or kept[after].endswith(SURNAME_ENDINGS)):
                continue
        kept_matches.append(match)
    return kept_matches


def is_foreign(engine: AnswerEngine, word: str, stem_: str, named: bool = False) -> bool:
    """A word no record, statement or question pattern knows, even misspelt (a name
    written with a capital is taken as it is: "USA" is not a typo of "us")."""
    if len(word) < 3 or forms(word) & (CUE_STEMS | COMBINERS) or NTH.match(word) \
            or month_of(word):  # "the February roundtable": a date, not a stranger
        return False
    if engine.index.in_statements(stem_, prefix=len(stem_) >= MIN_STEM):
        return False
    if engine.index.similar_stems(stem_):
        return False
    return named or process.extractOne(word, FUNCTION_WORDS, scorer=fuzz.ratio,
                                       score_cutoff=80) is None  # not "abuot" for "about"
