"""Plans over every event: a question that names no event, asked of an archive where several
events have an answer to it, gets each event's answer, grouped by event, newest first.

The plan runs the engine's per-event answer for each event and keeps those that answer;
with one such event the engine answers as it always did (no grouping).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.answer import Answer, Span
from bot.answering.cues import CUE_STEMS, INTENTS, forms, stems_of
from bot.answering.index import Match
from bot.answering.mentions import is_plural
from bot.answering.render import pick
from bot.i18n import t, tn

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

# What a question about "who spoke about THEME" may ask besides: nothing about a date, a
# place, a figure or an opening, which are facts of one event.
SPEAKING_CUES = frozenset({"who", "what_said", "list", "speakers", "participants"})
MAX_EVENTS = 3  # events one answer groups; the rest are counted
# "Which events / at which roundtables": asks for events, not for what happened at one.
WHICH = stems_of("which какие каких каком какой қандай қай қайсы kai kaisy")  # + 2021 Latin
ROLE = stems_of("role roles position capacity роль роли ролью должность должности рөлі рөл "
                "лауазымы лауазым")
EACH = stems_of("each every каждом каждой каждого каждая әр әрбір")
# "Besides Astana", "кроме Астаны", "Астанадан басқа": every event but the one named.
EXCEPT = stems_of("except besides кроме помимо басқа өзге")
# "At more than one event", "at several meetings": words that ask over events, not a topic.
SEVERAL = stems_of(
    "more than one several multiple different various "
    "более одного нескольких разных разные "
    "бірнеше түрлі әртүрлі бірден артық"
)

# "Across the records", "во всех мероприятиях", "барлық іс-шараларда": over every event.
ACROSS = stems_of("across throughout everywhere records archive всех везде архиве барлық "
                  "барлығында мұрағатта")


def asks_over_events(q: Question) -> bool:
    """Whether a question about people asks over the archive's events rather than one:
    "at which events", "across the records", "at the events" (a plural), "where did they
    speak?" with no event named."""
    if q.archive < 2 or q.scope or any(m.entity[0] == "event" for m in q.all_matches):
        return False
    event_words = {w for w in q.kept if forms(w) & INTENTS["event"]}
    which_events = bool(q.word_forms & WHICH and event_words)
    return (which_events or bool(q.word_forms & ACROSS) or "where" in q.cues
            or is_plural(q, event_words))


def _events_with_themes(engine: AnswerEngine, q: Question) -> dict[str, list[Match]]:
    """Per event, its themes the question names, kept for the events whose themes cover the
    most of the question's words (a stray word must not pull in another event), and for
    those whose themes have most of those words, two at least, if in other phrases ("unity
    in society": "national unity" and "dialogue in society"), while fewer than MAX_EVENTS
    events have them in one phrase (the answer shows no more). Only the events the question
    names by place or year, when it names some ("in Strasbourg or in Astana?")."""
    matches = [m for m in q.all_matches if not q.scope or m.entity[1] in q.scope]
    by_event: dict[str, list[Match]] = {}
    for match in matches:
        by_event.setdefault(match.entity[1], []).append(match)
    covered = {e: {p for m in ms for p in m.positions} for e, ms in by_event.items()}
    most = max((len(c) for c in covered.values()), default=0)
    plan = {e: ms for e, ms in by_event.items() if len(covered[e]) == most}
    asked = {p for e in plan for p in covered[e]}
    if len(asked) < 2 or len(plan) >= MAX_EVENTS:  # partly: only to fill in an answer
        return plan
    partly: dict[str, Match] = {}
    for entity, match in engine.index.words_of(q.known, asked, "theme").items():
        event = entity[1]
        if event in plan or (q.scope and event not in q.scope) or 2 * len(
                match.positions) <= len(asked) or len(match.positions) < 2:
            continue
        if event not in partly or len(match.positions) > len(partly[event].positions):
            partly[event] = match
    plan.update((e, [m]) for e, m in partly.items())
    return plan


