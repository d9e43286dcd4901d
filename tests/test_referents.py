"""A second question that points back at the person the first found ("this person",
"этот человек", "осы адам"): split off, then asked about that person (bot.answering.referents,
the pipeline's `before`)."""

from __future__ import annotations

import pytest

from bot.answering.engine import AnswerEngine
from bot.answering.split import split_questions

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize(("message", "person"), [
    ("Who from AMANAT spoke in 2022, and was that person at the Astana roundtable?",
     "Karibek"),
    ("Кто из AMANAT выступал в 2022 году и был ли этот человек на круглом столе в Астане?",
     "Karibek"),
    ("2022 жылы Сенаттан кім сөйледі және осы адам Астанадағы дөңгелек үстелде болды ма?",
     "Suleimen"),
])
async def test_this_person_is_the_one_found_before(engine: AnswerEngine, message: str,
                                                   person: str) -> None:
    _, second = split_questions(message)
    answer = await engine.answer(message)
    assert answer.kind == "several"
    tail = answer.text[answer.text.index(second):]
    lines = [line for line in tail.splitlines() if line.strip()]
    assert lines[1].startswith("No") and person in lines[1]


async def test_this_person_without_a_question_before(engine: AnswerEngine) -> None:
    """Asked alone, "this person" names nobody: not the AMANAT secretary of another turn."""
    await engine.answer("Who from AMANAT spoke in 2022?")
    answer = await engine.answer("Was that person at the Astana roundtable?")
    assert "Karibek" not in answer.text


async def test_a_yes_no_question_after_and_splits_off() -> None:
    message = "Кто выступал первым в Астане и выступал ли этот спикер в Страсбурге?"
    assert split_questions(message) == [
        "Кто выступал первым в Астане?", "Выступал ли этот спикер в Страсбурге?"]
