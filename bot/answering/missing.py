"""What the record does not say: "the record doesn't say", then the nearest fact it does
say, labelled as such; never an event card in place of an answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.answer import Answer

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine
    from bot.answering.question import Question


def lacks_on_themes(q: Question) -> bool:
    return False


async def record_lacks(engine: AnswerEngine, q: Question, lang: str) -> Answer:
    return engine.unknown(q.text, lang)
