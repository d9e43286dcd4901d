"""Compose: a yes/no question starts with yes or no, a count starts with the number.

"Did X mention Y?" is answered from everything X said in the archive: yes when a statement of
theirs is under a theme the question names or says each of its other words; otherwise no,
"the record has nothing from X on that", then what X did say. A question asking how many
people, answered with several of them, leads with how many there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.answer import Answer, Span
from bot.answering.cues import CUE_STEMS, forms
from bot.answering.reading import Reading
from bot.i18n import t
from bot.text import stem

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine

YES_NO_OPENERS = frozenset("did does do has have had was were is are".split())
RU_PARTICLE = "ли"
KK_PARTICLES = frozenset("ма ме ба бе па пе".split())


def asks_yes_or_no(reading: Reading) -> bool:
    """"Did…?", Russian "…ли…?", Kazakh "…ма?": a question whose answer is yes or no."""
    raw = reading.raw
    return bool(raw) and (raw[0] in YES_NO_OPENERS or RU_PARTICLE in raw[1:]
                          or raw[-1] in KK_PARTICLES)


async def answer_yes_no(engine: AnswerEngine, question: str, reading: Reading,
                        lang: str) -> Answer | None:
    """Yes or no on whether one person said something; None for other questions."""
    people = {m.entity[2] for m in reading.kinds("person")}
    if len(people) != 1 or not asks_yes_or_no(reading):
        return None
    person = people.pop()
    explained = {p for m in reading.matches for p in m.positions} | reading.noise
    topic = {stem(w) for i, w in enumerate(reading.kept)
             if i not in explained and not forms(w) & CUE_STEMS}
    themes = {(m.entity[1], m.entity[2]) for m in reading.kinds("theme")}
    if not topic and not themes:
        return None  # "Did X speak?": the engine's card says what X did
    said = [s for e in engine.index.events_of_person.get(person, [])
            for s in engine.index.said.get((e, person), [])]
    on_topic = [s for s in said
                if any((s.event_id, theme) in themes for theme in s.themes)
                or (topic and engine._says(s, topic))]
    name = engine.person_ref(person, lang).name
    if on_topic:
        answer = await engine.answer_one(question, lang)
        answer.paragraphs.insert(0, [Span(t(lang, "verdict.yes", name=name), "b")])
        return answer
    answer = engine.person_card(question, person, lang)
    answer.answered = True  # "no" is an answer, from the record
    answer.paragraphs.insert(0, [Span(t(lang, "verdict.no", name=name), "b")])
    return answer


def lead_with_count(reading: Reading, answer: Answer, lang: str) -> Answer:
    """"How many deputy chairs spoke?": the number of people found first, then who they are,
    rather than "which one do you mean?"."""
    if "how_many" not in reading.cues or answer.kind != "ambiguous" or not answer.choices:
        return answer
    people = [ref for ref in answer.choices if ref.kind == "person"]
    counted = Answer(answer.question, "count", lang, entities=list(answer.entities),
                     suggestions=people, event_id=answer.event_id)
    counted.add(Span(str(len(people)), "b"))
    counted.paragraphs.extend(answer.paragraphs[1:-1])  # the names, not "which one?"
    return counted
