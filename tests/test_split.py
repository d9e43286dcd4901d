"""Split: a chat message becomes the questions in it (issue 10, stage 1)."""

from __future__ import annotations

import pytest

from bot.answering.split import MAX_PARTS, split_questions


@pytest.mark.parametrize(("message", "questions"), [
    ("When was the roundtable, and who talked about the preamble?",
     ["When was the roundtable?", "Who talked about the preamble?"]),
    ("Who opened it? Where was it held?", ["Who opened it?", "Where was it held?"]),
    ("When was the roundtable and who opened it?",  # "it", the event: the engine carries it
     ["When was the roundtable?", "Who opened it?"]),
    ("Когда прошёл круглый стол и кто говорил о преамбуле?",
     ["Когда прошёл круглый стол?", "Кто говорил о преамбуле?"]),
    ("Дөңгелек үстел қашан өтті және преамбула туралы кім айтты?",
     ["Дөңгелек үстел қашан өтті?", "Преамбула туралы кім айтты?"]),
])
def test_two_questions_become_two(message: str, questions: list[str]) -> None:
    assert split_questions(message) == questions


@pytest.mark.parametrize("message", [
    "Who mentioned both intellectual property and education?",  # "and" inside one question
    "Кто говорил о правах человека и цифровых правах?",
    "Білім беру және денсаулық сақтау туралы кім айтты?",
    "Преамбула туралы кім айтты?",  # Kazakh asks at the end: nothing is cut before "кім"
    "Преамбула туралы кім айтты және не деді?",  # no pronoun: what the one who spoke said
    "What did Olga say",
    # A topic before the question, which points back to it by a dash or a pronoun.
    "Карибек на первом заседании площадки KazISS GPS — что он сказал?",
    "Daulet Karibek at the first meeting of the expert platform: what did he say there?",
    "Someone said 'to the leadership of the Executive Office' - which event was that at?",
    # A request to compare names what the question after it asks about.
    "Compare the two round tables: what did they have in common?",
    "Сопоставьте встречу 2022 года и круглый стол в Астане — чем они отличаются?",
    # "у них" (after a preposition) points back too.
    "Круглые столы в Астане и в Страсбурге: какие темы у них были общими?",
])
def test_one_question_stays_whole(message: str) -> None:
    assert split_questions(message) == [message]


@pytest.mark.parametrize(("message", "question"), [
    ("Hi! I'm writing an essay for school, my teacher wants to know who at the roundtable "
     "talked about the People's Council? Thanks!",
     "Who at the roundtable talked about the People's Council?"),
    ("Good morning! Could you tell me who talked about the preamble? Thank you in advance.",
     "Who talked about the preamble?"),
    ("Здравствуйте! Подскажите, пожалуйста, кто говорил о Курултае? Заранее спасибо!",
     "Кто говорил о Курултае?"),
    ("Сәлеметсіз бе! Мен мектепте эссе жазып жатырмын. Преамбула туралы кім айтты? Рахмет!",
     "Преамбула туралы кім айтты?"),
    ("Привет, кто говорил о Курултае?", "Кто говорил о Курултае?"),
    # The question starts after the pause, not at a question word inside the chat ("was").
    ("Hi, the reform discussion was really interesting for our class - what did the "
     "education expert say about the economy?",
     "What did the education expert say about the economy?"),
    ("Hi! I read about the roundtable. They discussed many things. What did they say about "
     "the Vice President?", "What did they say about the Vice President?"),  # names nobody
])
def test_small_talk_around_a_question_is_dropped(message: str, question: str) -> None:
    assert split_questions(message) == [question]


@pytest.mark.parametrize(("message", "question"), [
    ("Ashimbayev was at two events. What was his role at each one?",  # "his": Ashimbayev
     "Ashimbayev was at two events. What was his role at each one?"),
    ("Карибек выступал в 2022 году. Что он сказал о парламенте?",
     "Карибек выступал в 2022 году. Что он сказал о парламенте?"),
    ("I'm writing an essay. What did she say?", "What did she say?"),  # about the asker
])
def test_a_statement_the_question_points_back_to_stays_with_it(message, question) -> None:
    assert split_questions(message) == [question]


@pytest.mark.parametrize(("message", "question"), [
    # An emoji ends a sentence: the chat before it stays out.
    ("Я студентка, пишу курсовую 😊 На круглом столе кто-то говорил о 197 поправках. "
     "Кто это был?", "На круглом столе кто-то говорил о 197 поправках. Кто это был?"),
    # "Ol kım edı?" in the Kazakh Latin alphabet only points back, like "Ол кім еді?".
    ("Döñgelek üstelde bıreu 197 tüzetu turaly aitty. Ol kım edı?",
     "Döñgelek üstelde bıreu 197 tüzetu turaly aitty. Ol kım edı?"),
])
def test_what_a_question_that_only_points_back_asks_about(message, question) -> None:
    assert split_questions(message) == [question]


def test_a_greeting_before_two_questions_is_dropped() -> None:
    assert split_questions("Hi, who spoke about ecology and who spoke about the preamble? "
                           "Thanks") == ["Who spoke about ecology?",
                                         "Who spoke about the preamble?"]


def test_a_long_message_keeps_its_one_question() -> None:
    story = "My grandmother follows the news about the constitution very closely. " * 15
    message = f"Hello! {story}Her question: who spoke about ecology? Many thanks!"
    assert len(message) > 1000
    assert split_questions(message) == ["Who spoke about ecology?"]


def test_at_most_three_questions() -> None:
    message = "Who opened it? Who spoke first? Who spoke last? Where was it? When was it?"
    assert split_questions(message) == ["Who opened it?", "Who spoke first?", "Who spoke last?"]
    assert MAX_PARTS == 3


@pytest.mark.parametrize("message", ["hello", "Спасибо!", "Рахмет", "preamble"])
def test_no_question_leaves_the_message_to_the_engine(message: str) -> None:
    assert split_questions(message) == [message]


def test_empty_message() -> None:
    assert split_questions("   ") == []


@pytest.mark.parametrize("message", [
    "Who is Perepechina and what did she say?",
    "Кто такой Асанов и что он сказал?",
    "Асанов кім және ол не айтты?",
])
def test_a_second_question_about_the_first_stays_with_it(message: str) -> None:
    assert split_questions(message) == [message]


@pytest.mark.parametrize(("message", "parts"), [
    ("When and where was the Strasbourg round table?",
     ["When was the Strasbourg round table?", "Where was the Strasbourg round table?"]),
    ("Когда и где прошел круглый стол в Страсбурге?",
     ["Когда прошел круглый стол в Страсбурге?", "Где прошел круглый стол в Страсбурге?"]),
    ("Страсбургтегі дөңгелек үстел қашан және қайда өтті?",
     ["Страсбургтегі дөңгелек үстел қашан өтті?", "Страсбургтегі дөңгелек үстел қайда өтті?"]),
])
def test_two_question_words_ask_each_about_the_same_thing(message: str,
                                                          parts: list[str]) -> None:
    assert split_questions(message) == parts
