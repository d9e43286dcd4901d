"""The route from a `Question` to its answer: an ordered table of (name, predicate, answer).

The first row whose predicate holds answers; a row may decline (return None) and let the
next ones try. Predicates read the Question only, never the words again; answers are built
by the engine's answer methods (record_answers, events, people, missing). Order is the
priority: what a question names most precisely comes first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answering import (
    across,
    archive,
    compare,
    headcount,
    missing,
    people,
    search,
    timeline,
    verdicts,
)
from bot.answering.answer import Answer
from bot.answering.cues import SPOKE
from bot.answering.index import Match
from bot.answering.question import BY_NAME
from bot.i18n import t

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question

AnswerFn = Callable[["AnswerEngine", "Question", str], Awaitable[Answer | None]]


@dataclass(frozen=True)
class Route:
    name: str
    applies: Callable[[Question], bool]
    answer: AnswerFn


def _coverage(matches) -> int:
    return max(len(m.positions) for m in matches)


# ----- the answers of the rows (small: the work is in the engine's answer methods) ----------

async def _unknown(engine, q, lang):
    return engine.unknown(q.text, lang)


async def _greeting(engine, q, lang):
    return Answer(q.text, "greeting", lang).add(t(lang, q.greeting)).add(t(lang, "unknown.hint"))


async def _person(engine, q, lang):
    top = [m for m in q.people if m.score >= q.people[0].score - 0.02]
    persons = [m.entity[2] for m in top]
    if _each_named_apart(top) and not q.themes:  # "What did Perepechina and Assanov say?"
        return people.holders_answer(engine, q, set(persons), lang)
    if len(persons) > 1 and q.themes:  # "Madina on the knowledge economy": the one who spoke
        on_theme = [p for p in persons if engine.spoke_on(p, q.themes)]
        persons = on_theme if len(on_theme) == 1 else persons
    if len(persons) > 1:  # "Madina's idea about the economy": the one whose words say it
        persons = _the_one_saying(engine, q, top, persons)
    if len(persons) > 1:
        return engine.several_people(q.text, persons, lang, top[0].phrase.kind == "role",
                                     q.event)
    if q.themes:
        return engine.person_on_themes(q.text, persons[0], q.themes, lang)
    answer = engine.person_card(q.text, persons[0], lang)
    # "What did X say?" of someone the record has no remarks from: who X is, but unanswered.
    said = any(engine.index.said.get((e, persons[0]))
               for e in engine.index.events_of_person.get(persons[0], []))
    answer.answered = said or "what_said" not in q.cues
    return answer


async def _nth_speaker(engine, q, lang):
    return engine.speaker_at(q.text, q.event, q.order.place, lang)


async def _silent(engine, q, lang):
    return engine.did_not_speak(q.text, q.event, lang)


async def _speaker_count(engine, q, lang):
    """"How many people spoke?": the speakers counted, the number first, then who they were."""
    answer = engine.list_speakers(q.text, lang, q.event)
    answer.kind = "count"
    return answer


async def _participant_count(engine, q, lang):
    return engine.event_fact(q.text, q.event, "participants", lang)


async def _members_on_themes(engine, q, lang):
    """"The senator who talked about rights": the theme's speakers from the body; else the
    body or the theme, whichever the question names more fully."""
    members = {(p.event_id, p.person) for m in q.institutions
               for p in engine.members(engine.index.institutions[m.entity[2]])}
    answer = await engine.themes_answer(q.text, q.themes, q.linked, lang, q.cues, members)
    if answer.answered and any(r.kind == "person" for r in answer.entities):
        return answer
    # On a tie, the theme when it asks what was said ("what did the senators say about...").
    if _coverage(q.themes) > _coverage(q.institutions) or (
            "what_said" in q.cues and _coverage(q.themes) == _coverage(q.institutions)):
        return await engine.themes_answer(q.text, q.themes, q.linked, lang, q.cues)
    return None


async def _members_said(engine, q, lang):
    """"What did the senators say?": each of the body's people, with what they said; with
    no event named, of every body the words name at any event ("AMANAT": party, institute)."""
    bodies = q.institutions
    if not q.scope and not q.events:
        bodies = [m for m in q.all_matches if m.entity[0] == "institution"
                  and m.positions == q.institutions[0].positions]
    members = {p.person for m in bodies
               for p in engine.members(engine.index.institutions[m.entity[2]])}
    return people.holders_answer(engine, q, members, lang) if members else None


async def _institutions(engine, q, lang):
    at = q.scope or [m.entity[1] for m in q.events]  # "the senators at the Astana roundtable"
    return engine.institutions_answer(q.text, [m.entity for m in q.institutions], lang, at)


async def _themes(engine, q, lang):
    return await engine.themes_answer(q.text, q.themes, q.linked, lang, q.cues)


async def _event_fact(engine, q, lang):
    return engine.event_fact(q.text, q.event, _fact(q), lang)


def _fact(q: Question) -> str:
    for cue in ("when", "where", "agree", "opened"):
        if cue in q.cues and q.about_event and (cue != "opened" or "who" in q.cues or q.events):
            return cue
    return ""


async def _holders(engine, q, lang):
    if q.plural_title:  # "what did the directors say?": each, with what they said
        return people.holders_answer(engine, q, set(q.holders), lang)
    if len(q.holders) == 1:  # "what did the expert say?"
        return engine.person_card(q.text, q.holders[0], lang)
    return engine.several_people(q.text, q.holders, lang, True, q.event)


async def _list_institutions(engine, q, lang):
    # "What are the three key political institutions?" asks what a statement says, not
    # which bodies took part: the statements first when they say the other words.
    if len(q.content) >= 2 and (found := await search.search_statements(engine, q.content)):
        return engine.statements_answer(q.text, found, lang, q.cues)
    return engine.list_institutions(q.text, lang, q.event)


async def _list_speakers(engine, q, lang):
    return engine.list_speakers(q.text, lang, q.event, "speakers" not in q.cues)


async def _list_themes(engine, q, lang):
    answer = engine.list_themes(q.text, lang, q.event)
    if "how_many" in q.cues:  # "how many themes were discussed?": the number first
        answer.kind = "count"
    return answer


async def _statements(engine, q, lang):
    found = (search.with_figures(engine, q.figures) or search.figure_for(engine, q.content, q.cues)
             or await search.search_statements(engine, q.content))
    if not found:  # "what does 200 mean?": an event's count of participants
        crowd = [e for e in engine.index.events.values()
                 if e.participants_count and str(e.participants_count) in q.figures]
        if len(crowd) == 1 and not q.matches_but_events:
            return engine.event_fact(q.text, crowd[0], "participants", lang)
        return None
    cues = q.cues | {"how_many"} if q.figures else q.cues  # lead with the figure asked about
    return engine.statements_answer(q.text, found, lang, cues)


async def _event_card(engine, q, lang):
    return engine.event_card(q.event, lang, q.text)


def _the_one_saying(engine, q: Question, top: list[Match], persons: list[str]) -> list[str]:
    """Of namesakes, the one of the body the question names ("Madina from AMANAT"), else
    the one person whose statements say the question's other words."""
    bodies = {m.entity[2] for m in q.institutions}
    members = [p for p in persons if any(
        part.institution in bodies for e in engine.index.events_of_person.get(p, [])
        if (part := engine.index.participants.get((e, p))))]
    if len(members) == 1:
        return members
    named = {p for m in top for p in m.positions}
    words = [s for i, s in enumerate(q.linked) if i not in named and i not in q.noise]
    said = {key for w in words for key in engine.index.saying(w)}
    saying = [p for p in persons if any(
        s.key in said for e in engine.index.events_of_person.get(p, [])
        for s in engine.index.said.get((e, p), []))]
    return saying if len(saying) == 1 else persons


