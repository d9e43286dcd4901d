"""Cards for one record (by stable key or by name), lookups with "did you mean", inline search.

Built on the answer engine's index; no Telegram code here either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from bot.answering.answer import Answer, Ref
from bot.answering.engine import AnswerEngine
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
        return engine.person_card(question, index.people[(event_id, item_id)], lang)
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
            names[("person", p.event_id, p.id)] = [*p.texts["name"].values(), *p.aliases]
    elif kind == "institution":
        for i in index.institutions.values():
            names[("institution", i.event_id, i.id)] = [
                *i.texts["name"].values(), *i.texts["short"].values(), *i.aliases]
    elif kind == "theme":
        for th in index.themes.values():
            names[("theme", th.event_id, th.id)] = [
                *th.texts["name"].values(), *(w for ws in th.keywords.values() for w in ws)]
    return names


def lookup(engine: AnswerEngine, kind: str, text: str, lang: str, limit: int = 3) -> Lookup:
    """Records of one kind that `text` names; close names as suggestions when none does."""
    result = Lookup()
    matched = [m for m in engine.index.link(stems(text)) if m.entity[0] == kind]
    if matched:
        top = [m for m in matched if m.score >= matched[0].score - 0.02]
        if kind == "person" and len(top) > 1:
            people = [engine.index.people[m.entity[1:]] for m in top]
            result.cards.append(engine.several_people(text, people, lang,
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
        entities = [("person", p.event_id, p.id) for p in engine.speakers_of(event)]
    return [card(engine, entity, lang) for entity in entities[:limit]]
