"""What the record does not say: "the record doesn't say", then the nearest fact it does
say, labelled as such (never an event card, nor a theme's card, in place of an answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering import search
from bot.answering.answer import Answer, Span
from bot.i18n import t
from bot.records.model import Statement

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

NEAREST = 3  # statements shown as the nearest fact


def lacks(q: Question) -> bool:
    """A fact no record holds, asked beside records ("the Kurultai's seats", "the weather
    at the roundtable", "the population of Strasbourg", "who closed the roundtable"), and
    no person named (a person's answer says what they did say)."""
    beside_event = bool((q.scope or q.events) and q.foreign
                        and not (q.themes or q.institutions or q.holders or q.heads))
    return bool(q.lacking or beside_event) and not q.people


def _nearest(engine: AnswerEngine, q: Question) -> list[Statement]:
    """Under each theme named, the statements that say its words (else all of them)."""
    found: dict[str, Statement] = {}
    for match in q.themes:
        said = engine.index.theme_statements.get(match.entity[1:], [])
        words = set(match.phrase.stems)
        literal = [s for s in said if engine.says(s, words)]
        found.update((s.key, s) for s in literal or said)
    return sorted(found.values(), key=lambda s: (s.event_id, s.position))[:NEAREST]


async def record_lacks(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """"The record doesn't say", then the nearest fact, labelled; the usual pointer when
    the question names nothing the record has."""
    answer = Answer(q.text, "unknown", lang, answered=False)
    answer.add(t(lang, "lacks.text"))
    nearest = _nearest(engine, q)
    event = q.event if q.events or q.scope or "opened" in q.cues else None
    if nearest:
        answer.entities.extend(engine.ref(m.entity, lang) for m in q.themes)
        answer.add(Span(t(lang, "lacks.nearest"), "i"))
        engine.statements_by_speaker(answer, nearest, lang)
        engine.add_sources(answer, nearest)
    elif q.institutions:  # "the Senate's seats": what the record has of the Senate
        answer.add(Span(t(lang, "lacks.nearest"), "i"))
        body = engine.institutions_answer(q.text, [m.entity for m in q.institutions], lang)
        answer.include(body)
    elif event is not None:
        answer.add(Span(t(lang, "lacks.nearest"), "i"))
        # "Who moderated?": who opened it, when the record says; else when and where it was.
        fact = "opened" if "opened" in q.cues and engine.openers(event) else "when"
        answer.include(engine.event_fact(q.text, event, fact, lang))
        answer.answered = False
    else:
        answer.add(t(lang, "unknown.hint"))
    return answer


def asks_a_duration(q: Question) -> bool:
    """"How long did X's speech last?": the records hold dates and what was said, never how
    long anything took (a duration of a theme, "the term", is a figure: asks_a_figure)."""
    # "How many people took part?": "took" asks about taking part, not how long it took.
    # Only of a person or an event: "how long did the discussion take?" may be a figure a
    # statement has ("9 days").
    return ("how_long" in q.cues and "participants" not in q.cues and not q.themes
            and bool(q.people or q.bare))


async def duration_lacking(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """"The record doesn't say", then what the rest of the table answers (the person's
    remarks) or, for the event alone, when it was held; labelled as the nearest fact. But
    a figure the person's statements give on the words asked is the answer ("how many
    days did the discussion take, according to X?": "9")."""
    persons = {m.entity[2] for m in q.people}
    by_name = {p for m in q.people for p in m.positions}
    asked = [s for i, s in enumerate(q.linked) if i not in q.noise and i not in by_name]
    given = [s for s in search.figure_for(engine, asked, q.cues) if s.speaker in persons]
    if given:
        return engine.statements_answer(q.text, given, lang, q.cues)
    return await _then_nearest(engine, q, lang, "a duration")


async def person_lacking(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """"How old is X?", "which initiatives exactly did X support?" (none named): the
    record doesn't say, then what it has of the person, labelled as the nearest fact."""
    return await _then_nearest(engine, q, lang, "a person's fact no record holds")


async def _then_nearest(engine: AnswerEngine, q: Question, lang: str, row: str) -> Answer:
    from bot.answering.routes import route  # the rows after this one give the nearest fact

    answer = Answer(q.text, "unknown", lang, answered=False)
    answer.add(t(lang, "lacks.text"))
    answer.add(Span(t(lang, "lacks.nearest"), "i"))
    if q.people:
        answer.include(await route(engine, q, lang, after=row))
    elif (event := q.event) is not None:
        answer.include(engine.event_fact(q.text, event, "when", lang))
    answer.answered = False
    return answer


def asks_a_figure(q: Question) -> bool:
    """"How many deputies will the Kurultai have?": a number asked about themes."""
    return bool(q.cues & {"how_many", "how_long"} and q.themes and not q.people
                and not q.figures)


async def figure_lacking(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    """When no statement on the themes has a figure, the record doesn't say (then what it
    says on them, labelled); else the themes' answer leads with the figures (None here)."""
    said = [s for m in q.themes for s in engine.index.theme_statements.get(m.entity[1:], [])]
    if any(s.figures for s in said):
        return None
    return await record_lacks(engine, q, lang)
