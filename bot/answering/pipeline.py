"""The stages of an answer: split a message into questions, interpret each into a typed
`Question`, route it through the table (bot.answering.routes) and compose the answers into
one `Answer`, each under its question when there are several. The renderer splits the
result for Telegram.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answering.answer import Answer, Span
from bot.answering.question import Question, interpret
from bot.answering.routes import route
from bot.answering.split import MAX_QUESTION, split_questions
from bot.answering.verdicts import lead_with_count

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine

# Rows whose answers say themselves which events they are about (or span several).
SPANS_EVENTS = frozenset({"events of a person", "theme over events", "yes or no",
                          "a theme at an event, yes or no", "a body at an event, yes or no",
                          "the events in time order",
                          "the event with the most speakers"})


async def answer_message(engine: AnswerEngine, message: str, lang: str) -> Answer:
    """Every question of a chat message answered, in one `Answer`."""
    questions = split_questions(message) or [message]
    answers, before = [], None
    for text in questions:  # each may point back to the one before ("…and who spoke there?")
        before, answer = await _answer(engine, text, lang, before)
        answers.append(answer)
    if len(answers) == 1:
        return answers[0]
    return compose(message, questions, answers, lang)


async def answer_question(engine: AnswerEngine, text: str, lang: str) -> Answer:
    """One question: interpreted, routed, and composed (a count leads with the number; an
    answer about one of several events says which)."""
    return (await _answer(engine, text, lang, None))[1]


async def _answer(engine: AnswerEngine, text: str, lang: str,
                  before: Question | None) -> tuple[Question, Answer]:
    question = interpret(engine, text, before)
    answer = await route(engine, question, lang)
    question.answered = list(dict.fromkeys(r.id for r in answer.entities if r.kind == "person"))
    if answer.route not in SPANS_EVENTS:
        engine.with_event_heading(answer, lang)
    return question, lead_with_count(question, answer, lang)


def compose(message: str, questions: list[str], answers: list[Answer], lang: str) -> Answer:
    """Several answers as one: each under its question in bold, records and sources kept."""
    events = {a.event_id for a in answers}
    whole = Answer(" ".join(message.split())[:MAX_QUESTION], "several", lang,
                   answered=any(a.answered for a in answers),
                   event_id=events.pop() if len(events) == 1 else "",
                   route=" + ".join(a.route for a in answers))
    for question, answer in zip(questions, answers, strict=True):
        whole.add(Span(question, "b"))
        whole.include(answer)
    return whole
