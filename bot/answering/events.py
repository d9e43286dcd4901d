"""Answers about one event: its card, its facts, who took part, its themes and institutions.

Every fact is optional in the record; one the record lacks is never shown, and a question
about it gets "the record does not say", not a guess.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.answering import upcoming
from bot.answering.answer import Answer, Span
from bot.answering.render import Renderer, format_date, pick
from bot.i18n import t, tn
from bot.records.model import CANCELLED, COLLECTIVE, Event, Institution, Participant, Theme


class EventAnswers(Renderer):
    """The event-scoped answers; AnswerEngine adds the routing of questions."""

    def unknown(self, question: str, lang: str) -> Answer:
        """Honest 'not in the record', with what the bot can answer; it names nobody."""
        answer = Answer(question, "unknown", lang, answered=False)
        answer.add(t(lang, "unknown.text"))
        answer.add(t(lang, "unknown.hint"))
        return answer

    def offer(self, answer: Answer, people: Iterable[str], lang: str,
              as_choices: bool = True) -> list[str]:
        """Name people in an answer: as entities, and as buttons (choices or related)."""
        people = list(dict.fromkeys(people))
        for person_id in people:
            ref = self.person_ref(person_id, lang)
            answer.entities.append(ref)
            (answer.choices if as_choices else answer.suggestions).append(ref)
        return people

    # ----- who took part -------------------------------------------------------------------

    def speakers_of(self, event: Event | None) -> list[Participant]:
        """Everyone the record names at the event: in speaking order where the source gives
        one, then the others as the record lists them."""
        if event is None:
            return []
        everyone = self.index.participants_by_event.get(event.id, [])
        ordered = sorted((p for p in everyone if p.order), key=lambda p: p.order)
        return ordered + [p for p in everyone if not p.order]

    def has_remarks(self, participant: Participant) -> bool:
        return bool(self.index.said.get((participant.event_id, participant.person)))

    def who_spoke(self, event: Event) -> list[Participant]:
        """Who spoke at the event, as far as the record tells: those it has remarks from; or
        everyone it names, where it gives nobody's remarks apart (only what the speakers
        said together, as in Strasbourg)."""
        named = self.speakers_of(event)
        return [p for p in named if self.has_remarks(p)] or named

    def participant_line(self, participant: Participant, lang: str) -> list[Span]:
        """A line of a list of participants: place in the speaking order, name and role, and
        that the record has no remarks from them where it has none."""
        mark = f"{participant.order}. " if participant.order else "• "
        note = "" if self.has_remarks(participant) else f" — {t(lang, 'person.no_speech')}"
        return [Span(mark), *self.person_line(participant.person, lang, participant.event_id),
                *([Span(note)] if note else [])]

    def did_not_speak(self, question: str, event: Event, lang: str) -> Answer:
        """Participants the record has no remarks from (not "who did not speak": the source
        may simply not report what they said)."""
        silent = [p for p in self.speakers_of(event) if not self.has_remarks(p)]
        answer = Answer(question, "people", lang, event_id=event.id)
        if not silent:
            answer.add(t(lang, "speakers.all_spoke"))
            return answer
        answer.add(Span(t(lang, "speakers.silent"), "b"))
        self.offer(answer, [p.person for p in silent], lang)
        answer.add_lines([[Span("• "), *self.person_line(p.person, lang, event.id)]
                          for p in silent])
        return answer

    def list_speakers(self, question: str, lang: str, event: Event | None,
                      participants: bool = False) -> Answer:
        """Everyone the record names, in speaking order; with `participants`, the crowd first."""
        answer = Answer(question, "people", lang, event_id=event.id if event else "")
        people = self.speakers_of(event)
        if participants and event:
            self._participants_line(answer, event, lang)
        if not people:
            answer.add(t(lang, "speakers.none"))
            return answer
        self._speakers(answer, people, people, lang)
        return answer

    def speakers_page(self, lang: str, event: Event | None, page: int,
                      size: int) -> tuple[Answer, int, int]:
        """One page of `size` speakers (/speakers); the answer, the page shown and the pages."""
        answer = Answer("/speakers", "people", lang, event_id=event.id if event else "")
        people = self.speakers_of(event)
        if not people:
            answer.add(t(lang, "speakers.none"))
            return answer, 0, 0
        pages = (len(people) + size - 1) // size
        page = min(max(page, 0), pages - 1)
        shown = people[page * size : (page + 1) * size]
        page_line = [t(lang, "page", page=page + 1, pages=pages)] if pages > 1 else None
        self._speakers(answer, people, shown, lang, page_line)
        return answer, page, pages

    def _speakers(self, answer: Answer, people: list[Participant], shown: list[Participant],
                  lang: str, page_line: list | None = None) -> None:
        """A header counting those the record has remarks from, then a line each; when it
        has remarks from none of them, one note for all rather than the same on each line."""
        speaking = sum(self.has_remarks(p) for p in people)
        if speaking:
            key = "speakers.header" if any(p.order for p in people) else "speakers.listed"
            header = [Span(tn(lang, key, speaking), "b")]
            lines = [self.participant_line(p, lang) for p in shown]
        else:
            header = [Span(tn(lang, "participants.header", len(people)), "b")]
            lines = [[Span("• "), *self.person_line(p.person, lang, p.event_id)] for p in shown]
        answer.add_lines([header, page_line] if page_line else [header])
        self.offer(answer, [p.person for p in shown], lang)
        answer.add_lines(lines)
        if not speaking:
            answer.add(t(lang, "participants.no_remarks"))

    def _participants_line(self, answer: Answer, event: Event, lang: str) -> bool:
        """How many took part and who, as far as the record says; False if it says neither."""
        who = pick(event.participants_description, lang)
        count = event.participants_count
        if count and who:
            answer.add(t(lang, "event.participants", count=count, who=who))
        elif count:
            answer.add(t(lang, "event.participants_count", count=count))
        elif who:
            answer.add(t(lang, "event.participants_who", who=who))
        return bool(count or who)

    # ----- themes and institutions ---------------------------------------------------------

    def list_themes(self, question: str, lang: str, event: Event | None) -> Answer:
        themes = self.index.themes_by_event.get(event.id, ()) if event else ()
        return self._listing(question, lang, "themes", event, themes)

    def list_institutions(self, question: str, lang: str, event: Event | None) -> Answer:
        ids = self.index.institutions_by_event.get(event.id, ()) if event else ()
        return self._listing(question, lang, "institutions", event,
                             [self.index.institutions[i] for i in ids])

    def _listing(self, question: str, lang: str, kind: str, event: Event | None,
                 items: Iterable[Theme | Institution]) -> Answer:
        """A header with the count, then each record's name, offered as a button."""
        items = list(items)
        answer = Answer(question, kind, lang, event_id=event.id if event else "")
        answer.add(Span(tn(lang, f"{kind}.header", len(items)), "b"))
        refs = [self.ref(("theme", item.event_id, item.id) if isinstance(item, Theme)
                         else ("institution", "", item.id), lang) for item in items]
        answer.entities += refs
        answer.choices += refs
        answer.add_lines([[f"• {ref.name}"] for ref in refs])
        return answer

    # ----- the event -----------------------------------------------------------------------

    def event_card(self, event: Event | None, lang: str, question: str = "") -> Answer:
        """What the record says of the event as a whole; only the facts it has."""
        if event is None:
            return self.unknown(question, lang)
        answer = Answer(question, "event", lang, event_id=event.id)
        answer.entities.append(self.ref(("event", event.id, event.id), lang))
        answer.add(Span(pick(event.title, lang), "b"))
        answer.add(f"{self.when_where(event, lang)}.")
        if event.starts is not None and event.upcoming(at := upcoming.now()):
            upcoming.add_schedule(answer, event, lang, at, lambda person: pick(
                self.index.people[person].name, lang) if person in self.index.people else person)
            if event.status != CANCELLED:
                answer.calendar = event.key
        self._participants_line(answer, event, lang)
        for opener in self.openers(event):
            answer.add(t(lang, "event.opened_by"), *self.person_line(opener.person, lang,
                                                                      event.id))
            answer.suggestions.append(self.person_ref(opener.person, lang))
        if event.summary:
            answer.add(pick(event.summary, lang))
        if event.conclusion:
            answer.add(Span(t(lang, "event.conclusion"), "b"), " ",
                       pick(event.conclusion, lang))
        self.add_event_sources(answer, event)
        others = sorted((e for e in self.index.events.values() if e.id != event.id),
                        key=lambda e: (e.date, e.id), reverse=True)
        answer.suggestions += [self.ref(("event", e.id, e.id), lang) for e in others[:6]]
        return answer

    def openers(self, event: Event) -> list[Participant]:
        return [p for p in self.index.participants_by_event.get(event.id, ()) if p.opened]

    def event_fact(self, question: str, event: Event | None, fact: str, lang: str) -> Answer:
        """One fact of the event; "the record does not say" when it lacks it."""
        if event is None:
            return self.unknown(question, lang)
        answer = Answer(question, "event", lang, event_id=event.id)
        answer.entities.append(self.ref(("event", event.id, event.id), lang))
        title = pick(event.title, lang)
        date = format_date(event.date, lang)
        city = pick(event.city, lang)
        if fact == "when":
            answer.add(t(lang, "fact.when", event=title, date=date, city=city) if city
                       else t(lang, "fact.when_no_city", event=title, date=date))
        elif fact == "where" and city:
            answer.add(t(lang, "fact.where", event=title, city=city, date=date))
        elif fact == "where":
            answer.add(t(lang, "fact.where_unknown", event=title, date=date))
            answer.answered = False
        elif fact == "participants":  # with several events, which one's crowd: its place
            several = len(self.index.events) > 1
            self._participants_fact(answer, event, self.event_heading(event, lang) if several
                                    else title, lang)
        elif fact == "agree":
            self._agreed(answer, event, title, lang)
        elif fact == "opened":
            openers = self.openers(event)
            if not openers:
                answer.add(t(lang, "fact.opened_unknown", event=title))
                answer.answered = False
            for opener in openers:
                answer.entities.append(self.person_ref(opener.person, lang))
                answer.add(t(lang, "fact.opened", event=title),
                           *self.person_line(opener.person, lang, event.id))
                said = self.index.said.get((event.id, opener.person), [])
                opening = [s for s in said if s.paragraph == min(x.paragraph for x in said)]
                if opening:
                    answer.add(*self.statement_spans(opening, lang))
                    self.add_sources(answer, opening)
        return answer

    def _participants_fact(self, answer: Answer, event: Event, title: str, lang: str) -> None:
        who = pick(event.participants_description, lang)
        count = event.participants_count
        if count:
            answer.add(t(lang, "fact.participants", event=title, count=count, who=who) if who
                       else t(lang, "fact.participants_count", event=title, count=count))
        elif who:  # no number: "how many?" is not answered, whoever the record describes
            answer.add(t(lang, "fact.participants_who", event=title, who=who))
            answer.answered = False
        else:
            answer.add(t(lang, "fact.participants_unknown", event=title))
            answer.answered = False

    def _agreed(self, answer: Answer, event: Event, title: str, lang: str) -> None:
        """What the participants (or the speakers) said together, else the conclusion."""
        together = [s for who in COLLECTIVE for s in self.index.said.get((event.id, who), [])]
        together.sort(key=lambda s: s.position)
        if together:
            answer.add(*self.statement_spans(together, lang))
            self.add_sources(answer, together)
        elif event.conclusion:
            answer.add(pick(event.conclusion, lang))
            self.add_event_sources(answer, event)
        else:
            answer.add(t(lang, "fact.agree_unknown", event=title))
            answer.answered = False
