"""The question log behind /stats: what was asked, how it was answered, which records it named.

What is kept and for how long is set out in bot/chats.py (privacy).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections import Counter, deque
from dataclasses import dataclass, field

import aiosqlite

from bot.answering.answer import Answer
from bot.records import storage

log = logging.getLogger(__name__)

QUESTION_TEXT_DAYS = 30


_INSERT = ("INSERT INTO questions (asked_at, kind, answered, language, entities, text) "
           "VALUES (?, ?, ?, ?, ?, ?)")


def _row(answer: Answer) -> tuple:
    text = None if answer.answered else answer.question[:200]
    entities = [f"{ref.kind}:{ref.event_id}:{ref.id}" for ref in answer.entities]
    asked_at = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())  # as CURRENT_TIMESTAMP
    return (asked_at, answer.kind, int(answer.answered), answer.lang, json.dumps(entities), text)


class QuestionLog:
    """Questions kept in memory and written in batches, so an answer never waits for the
    database: a write lock another process holds delays /stats, never a reply.

    Rows wait in memory until `flush` manages to write them; past `limit` the oldest go (they
    are statistics), and `dropped` counts them.
    """

    def __init__(self, limit: int = 10_000) -> None:
        self._rows: deque[tuple] = deque(maxlen=limit)
        self.dropped = 0

    def record(self, answer: Answer) -> None:
        if len(self._rows) == self._rows.maxlen:
            self.dropped += 1
        self._rows.append(_row(answer))

    def __len__(self) -> int:
        return len(self._rows)

    async def flush(self, db: aiosqlite.Connection) -> int:
        """Write what is waiting in one transaction; on a locked or failing database keep it
        for the next try. Returns how many rows were written."""
        rows = list(self._rows)
        if not rows:
            return 0
        try:
            async with storage.transaction(db):
                await db.executemany(_INSERT, rows)
        except sqlite3.Error as error:
            log.warning("question log: %d row(s) wait for the database (%s)", len(rows), error)
            return 0
        for _ in rows:
            self._rows.popleft()
        return len(rows)


async def forget_old_question_texts(db: aiosqlite.Connection) -> int:
    """Erase question texts older than QUESTION_TEXT_DAYS; run now and then, not per question."""
    cursor = await db.execute(
        "UPDATE questions SET text = NULL WHERE text IS NOT NULL "
        "AND asked_at < datetime('now', ?)", (f"-{QUESTION_TEXT_DAYS} days",),
    )
    return cursor.rowcount


@dataclass
class QuestionStats:
    """The questions of the last `days` days, for /stats."""

    days: int
    total: int = 0
    answered: int = 0
    entities: Counter[str] = field(default_factory=Counter)  # "kind:event_id:id" -> questions
    unanswered: list[tuple[str, str]] = field(default_factory=list)  # (asked_at, text), newest

    def top(self, kind: str, limit: int = 5) -> list[tuple[tuple[str, str, str], int]]:
        found = []
        for entity, count in self.entities.most_common():
            parts = tuple(entity.split(":", 2))
            if len(parts) == 3 and parts[0] == kind:
                found.append((parts, count))
        return found[:limit]


async def question_stats(db: aiosqlite.Connection, days: int = 7,
                         latest: int = 5) -> QuestionStats:
    stats = QuestionStats(days)
    since = f"-{days} days"
    async with db.execute(
        "SELECT answered, entities FROM questions WHERE asked_at >= datetime('now', ?)",
        (since,),
    ) as cursor:
        async for row in cursor:
            stats.total += 1
            stats.answered += bool(row["answered"])
            try:
                names = json.loads(row["entities"])
            except ValueError:
                names = []
            stats.entities.update(set(names))  # a question counts once per record it named
    async with db.execute(
        "SELECT asked_at, text FROM questions WHERE answered = 0 AND text IS NOT NULL "
        "AND asked_at >= datetime('now', ?) ORDER BY id DESC LIMIT ?",
        (since, latest),
    ) as cursor:
        stats.unanswered = [(row["asked_at"], row["text"]) for row in await cursor.fetchall()]
    return stats
