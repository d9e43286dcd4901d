"""The answer engine: a question in, a short sourced answer out. No Telegram code here."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import aiosqlite
from rapidfuzz import fuzz, process

from bot.answering.answer import Answer, Ref, Source, Span
from bot.answering.cues import (
    CUE_STEMS,
    EVENT_WORDS,
    FUNCTION_WORDS,
    GREETINGS,
    INTENTS,
    NOISE_STEMS,
    NOT_SPOKEN,
    NTH,
    ORDINALS,
    RU_SPEAK,
    THANKS,
    forms,
    numbered,
)
from bot.answering.index import (
    EventData,
    InstitutionData,
    Match,
    PersonData,
    RecordIndex,
    StatementData,
    ThemeData,
)
from bot.i18n import t, tn
from bot.records import storage
from bot.text import MIN_STEM, STOPWORDS, normalize, stem, stems

log = logging.getLogger(__name__)

MAX_QUESTION = 500
FTS_LIMIT = 20


def _coverage(matches: list[Match]) -> int:
    return max(len(m.positions) for m in matches)


def _capitalized(question: str) -> set[str]:
    """Words written with a capital inside the question (not its first word): names."""
    words = question.split()[1:]
    return {part for word in words if word[:1].isupper() for part in normalize(word).split()}


def _names_within(name: str, role: str) -> bool:
    """Whether a role already names the institution, in any grammatical case
    ("Председатель Правления Казахстанского института" holds "Казахстанский институт")."""
    wanted, have = set(stems(name)), set(stems(role))
    return bool(wanted) and len(wanted & have) >= 0.75 * len(wanted)


def _bullets(statements: Iterable[StatementData], lang: str) -> str:
    return "\n".join(f"• {pick(s.texts['text'], lang)}" for s in statements)


def pick(texts: dict[str, str], lang: str) -> str:
    """A field in the user's language; English, marked, where a translation is missing."""
    if lang in texts:
        return texts[lang]
    english = texts.get("en", "")
    return f"{english} [en]" if lang != "en" and english else english


