"""The stages around the engine: split a message into questions, answer each one (across
events where the question spans them), and compose the answers into one `Answer`.

The engine answers one question about one event; this module decides how many questions
there are and which events each one is about, then puts the parts together, each under
its question when there are several. The renderer splits the result for Telegram.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.across import answer_across_events
from bot.answering.answer import Answer, Span
from bot.answering.reading import read
from bot.answering.split import MAX_QUESTION, split_questions
from bot.answering.verdicts import answer_yes_no, lead_with_count

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine


async def answer_message(engine: AnswerEngine, message: str, lang: str) -> Answer:
    """Every question of a chat message answered, in one `Answer`."""
    questions = split_questions(message) or [message]
    answers = [await answer_question(engine, question, lang) for question in questions]
    if len(answers) == 1:
        return answers[0]
    return compose(message, questions, answers, lang)


async def answer_question(engine: AnswerEngine, question: str, lang: str) -> Answer:
    """One question: over every event that has an answer when it spans events, else by the
    engine, about one event; a yes/no question leads with yes or no, a count with the
    number."""
    reading = read(engine.index, question)
    across = await answer_across_events(engine, question, reading, lang)
    if across is not None:
        return across
    verdict = await answer_yes_no(engine, question, reading, lang)
    if verdict is not None:
        return verdict
    return lead_with_count(reading, await engine.answer_one(question, lang), lang)


def compose(message: str, questions: list[str], answers: list[Answer], lang: str) -> Answer:
    """Several answers as one: each under its question in bold, records and sources kept."""
    events = {a.event_id for a in answers}
    whole = Answer(" ".join(message.split())[:MAX_QUESTION], "several", lang,
                   answered=any(a.answered for a in answers),
                   event_id=events.pop() if len(events) == 1 else "")
    for question, answer in zip(questions, answers, strict=True):
        whole.add(Span(question, "b"))
        whole.include(answer)
    return whole
