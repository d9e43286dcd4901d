"""The archive's events set side by side: in the order of time ("a timeline, oldest first")
and by how many spoke at each ("which event had the most speakers?").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.answer import Answer, Span
from bot.answering.archive import EARLIEST, GENERIC, _about_events, _stray
from bot.answering.cues import stems_of
from bot.i18n import tn

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

# "A timeline", "in chronological order", "oldest first"; "хронология", "по порядку";
# "хронологиясы", "ретімен".
TIMELINE = stems_of("timeline chronology chronological chronologically order oldest "
                    "хронология хронологии хронологическом порядке порядку старых "
                    "хронологиясы ретімен реті")
# "The most speakers", "больше всего выступающих", "ең көп баяндамашы" (both words: "ең" alone
# is any superlative, "көп" alone is "many").
MOST = stems_of("most больше наибольшее наибольшим")
MOST_KK = stems_of("ең көп")
SHOWN = 10


def asks_timeline(q: Question) -> bool:
    """Every event in the order of time: events and a word for a timeline, nothing else."""
    return (q.archive >= 2 and _about_events(q) and bool(q.word_forms & TIMELINE)
            and not (q.people or q.themes or q.institutions or q.scope)
            and not _stray(q, TIMELINE, EARLIEST, GENERIC))


async def timeline(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """The events oldest first, each with its date and place."""
    events = engine.newest_first[::-1][:SHOWN]
    answer = Answer(q.text, "events", lang)
    answer.add(Span(tn(lang, "timeline.header", len(engine.index.events)), "b"))
    refs = [engine.ref(("event", e.id, e.id), lang) for e in events]
    answer.entities += refs
    answer.choices += refs
    answer.add_lines([[Span(f"{engine.when_where(e, lang)} — "), Span(ref.name, "b")]
                      for ref, e in zip(refs, events, strict=True)])
    for event in events:
        engine.add_event_sources(answer, event)
    return answer


def asks_most_speakers(q: Question) -> bool:
    """"Which event had the most speakers?": events ranked by who spoke at each."""
    return (q.archive >= 2 and _about_events(q)
            and bool(q.word_forms & MOST or q.word_forms >= MOST_KK)
            and bool(q.cues & {"speakers", "what_said", "participants"})
            and not (q.people or q.themes or q.institutions or q.scope))


async def most_speakers(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """The events by the number of people the record has speaking there, most first: those
    with remarks, or everyone named where the record gives no one's remarks apart."""
    spoke = {event.id: engine.who_spoke(event) for event in engine.index.events.values()}
    ranked = sorted(engine.index.events.values(), reverse=True,
                    key=lambda e: (len(spoke[e.id]), e.date, e.id))[:SHOWN]
    answer = Answer(q.text, "events", lang, event_id=ranked[0].id)
    answer.add(Span(engine.event_heading(ranked[0], lang), "b"), Span(": "),
               Span(tn(lang, "timeline.speakers", len(spoke[ranked[0].id]))))
    answer.add_lines([[Span("• "), Span(engine.event_heading(e, lang), "i"),
                       Span(": " + tn(lang, "timeline.speakers", len(spoke[e.id])))]
                      for e in ranked[1:]])
    answer.entities += [engine.ref(("event", e.id, e.id), lang) for e in ranked]
    for event in ranked:
        engine.add_event_sources(answer, event)
    return answer