class AnswerEngine:
    """Answers questions over the records in one SQLite database."""

    def __init__(self, db: aiosqlite.Connection, index: RecordIndex) -> None:
        self.db = db
        self.index = index
        self._latest: tuple[RecordIndex | None, EventData | None] = (None, None)
        self._lines: tuple[RecordIndex | None, dict] = (None, {})  # name, role (institution)
        self._loaded: tuple | None = None  # the sources the index was built from

    @classmethod
    async def open(cls, path: Path | str) -> AnswerEngine:
        return await cls.create(await storage.connect(path))

    @classmethod
    async def create(cls, db: aiosqlite.Connection) -> AnswerEngine:
        """An engine over the records in `db`, its index built now."""
        engine = cls(db, await RecordIndex.from_db(db))
        engine._loaded = await engine._records_version()
        return engine

    async def reload(self) -> None:
        """Rebuild the in-memory index after the records changed."""
        self.index = await RecordIndex.from_db(self.db)
        self._loaded = await self._records_version()

    async def reload_if_changed(self) -> bool:
        """Pick up what `python -m bot load` wrote while the bot runs; cheap when nothing did."""
        if await self._records_version() == self._loaded:
            return False
        await self.reload()
        log.info("records changed on disk: index rebuilt (%d events)", len(self.index.events))
        return True

    async def _records_version(self) -> tuple:
        async with self.db.execute("SELECT path, digest FROM sources ORDER BY path") as cursor:
            return tuple(tuple(row) for row in await cursor.fetchall())

    async def close(self) -> None:
        await self.db.close()

    # ----- refs and names ------------------------------------------------------------------

    def ref(self, entity: tuple[str, str, str], lang: str = "en") -> Ref:
        kind, event_id, item_id = entity
        if kind == "person":
            item = self.index.people[(event_id, item_id)]
            return Ref(kind, event_id, item_id, item.key, pick(item.texts["name"], lang))
        if kind == "institution":
            inst = self.index.institutions[(event_id, item_id)]
            return Ref(kind, event_id, item_id, inst.key, pick(inst.texts["name"], lang))
        if kind == "theme":
            theme = self.index.themes[(event_id, item_id)]
            return Ref(kind, event_id, item_id, theme.key, pick(theme.texts["name"], lang))
        event = self.index.events[event_id]
        return Ref("event", event_id, event_id, event.key, pick(event.texts["title"], lang))

    def lookup_key(self, key: str) -> tuple[str, str, str] | None:
        return self.index.by_key.get(key)

    def default_event(self) -> EventData | None:
        """The latest event: what questions about 'the roundtable' mean when there are many."""
        if self._latest[0] is not self.index:  # once per index, not per question
            latest = max(self.index.events.values(), key=lambda e: (e.date, e.id), default=None)
            self._latest = (self.index, latest)
        return self._latest[1]

    def _person_line(self, person: PersonData, lang: str) -> list[Span]:
        if self._lines[0] is not self.index:  # Spans are immutable: reuse them per index
            self._lines = (self.index, {})
        key = (person.event_id, person.id, lang)
        line = self._lines[1].get(key)
        if line is None:
            line = self._lines[1][key] = tuple(self._make_person_line(person, lang))
        return list(line)

    def _make_person_line(self, person: PersonData, lang: str) -> list[Span]:
        role = pick(person.texts["role"], lang)
        spans = [Span(pick(person.texts["name"], lang), "b"), Span(f", {role}")]
        inst = self.index.institutions.get((person.event_id, person.institution))
        names = [*inst.texts["name"].values(), *inst.texts["short"].values(), *inst.aliases] \
            if inst else []
        if inst and not any(_names_within(name, role) for name in names):
            spans.append(Span(f" ({pick(inst.texts['name'], lang)})"))
        return spans

    def _source(self, statement: StatementData) -> Source:
        event = self.index.events[statement.event_id]
        return Source(statement.event_id, statement.paragraph, event.source)

    def _add_sources(self, answer: Answer, statements: Iterable[StatementData]) -> None:
        seen = set(answer.sources)  # sets, not list scans: a theme may span many events
        for statement in statements:
            source = self._source(statement)
            if source not in seen:
                seen.add(source)
                answer.sources.append(source)
        if answer.sources:
            paragraphs = ", ".join(str(s.paragraph) for s in sorted(
                answer.sources, key=lambda s: (s.event_id, s.paragraph)))
            answer.add(Span(t(answer.lang, "answer.source", paragraphs=paragraphs), "i"))

    # ----- questions -----------------------------------------------------------------------

    def _drop_namesakes(self, matches: list[Match], kept: list[str],
                        noise: set[int]) -> list[Match]:
        """"Olga Buzova" is not Olga Perepechina: a first name followed by a surname the
        record does not know names somebody else."""
        covered = {p for m in matches if m.phrase.kind != "given" for p in m.positions}
        kept_matches = []
        for match in matches:
            if match.phrase.kind == "given":
                after = max(match.positions) + 1
                if after < len(kept) and after not in noise and after not in covered \
                        and not kept[after].isdigit():
                    continue
            kept_matches.append(match)
        return kept_matches

    def _says(self, statement: StatementData, words: set[str]) -> bool:
        """Whether a statement has each word, in any inflection ("Құрылтай" / "Құрылтайды")."""
        return all(statement.key in self.index.saying(word) for word in words)

    def _figure_for(self, content: list[str], cues: set[str]) -> list[StatementData]:
        """For "how many / how long" questions: the statements with figures that say most of
        the asked words, in any inflection ("Талқылау неше күнге созылды?")."""
        if not cues & {"how_many", "how_long"}:
            return []
        asked = {w for w in content if w not in NOISE_STEMS}
        figures = self.index.figure_keys
        counts = Counter(key for w in asked for key in self.index.saying(w) & figures)
        if not counts:
            return []
        best = max(counts.values())
        chosen = [self.index.statement_by_key[key] for key, n in counts.items() if n == best]
        return sorted(chosen, key=lambda s: (s.event_id, s.position))

    def _with_figures(self, numbers: list[str]) -> list[StatementData]:
        """Statements whose figures are the numbers asked about ("what does 2060 mean?")."""
        return [s for n in numbers for s in self.index.figure_statements.get(n, ())][:3]

    def _role_word_holders(self, known: list[str], noise: set[int]) -> list[PersonData]:
        """The few people (at most three) whose title has a word of the question."""
        best: set[tuple[str, str, str]] = set()
        for position, token in enumerate(known):
            holders = self.index.role_holders.get(token, set()) if position not in noise else ()
            if holders and len(holders) <= 3 and (not best or len(holders) < len(best)):
                best = set(holders)
        people = [self.index.people[entity[1:]] for entity in sorted(best)]
        return sorted(people, key=lambda p: (p.event_id, p.order or 99, p.id))

    def _foreign(self, word: str, stem_: str, named: bool = False) -> bool:
        """A word no record, statement or question pattern knows, even misspelt (a name
        written with a capital is taken as it is: "USA" is not a typo of "us")."""
        if len(word) < 3 or forms(word) & CUE_STEMS or NTH.match(word):
            return False
        if self.index.in_statements(stem_, prefix=len(stem_) >= MIN_STEM):
            return False
        if self.index.similar_stems(stem_):
            return False
        return named or process.extractOne(word, FUNCTION_WORDS, scorer=fuzz.ratio,
                                           score_cutoff=80) is None  # not "abuot" for "about"

    def _one_event(self, matches: list[Match]) -> list[Match]:
        """With several events, answer about one: the event the question names, else the one
        whose records it names most fully (the latest on a tie), so answers stay short."""
        if len(self.index.events) < 2 or not matches:
            return matches
        named = [m.entity[1] for m in matches if m.entity[0] == "event"]
        if named:
            chosen = named[0]
        else:
            covered: dict[str, set[int]] = {}
            for match in matches:
                covered.setdefault(match.entity[1], set()).update(match.positions)
            chosen = max(covered, key=lambda e: (len(covered[e]), self.index.events[e].date, e))
        return [m for m in matches if m.entity[1] == chosen]

    async def answer(self, question: str, lang: str = "en") -> Answer:
        """Answer a free-text question in any of the three languages."""
        answer = await self._answer(" ".join(question.split())[:MAX_QUESTION], lang)
        if len(self.index.events) > 1 and answer.entities and answer.kind != "event":
            event = self.index.events[answer.entities[0].event_id]  # say which event it was
            answer.paragraphs.insert(0, [Span(t(lang, "answer.event", event=pick(
                event.texts["title"], lang), date=self.format_date(event.date, lang)), "i")])
        return answer

    async def _answer(self, question: str, lang: str) -> Answer:
        words = normalize(question).split()
        all_stems = [stem(w) for w in words]
        word_forms = frozenset().union(*(forms(w) for w in words)) if words else frozenset()
        cues = {name for name, cue in INTENTS.items() if cue & word_forms}
        if not {"how", "skolko", "kansha", "kak", "neshe"} & set(words):
            cues.discard("how_long")  # "long" alone is not a question about duration
        if not words or not self.index.events:
            return self.unknown(question, lang)
        if all(s in GREETINGS for s in all_stems):  # "hello", "спасибо", "рахмет"
            answer = Answer(question, "greeting", lang)
            key = "thanks" if THANKS & set(all_stems) else "greeting"
            return answer.add(t(lang, key)).add(t(lang, "unknown.hint"))
        # Link on every meaningful word, cue words included ("People's Council"), but drop
        # matches made of cue words alone ("people" in "how many people").
        kept = [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
        linked = [stem(w) for w in kept]
        noise = {i for i, w in enumerate(kept) if forms(w) & NOISE_STEMS}
        content = [s for i, s in enumerate(linked) if i not in noise]
        known = [self.index.best_stem(w) for w in kept]
        matches = self._one_event([m for m in self.index.link(known) if m.positions - noise])
        matches = self._drop_namesakes(matches, kept, noise)
        people = [m for m in matches if m.entity[0] == "person"]
        themes = [m for m in matches if m.entity[0] == "theme"]
        institutions = [m for m in matches if m.entity[0] == "institution"]
        events = [m for m in matches if m.entity[0] == "event"]
        explained = {p for m in matches for p in m.positions} - noise
        unexplained = [i for i in range(len(linked)) if i not in noise and i not in explained]
        # A name the record has never heard of beside what it recognised: the question is
        # about something else ("the Minister of Education", "Miranda rights in the USA").
        named = _capitalized(question)  # "USA", "Google": names the record lacks weigh more
        foreign = [i for i in unexplained
                   if self._foreign(kept[i], linked[i], named=kept[i] in named)]
        if not people and explained and any(kept[i] in named for i in foreign):
            return self.unknown(question, lang)
        # "Who is the vice president?" asks who holds an office the record only discusses.
        if (themes and not people and not institutions and "who" in cues
                and "what_said" not in cues):
            return self.unknown(question, lang)
        # Event facts only when every other word is about the event ("where can I buy
        # tickets?" is not asking where the roundtable was).
        about_event = all(forms(kept[i]) & EVENT_WORDS for i in unexplained)

        if people:
            top = [m for m in people if m.score >= people[0].score - 0.02]
            persons = [self.index.people[m.entity[1:]] for m in top]
            if len(persons) > 1:
                return self.several_people(question, persons, lang,
                                           top[0].phrase.kind == "role")
            if themes:
                return self.person_on_themes(question, persons[0], themes, lang)
            return self.person_card(question, persons[0], lang)
        event = self.index.events[events[0].entity[1]] if events else self.default_event()
        speaking = cues & {"who", "speakers"} or "what_said" in cues
        orders = [ORDINALS[s] for s in all_stems if s in ORDINALS] + numbered(words)
        if event and speaking and orders and not themes and not institutions:
            return self.speaker_at(question, event, orders[0], lang)
        negated = NOT_SPOKEN & set(all_stems) or any(
            w == "ne" and s in RU_SPEAK for w, s in zip(words, all_stems[1:], strict=False))
        if event and speaking and negated and not themes:
            return self.did_not_speak(question, event, lang)
        if ("how_many" in cues and "participants" in cues and not themes and about_event
                and not cues & {"institutions", "speakers", "themes"}):
            return self.event_fact(question, event, "participants", lang)
        if institutions and themes:  # "the senator who talked about rights"
            members = {(p.event_id, p.id) for m in institutions
                       for p in self.members(self.index.institutions[m.entity[1:]])}
            answer = await self.themes_answer(question, themes, linked, lang, cues, members)
            if answer.answered and any(r.kind == "person" for r in answer.entities):
                return answer
            # Otherwise the body or the theme, whichever the question names more fully; on a
            # tie, the theme when it asks what was said ("what did the senators say about...").
            if _coverage(themes) > _coverage(institutions) or (
                    "what_said" in cues and _coverage(themes) == _coverage(institutions)):
                return await self.themes_answer(question, themes, linked, lang, cues)
        if institutions and (not themes or _coverage(institutions) >= _coverage(themes)):
            return self.institutions_answer(question, [m.entity for m in institutions], lang)
        if themes:
            return await self.themes_answer(question, themes, linked, lang, cues)
        for cue in ("when", "where", "agree", "opened"):
            if cue in cues and about_event and (cue != "opened" or "who" in cues or events):
                return self.event_fact(question, event, cue, lang)
        holders = self._role_word_holders(known, noise) if not matches and not foreign else []
        if len(holders) == 1:  # "what did the expert say?"
            return self.person_card(question, holders[0], lang)
        if holders:
            return self.several_people(question, holders, lang, by_role=True)
        if "institutions" in cues:
            return self.list_institutions(question, lang, event)
        if "speakers" in cues or ("participants" in cues and ("who" in cues or not content)) \
                or ("who" in cues and not content  # "who was there?", "кім не айтты?"
                    and cues <= {"who", "what_said", "list", "participants", "speakers"}):
            return self.list_speakers(question, lang, event, "speakers" not in cues)
        if "themes" in cues and not content:
            return self.list_themes(question, lang, event)
        numbers = [w for w in kept if w.isdigit()]
        found = (self._with_figures(numbers) or self._figure_for(content, cues)
                 or await self.search_statements(content))
        if found and numbers:
            cues = cues | {"how_many"}  # lead with the figure asked about
        if found:
            return self.statements_answer(question, found, lang, cues)
        if events or ("event" in cues and not content):
            return self.event_card(event, lang, question)
        return self.unknown(question, lang)

    # ----- people --------------------------------------------------------------------------

    def person_card(self, question: str, person: PersonData, lang: str) -> Answer:
        answer = Answer(question, "person", lang)
        answer.entities.append(self.ref(("person", person.event_id, person.id), lang))
        answer.add(*self._person_line(person, lang))
        event = self.index.events[person.event_id]
        title = pick(event.texts["title"], lang)
        if person.opened or event.chair == person.id:
            answer.add(t(lang, "person.opened", event=title))
        if not person.spoke:
            answer.add(t(lang, "person.did_not_speak", event=title))
        elif person.statements:
            answer.add(Span(t(lang, "person.said"), "b"),
                       Span("\n" + _bullets(person.statements, lang)))
        self._suggest_themes(answer, person.statements, lang)
        self._add_sources(answer, person.statements)
        return answer

    def _offer(self, answer: Answer, people: Iterable[PersonData], lang: str,
               as_choices: bool = True) -> list[PersonData]:
        """Name people in an answer: as entities, and as buttons (choices or related)."""
        people = list(people)
        for person in people:
            ref = self.ref(("person", person.event_id, person.id), lang)
            answer.entities.append(ref)
            (answer.choices if as_choices else answer.suggestions).append(ref)
        return people

    def several_people(self, question: str, persons: list[PersonData], lang: str,
                       by_role: bool) -> Answer:
        """Two or more people fit: name them all and let the user choose, never guess."""
        answer = Answer(question, "ambiguous", lang)
        answer.add(t(lang, "people.role_match" if by_role else "people.ambiguous",
                     count=len(persons)))
        answer.add_lines([[Span("• "), *self._person_line(person, lang)]
                          for person in self._offer(answer, persons, lang)])
        answer.add(t(lang, "people.choose"))
        return answer

    def person_on_themes(self, question: str, person: PersonData, themes: list[Match],
                         lang: str) -> Answer:
        theme_ids = {m.entity[2] for m in themes}
        said = [s for s in person.statements if theme_ids & set(s.themes)]
        if not said:  # say so, then what they did say
            answer = self.person_card(question, person, lang)
            names = ", ".join(self.ref(m.entity, lang).name for m in themes)
            answer.paragraphs.insert(0, [Span(t(lang, "person.not_on_theme", theme=names), "i")])
            return answer
        answer = Answer(question, "statements", lang)
        answer.entities.append(self.ref(("person", person.event_id, person.id), lang))
        answer.entities.extend(self.ref(m.entity, lang) for m in themes)
        answer.add(*self._person_line(person, lang))
        answer.add(_bullets(said, lang))
        self._add_sources(answer, said)
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
        statements: dict[str, StatementData] = {}
        # A statement scores for the theme's keyword and for each other word it says that no
        # other theme of the question explains ("the age of Kurultai deputies").
        claimed = {p for m in matches for p in m.positions}
        loose = {w for p, w in enumerate(content) if p not in claimed and w not in NOISE_STEMS}
        for match, theme in zip(matches, themes, strict=True):
            keyword = set(match.phrase.stems)  # as the record spells it, typos mended
            own = {content[p] for p in match.positions if p < len(content)} | loose
            scores = {s.key: (len(keyword) if self._says(s, keyword) else 0)
                      + sum(self._says(s, {w}) for w in own - keyword)
                      for s in theme.statements}
            best = max(scores.values(), default=0)
            statements.update((s.key, s) for s in theme.statements
                              if scores[s.key] == best)
        chosen = sorted(statements.values(), key=lambda s: (s.event_id, s.position))
        if cues & {"how_many", "how_long"} and any(s.figures for s in chosen):
            chosen = [s for s in chosen if s.figures]
        elif "when" in cues and not any(s.figures for s in chosen):
            return self.unknown(question, lang)  # "when is the next election?": no date
        if speakers is not None:
            chosen = [s for s in chosen if (s.event_id, s.speaker) in speakers]
        answer = Answer(question, "theme", lang)
        answer.entities.extend(self.ref(("theme", th.event_id, th.id), lang) for th in themes)
        names = ", ".join(pick(th.texts["name"], lang) for th in themes)
        if not chosen:
            answer.add(t(lang, "theme.nobody", theme=names))
            answer.answered = False
            return answer
        if cues & {"how_many", "how_long"}:  # a figure is not a date: "when" gets none
            self._lead_with_figures(answer, chosen, content, lang)
        answer.add(Span(t(lang, "theme.header", theme=names), "b"))
        self._statements_by_speaker(answer, chosen, lang)
        self._add_sources(answer, chosen)
        return answer

    def _statements_by_speaker(self, answer: Answer, statements: list[StatementData],
                               lang: str) -> None:
        by_person: dict[tuple[str, str], list[StatementData]] = {}
        for statement in statements:
            by_person.setdefault((statement.event_id, statement.speaker), []).append(statement)
        entities, suggestions = set(answer.entities), set(answer.suggestions)
        for (event_id, person_id), said in by_person.items():
            person = self.index.people[(event_id, person_id)]
            ref = self.ref(("person", event_id, person_id), lang)
            if ref not in entities:
                entities.add(ref)
                answer.entities.append(ref)
            if ref not in suggestions:
                suggestions.add(ref)
                answer.suggestions.append(ref)
            answer.add(*self._person_line(person, lang), Span(":\n" + _bullets(said, lang)))

    def _lead_with_figures(self, answer: Answer, statements: list[StatementData],
                           content: list[str], lang: str) -> None:
        wanted = set(content)
        for statement in statements:
            for figure in statement.figures:
                label_stems = {stem(w) for w in normalize(" ".join(figure["label"].values()))
                               .split()}
                if not wanted or wanted & label_stems or figure["value"] in wanted:
                    answer.add(Span(figure["value"], "b"), f" — {pick(figure['label'], lang)}")

    # ----- institutions --------------------------------------------------------------------

    def members(self, institution: InstitutionData) -> list[PersonData]:
        """People of an institution and of the bodies under it (the Senate's committee)."""
        event_id = institution.event_id
        ids = {institution.id} | {i.id for i in self.index.institutions_by_event.get(event_id, ())
                                  if i.parent == institution.id}
        return [p for p in self.index.people_by_event.get(event_id, ()) if p.institution in ids]

    def institutions_answer(self, question: str, entities: list[tuple[str, str, str]],
                            lang: str) -> Answer:
        answer = Answer(question, "institution", lang)
        for entity in entities:
            inst = self.index.institutions[entity[1:]]
            answer.entities.append(self.ref(entity, lang))
            answer.add(Span(pick(inst.texts["name"], lang), "b"))
            parent = self.index.institutions.get((inst.event_id, inst.parent or ""))
            if parent:
                answer.add(t(lang, "institution.part_of", parent=pick(parent.texts["name"], lang)))
            members = self.members(inst)
            if members:
                answer.add(t(lang, "institution.represented_by"))
                answer.add_lines([
                    [Span("• "), Span(pick(person.texts["name"], lang), "b"),
                     Span(f", {pick(person.texts['role'], lang)}")]
                    for person in self._offer(answer, members, lang, as_choices=False)])
        return answer

    def list_institutions(self, question: str, lang: str, event: EventData | None) -> Answer:
        items = self.index.institutions_by_event.get(event.id, ()) if event else ()
        return self._listing(question, lang, "institutions", "institution", items)

    def _listing(self, question: str, lang: str, kind: str, ref_kind: str,
                 items: Iterable[InstitutionData | ThemeData]) -> Answer:
        """A header with the count, then each record's name, offered as a button."""
        items = list(items)
        answer = Answer(question, kind, lang)
        answer.add(Span(tn(lang, f"{kind}.header", len(items)), "b"))
        refs = [self.ref((ref_kind, item.event_id, item.id), lang) for item in items]
        answer.entities += refs
        answer.choices += refs
        answer.add_lines([[f"• {ref.name}"] for ref in refs])
        return answer

    # ----- the event -----------------------------------------------------------------------

    def event_card(self, event: EventData | None, lang: str, question: str = "") -> Answer:
        if event is None:
            return self.unknown(question, lang)
        answer = Answer(question, "event", lang)
        answer.entities.append(self.ref(("event", event.id, event.id), lang))
        answer.add(Span(pick(event.texts["title"], lang), "b"))
        answer.add(t(lang, "event.when_where", date=self.format_date(event.date, lang),
                     city=pick(event.texts["city"], lang)))
        answer.add(t(lang, "event.participants", count=event.participants_count,
                     who=pick(event.texts["participants"], lang)))
        chair = self.index.people.get((event.id, event.chair))
        if chair:
            answer.add(t(lang, "event.opened_by"), *self._person_line(chair, lang))
            answer.suggestions.append(self.ref(("person", event.id, chair.id), lang))
        answer.add(pick(event.texts["summary"], lang))
        answer.add(Span(t(lang, "event.conclusion"), "b"), " ",
                   pick(event.texts["conclusion"], lang))
        others = sorted((e for e in self.index.events.values() if e.id != event.id),
                        key=lambda e: (e.date, e.id), reverse=True)
        answer.suggestions += [self.ref(("event", e.id, e.id), lang) for e in others[:6]]
        return answer

    def event_fact(self, question: str, event: EventData | None, fact: str, lang: str) -> Answer:
        if event is None:
            return self.unknown(question, lang)
        answer = Answer(question, "event", lang)
        answer.entities.append(self.ref(("event", event.id, event.id), lang))
        title = pick(event.texts["title"], lang)
        if fact == "when":
            answer.add(t(lang, "fact.when", event=title, date=self.format_date(event.date, lang),
                         city=pick(event.texts["city"], lang)))
        elif fact == "where":
            answer.add(t(lang, "fact.where", event=title, city=pick(event.texts["city"], lang),
                         date=self.format_date(event.date, lang)))
        elif fact == "participants":
            answer.add(t(lang, "fact.participants", event=title,
                         count=event.participants_count,
                         who=pick(event.texts["participants"], lang)))
        elif fact == "agree":
            answer.add(pick(event.texts["conclusion"], lang))
        elif fact == "opened":
            chair = self.index.people[(event.id, event.chair)]
            answer.entities.append(self.ref(("person", event.id, chair.id), lang))
            answer.add(t(lang, "fact.opened", event=title), *self._person_line(chair, lang))
            opening = [s for s in chair.statements if s.paragraph == min(
                st.paragraph for st in chair.statements)] if chair.statements else []
            if opening:
                answer.add(_bullets(opening, lang))
            self._add_sources(answer, opening)
        return answer

    @staticmethod
    def format_date(iso: str, lang: str) -> str:
        import datetime as dt

        from babel.dates import format_date

        return format_date(dt.date.fromisoformat(iso), format="long", locale=lang)

    # ----- lists ---------------------------------------------------------------------------

    def speakers_of(self, event: EventData | None) -> list[PersonData]:
        return list(self.index.people_by_event.get(event.id, ())) if event else []

    def speaker_at(self, question: str, event: EventData, order: int, lang: str) -> Answer:
        """The speaker at a place in the speaking order (-1: the last one)."""
        speakers = sorted((p for p in self.speakers_of(event) if p.spoke), key=lambda p: p.order)
        if not speakers or order > len(speakers):
            return self.unknown(question, lang)
        person = speakers[order - 1] if order > 0 else speakers[-1]
        answer = self.person_card(question, person, lang)
        answer.kind = "person"
        answer.paragraphs.insert(0, [Span(t(lang, "speaker.order", order=person.order,
                                            count=len(speakers)))])
        return answer

    def did_not_speak(self, question: str, event: EventData, lang: str) -> Answer:
        """Participants named in the record who did not speak."""
        silent = [p for p in self.speakers_of(event) if not p.spoke]
        answer = Answer(question, "people", lang)
        if not silent:
            answer.add(t(lang, "speakers.all_spoke"))
            return answer
        answer.add(Span(t(lang, "speakers.silent"), "b"))
        answer.add_lines([[Span("• "), *self._person_line(person, lang)]
                          for person in self._offer(answer, silent, lang)])
        return answer

    def list_speakers(self, question: str, lang: str, event: EventData | None,
                      participants: bool = False) -> Answer:
        """Everyone the record names, in speaking order; with `participants`, the crowd first."""
        answer = Answer(question, "people", lang)
        people = self.speakers_of(event)
        if participants and event:
            answer.add(t(lang, "event.participants", count=event.participants_count,
                         who=pick(event.texts["participants"], lang)))
        answer.add(Span(tn(lang, "speakers.header", sum(p.spoke for p in people)), "b"))
        answer.add_lines(self._speaker_lines(self._offer(answer, people, lang), lang))
        return answer

    def speakers_page(self, lang: str, event: EventData | None, page: int,
                      size: int) -> tuple[Answer, int, int]:
        """One page of `size` speakers (/speakers); the answer, the page shown and the pages."""
        answer = Answer("/speakers", "people", lang)
        people = self.speakers_of(event)
        if not people:
            answer.add(t(lang, "speakers.none"))
            return answer, 0, 0
        pages = (len(people) + size - 1) // size
        page = min(max(page, 0), pages - 1)
        header = [Span(tn(lang, "speakers.header", sum(p.spoke for p in people)), "b")]
        answer.add_lines([header, [t(lang, "page", page=page + 1, pages=pages)]]
                         if pages > 1 else [header])
        shown = people[page * size : (page + 1) * size]
        answer.add_lines(self._speaker_lines(self._offer(answer, shown, lang), lang))
        return answer, page, pages

    def _speaker_lines(self, people: Iterable[PersonData], lang: str) -> list[list[Span]]:
        """'3. Name, role (institution)' in speaking order; '• Name, role — did not speak'."""
        return [[Span(f"{person.order}. " if person.spoke else "• "),
                 *self._person_line(person, lang),
                 Span("" if person.spoke else f" — {t(lang, 'person.no_speech')}")]
                for person in people]

    def list_themes(self, question: str, lang: str, event: EventData | None) -> Answer:
        themes = self.index.themes_by_event.get(event.id, ()) if event else ()
        return self._listing(question, lang, "themes", "theme", themes)

    def theme_card(self, theme: ThemeData, lang: str, question: str = "") -> Answer:
        answer = Answer(question, "theme", lang)
        answer.entities.append(self.ref(("theme", theme.event_id, theme.id), lang))
        answer.add(Span(pick(theme.texts["name"], lang), "b"))
        answer.add(pick(theme.texts["description"], lang))
        if theme.statements:
            self._statements_by_speaker(answer, theme.statements, lang)
            self._add_sources(answer, theme.statements)
        else:
            answer.add(t(lang, "theme.nobody", theme=pick(theme.texts["name"], lang)))
        return answer

    # ----- full text -----------------------------------------------------------------------

    async def search_statements(self, content: list[str]) -> list[StatementData]:
        """FTS5 (bm25) over statements; kept only when most of the asked words are there."""
        # One or two letters ("ok", "aaaa" folded to "a") would match half the record; short
        # words and numbers match whole ("col" is not "collective"), stems also as a prefix.
        words = [w for w in dict.fromkeys(content) if w.isalnum() and (len(w) > 2 or w.isdigit())]
        if not words:
            return []
        prefix = {w for w in words if len(w) >= MIN_STEM and not w.isdigit()}
        total = max(1, len(self.index.statements))
        weights = {w: max(0.1, 1 - self.index.statement_df.get(w, 0) / total) for w in words}
        # Only words some statement has can be hits; when they cannot pass the filter below,
        # don't ask SQLite to rank a large archive for nothing.
        present = [w for w in words if self.index.in_statements(w, w in prefix)]
        if (len(present) < min(2, len(words))
                or sum(weights[w] for w in present) < 0.5 * sum(weights.values())):
            return []
        query = " OR ".join(f'"{w}"*' if w in prefix else f'"{w}"' for w in present)
        sql = ("SELECT event_id, ref FROM search WHERE search MATCH ? AND kind = 'statement' "
               "ORDER BY bm25(search) LIMIT ?")
        async with self.db.execute(sql, (f"body: ({query})", FTS_LIMIT)) as cursor:
            rows = await cursor.fetchall()
        found = []
        for row in rows:
            statement = self.index.statements.get((row["event_id"], row["ref"]))
            if statement is None:
                continue
            hit = [w for w in words if w in statement.stems
                   or (w in prefix and any(s.startswith(w) for s in statement.stems))]
            coverage = sum(weights[w] for w in hit) / sum(weights.values())
            if coverage >= 0.5 and len(hit) >= min(2, len(words)):
                found.append((coverage, statement))
        if not found:
            return []
        best = max(c for c, _ in found)
        return [s for c, s in found if c >= best - 0.05][:3]

    def statements_answer(self, question: str, statements: list[StatementData], lang: str,
                          cues: set[str]) -> Answer:
        answer = Answer(question, "statements", lang)
        if cues & {"how_many", "how_long"}:  # a figure is not a date: "when" gets none
            with_figures = [s for s in statements if s.figures]
            statements = with_figures or statements
            self._lead_with_figures(answer, statements, [], lang)
        self._statements_by_speaker(answer, statements, lang)
        self._add_sources(answer, statements)
        return answer

    # ----- fallbacks -----------------------------------------------------------------------

    def unknown(self, question: str, lang: str) -> Answer:
        """Honest 'not in the record', with what the bot can answer; it names nobody."""
        answer = Answer(question, "unknown", lang, answered=False)
        answer.add(t(lang, "unknown.text"))
        answer.add(t(lang, "unknown.hint"))
        return answer

    def _suggest_themes(self, answer: Answer, statements: list[StatementData],
                        lang: str) -> None:
        for statement in statements:
            for theme_id in statement.themes:
                ref = self.ref(("theme", statement.event_id, theme_id), lang)
                if ref not in answer.suggestions:
                    answer.suggestions.append(ref)
