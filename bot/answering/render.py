"""How records are written into answers: names in the user's language, a person with their
role at an event, statements with their quotes, and sources as links with paragraphs.

Only what the record holds is written: an absent role, city or count is left out, never
guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from babel.dates import format_date as babel_format_date

from bot.answering.answer import Answer, Ref, Source, Span
from bot.answering.index import RecordIndex
from bot.i18n import t
from bot.records.model import Event, Statement, Text
from bot.text import stems

COLLECTIVE_NAMES = {"participants": "speaker.participants", "speakers": "speaker.speakers"}


def pick(texts: Text, lang: str) -> str:
    """A field in the user's language; English, marked, where a translation is missing."""
    if lang in texts:
        return texts[lang]
    english = texts.get("en", "")
    return f"{english} [en]" if lang != "en" and english else english


def format_date(day: dt.date | str, lang: str) -> str:
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return babel_format_date(day, format="long", locale=lang)


def site(url: str) -> str:
    """What a source link shows: the site ("gov.kz"), the full address is the link."""
    host = urlsplit(url).netloc
    return host.removeprefix("www.") or url


def _names_within(name: str, role: str) -> bool:
    """Whether a role already names the institution, in any grammatical case
    ("Председатель Правления Казахстанского института" holds "Казахстанский институт")."""
    wanted, have = set(stems(name)), set(stems(role))
    return bool(wanted) and len(wanted & have) >= 0.75 * len(wanted)


def with_link(text: str, url: str, style: str = "") -> list[Span]:
    """A translated sentence whose {source} place (marked \\x00) becomes a link."""
    before, _, after = text.partition("\x00")
    return [Span(before, style), Span(site(url), style, url), Span(after, style)]


class Renderer:
    """Writes records into answers; AnswerEngine builds on it."""

    index: RecordIndex

    def __init__(self) -> None:
        self._lines: tuple[RecordIndex | None, dict] = (None, {})  # name, role (institution)

    # ----- refs and names ------------------------------------------------------------------

    def ref(self, entity: tuple[str, str, str], lang: str = "en") -> Ref:
        kind, event_id, item_id = entity
        index = self.index
        if kind == "person":
            person = index.people[item_id]
            return Ref(kind, "", item_id, person.key, pick(person.name, lang))
        if kind == "institution":
            item = index.institutions[item_id]
            return Ref(kind, "", item_id, item.key, pick(item.name, lang))
        if kind == "theme":
            theme = index.themes[(event_id, item_id)]
            return Ref(kind, event_id, item_id, theme.key, pick(theme.name, lang))
        event = index.events[event_id]
        return Ref("event", event_id, event_id, event.key, pick(event.title, lang))

    def person_ref(self, person_id: str, lang: str) -> Ref:
        return self.ref(("person", "", person_id), lang)

    def event_heading(self, event: Event, lang: str) -> str:
        """The event's title, date and city: with several events, the city tells apart
        two roundtables and answers "at which events?" by the place people know them by."""
        return t(lang, "answer.event", event=pick(event.title, lang),
                 date=self.when_where(event, lang))

    def event_headings(self, event_ids: list[str], lang: str) -> str:
        """Several events' headings on one line ("the record has none of them at …")."""
        return ", ".join(self.event_heading(self.index.events[e], lang) for e in event_ids)

    def when_where(self, event: Event, lang: str) -> str:
        """'February 9, 2026, Astana', or the date alone when the record has no city."""
        date = format_date(event.date, lang)
        return f"{date}, {pick(event.city, lang)}" if event.city else date

    def latest_event(self, person_id: str) -> str:
        events = self.index.events_of_person.get(person_id, [])
        return events[0] if events else ""

    def person_line(self, person_id: str, lang: str, event_id: str | None = None) -> list[Span]:
        """The name in bold, then the role at that event (the latest one by default) and the
        institution when the role does not already name it."""
        if self._lines[0] is not self.index:  # Spans are immutable: reuse them per index
            self._lines = (self.index, {})
        event_id = self.latest_event(person_id) if event_id is None else event_id
        key = (person_id, event_id, lang)
        line = self._lines[1].get(key)
        if line is None:
            line = self._lines[1][key] = tuple(self._make_person_line(person_id, event_id, lang))
        return list(line)

    def _make_person_line(self, person_id: str, event_id: str, lang: str) -> list[Span]:
        spans = [Span(pick(self.index.people[person_id].name, lang), "b")]
        part = self.index.participants.get((event_id, person_id))
        role = pick(part.role, lang) if part and part.role else ""
        if role:
            spans.append(Span(f", {role}"))
        inst = self.index.institutions.get(part.institution or "") if part else None
        names = [*inst.name.values(), *inst.short.values(), *inst.aliases] if inst else []
        if inst and not any(_names_within(name, role) for name in names):
            spans.append(Span(f" ({pick(inst.name, lang)})" if role
                              else f", {pick(inst.name, lang)}"))
        return spans

    def speaker_line(self, event_id: str, speaker: str, lang: str) -> list[Span]:
        """Who said something: a person with their role, or the participants, the speakers or
        an institution, collectively."""
        if speaker in self.index.people:
            return self.person_line(speaker, lang, event_id)
        if speaker in COLLECTIVE_NAMES:
            return [Span(t(lang, COLLECTIVE_NAMES[speaker]), "b")]
        item = self.index.institutions.get(speaker)
        return [Span(pick(item.name, lang) if item else speaker, "b")]

    # ----- statements and sources ----------------------------------------------------------

    def statement_spans(self, statements: Iterable[Statement], lang: str) -> list[Span]:
        """One bullet per statement, each followed by the source's own words if it has them
        (verbatim, in the source's language)."""
        spans: list[Span] = []
        for number, statement in enumerate(statements):
            spans.append(Span(("\n" if number else "") + f"• {pick(statement.text, lang)}"))
            if statement.quote:
                spans += [Span("\n  "), Span(f"“{statement.quote}”", "i")]
        return spans

    def source_url(self, statement: Statement) -> str:
        return statement.source or self.index.events[statement.event_id].sources[0]

    def add_sources(self, answer: Answer, statements: Iterable[Statement]) -> None:
        """Name the source of each statement (a link) and its paragraphs, one line a source."""
        seen = set(answer.sources)  # sets, not list scans: a theme may span many events
        for statement in statements:
            source = Source(statement.event_id, statement.paragraph, self.source_url(statement))
            if source not in seen:
                seen.add(source)
                answer.sources.append(source)
        by_url: dict[str, set[int]] = {}
        for source in answer.sources:
            by_url.setdefault(source.source, set()).add(source.paragraph)
        for url, paragraphs in by_url.items():
            numbers = ", ".join(str(n) for n in sorted(paragraphs))
            answer.add(*with_link(t(answer.lang, "answer.source", source="\x00",
                                    paragraphs=numbers), url, "i"))

    def add_event_sources(self, answer: Answer, event: Event) -> None:
        """The event's sources, for what the record says of the event as a whole."""
        for url in event.sources:
            answer.add(*with_link(t(answer.lang, "event.source", source="\x00"), url, "i"))