def asks_events_of_person(q: Question) -> bool:
    """"Which events did X take part in?": events asked for, one person named; or "where
    did X speak?", with no event named but one to leave out ("где ещё, кроме Астаны?")."""
    which_events = "event" in q.cues and bool(q.cues & {"participants", "list"}
                                              or q.word_forms & WHICH)
    # "What was X's role at each event?": the events, each with X's role there.
    # ("…at the roundtable?" is one event: the person's answer says it.)
    roles = bool(q.word_forms & ROLE) and bool(q.word_forms & (EACH | WHICH))
    where = ("where" in q.cues and bool(q.cues & {"what_said", "participants", "speakers"})
             and not q.cues & {"when", "how_many"} and not q.themes
             and (not q.scope or bool(q.word_forms & EXCEPT)))  # not "where was X born?"
    return (which_events or where or roles) and _person_alone(q.all_matches, q.kept) is not None


def _person_alone(matches: list[Match], kept: list[str]) -> str | None:
    """The one person a question names beside words for events ("which roundtables")."""
    people = {m.entity[2] for m in matches if m.entity[0] == "person"}
    others = [m for m in matches if m.entity[0] != "person"]
    event_words = all(forms(kept[p]) & INTENTS["event"] for m in others for p in m.positions)
    if len(people) == 1 and all(m.entity[0] == "event" for m in others) and event_words:
        return people.pop()
    return None


