"""Questions about the archive as a whole rather than one event's records: who took part in
more than one event, how many events (of a kind) are recorded, the earliest or the latest
event, and what two named events share and what each has of its own.

Each is a predicate over the typed Question and an answer built from the index; the route
table (bot.answering.routes) places them. A "kind" of event is named by words of the events'
titles ("roundtables", "круглых столов", "дөңгелек үстел"); generic words ("events",
"мероприятий", "іс-шара", "meetings") name every event.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.answering.across import WHICH
from bot.answering.answer import Answer, Span
from bot.answering.cues import CUE_STEMS, forms, stems_of
from bot.answering.render import pick
from bot.i18n import t, tn
from bot.records.model import Event

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

log = logging.getLogger(__name__)

# "At several events": words that ask over events (not "many": "how many" is a count).
MANY = stems_of("several multiple various нескольких несколько многих разных бірнеше")
# "More than one", "более одного", "бірден көп": a comparative and "one", both.
MORE = stems_of("more более больше көп артық")
ONE = stems_of("one одного одном одной бір бірден біреуден")
EARLIEST = stems_of("first earliest oldest initial первое первый первая первым раннее "
                    "ранний старое алғашқы бірінші ерте ертерек")
LATEST = stems_of("last latest newest recent последнее последний последняя последним "
                  "недавнее недавний новейшее свежее соңғы кейінгі")
# Words that only shape an archive question: "the most recent", "recorded in the database".
MARKERS = stems_of(
    "most total held recorded record records database base stored saved "
    "самое самый самая самой всего проведено проведены проведен записано записаны записей "
    "запись база базе базу сохранено году года "
    "ең барлығы барлық тіркелген жазылған жазба жазбада база базада дерекқор дерекқорда"
)
# Words for events in general: they name no kind ("meetings" covers the roundtables too).
GENERIC = stems_of("event events мероприятие мероприятия іс-шара іс шара шаралар "
                   "meeting meetings встреча встречи кездесу archive архив мұрағат")
# Words that only say someone is there: "shows up at", "appears in", "is there anyone",
# "фигурирует", "бар ма" (Kazakh "is there"). They ask nothing of their own.
PRESENT = stems_of(
    "show shows showed up appear appears appeared turn turns turned feature features featured "
    "there "
    "появляется появлялся появлялась появлялись фигурирует фигурировал фигурировали "
    "встречается встречаются был была были есть кто-нибудь кто-то "
    "бар кездеседі кездесетін көрінеді біреу"
)
# "Is there anyone…?", "кто-нибудь", "біреу": asks who, as "who" does (often a stopword).
ANYONE = stems_of("anyone anybody someone somebody кто-нибудь кто-то кто-либо біреу ешкім")
COMPARE = stems_of(
    "common differ differs difference differences compare comparison similar similarities "
    "alike общего общее общий отличается отличаются отличие отличия различие различия разница "
    "сравнить сравни сравните сопоставь сопоставьте contrast сходство похожи "
    "ортақ ортақтығы айырмашылығы айырмашылық ерекшелігі "
    "салыстыр салыстырыңыз ұқсастығы ұқсас"
)
ASKING = frozenset({"event", "when", "where", "list", "how_many"})  # what else they may ask
SHOWN = 10  # events listed in a count; the rest are counted
OWN_SHOWN = 6  # names per line in a comparison


def has_word(q: Question, stems: frozenset[str]) -> list[int]:
    """Positions of the kept words with one of these stems, in any of their forms."""
    return [i for i, w in enumerate(q.kept) if forms(w) & stems]


def _event_positions(q: Question) -> set[int]:
    return {p for m in q.all_matches if m.entity[0] == "event" for p in m.positions}


def _stray(q: Question, *allowed: frozenset[str]) -> bool:
    """Whether a word asks about something else (a person, a theme, a figure)."""
    harmless = CUE_STEMS | MARKERS | GENERIC | WHICH | PRESENT | frozenset().union(*allowed)
    events = _event_positions(q)
    return any(i not in q.noise and i not in events and w not in q.scope_words
               and not forms(w) & harmless for i, w in enumerate(q.kept))


def _about_events(q: Question) -> bool:
    """Events asked about: by a word for events, or by words of their titles ("forums")."""
    return "event" in q.cues or bool(_event_positions(q))


def _kind_words(q: Question, *skip: frozenset[str]) -> list[str]:
    """The stems of the words naming a kind of event ("roundtables"): words of an event's
    title, but for generic event words, places and years."""
    skipped = GENERIC | MARKERS | frozenset().union(*skip)
    return [q.linked[i] for i in sorted(_event_positions(q)) if i not in q.noise
            and q.kept[i] not in q.scope_words and not forms(q.kept[i]) & skipped]


def events_asked(engine: AnswerEngine, q: Question, *skip: frozenset[str]) -> list[Event]:
    """The archive's events a question asks over, newest first: those of the kind it names
    (each kind word in the title, written together or not), in its place or year if any."""
    kind = _kind_words(q, *skip)
    scope = set(q.scope)
    return [e for e in engine.newest_first if (not scope or e.id in scope)
            and all(k in engine.names.titles_run_together[e.id] for k in kind)]


# ----- the earliest or the latest event -----------------------------------------------------

def _superlative(q: Question) -> str:
    """"earliest" or "latest" when a word asks it outside an event's name ("the first
    meeting of the KazISS GPS platform" names an event)."""
    events = _event_positions(q)
    first = [i for i in has_word(q, EARLIEST) if i not in events]
    last = [i for i in has_word(q, LATEST) if i not in events]
    if bool(first) == bool(last):
        return ""
    return "earliest" if first else "latest"


