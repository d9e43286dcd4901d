"""Cards for one record (by stable key or by name), lookups with "did you mean", inline search,
and the archive's events: listed newest first, found by name, place, date or year.

Built on the answer engine's index; no Telegram code here either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from bot.answering.answer import Answer, Ref, Span
from bot.answering.engine import AnswerEngine
from bot.answering.mentions import when_in
from bot.i18n import t, tn
from bot.records.model import Event
from bot.text import normalize, stems


@dataclass
class Lookup:
    """What a name given to /speaker, /theme or /institution matched."""

    cards: list[Answer] = field(default_factory=list)
    suggestions: list[Ref] = field(default_factory=list)


def card(engine: AnswerEngine, entity: tuple[str, str, str], lang: str,
         question: str = "") -> Answer:
    kind, event_id, item_id = entity
    index = engine.index
    if kind == "person":
        return engine.person_card(question, item_id, lang)
    if kind == "theme":
        return engine.theme_card(index.themes[(event_id, item_id)], lang, question)
    if kind == "institution":
        return engine.institutions_answer(question, [entity], lang)
    return engine.event_card(index.events[event_id], lang, question)


# A link that opens the bot on a card says which with /start <kind>-<key>: "speaker-3fa2c1d0e9".
LINK_KINDS = {"person": "speaker", "theme": "theme", "institution": "institution",
              "event": "event"}


def link_payload(kind: str, key: str) -> str:
    """What follows /start in a link to the card of a record of `kind` (see LINK_KINDS)."""
    return f"{LINK_KINDS[kind]}-{key}"


def card_for_link(engine: AnswerEngine, payload: str, lang: str) -> Answer | None:
    """The card a /start payload opens; None for a stale or forged one."""
    name, _, key = payload.partition("-")
    entity = engine.lookup_key(key)
    return card(engine, entity, lang) if entity and LINK_KINDS.get(entity[0]) == name else None


def card_by_key(engine: AnswerEngine, key: str, lang: str) -> Answer | None:
    entity = engine.lookup_key(key)
    return card(engine, entity, lang) if entity else None


def names_of(engine: AnswerEngine, kind: str) -> dict[tuple[str, str, str], list[str]]:
    """Every name a record of `kind` goes by, for fuzzy "did you mean" suggestions."""
    index = engine.index
    names: dict[tuple[str, str, str], list[str]] = {}
    if kind == "person":
        for p in index.people.values():
            names[("person", "", p.id)] = [*p.name.values(), *p.aliases]
    elif kind == "institution":
        for i in index.institutions.values():
            names[("institution", "", i.id)] = [*i.name.values(), *i.short.values(), *i.aliases]
    elif kind == "theme":
        for th in index.themes.values():
            names[("theme", th.event_id, th.id)] = [
                *th.name.values(), *(w for ws in th.keywords.values() for w in ws)]
    return names


def lookup(engine: AnswerEngine, kind: str, text: str, lang: str, limit: int = 3) -> Lookup:
    """Records of one kind that `text` names; close names as suggestions when none does."""
    result = Lookup()
    matched = [m for m in engine.index.link(stems(text)) if m.entity[0] == kind]
    if matched:
        top = [m for m in matched if m.score >= matched[0].score - 0.02]
        if kind == "person" and len(top) > 1:
            result.cards.append(engine.several_people(text, [m.entity[2] for m in top], lang,
                                                      top[0].phrase.kind == "role"))
        else:
            result.cards.extend(card(engine, m.entity, lang, text) for m in top[:limit])
        return result
    choices = {(entity, name): normalize(name)
               for entity, names in names_of(engine, kind).items() for name in names}
    seen: list[tuple[str, str, str]] = []
    for _, _, (entity, _) in process.extract(
        normalize(text), choices, scorer=fuzz.WRatio, processor=utils.default_process,
        limit=limit * 6, score_cutoff=50,
    ):
        if entity not in seen:
            seen.append(entity)
    result.suggestions = [engine.ref(entity, lang) for entity in seen[:limit]]
    return result


def inline_cards(engine: AnswerEngine, query: str, lang: str, limit: int = 50) -> list[Answer]:
    """Cards for inline mode: records the query names or resembles; every speaker if empty."""
    index = engine.index
    query = " ".join(query.split())[:200]
    entities: list[tuple[str, str, str]] = []
    if query:
        entities = [m.entity for m in index.link(stems(query))]
        if len(entities) < limit:
            for kind in ("person", "theme", "institution"):
                choices = {entity: " ".join(normalize(n) for n in names)
                           for entity, names in names_of(engine, kind).items()}
                for _, score, entity in process.extract(
                    normalize(query), choices, scorer=fuzz.partial_ratio,
                    processor=None, limit=limit, score_cutoff=80,
                ):
                    if entity not in entities and score:
                        entities.append(entity)
    else:
        event = engine.default_event()
        entities = [("person", "", p.person) for p in engine.speakers_of(event)]
    return [card(engine, entity, lang) for entity in entities[:limit]]


# ----- the archive's events ------------------------------------------------------------------

EVENTS_PAGE = 10


def events_newest_first(engine: AnswerEngine) -> list[Event]:
    return engine.newest_first


def _title_stems(event: Event) -> set[str]:
    return {w for name in [*event.title.values(), *event.aliases] for w in stems(name)}


def resolve_event(engine: AnswerEngine, text: str) -> list[Event]:
    """The events a text names, newest first: by title or alias, by place, by date or by
    year ('Strasbourg', '2022', 'April 2022', 'the roundtable'); the latest for no text."""
    newest = events_newest_first(engine)
    if not text.strip():
        return newest[:1]
    year, month, day = when_in(text)
    found = [e for e in newest if (year is None or e.date.year == year)
             and (month is None or e.date.month == month) and (day is None or e.date.day == day)]
    if (year, month, day) == (None, None, None):
        found = newest
    words = set(normalize(text).split())
    by_place = [e for e in found if any(set(normalize(c).split()) <= words and c
                                        for c in e.city.values())]
    named = {m.entity[1] for m in engine.index.link(stems(text)) if m.entity[0] == "event"}
    asked = {w for w in stems(text) if not w.isdigit() and when_in(w) == (None, None, None)}
    by_name = [e for e in found if e.id in named or (asked and asked <= _title_stems(e))]
    if by_name or by_place:
        return by_name or by_place
    return found if (year, month, day) != (None, None, None) else []


def events_page(engine: AnswerEngine, lang: str, page: int = 0,
                size: int = EVENTS_PAGE) -> tuple[Answer, int]:
    """One page of the archive, newest first: each event's title, date and place, offered
    as a button. Returns the page and the number of pages."""
    events = events_newest_first(engine)
    pages = max(1, -(-len(events) // size))
    page = min(max(page, 0), pages - 1)
    answer = Answer("", "events", lang)
    if not events:
        answer.add(t(lang, "events.none"))
        return answer, pages
    answer.add(Span(tn(lang, "events.header", len(events)), "b"))
    if pages > 1:
        answer.add(t(lang, "page", page=page + 1, pages=pages))
    shown = events[page * size: (page + 1) * size]
    refs = [engine.ref(("event", e.id, e.id), lang) for e in shown]
    answer.entities += refs
    answer.choices += refs
    answer.add_lines([[Span(ref.name, "b"), Span(f" — {engine.when_where(event, lang)}")]
                      for ref, event in zip(refs, shown, strict=True)])
    return answer, pages


def event_card(engine: AnswerEngine, event: Event, lang: str) -> Answer:
    return engine.event_card(event, lang)


def speakers_card(engine: AnswerEngine, event: Event, lang: str) -> Answer:
    return engine.list_speakers("", lang, event)


def themes_card(engine: AnswerEngine, event: Event, lang: str) -> Answer:
    return engine.list_themes("", lang, event)


def institutions_card(engine: AnswerEngine, event: Event, lang: str) -> Answer:
    return engine.list_institutions("", lang, event)