def _each_named_apart(top: list[Match]) -> bool:
    """Several people, each by a name of their own in other words of the question: all of
    them are asked about, not one of namesakes ("Perepechina and Assanov", not "Olga")."""
    return len(top) > 1 and all(m.phrase.kind in BY_NAME for m in top) and all(
        not a.positions & b.positions for i, a in enumerate(top) for b in top[i + 1:])


# ----- the predicates that need more than one line ------------------------------------------

def _lists_speakers(q: Question) -> bool:
    cues, content = q.cues, not q.bare  # "who spoke at the roundtable?" asks for nothing else
    return bool("speakers" in cues or ("participants" in cues and ("who" in cues or not content))
                or ("who" in cues and not content  # "who was there?", "кім не айтты?"
                    and cues <= {"who", "what_said", "list", "participants", "speakers", "event"}))


def _counts_participants(q: Question) -> bool:
    return ("how_many" in q.cues and "participants" in q.cues and not q.matches_but_events
            and q.about_event and not q.cues & {"institutions", "speakers", "themes"})


def _counts_speakers(q: Question) -> bool:
    """"How many people spoke at the roundtable?" counts speakers, not those who came."""
    return ("how_many" in q.cues and "what_said" in q.cues
            and not q.cues & {"speakers", "themes", "institutions"}  # "how many themes?"
            and q.event is not None and q.about_event and not q.matches_but_events)


def _institution_first(q: Question) -> bool:
    return bool(q.institutions) and (
        not q.themes or _coverage(q.institutions) >= _coverage(q.themes))


def _lists_themes(q: Question) -> bool:
    """"What were the topics?", and "what was discussed in Nur-Sultan on 5 April 2022?" of an
    event named with nothing else asked: what was discussed there is its themes."""
    discussed = bool(q.word_forms & SPOKE and q.cues <= {"what_said", "event", "list"}
                     and (q.scope or q.events))
    return ("themes" in q.cues or discussed) and q.bare


