"""Two (or more) named events compared: "what do the Strasbourg round table and the KazISS GPS
meeting have in common?", "чем отличается...", "...айырмашылығы қандай?".

What they share: the people at each, the bodies at each, and the themes each has, the same
theme by id or clearly the same (two of their key phrases alike). Then what each event has
of its own. Each event is named with its date and place, newest first, with its sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.answer import Answer, Span
from bot.answering.archive import COMPARE, MARKERS, has_word
from bot.answering.cues import INTENTS, forms
from bot.answering.render import pick
from bot.i18n import t
from bot.records.model import Theme
from bot.text import normalize

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

SAME_THEME = 2  # key phrases two events' themes share when they are the same theme
SHOWN = 6  # names per line of what an event has of its own


def named_events(q: Question) -> list[str]:
    """The events a question names by place, year or name, each name one event's alone
    ("round table" or "civic forum", which several titles have, name none)."""
    generic = INTENTS["event"] | MARKERS
    by_words: dict[frozenset[int], list[str]] = {}
    for m in q.all_matches:
        if m.entity[0] == "event" and any(not forms(q.kept[p]) & generic for p in m.positions):
            by_words.setdefault(m.positions, []).append(m.entity[1])
    alone = [ids[0] for _, ids in sorted(by_words.items(), key=lambda item: min(item[0]))
             if len(ids) == 1]
    return list(dict.fromkeys([*q.scope, *alone]))


def asks_to_compare(q: Question) -> bool:
    """A word asking what events share or how they differ, events named, no person named
    (the answer declines unless it finds two events)."""
    return (q.archive >= 2 and bool(has_word(q, COMPARE))
            and bool("event" in q.cues or q.scope or named_events(q))
            and not any(m.entity[0] == "person" for m in q.all_matches))


def events_compared(engine: AnswerEngine, q: Question) -> list[str]:
    """The named events, and each event a year or a place names alone: "the 2022 meeting
    and the Astana roundtable" are two events, not the one held in Astana in 2022."""
    chosen = named_events(q)
    names = engine.names
    for word in q.words:
        if word.isdigit():
            found = names.years.get(int(word), []) if len(word) == 4 else []
        else:
            found = [e for city in names.places(word) for e in names.cities[city]]
        ids = {e.id for e in found}
        if len(ids) == 1 and not ids & set(chosen):
            chosen += ids
    return chosen


def _phrases(theme: Theme) -> frozenset[str]:
    return frozenset(normalize(k) for words in theme.keywords.values() for k in words)


def _same(one: Theme, other: Theme) -> bool:
    return one.id == other.id or len(_phrases(one) & _phrases(other)) >= SAME_THEME


async def compare_events(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    index = engine.index
    named = events_compared(engine, q)
    if len(named) < 2:
        return None
    events = sorted((index.events[e] for e in named),
                    key=lambda e: (e.date, e.id), reverse=True)
    ids = [e.id for e in events]
    people = {e: {p.person for p in index.participants_by_event.get(e, ())} for e in ids}
    bodies = {e: set(index.institutions_by_event.get(e, ())) for e in ids}
    themes = {e: list(index.themes_by_event.get(e, ())) for e in ids}
    common_people = set.intersection(*people.values())
    common_bodies = set.intersection(*bodies.values())
    # A theme is shared when every other event has the same one.
    shared = [th for th in themes[ids[0]]
              if all(any(_same(th, other) for other in themes[e]) for e in ids[1:])]
    shared_all = {(th.event_id, th.id) for e in ids for th in themes[e]
                  if any(_same(th, s) for s in shared)}

    answer = Answer(q.text, "comparison", lang)
    answer.add(Span(t(lang, "compare.events"), "b"))
    answer.add_lines([[Span("• "), Span(engine.event_heading(e, lang), "i")] for e in events])
    answer.entities += [engine.ref(("event", e, e), lang) for e in ids]
    if common_people or common_bodies or shared:
        answer.add(Span(t(lang, "compare.common"), "b"))
        lines = []
        if common_people:
            names = [pick(index.people[p].name, lang) for p in sorted(common_people)]
            lines.append(_line(t(lang, "compare.people"), names))
        if common_bodies:
            names = [pick(index.institutions[b].name, lang) for b in sorted(common_bodies)]
            lines.append(_line(t(lang, "compare.bodies"), names))
        for theme in shared:
            alike = [pick(other.name, lang) for e in ids[1:] for other in themes[e]
                     if _same(theme, other) and pick(other.name, lang) != pick(theme.name, lang)]
            lines.append(_line(t(lang, "compare.theme"), [pick(theme.name, lang), *alike],
                               " ~ "))
        answer.add_lines(lines)
        engine.offer(answer, sorted(common_people), lang, as_choices=False)
    else:
        answer.add(Span(t(lang, "compare.nothing"), "b"))
    for event in events:
        others = set().union(*(people[e] for e in ids if e != event.id))
        other_bodies = set().union(*(bodies[e] for e in ids if e != event.id))
        own_people = [p.person for p in index.participants_by_event.get(event.id, ())
                      if p.person not in others]
        own_bodies = [b for b in index.institutions_by_event.get(event.id, ())
                      if b not in other_bodies]
        own_themes = [th for th in themes[event.id] if (th.event_id, th.id) not in shared_all]
        answer.add(Span(t(lang, "compare.own", event=engine.event_heading(event, lang)), "i"))
        lines = []
        if own_themes:
            lines.append(_line(t(lang, "compare.themes"), [pick(th.name, lang)
                                                             for th in own_themes]))
        if own_people:
            lines.append(_line(t(lang, "compare.people"), [pick(index.people[p].name, lang)
                                                            for p in own_people]))
        if own_bodies:
            lines.append(_line(t(lang, "compare.bodies"),
                               [pick(index.institutions[b].name, lang) for b in own_bodies]))
        answer.add_lines(lines or [[Span(t(lang, "compare.nothing_own"))]])
    for event in events:
        engine.add_event_sources(answer, event)
    return answer


def _line(label: str, names: list[str], separator: str = "; ") -> list[Span]:
    more = f" (+{len(names) - SHOWN})" if len(names) > SHOWN else ""
    return [Span("• "), Span(label, "b"), Span(f" {separator.join(names[:SHOWN])}{more}")]
