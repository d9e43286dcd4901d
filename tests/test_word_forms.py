"""Word forms of one root meet: a question's "economic" finds what was said of "the economy",
"society" what was said of "social unity", in English, Russian and Kazakh (issue 10)."""

from __future__ import annotations

import pytest

from bot.answering.engine import AnswerEngine
from bot.answering.index import kin
from tests.test_engine import people

ON_THE_ENGINE = pytest.mark.asyncio(loop_scope="module")  # its fixture is per module

VOCAB = sorted("econom economist soci social socie ekonomik religion intend intensivn "
               "miran birlik deputi pravitelstv".split())


@pytest.mark.parametrize(("token", "expected"), [
    ("economic", {"econom", "economist"}),  # one starts the other
    ("societ", {"soci", "socie"}),  # society / social
    ("ekonomichesk", {"ekonomik"}),  # экономический / экономика: they part late
    ("religiou", {"religion"}),
    ("birlig", {"birlik"}),  # Kazakh бірлігі / бірлік: k voiced before an ending
    ("intensiv", {"intensivn"}),  # not "intend": they part after five letters
    ("mira", set()),  # мира: four letters start too many words (Miranda)
    ("depu", set()),
    ("2022", set()),
])
def test_kin_are_forms_of_one_root(token: str, expected: set[str]) -> None:
    assert set(kin(token, VOCAB)) == expected


@pytest.mark.parametrize(("question", "person"), [
    ("Who raised economic questions?", "tynybayeva"),
    ("Кто говорил об экономических вопросах?", "tynybayeva"),
    ("Экономикалық мәселелер туралы кім айтты?", "tynybayeva"),
    ("who talked about the unity of society", "iskakova"),
    ("кто говорил о единстве общества?", "iskakova"),
    ("Қоғам бірлігі туралы кім айтты?", "iskakova"),
])
@ON_THE_ENGINE
async def test_a_theme_asked_in_another_form_of_its_words(
        engine: AnswerEngine, question: str, person: str) -> None:
    answer = await engine.answer(question)
    assert answer.answered and person in people(answer), answer.text


@pytest.mark.parametrize("question", [
    "Кто выиграл чемпионат мира по футболу?",  # мира is no form of Miranda
    "Who won the football world cup?",
])
@ON_THE_ENGINE
async def test_words_that_merely_start_alike_find_nothing(
        engine: AnswerEngine, question: str) -> None:
    answer = await engine.answer(question)
    assert not answer.answered and not people(answer), answer.text