def _names_the_event(q: Question) -> bool:
    """The event by its name, or by a place, a year or "the event" with nothing else asked."""
    return bool(q.events) or (bool(q.scope or "event" in q.cues) and q.bare)


ROUTES: tuple[Route, ...] = (
    Route("no records", lambda q: not q.words or not q.archive, _unknown),
    Route("small talk", lambda q: bool(q.greeting), _greeting),
    Route("points at nobody", lambda q: q.dangling, _unknown),
    Route("events of a person", across.asks_events_of_person, across.events_of_person),
    Route("the events in time order", timeline.asks_timeline, timeline.timeline),
    Route("the event with the most speakers", timeline.asks_most_speakers,
          timeline.most_speakers),
    Route("the earliest or latest event", archive.asks_earliest_or_latest,
          archive.earliest_or_latest),
    Route("people over the events", headcount.asks_people_over_events,
          headcount.count_people),
    Route("the events", across.asks_for_events, across.list_events),
    Route("events counted", archive.asks_how_many_events, archive.count_events),
    Route("people at several events", archive.asks_people_at_several,
          archive.people_at_several),
    Route("who was at each event", across.asks_who_was_at_each, across.people_at_each),
    Route("events compared", compare.asks_to_compare, compare.compare_events),
    Route("theme over events", across.theme_over_events_applies, across.theme_over_events),
    Route("events saying it", across.asks_events_saying, across.events_saying),
    Route("yes or no", verdicts.applies, verdicts.answer_yes_no),
    Route("a theme at an event, yes or no", verdicts.theme_at_event_applies,
          verdicts.theme_at_event),
    Route("a body at an event, yes or no", verdicts.body_at_event_applies,
          verdicts.body_at_event),
    Route("names what no record has", lambda q: not q.people and bool(q.explained)
          and q.named_foreign, _unknown),  # "the vice president of the USA": another subject
    Route("who holds an office", lambda q: bool(q.themes) and not q.people
          and not q.institutions and "who" in q.cues and "what_said" not in q.cues,
          missing.record_lacks),
    Route("a duration", missing.asks_a_duration, missing.duration_lacking),
    Route("a person's fact no record holds", lambda q: bool(q.unsaid), missing.person_lacking),
    Route("before or after a speaker", lambda q: bool(q.order and q.order.relative),
          people.next_to),
    Route("a person at a named event", people.at_named_event, people.person_at_event),
    Route("a role in the plural", lambda q: q.plural, people.role_holders),
    Route("a body's people over events", people.asks_body_over_events,
          people.body_over_events),
    Route("a person", lambda q: bool(q.people), _person),
    Route("the head of a body", lambda q: bool(q.heads), people.heads),
    Route("a fact no record holds", missing.lacks, missing.record_lacks),
    Route("the nth speaker", lambda q: bool(q.event and q.speaking and q.order and q.order.place
                                            and not q.themes and not q.institutions),
          _nth_speaker),
    Route("who did not speak", lambda q: bool(q.event and q.speaking and q.negated
                                              and not q.themes), _silent),
    Route("how many spoke", _counts_speakers, _speaker_count),
    Route("how many took part", _counts_participants, _participant_count),
    Route("both / not of themes", lambda q: q.combine in ("and", "not") and bool(q.themes),
          people.combined_themes),
    Route("a body on themes", lambda q: bool(q.institutions and q.themes), _members_on_themes),
    Route("what a body's people said", lambda q: bool(q.institutions) and not q.themes
          and "what_said" in q.cues, _members_said),
    Route("a body", _institution_first, _institutions),
    Route("a figure the record lacks", missing.asks_a_figure, missing.figure_lacking),
    Route("themes", lambda q: bool(q.themes), _themes),
    Route("a fact of the event", lambda q: bool(_fact(q)), _event_fact),
    Route("a title word", lambda q: bool(q.holders), _holders),
    Route("the institutions", lambda q: "institutions" in q.cues, _list_institutions),
    Route("the speakers", _lists_speakers, _list_speakers),
    Route("the themes", _lists_themes, _list_themes),
    # "What happened in Strasbourg?": nothing asked but the event, whatever a statement says.
    Route("statements saying it", lambda q: not (q.bare and (q.scope or q.events)),
          _statements),
    Route("the event", _names_the_event, _event_card),
)


async def route(engine: AnswerEngine, q: Question, lang: str, after: str = "") -> Answer:
    """The answer of the first row that applies and answers (rows after `after`, if given)."""
    rows = ROUTES
    if after:
        rows = ROUTES[[r.name for r in ROUTES].index(after) + 1:]
    for row in rows:
        if row.applies(q):
            answer = await row.answer(engine, q, lang)
            if answer is not None:
                answer.route = row.name
                return answer
    answer = engine.unknown(q.text, lang)
    answer.route = "nothing"
    return answer
