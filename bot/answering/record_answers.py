"""Answers about records: a person's, a theme's and an institution's card, people by role or
by speaking place, and statements grouped by speaker. AnswerEngine adds the routing."""

from __future__ import annotations

from bot.answering.answer import Answer, Span
from bot.answering.cues import (
    NOISE_STEMS,
)
from bot.answering.events import EventAnswers
from bot.answering.index import Match
from bot.answering.render import pick
from bot.i18n import t
from bot.records.model import Event, Institution, Participant, Statement, Theme
from bot.text import normalize, stem


class RecordAnswers(EventAnswers):
    """The answers built from records; AnswerEngine decides which one a question gets."""

    def says(self, statement: Statement, words: set[str]) -> bool:
        """Whether a statement has each word, in any inflection ("Құрылтай" / "Құрылтайды")."""
        return all(statement.key in self.index.saying(word) for word in words)

    def person_card(self, question: str, person_id: str, lang: str) -> Answer:
        """Who they are, then every event they took part in, newest first: their role there
        and what the record has them say (or that it has no remarks from them)."""
        answer = Answer(question, "person", lang)
        answer.entities.append(self.person_ref(person_id, lang))
        answer.add(*self.person_line(person_id, lang))
        latest = self.latest_event(person_id)
        header_role = self.index.participants.get((latest, person_id))
        said_all: list[Statement] = []
        for event_id in self.index.events_of_person.get(person_id, []):
            event = self.index.events[event_id]
            part = self.index.participants[(event_id, person_id)]
            heading = [Span(self.event_heading(event, lang), "i")]
            if part.role and header_role and part.role != header_role.role:
                heading.append(Span(f" — {pick(part.role, lang)}"))
            answer.add(*heading)
            if part.opened:
                answer.add(t(lang, "person.opened"))
            said = self.index.said.get((event_id, person_id), [])
            if said:
                answer.add(Span(t(lang, "person.said"), "b"),
                           Span("\n"), *self.statement_spans(said, lang))
            else:
                answer.add(t(lang, "person.no_remarks"))
            said_all += said
        self._suggest_themes(answer, said_all, lang)
        self.add_sources(answer, said_all)
        return answer

    def speaker_at(self, question: str, event: Event, order: int, lang: str) -> Answer:
        """The speaker at a place in the speaking order (-1: the last one)."""
        speakers = [p for p in self.speakers_of(event) if p.order]
        if not speakers or order > len(speakers):
            return self.unknown(question, lang)
        part = speakers[order - 1] if order > 0 else speakers[-1]
        answer = self.person_card(question, part.person, lang)
        answer.kind = "person"
        answer.paragraphs.insert(0, [Span(t(lang, "speaker.order", order=part.order,
                                            count=len(speakers)))])
        return answer

    def several_people(self, question: str, persons: list[str], lang: str, by_role: bool,
                       event: Event | None = None) -> Answer:
        """Two or more people fit: name them all and let the user choose, never guess."""
        answer = Answer(question, "ambiguous", lang)
        answer.add(t(lang, "people.role_match" if by_role else "people.ambiguous",
                     count=len(persons)))
        here = event.id if event else None
        answer.add_lines([[Span("• "), *self.person_line(
            p, lang, here if (here, p) in self.index.participants else None)]
            for p in self.offer(answer, persons, lang)])
        answer.add(t(lang, "people.choose"))
        return answer

    def spoke_on(self, person_id: str, themes: list[Match]) -> bool:
        """Whether the person has a statement under one of these themes."""
        wanted = {m.entity[1:] for m in themes}
        return any((s.event_id, theme) in wanted for e in self.index.events_of_person.get(
            person_id, []) for s in self.index.said.get((e, person_id), []) for theme in s.themes)

    def person_on_themes(self, question: str, person_id: str, themes: list[Match],
                         lang: str) -> Answer:
        wanted = {(m.entity[1], m.entity[2]) for m in themes}
        said = [s for event_id in self.index.events_of_person.get(person_id, [])
                for s in self.index.said.get((event_id, person_id), [])
                if any((s.event_id, theme) in wanted for theme in s.themes)]
        if not said:  # say so, then what they did say
            answer = self.person_card(question, person_id, lang)
            names = ", ".join(self.ref(m.entity, lang).name for m in themes)
            answer.paragraphs.insert(0, [Span(t(lang, "person.not_on_theme", theme=names), "i")])
            return answer
        answer = Answer(question, "statements", lang, event_id=said[0].event_id)
        answer.entities.append(self.person_ref(person_id, lang))
        answer.entities.extend(self.ref(m.entity, lang) for m in themes)
        answer.add(*self.person_line(person_id, lang, said[0].event_id))
        answer.add(*self.statement_spans(said, lang))
        self.add_sources(answer, said)
        return answer

    # ----- themes --------------------------------------------------------------------------

    async def themes_answer(self, question: str, matches: list[Match], content: list[str],
                            lang: str, cues: set[str],
                            speakers: set[tuple[str, str]] | None = None) -> Answer:
        """Who spoke about the themes and what they said (only `speakers`, when given)."""
        themes = [self.index.themes[m.entity[1:]] for m in matches]
        # Prefer statements that say the very words asked about ("intellectual property"
        # rather than everything under "creativity and intellectual property"), theme by
        # theme: one event's literal mention must not hide what another event said about it.
        statements: dict[str, Statement] = {}
        # A statement scores for the theme's keyword and for each other word it says that no
        # other theme of the question explains ("the age of Kurultai deputies").
        claimed = {p for m in matches for p in m.positions}
        loose = {w for p, w in enumerate(content) if p not in claimed and w not in NOISE_STEMS}
        for match, theme in zip(matches, themes, strict=True):
            keyword = set(match.phrase.stems)  # as the record spells it, typos mended
            own = {content[p] for p in match.positions if p < len(content)} | loose
            said = self.index.theme_statements.get((theme.event_id, theme.id), [])
            scores = {s.key: (len(keyword) if self.says(s, keyword) else 0)
                      + sum(self.says(s, {w}) for w in own - keyword)
                      for s in said}
            best = max(scores.values(), default=0)
            statements.update((s.key, s) for s in said if scores[s.key] == best)
        chosen = sorted(statements.values(), key=lambda s: (s.event_id, s.position))
        if cues & {"how_many", "how_long"} and any(s.figures for s in chosen):
            chosen = [s for s in chosen if s.figures]
        elif "when" in cues and not any(s.figures for s in chosen):
            return self.unknown(question, lang)  # "when is the next election?": no date
        if speakers is not None:
            chosen = [s for s in chosen if (s.event_id, s.speaker) in speakers]
        answer = Answer(question, "theme", lang, event_id=themes[0].event_id)
        answer.entities.extend(self.ref(("theme", th.event_id, th.id), lang) for th in themes)
        names = ", ".join(pick(th.name, lang) for th in themes)
        if not chosen:
            answer.add(t(lang, "theme.nobody", theme=names))
            answer.answered = False
            return answer
        if cues & {"how_many", "how_long"}:  # a figure is not a date: "when" gets none
            self._lead_with_figures(answer, chosen, content, lang)
        answer.add(Span(t(lang, "theme.header", theme=names), "b"))
        self.statements_by_speaker(answer, chosen, lang)
        self.add_sources(answer, chosen)
        return answer

    def statements_by_speaker(self, answer: Answer, statements: list[Statement],
                               lang: str) -> None:
        """Statements grouped under who said them: people, and the collective voices; from
        several events, each event's under its heading, newest first."""
        events = {s.event_id for s in statements}
        if len(events) > 1:
            newest = sorted(events, key=lambda e: (self.index.events[e].date, e), reverse=True)
            statements = sorted(statements, key=lambda s: newest.index(s.event_id))
        by_speaker: dict[tuple[str, str], list[Statement]] = {}
        for statement in statements:
            who = statement.speaker or statement.by or ""
            by_speaker.setdefault((statement.event_id, who), []).append(statement)
        entities, suggestions = set(answer.entities), set(answer.suggestions)
        heading = ""
        for (event_id, who), said in by_speaker.items():
            if len(events) > 1 and event_id != heading:
                heading = event_id
                answer.add(Span(self.event_heading(self.index.events[event_id], lang), "i"))
            ref = None
            if who in self.index.people:
                ref = self.person_ref(who, lang)
            elif who in self.index.institutions:
                ref = self.ref(("institution", "", who), lang)
            if ref is not None and ref not in entities:
                entities.add(ref)
                answer.entities.append(ref)
            if ref is not None and ref not in suggestions:
                suggestions.add(ref)
                answer.suggestions.append(ref)
            answer.add(*self.speaker_line(event_id, who, lang), Span(":\n"),
                       *self.statement_spans(said, lang))

    def _lead_with_figures(self, answer: Answer, statements: list[Statement],
                           content: list[str], lang: str) -> None:
        wanted = set(content)
        for statement in statements:
            for figure in statement.figures:
                label_stems = {stem(w) for w in normalize(" ".join(figure.label.values()))
                               .split()}
                if not wanted or wanted & label_stems or figure.value in wanted:
                    answer.add(Span(figure.value, "b"), f" — {pick(figure.label, lang)}")

    def theme_card(self, theme: Theme, lang: str, question: str = "") -> Answer:
        answer = Answer(question, "theme", lang, event_id=theme.event_id)
        answer.entities.append(self.ref(("theme", theme.event_id, theme.id), lang))
        answer.add(Span(pick(theme.name, lang), "b"))
        if theme.description:
            answer.add(pick(theme.description, lang))
        said = self.index.theme_statements.get((theme.event_id, theme.id), [])
        if said:
            self.statements_by_speaker(answer, said, lang)
            self.add_sources(answer, said)
        else:
            answer.add(t(lang, "theme.nobody", theme=pick(theme.name, lang)))
        return answer

    # ----- institutions --------------------------------------------------------------------

    def family(self, institution: Institution) -> set[str]:
        """An institution and the bodies under it (the Senate and its committee)."""
        return {institution.id} | {i.id for i in self.index.institutions.values()
                                   if i.parent == institution.id}

    def members(self, institution: Institution, event_id: str | None = None
                ) -> list[Participant]:
        """Who represented an institution or a body under it, at one event or at any."""
        ids = self.family(institution)
        events = [event_id] if event_id else sorted(
            {e for i in ids for e in self.index.events_of_institution.get(i, [])},
            key=lambda e: (self.index.events[e].date, e), reverse=True)
        return [p for e in events for p in self.index.participants_by_event.get(e, ())
                if p.institution in ids]

    def institutions_answer(self, question: str, entities: list[tuple[str, str, str]],
                            lang: str, at: list[str] | None = None) -> Answer:
        """Each institution, what it belongs to, and who represented it at which event (at
        the events `at` alone, when the question names some)."""
        answer = Answer(question, "institution", lang)
        for entity in entities:
            inst = self.index.institutions[entity[2]]
            answer.entities.append(self.ref(("institution", "", inst.id), lang))
            answer.add(Span(pick(inst.name, lang), "b"))
            parent = self.index.institutions.get(inst.parent or "")
            if parent:
                answer.add(t(lang, "institution.part_of", parent=pick(parent.name, lang)))
            members = self.members(inst)
            by_event: dict[str, list[Participant]] = {}
            for part in members:
                if not at or part.event_id in at:
                    by_event.setdefault(part.event_id, []).append(part)
            if by_event:
                answer.add(t(lang, "institution.represented_by"))
            elif at:  # "the senators in Strasbourg", where the record has none
                answer.add(t(lang, "people.none_at_event", event=self.event_headings(at, lang)))
            for event_id, parts in by_event.items():
                self.offer(answer, [p.person for p in parts], lang, as_choices=False)
                answer.add_lines([[Span(self.event_heading(self.index.events[event_id], lang),
                                        "i")]] + [
                    [Span("• "), *self.person_line(p.person, lang, event_id)] for p in parts])
            said = [s for e in self.index.events_of_institution.get(inst.id, [])
                    if not at or e in at for s in self.index.said.get((e, inst.id), [])]
            if said:
                answer.add(Span(t(lang, "institution.said"), "b"), Span("\n"),
                           *self.statement_spans(said, lang))
                self.add_sources(answer, said)
        return answer

    # ----- full text -----------------------------------------------------------------------

    def statements_answer(self, question: str, statements: list[Statement], lang: str,
                          cues: set[str]) -> Answer:
        events = {s.event_id for s in statements}
        answer = Answer(question, "statements", lang,
                        event_id=statements[0].event_id if len(events) == 1 else "")
        if cues & {"how_many", "how_long"}:  # a figure is not a date: "when" gets none
            with_figures = [s for s in statements if s.figures]
            statements = with_figures or statements
            self._lead_with_figures(answer, statements, [], lang)
        self.statements_by_speaker(answer, statements, lang)
        self.add_sources(answer, statements)
        return answer

    # ----- fallbacks -----------------------------------------------------------------------

    def _suggest_themes(self, answer: Answer, statements: list[Statement],
                        lang: str) -> None:
        # Sets, not `in` on the list: a person of many events has hundreds of statements.
        known, seen = set(answer.suggestions), set()
        for statement in statements:
            for theme_id in statement.themes:
                entity = ("theme", statement.event_id, theme_id)
                if entity in seen:
                    continue
                seen.add(entity)
                ref = self.ref(entity, lang)
                if ref not in known:
                    known.add(ref)
                    answer.suggestions.append(ref)
