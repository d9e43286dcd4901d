"""The answer engine: a question in, a short sourced answer out. No Telegram code here.

Questions are routed here; the answers about records (cards, people by role, statements) are
in `bot.answering.record_answers`, about one event (its card, facts and lists) in
`bot.answering.events`, and the way records are written into answers in
`bot.answering.render`.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import aiosqlite
from rapidfuzz import fuzz, process

from bot.answering.answer import Answer, Span
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
from bot.answering.index import Match, RecordIndex
from bot.answering.pipeline import answer_message
from bot.answering.record_answers import RecordAnswers
from bot.answering.render import format_date, pick
from bot.answering.split import MAX_QUESTION
from bot.i18n import t
from bot.records import storage
from bot.records.model import Event, Statement
from bot.text import MIN_STEM, STOPWORDS, normalize, stem

log = logging.getLogger(__name__)

__all__ = ["MAX_QUESTION", "AnswerEngine", "format_date", "pick"]

FTS_LIMIT = 20


def _coverage(matches: list[Match]) -> int:
    return max(len(m.positions) for m in matches)


def _capitalized(question: str) -> set[str]:
    """Words written with a capital inside the question (not its first word): names."""
    words = question.split()[1:]
    return {part for word in words if word[:1].isupper() for part in normalize(word).split()}


class AnswerEngine(RecordAnswers):
    """Answers questions over the records in one SQLite database."""

    def __init__(self, db: aiosqlite.Connection, index: RecordIndex) -> None:
        super().__init__()
        self.db = db
        self.index = index
        self._latest: tuple[RecordIndex | None, Event | None] = (None, None)
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

    def lookup_key(self, key: str) -> tuple[str, str, str] | None:
        return self.index.by_key.get(key)

    def default_event(self) -> Event | None:
        """The latest event: what questions about 'the roundtable' mean when there are many."""
        if self._latest[0] is not self.index:  # once per index, not per question
            latest = max(self.index.events.values(), key=lambda e: (e.date, e.id), default=None)
            self._latest = (self.index, latest)
        return self._latest[1]

    format_date = staticmethod(format_date)

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

    def _says(self, statement: Statement, words: set[str]) -> bool:
        """Whether a statement has each word, in any inflection ("Құрылтай" / "Құрылтайды")."""
        return all(statement.key in self.index.saying(word) for word in words)

    def _figure_for(self, content: list[str], cues: set[str]) -> list[Statement]:
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

    def _with_figures(self, numbers: list[str]) -> list[Statement]:
        """Statements whose figures are the numbers asked about ("what does 2060 mean?")."""
        return [s for n in numbers for s in self.index.figure_statements.get(n, ())][:3]

    def _role_word_holders(self, known: list[str], noise: set[int],
                           event: Event | None) -> list[str]:
        """The few people (at most three) whose title has a word of the question; those of
        the event in question when it has any."""
        best: set[tuple[str, str, str]] = set()
        for position, token in enumerate(known):
            holders = self.index.role_holders.get(token, set()) if position not in noise else ()
            if event and holders:
                here = {h for h in holders if event.id in self.index.entity_events(h)}
                holders = here or holders
            if holders and len(holders) <= 3 and (not best or len(holders) < len(best)):
                best = set(holders)
        people = [entity[2] for entity in sorted(best)]
        return sorted(people, key=lambda p: (self._order(p, event), p))

    def _order(self, person_id: str, event: Event | None) -> int:
        part = self.index.participants.get((event.id, person_id)) if event else None
        return part.order if part and part.order else 99

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

    def _one_event(self, matches: list[Match]) -> tuple[list[Match], str]:
        """With several events, answer about one: the event the question names, else the one
        whose records it names most fully (the latest on a tie), so answers stay short.
        People and institutions belong to every event they took part in."""
        if len(self.index.events) < 2 or not matches:
            return matches, ""
        named = [m.entity[1] for m in matches if m.entity[0] == "event"]
        if named:
            chosen = named[0]
        else:
            covered: dict[str, set[int]] = {}
            for match in matches:
                for event_id in self.index.entity_events(match.entity):
                    covered.setdefault(event_id, set()).update(match.positions)
            if not covered:
                return matches, ""
            chosen = max(covered, key=lambda e: (len(covered[e]), self.index.events[e].date, e))
        return [m for m in matches if chosen in self.index.entity_events(m.entity)], chosen

    async def answer(self, message: str, lang: str = "en") -> Answer:
        """Answer a chat message in any of the three languages: each question in it, from
        every event that has an answer (bot.answering.pipeline)."""
        return await answer_message(self, message, lang)

    async def answer_one(self, question: str, lang: str = "en") -> Answer:
        """Answer one question about one event."""
        answer = await self._answer(" ".join(question.split())[:MAX_QUESTION], lang)
        if len(self.index.events) > 1 and answer.event_id and answer.kind != "event":
            event = self.index.events[answer.event_id]  # say which event it was
            answer.paragraphs.insert(0, [Span(self.event_heading(event, lang), "i")])
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
        matches, chosen = self._one_event(
            [m for m in self.index.link(known) if m.positions - noise])
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

        event = self.index.events[chosen] if chosen else self.default_event()
        if people:
            top = [m for m in people if m.score >= people[0].score - 0.02]
            persons = [m.entity[2] for m in top]
            if len(persons) > 1:
                return self.several_people(question, persons, lang,
                                           top[0].phrase.kind == "role", event)
            if themes:
                return self.person_on_themes(question, persons[0], themes, lang)
            return self.person_card(question, persons[0], lang)
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
            members = {(p.event_id, p.person) for m in institutions
                       for p in self.members(self.index.institutions[m.entity[2]])}
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
        holders = self._role_word_holders(known, noise, event) \
            if not matches and not foreign else []
        if len(holders) == 1:  # "what did the expert say?"
            return self.person_card(question, holders[0], lang)
        if holders:
            return self.several_people(question, holders, lang, True, event)
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

    async def search_statements(self, content: list[str]) -> list[Statement]:
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
        sql = ("SELECT event_id, ref, body FROM search WHERE search MATCH ? "
               "AND kind = 'statement' ORDER BY bm25(search) LIMIT ?")
        async with self.db.execute(sql, (f"body: ({query})", FTS_LIMIT)) as cursor:
            rows = await cursor.fetchall()
        found = []
        for row in rows:
            statement = self.index.statements.get((row["event_id"], row["ref"]))
            if statement is None:
                continue
            said = set(row["body"].split())  # the statement's stems, as loaded
            hit = [w for w in words if w in said
                   or (w in prefix and any(s.startswith(w) for s in said))]
            coverage = sum(weights[w] for w in hit) / sum(weights.values())
            if coverage >= 0.5 and len(hit) >= min(2, len(words)):
                found.append((coverage, statement))
        if not found:
            return []
        best = max(c for c, _ in found)
        return [s for c, s in found if c >= best - 0.05][:3]
