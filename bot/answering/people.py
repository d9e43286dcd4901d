"""Answers about people beyond one name: next to a speaker in the speaking order, a person at
the event a question names, the holders of a role in the plural (with how many), and the
people who spoke about both of two themes (or one but not the other)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.across import MAX_EVENTS, WHICH, asks_over_events
from bot.answering.answer import Answer, Span
from bot.answering.render import pick
from bot.i18n import t, tn
from bot.records.model import Event, Statement

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.index import Match
    from bot.answering.question import Question


def _newest_first(engine: AnswerEngine, event_ids) -> list[Event]:
    return sorted((engine.index.events[e] for e in set(event_ids)),
                  key=lambda e: (e.date, e.id), reverse=True)


# ----- speaking order ------------------------------------------------------------------------

async def next_to(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """"Who spoke just before / right after X?": the neighbour in the speaking order the
    record gives, at the event in question (else X's latest event that has an order)."""
    anchor, index = q.order.anchor, engine.index
    events = [e for e in index.events_of_person.get(anchor, [])
              if index.participants[(e, anchor)].order]
    if not events:
        answer = Answer(q.text, "unknown", lang, answered=False)
        event = index.events.get(index.events_of_person.get(anchor, [""])[0]) or q.event
        return answer.add(t(lang, "order.unknown", event=pick(event.title, lang)))
    event = index.events[q.event.id if q.event and q.event.id in events else events[0]]
    speakers = [p for p in engine.speakers_of(event) if p.order]
    at = next(i for i, p in enumerate(speakers) if p.person == anchor)
    if q.order.relative == "between":
        return _between(engine, q, event, speakers, at, lang)
    near = at - 1 if q.order.relative == "before" else at + 1
    if not 0 <= near < len(speakers):
        answer = Answer(q.text, "person", lang, event_id=event.id)
        name = engine.person_ref(anchor, lang).name
        key = "order.none_before" if q.order.relative == "before" else "order.none_after"
        return answer.add(t(lang, key, name=name, event=pick(event.title, lang)))
    return engine.speaker_at(q.text, event, speakers[near].order, lang)


def _between(engine: AnswerEngine, q: Question, event: Event, speakers: list,
             at: int, lang: str) -> Answer:
    """Those who spoke between two people, in order (none when they spoke one after the
    other; the record's order only when it has both)."""
    other = next((i for i, p in enumerate(speakers) if p.person == q.order.other), None)
    answer = Answer(q.text, "people", lang, event_id=event.id)
    if other is None:
        answer.answered = False
        return answer.add(t(lang, "order.not_together", event=pick(event.title, lang)))
    low, high = sorted((at, other))
    between = speakers[low + 1:high]
    if not between:
        return answer.add(t(lang, "order.none_between"))
    answer.add_lines([engine.participant_line(p, lang) for p in between])
    engine.offer(answer, [p.person for p in between], lang, as_choices=False)
    return answer


# ----- a person at the event a question names -------------------------------------------------

def _person(q: Question) -> str:
    """The one person the question names, at any event ("" for none or several)."""
    found = {m.entity[2] for m in q.all_matches if m.entity[0] == "person"}
    return found.pop() if len(found) == 1 else ""


def _named_events(q: Question) -> list[str]:
    return q.scope or [m.entity[1] for m in q.all_matches if m.entity[0] == "event"]


def at_named_event(q: Question) -> bool:
    return bool(_person(q) and _named_events(q))


async def person_at_event(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """"What did X say in Strasbourg / in 2025 / at the expert platform?": X's part at that
    event alone; that the record has X at none of them, when it does not (then X's card,
    labelled)."""
    person, index = _person(q), engine.index
    named = _named_events(q)
    here = [e for e in named if (e, person) in index.participants]
    if not here:
        answer = engine.person_card(q.text, person, lang)
        places = engine.event_headings(named, lang)
        answer.paragraphs.insert(0, [Span(t(lang, "person.not_at_event", event=places), "i")])
        return answer
    event = index.events[here[0]]
    answer = Answer(q.text, "person", lang, event_id=event.id)
    answer.entities.append(engine.person_ref(person, lang))
    answer.add(*engine.person_line(person, lang, event.id))
    said = index.said.get((event.id, person), [])
    wanted = {m.entity[2] for m in q.themes if m.entity[1] == event.id}
    on_theme = [s for s in said if wanted & set(s.themes)]
    if on_theme:
        said = on_theme
    if not said:
        answer.answered = "what_said" not in q.cues  # "what did X say?" is not answered
        answer.add(t(lang, "person.no_remarks"))
        if "what_said" in q.cues:  # the nearest fact: what the participants said together
            _joint_statements(engine, answer, event.id, q, lang)
        return answer
    answer.add(Span(t(lang, "person.said"), "b"), Span("\n"), *engine.statement_spans(said, lang))
    engine.add_sources(answer, said)
    return answer


def _joint_statements(engine: AnswerEngine, answer: Answer, event_id: str, q: Question,
                      lang: str) -> None:
    """What the record has "the participants" say together at the event (on the themes
    asked, if any say them), labelled as not the person's own words."""
    joint = engine.index.said.get((event_id, "participants"), [])
    wanted = {m.entity[2] for m in q.themes if m.entity[1] == event_id}
    joint = [s for s in joint if wanted & set(s.themes)] or joint
    if joint:
        answer.add(Span(t(lang, "person.joint"), "i"))
        engine.statements_by_speaker(answer, joint, lang)
        engine.add_sources(answer, joint)


# ----- a role in the plural -------------------------------------------------------------------

async def heads(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """"What did the speaker of the upper chamber say?": the head of the body, with what they
    said (each of them, when the body had several at different events)."""
    if len(q.heads) == 1:
        return engine.person_card(q.text, q.heads[0], lang)
    return holders_answer(engine, q, set(q.heads), lang)


async def role_holders(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    """"What did the deputy chairs say?" / "How many deputy chairs spoke?": every holder of
    the role (at the event a question names, else at every event), each with what they said;
    a count first when asked how many. Grouped by event, newest first, if several."""
    roles = [m for m in q.all_matches if m.entity[0] == "person" and m.phrase.kind == "role"]
    top = max(roles, key=lambda m: m.score)
    if asks_over_events(q):  # "at which events did the deputy chairs speak?": every event's,
        # however its record words the title ("Deputy Chairwoman of the Senate")
        holders = {m.entity[2] for m in roles if m.positions >= top.positions}
    else:
        holders = {m.entity[2] for m in roles if m.score >= top.score - 0.02}
    return holders_answer(engine, q, holders, lang)


# What a question about a body's people over events may ask besides.
BODY_CUES = frozenset({"who", "participants", "speakers", "what_said", "heads", "event",
                       "list", "where"})


def asks_body_over_events(q: Question) -> bool:
    """"Who from AMANAT took part in the events?", "which senators appear across the
    records?": a body named alone, its people asked for at every event."""
    return (bool(q.all_matches) and all(m.entity[0] == "institution" for m in q.all_matches)
            and bool(q.cues & (BODY_CUES - {"event", "list", "where"}) or q.word_forms & WHICH)
            and q.cues <= BODY_CUES and asks_over_events(q))


async def body_over_events(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    """The people of every body the words name ("AMANAT": the party and the institute),
    grouped by event, newest first, each with what they said."""
    top = max(q.all_matches, key=lambda m: m.score)
    words = set(top.positions) - q.noise or set(top.positions)
    bodies = {m.entity for m in q.all_matches if m.positions == top.positions}
    bodies |= {e for e, m in engine.index.words_of(q.known, words, "institution").items()
               if m.positions == words}
    members = {p.person for b in bodies for p in engine.members(engine.index.institutions[b[2]])}
    return holders_answer(engine, q, members, lang) if members else None


def holders_answer(engine: AnswerEngine, q: Question, holders: set[str],
                    lang: str) -> Answer:
    """Each holder with what they said, grouped by event, newest first (the event named
    alone, if any); a count first when asked how many."""
    index = engine.index
    events = q.scope or [e for p in holders for e in index.events_of_person.get(p, [])]
    by_event = [(event, [p.person for p in engine.speakers_of(event) if p.person in holders])
                for event in _newest_first(engine, events)]
    by_event = [(event, people) for event, people in by_event if people]
    people = list(dict.fromkeys(p for _, ps in by_event for p in ps))
    more = len(by_event) - MAX_EVENTS  # an archive of years: the newest, then how many more
    by_event = by_event[:MAX_EVENTS]
    answer = Answer(q.text, "people", lang, event_id=by_event[0][0].id if len(by_event) == 1
                    else "")
    if not by_event:  # holders, but none at the event named ("the deputies in Strasbourg")
        places = engine.event_headings(events, lang)
        answer.answered = "how_many" in q.cues  # "none" answers how many
        return answer.add(t(lang, "people.none_at_event", event=places))
    if "how_many" in q.cues:  # "how many directors spoke?": not those who said nothing
        answer.kind = "count"
        spoke = {p for event, ps in by_event
                 for p in {x.person for x in engine.who_spoke(event)} & set(ps)}
        answer.add(Span(str(len(spoke) if "what_said" in q.cues else len(people)), "b"))
    for event, holders_here in by_event:
        if len(by_event) > 1:
            answer.add(Span(engine.event_heading(event, lang), "i"))
        for person in holders_here:
            said = index.said.get((event.id, person), [])
            answer.add(*engine.person_line(person, lang, event.id), Span(":\n"),
                       *(engine.statement_spans(said, lang) if said
                         else [Span(t(lang, "person.no_remarks"))]))
            engine.add_sources(answer, said)
    if more > 0:
        answer.add(Span(tn(lang, "across.more", more), "i"))
    engine.offer(answer, [p for _, ps in by_event for p in ps], lang, as_choices=False)
    return answer


# ----- both / not -----------------------------------------------------------------------------

def _groups(themes: list[Match]) -> list[list[Match]]:
    """Theme matches by the words that named them: one group per thing mentioned."""
    groups: list[list[Match]] = []
    for match in themes:
        for group in groups:
            if any(match.positions & other.positions for other in group):
                group.append(match)
                break
        else:
            groups.append([match])
    return groups


def _mentioning(engine: AnswerEngine, q: Question, event_id: str,
                group: list[Match]) -> set[str]:
    """Keys of the event's statements that mention a thing: those that say its words where
    any does ("intellectual property", not every talk filed under the theme), else those
    filed under its theme ("ecology" for the environment theme)."""
    words = {q.linked[p] for m in group for p in m.positions if p < len(q.linked)}
    themes = {m.entity[2] for m in group if m.entity[1] == event_id}
    said = engine.index.statements_by_event.get(event_id, [])
    literal = {s.key for s in said if words and engine.says(s, words)}
    return literal or {s.key for s in said if themes & set(s.themes)}


async def combined_themes(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    """"Who mentioned both A and B?" (only those who did both), "A but not B"."""
    themes = q.themes
    if q.combine == "and" and not q.scope and not q.events:  # A at one event, B at another
        themes = [m for m in q.all_matches if m.entity[0] == "theme"]
    groups = _groups(themes)
    if q.combine == "and" and len(groups) < 2:
        return None
    excluded = _groups(q.excluded)
    index = engine.index
    event_ids = {m.entity[1] for m in themes}
    found: dict[tuple[str, str], list[Statement]] = {}
    each: dict[str, list[list[Statement]]] = {}  # "and": per person, per group, every event
    for event_id in event_ids:
        mentions = [_mentioning(engine, q, event_id, g) for g in groups]
        avoided = set().union(*(_mentioning(engine, q, event_id, g) for g in excluded))
        for part in index.participants_by_event.get(event_id, ()):
            said = index.said.get((event_id, part.person), [])
            hits = [[s for s in said if s.key in keys] for keys in mentions]
            if q.combine == "and":
                for so_far, more in zip(each.setdefault(part.person, [[] for _ in groups]),
                                        hits, strict=True):
                    so_far.extend(more)
            elif any(hits) and not any(s.key in avoided for s in said):
                found[(event_id, part.person)] = list(
                    {s.key: s for h in hits for s in h}.values())
    for person, hits in each.items():
        if all(hits):
            found[("", person)] = list({s.key: s for h in hits for s in h}.values())
    names = ", ".join(dict.fromkeys(engine.ref(m.entity, lang).name for m in themes))
    where = {s.event_id for said in found.values() for s in said} or event_ids
    answer = Answer(q.text, "theme", lang, event_id=next(iter(where)) if len(where) == 1
                    else "")
    answer.entities.extend(engine.ref(m.entity, lang) for m in themes)
    if not found:
        answer.answered = False
        return answer.add(t(lang, "theme.nobody_both", theme=names))
    chosen = sorted((s for said in found.values() for s in said),
                    key=lambda s: (s.event_id, s.position))
    answer.add(Span(t(lang, "theme.header", theme=names), "b"))
    engine.statements_by_speaker(answer, chosen, lang)
    engine.add_sources(answer, chosen)
    return answer
