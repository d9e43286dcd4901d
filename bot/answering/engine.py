"""The answer engine: a question in, a short sourced answer out. No Telegram code here.

The façade over the pipeline: split a message into questions (bot.answering.split),
interpret each into a typed Question (bot.answering.question), route it through the table
of bot.answering.routes to an answer built from the records (record_answers, events,
people, missing), and compose the parts (bot.answering.pipeline). This class holds the
database and the in-memory index and opens, reloads and closes them.
"""

from __future__ import annotations

import logging
from pathlib import Path

import aiosqlite

from bot.answering.answer import Answer, Span
from bot.answering.index import RecordIndex
from bot.answering.mentions import Names
from bot.answering.pipeline import answer_message, answer_question
from bot.answering.record_answers import RecordAnswers
from bot.answering.render import format_date, pick
from bot.answering.split import MAX_QUESTION
from bot.records import storage
from bot.records.model import Event

log = logging.getLogger(__name__)

__all__ = ["MAX_QUESTION", "AnswerEngine", "format_date", "pick"]


class AnswerEngine(RecordAnswers):
    """Answers questions over the records in one SQLite database."""

    def __init__(self, db: aiosqlite.Connection, index: RecordIndex) -> None:
        super().__init__()
        self.db = db
        self._loaded: tuple | None = None  # the sources the index was built from
        self._index_built(index)

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
        self._index_built(await RecordIndex.from_db(self.db))
        self._loaded = await self._records_version()

    def _index_built(self, index: RecordIndex) -> None:
        """Take a new index, and what is worked out once per index, not per question."""
        self.index = index
        self.names = Names(index)  # the mentions' tables (bot.answering.mentions)
        self.newest_first = self.names.newest  # the order every list of events is in
        self._latest = self.newest_first[0] if self.newest_first else None

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
        return self._latest

    def order_of(self, person_id: str, event: Event | None) -> int:
        """A person's place in the event's speaking order (99: none given)."""
        part = self.index.participants.get((event.id, person_id)) if event else None
        return part.order if part and part.order else 99

    format_date = staticmethod(format_date)

    async def answer(self, message: str, lang: str = "en") -> Answer:
        """Answer a chat message in any of the three languages: each question in it, from
        every event that has an answer (bot.answering.pipeline)."""
        return await answer_message(self, message, lang)

    async def answer_one(self, question: str, lang: str = "en") -> Answer:
        """Answer one question (no splitting), as the pipeline answers each part."""
        return await answer_question(self, question, lang)

    def with_event_heading(self, answer: Answer, lang: str) -> Answer:
        """With several events, an answer about one says which event it was (after the
        number, in a count: a count starts with the number)."""
        if len(self.index.events) > 1 and answer.event_id and answer.kind != "event" \
                and answer.event_id in self.index.events:
            event = self.index.events[answer.event_id]
            at = 1 if answer.kind == "count" else 0
            answer.paragraphs.insert(at, [Span(self.event_heading(event, lang), "i")])
        return answer
