"""Answers about people beyond one name: next to a speaker in the speaking order, a person at
the event a question names, the holders of a role in the plural (with how many), and the
people who spoke about both of two themes (or one but not the other)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.answer import Answer

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question


async def next_to(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    return None


async def person_at_event(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    return None


async def role_holders(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    return None


async def combined_themes(engine: AnswerEngine, q: Question, lang: str) -> Answer | None:
    return None