async def events_of_person(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """Every event of the archive the person took part in, newest first, with their role."""
    index = engine.index
    person_id = _person_alone(q.all_matches, q.kept)
    answer = Answer(q.text, "events", lang)
    answer.entities.append(engine.person_ref(person_id, lang))
    answer.add(*engine.person_line(person_id, lang))
    events = [index.events[e] for e in index.events_of_person.get(person_id, [])]
    if q.word_forms & EXCEPT:  # "besides Astana": the others
        events = [e for e in events if e.id not in q.scope]
    answer.add(Span(tn(lang, "person.events", len(events)), "b"))
    lines = []
    for event in sorted(events, key=lambda e: (e.date, e.id), reverse=True):
        ref = engine.ref(("event", event.id, event.id), lang)
        answer.entities.append(ref)
        answer.suggestions.append(ref)
        part = index.participants.get((event.id, person_id))
        role = f" — {pick(part.role, lang)}" if part and part.role else ""
        lines.append([Span("• "), Span(engine.event_heading(event, lang), "i"),
                      Span(role)])
    answer.add_lines(lines)
    for event in events:
        engine.add_event_sources(answer, event)
    return answer


def theme_over_events_applies(q: Question) -> bool:
    """"Who spoke about THEME?", "which events dealt with THEME?", "where did THEME come
    up?" with only themes named, in an archive of several events; "where" only when no one
    event is named ("in Strasbourg or in Astana?" names two to choose from)."""
    # "The theme of X" names the theme: the word "theme" does not ask anything else.
    which = "event" in q.cues and bool(q.word_forms & WHICH)
    where = "where" in q.cues and len(q.scope) != 1
    allowed = SPEAKING_CUES | {"event", "themes"} | ({"where"} if where else set())
    if q.archive < 2 or not ("what_said" in q.cues or which or where) or not q.cues <= allowed:
        return False
    if q.both or q.combine in ("and", "not"):  # "both water and roads": each of them
        return False
    matches = q.all_matches
    if not matches or any(m.entity[0] != "theme" for m in matches):
        return False  # a person, an institution or an event named: one event's answer
    explained = {p for m in matches for p in m.positions} | q.noise
    # Words no theme explains: the single-event rows weigh them, unless the question asks
    # which events or where and the themes explain as many words as they leave ("moving
    # away from a super-presidential system").
    stray = [i for i in range(len(q.kept)) if i not in explained
             and q.kept[i] not in q.scope_words
             and not forms(q.kept[i]) & (CUE_STEMS | WHICH | SEVERAL)]
    named = len({p for m in matches for p in m.positions})
    if which or where:
        return len(stray) <= named
    return 2 * len(stray) <= named  # "building a fairer Kazakhstan": one word beside two


async def theme_over_events(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    """"Who spoke about THEME?" over every event that has the theme; None when only one
    event answers it (the single-event answer then, not grouped)."""
    index = engine.index
    plan = _events_with_themes(engine, q)
    if len(plan) < 2:
        return None
    newest_first = sorted(plan, key=lambda e: (index.events[e].date, e), reverse=True)
    parts = []
    for number, event_id in enumerate(newest_first):
        if len(parts) == MAX_EVENTS:  # an archive of years: the newest, then how many more
            more = len(newest_first) - number
            break
        answer = await engine.themes_answer(q.text, plan[event_id], q.linked, lang, q.cues)
        if answer.answered:
            parts.append((event_id, answer))
    else:
        more = 0
    if len(parts) < 2:
        return None
    grouped = group_by_event(engine, q.text, parts, lang)
    if more:
        grouped.add(Span(tn(lang, "across.more", more), "i"))
    return grouped


def group_by_event(engine: AnswerEngine, question: str, parts: list[tuple[str, Answer]],
                   lang: str) -> Answer:
    """Answers from several events as one, each under its event's heading."""
    whole = Answer(question, parts[0][1].kind, lang)
    for event_id, answer in parts:
        whole.add(Span(engine.event_heading(engine.index.events[event_id], lang), "i"))
        whole.include(answer)
    return whole


def asks_for_events(q: Question) -> bool:
    """"Which events were held?", "list the events", "how many events are there?": the
    archive's events (counted first), no one named."""
    # "How many spoke at the roundtable?" counts people, not events.
    counts = "how_many" in q.cues and not q.cues & {"what_said", "speakers"}
    return ("event" in q.cues and bool(q.cues & {"list"} or q.word_forms & WHICH or counts)
            # "list the events with dates": the list has them; "when was it?" asks one
            and not q.cues & {"where", "agree", "opened", "participants"}
            and ("when" not in q.cues or "list" in q.cues)
            and q.bare and not q.scope and not q.events and not q.people)


async def list_events(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """The first page of the archive's events, newest first (/events has the rest)."""
    from bot.answering.cards import events_page  # cards builds on the engine

    answer, _ = events_page(engine, lang)
    answer.question = q.text
    return answer


def asks_who_was_at_each(q: Question) -> bool:
    """"Who attended both the Strasbourg and the Astana round tables?"."""
    return q.both and len(_named_events(q)) >= 2 and bool(q.cues & {"who", "participants"})


def _named_events(q: Question) -> list[str]:
    named = [m.entity[1] for m in q.all_matches if m.entity[0] == "event"]
    return list(dict.fromkeys([*q.scope, *named]))


async def people_at_each(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """The people who took part in every event named, with their role at each."""
    index, events = engine.index, _named_events(q)
    common = set.intersection(*({p.person for p in index.participants_by_event.get(e, ())}
                                for e in events))
    answer = Answer(q.text, "people", lang, answered=bool(common))
    answer.add(Span(engine.event_headings(events, lang), "i"))
    if not common:
        return answer.add(t(lang, "across.nobody_at_each"))
    for person in sorted(common):
        answer.add(*engine.person_line(person, lang))
    engine.offer(answer, sorted(common), lang, as_choices=False)
    for event_id in events:
        engine.add_event_sources(answer, index.events[event_id])
    return answer


def asks_events_saying(q: Question) -> bool:
    """"Which events discussed reforms?": events asked for by words no record names, which
    their statements may still say."""
    return (q.archive >= 2 and "event" in q.cues and bool(q.word_forms & WHICH)
            and not q.all_matches and not q.scope and bool(_said_words(q)))


def _said_words(q: Question) -> list[str]:
    return [s for i, s in enumerate(q.linked) if i not in q.noise and len(s) >= 3
            and not forms(q.kept[i]) & (CUE_STEMS | WHICH)]


async def events_saying(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    """The events whose statements say each of the words the statements know, newest first,
    each with its first such statement; None when the statements know too few of them."""
    index, words = engine.index, _said_words(q)
    known = [w for w in words if index.saying(w)]
    if 2 * len(known) < len(words):  # "reforms come up": reform, not come
        return None
    keys = set.intersection(*(set(index.saying(w)) for w in known))
    by_event: dict[str, list] = {}
    for key in keys:
        statement = index.statement_by_key[key]
        by_event.setdefault(statement.event_id, []).append(statement)
    if not by_event:
        return None
    newest = sorted(by_event, key=lambda e: (index.events[e].date, e), reverse=True)
    answer = Answer(q.text, "events", lang)
    answer.add(Span(tn(lang, "across.saying", len(newest)), "b"))
    for event_id in newest[:MAX_EVENTS]:
        first = min(by_event[event_id], key=lambda s: s.position)
        answer.add(Span(engine.event_heading(index.events[event_id], lang), "i"))
        answer.add(*engine.statement_spans([first], lang))
        engine.add_sources(answer, [first])
    if len(newest) > MAX_EVENTS:
        answer.add(Span(tn(lang, "across.more", len(newest) - MAX_EVENTS), "i"))
    return answer
