"""The question log behind /stats: what was asked, how it was answered, which records it named.

What is kept and for how long is set out in bot/chats.py (privacy).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import aiosqlite

from bot.answering.answer import Answer

QUESTION_TEXT_DAYS = 30


async def log_question(db: aiosqlite.Connection, answer: Answer) -> None:
    text = None if answer.answered else answer.question[:200]
    entities = [f"{ref.kind}:{ref.event_id}:{ref.id}" for ref in answer.entities]
    await db.execute(
        "INSERT INTO questions (kind, answered, language, entities, text) VALUES (?, ?, ?, ?, ?)",
        (answer.kind, int(answer.answered), answer.lang, json.dumps(entities), text),
    )


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
