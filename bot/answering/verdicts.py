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
from bot.answering.render import pick
from bot.i18n import t
from bot.text import stem

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question


def _topic(q: Question) -> set[str]:
    explained = {p for m in q.all_matches for p in m.positions} | q.noise
    return {stem(w) for i, w in enumerate(q.kept)
            if i not in explained and not forms(w) & CUE_STEMS and w not in q.scope_words}


def applies(q: Question) -> bool:
    """"Did X mention Y?": one person, and something they may or may not have said ("Did X
    speak?" alone gets the engine's card, which says what X did)."""
    people = {m.entity[2] for m in q.all_matches if m.entity[0] == "person"}
    themes = [m for m in q.all_matches if m.entity[0] == "theme"]
    return q.yes_no and len(people) == 1 and bool(_topic(q) or themes or q.scope)


async def answer_yes_no(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """Yes or no on whether one person said something."""
    from bot.answering.routes import route  # the rows after this one answer the "yes"

    person = next(m.entity[2] for m in q.all_matches if m.entity[0] == "person")
    topic = _topic(q)
    themes = {(m.entity[1], m.entity[2]) for m in q.all_matches if m.entity[0] == "theme"}
    events = [e for e in engine.index.events_of_person.get(person, [])
              if not q.scope or e in q.scope]  # "did X speak in Strasbourg?": there only
    said = [s for e in events for s in engine.index.said.get((e, person), [])]
    on_topic = [s for s in said
                if any((s.event_id, theme) in themes for theme in s.themes)
                or (topic and engine.says(s, topic)) or not (topic or themes)]
    # "Was X at the Strasbourg meeting?": taking part is the yes, remarks or not.
    attended = bool(q.scope and events and not (topic or themes) and not q.speaking
                    and "what_said" not in q.cues)
    name = engine.person_ref(person, lang).name
    if on_topic or attended:
        answer = engine.with_event_heading(await route(engine, q, lang, after="yes or no"),
                                           lang)
        answer.paragraphs.insert(0, [Span(t(lang, "verdict.yes", name=name), "b")])
        return answer
    answer = engine.person_card(q.text, person, lang)
    answer.answered = True  # "no" is an answer, from the record
    answer.paragraphs.insert(0, [Span(t(lang, "verdict.no", name=name), "b")])
    return answer


def theme_at_event_applies(q: Question) -> bool:
    """"Did the Kurultai come up in Strasbourg?": no person, an event named, a theme named
    (of that event or another)."""
    return (q.yes_no and bool(q.scope or q.events) and not q.people
            and any(m.entity[0] == "theme" for m in q.all_matches))


async def theme_at_event(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """Yes, then who spoke on it there; or no, then the events whose records have it."""
    from bot.answering.routes import route

    named = q.scope or [m.entity[1] for m in q.events]
    themes = [m for m in q.all_matches if m.entity[0] == "theme"]
    index = engine.index
    places = engine.event_headings(named, lang)
    if any(m.entity[1] in named for m in themes):
        answer = await route(engine, q, lang, after="a theme at an event, yes or no")
        answer.paragraphs.insert(0, [Span(t(lang, "verdict.theme_yes", event=places), "b")])
        return answer
    elsewhere = sorted({m.entity[1] for m in themes}, reverse=True,
                       key=lambda e: (index.events[e].date, e))
    answer = Answer(q.text, "verdict", lang)
    answer.add(Span(t(lang, "verdict.theme_no", event=places), "b"))
    answer.add_lines([[Span("• "), Span(engine.event_heading(index.events[e], lang), "i"),
                       Span(" — " + ", ".join(sorted({pick(index.themes[m.entity[1:]].name, lang)
                                                      for m in themes if m.entity[1] == e})))]
                      for e in elsewhere])
    answer.entities += [engine.ref(("event", e, e), lang) for e in elsewhere]
    for event_id in [*named, *elsewhere]:
        engine.add_event_sources(answer, index.events[event_id])
    return answer


def body_at_event_applies(q: Question) -> bool:
    """"Was KazISS at the Astana roundtable?": no person, an event named, a body named."""
    return (q.yes_no and bool(q.scope or q.events) and not q.people
            and any(m.entity[0] == "institution" for m in q.all_matches))


async def body_at_event(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """Yes, then who represented it there; or no, then the events it was at."""
    index = engine.index
    named = q.scope or [m.entity[1] for m in q.events]
    bodies = [m.entity for m in q.all_matches if m.entity[0] == "institution"]
    places = engine.event_headings(named, lang)
    at = [e for b in bodies for e in index.events_of_institution.get(b[2], [])]
    if set(at) & set(named):
        answer = engine.institutions_answer(q.text, bodies, lang, named)
        answer.paragraphs.insert(0, [Span(t(lang, "verdict.body_yes", event=places), "b")])
        return answer
    answer = engine.institutions_answer(q.text, bodies, lang)  # the events it was at
    answer.paragraphs.insert(0, [Span(t(lang, "verdict.body_no", event=places), "b")])
    return answer


def lead_with_count(q: Question, answer: Answer, lang: str) -> Answer:
    """"How many deputy chairs spoke?": the number of people found first, then who they are,
    rather than "which one do you mean?"."""
    if "how_many" in q.cues and answer.kind == "institution" and q.speaking:
        return _count_members(answer, lang)  # "how many senators spoke?"
    if "how_many" not in q.cues or answer.kind != "ambiguous" or not answer.choices:
        return answer
    people = [ref for ref in answer.choices if ref.kind == "person"]
    counted = Answer(answer.question, "count", lang, entities=list(answer.entities),
                     suggestions=people, event_id=answer.event_id, route=answer.route)
    counted.add(Span(str(len(people)), "b"))
    counted.paragraphs.extend(answer.paragraphs[1:-1])  # the names, not "which one?"
    return counted


def _count_members(answer: Answer, lang: str) -> Answer:
    """The people who represented the bodies, counted, before the bodies' answer."""
    people = {ref for ref in answer.suggestions if ref.kind == "person"}
    answer.paragraphs.insert(0, [Span(str(len(people)), "b")])
    answer.kind = "count"
    return answer
