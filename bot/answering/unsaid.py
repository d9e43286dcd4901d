"""What a question asks of one person that none of their records holds: their age, family or
pay; a seat or vote count; which initiatives exactly, when their statements name none; a
figure on a theme that none of their statements on it gives. Read by the route table's
"a person's fact no record holds" (bot.answering.missing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.cues import CUE_STEMS, LACKS, PERSONAL, WHICH_ITEMS, forms
from bot.text import STOPWORDS, normalize, stem

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

MIN_WORD = 4  # "ona", "the": too short to be what is asked about


def unsaid(engine: AnswerEngine, q: Question) -> list[str]:
    """The words of a question about one person that ask for what no record of theirs
    says ([] when it asks for what they said, or names several people or none)."""
    persons = {m.entity[2] for m in q.people}
    if len(persons) != 1:
        return []
    person, index = persons.pop(), engine.index
    said = [s for e in index.events_of_person.get(person, [])
            for s in index.said.get((e, person), [])]
    keys = {s.key for s in said}
    titles = {stem(w) for e in index.events_of_person.get(person, [])
              for text in index.participants[(e, person)].role.values()
              for w in normalize(text).split()}
    which = any(forms(w) & WHICH_ITEMS for w in q.words)
    explained = q.explained
    found = []
    for i, word in enumerate(q.kept):
        if i in explained or i in q.noise or word in q.scope_words or word.isdigit():
            continue
        kinds = forms(word)
        # "Which initiatives?": a thing the archive's statements name, none of theirs.
        items = which and len(word) >= MIN_WORD and i not in q.foreign and not kinds & CUE_STEMS
        if not (kinds & (PERSONAL | LACKS) or items):
            continue
        if keys & index.saying(q.linked[i]) or q.linked[i] in titles:
            continue  # they do say it, or it is in their title ("the party secretary")
        found.append(word)
    if "how_many" in q.cues:  # "сколько лет X?": "лет" is a stopword, so not in q.kept
        found.extend(w for w in q.words if w in STOPWORDS and forms(w) & PERSONAL)
    if q.cues & {"how_many", "how_long"} and q.themes and not q.figures:
        wanted = {m.entity[1:] for m in q.themes}
        on_themes = [s for s in said if any((s.event_id, t) in wanted for t in s.themes)]
        if not any(s.figures for s in on_themes or said):  # "how many seats, says X?"
            found.extend(w for m in q.themes for w in m.phrase.stems)
    return found
