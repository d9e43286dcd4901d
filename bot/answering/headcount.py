"""How many people the archive has: "How many people took part in all the events?" counts
each person once over every event, the number first, then each event's own count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.answer import Answer, Span
from bot.answering.cues import stems_of
from bot.i18n import tn

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

# "In all the events", "in total", "across", "in the archive"; "во всех", "всего", "в архиве";
# "барлық", "жалпы", "архивте".
OVER_ALL = stems_of("all every total overall altogether across whole archive database "
                    "все всех всего целом архиве архив базе "
                    "барлық барлығы жалпы бәрі бәрінде архивте мұрағатта дерекқорда")


def asks_people_over_events(q: Question) -> bool:
    """A count of people over the events ("сколько всего людей во всех мероприятиях?"),
    none of them or anything else named."""
    return (q.archive >= 2 and "how_many" in q.cues and "event" in q.cues
            and bool(q.cues & {"participants", "speakers"}) and bool(q.word_forms & OVER_ALL)
            and not (q.scope or q.events or q.people or q.themes or q.institutions))


async def count_people(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """The people of every event, each once; then each event's, newest first."""
    index = engine.index
    events = engine.newest_first
    at = {e.id: {p.person for p in index.participants_by_event.get(e.id, ()) if p.person}
          for e in events}
    everyone = set().union(*at.values())
    answer = Answer(q.text, "count", lang)
    answer.add(Span(tn(lang, "headcount.people", len(everyone), events=len(events)), "b"))
    answer.add_lines([[Span("• "), Span(engine.event_heading(event, lang), "i"),
                       Span(": " + tn(lang, "headcount.at_event", len(at[event.id])))]
                      for event in events if at[event.id]])
    for event in events:
        engine.add_event_sources(answer, event)
    return answer