def asks_earliest_or_latest(q: Question) -> bool:
    """"Which was the first event?", "самое последнее мероприятие", "ең алғашқы іс-шара"."""
    # "Which event came last?": "came" is no question of who took part.
    return (q.archive >= 2 and _about_events(q) and q.cues - {"participants"} <= ASKING
            and "how_many" not in q.cues
            and bool(_superlative(q)) and not _stray(q, EARLIEST, LATEST))


async def earliest_or_latest(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    events = events_asked(engine, q, EARLIEST, LATEST)
    if not events:
        return None
    which = _superlative(q)
    event = events[-1] if which == "earliest" else events[0]
    answer = engine.event_card(event, lang, q.text)
    answer.paragraphs.insert(0, [Span(tn(lang, f"archive.{which}", len(events)), "i")])
    return answer


# ----- how many events --------------------------------------------------------------------

def asks_how_many_events(q: Question) -> bool:
    """"How many roundtables were held?", "Сколько мероприятий записано в базе?"."""
    return (q.archive >= 1 and "how_many" in q.cues and _about_events(q)
            and q.cues <= ASKING and not _stray(q))


async def count_events(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    """The number first, then the events, newest first, each with its date and place."""
    events = events_asked(engine, q)
    total = len(engine.index.events)
    answer = Answer(q.text, "count", lang)
    if len(events) == total:
        answer.add(Span(tn(lang, "events.header", total), "b"))
    else:
        answer.add(Span(tn(lang, "archive.count", len(events), total=total), "b"))
    shown = events[:SHOWN]
    refs = [engine.ref(("event", e.id, e.id), lang) for e in shown]
    answer.entities += refs
    answer.suggestions += refs
    answer.add_lines([[Span("• "), Span(ref.name, "b"), Span(f" — {engine.when_where(e, lang)}")]
                      for ref, e in zip(refs, shown, strict=True)])
    if len(events) > SHOWN:
        answer.add(Span(tn(lang, "across.more", len(events) - SHOWN), "i"))
    for event in shown:
        engine.add_event_sources(answer, event)
    return answer


# ----- people at more than one event ------------------------------------------------------

def asks_people_at_several(q: Question) -> bool:
    """"Who spoke at more than one event?", "кто выступал на нескольких мероприятиях?"."""
    # "more" and "than" are stopwords: looked for among all the words.
    more = any(forms(w) & MORE for w in q.words) and any(forms(w) & ONE for w in q.words)
    several = bool(has_word(q, MANY) or more)
    return (q.archive >= 2 and several and _about_events(q)
            and bool(q.cues & {"who", "participants", "speakers"}
                     or any(forms(w) & ANYONE for w in q.words))
            and not _stray(q, MANY, MORE, ONE, ANYONE))


async def people_at_several(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """Each person in two or more of the events asked over, most events first, with their
    role at each event, newest first."""
    index = engine.index
    events = events_asked(engine, q, MANY, MORE, ONE)
    asked = {e.id for e in events}
    at: dict[str, list[str]] = {}
    for person, theirs in index.events_of_person.items():
        mine = [e for e in theirs if e in asked]
        if len(mine) >= 2:
            at[person] = sorted(mine, key=lambda e: (index.events[e].date, e), reverse=True)
    answer = Answer(q.text, "people", lang)
    if not at:
        return answer.add(t(lang, "archive.nobody_several"))
    answer.add(Span(tn(lang, "archive.several", len(at)), "b"))
    people = sorted(at, key=lambda p: (-len(at[p]), pick(index.people[p].name, lang)))
    for person in people:
        answer.add(*engine.person_line(person, lang))
        lines = []
        for event_id in at[person]:
            part = index.participants.get((event_id, person))
            role = f" — {pick(part.role, lang)}" if part and part.role else ""
            lines.append([Span("• "), Span(engine.event_heading(index.events[event_id], lang),
                                           "i"), Span(role)])
        answer.add_lines(lines)
    engine.offer(answer, people, lang, as_choices=False)
    for event_id in dict.fromkeys(e for p in people for e in at[p]):
        engine.add_event_sources(answer, index.events[event_id])
    return answer
