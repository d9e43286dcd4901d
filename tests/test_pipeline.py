"""The stages around the engine (issue 10): several questions in one message, small talk
around a question, and a theme answered from every event that has it, grouped by event."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answering import across
from bot.answering.answer import Span
from bot.answering.engine import MAX_QUESTION, AnswerEngine
from bot.answering.service import open_engine
from bot.settings import Settings
from tests.conftest import SHIPPED

pytestmark = pytest.mark.asyncio(loop_scope="module")


def person_ids(answer) -> set[str]:
    return {ref.id for ref in answer.entities if ref.kind == "person"}


# ----- several questions in one message ------------------------------------------------------

@pytest.mark.parametrize(("message", "lang", "date"), [
    ("When was the roundtable, and who talked about the preamble?", "en", "February 9, 2026"),
    ("Когда прошёл круглый стол и кто говорил о преамбуле?", "ru", "9 февраля 2026"),
    ("Дөңгелек үстел қашан өтті және преамбула туралы кім айтты?", "kk", "2026"),
])
async def test_two_questions_get_both_answers(engine: AnswerEngine, message: str, lang: str,
                                              date: str) -> None:
    answer = await engine.answer(message, lang)
    assert answer.answered and answer.kind == "several"
    assert date in answer.text
    assert "assanov" in person_ids(answer)  # the one who spoke about the preamble
    headings = [p[0].text for p in answer.paragraphs if p and p[0].style == "b"
                and p[0].text.endswith("?")]
    assert len(headings) == 2  # each part under its question
    assert answer.sources  # the theme's source came along


@pytest.mark.parametrize("message", [
    "List the speakers at the KazISS GPS meeting and tell me when it took place.",
    "When was the KazISS GPS meeting, and who spoke at it?",  # "it": the event, answered apart
    "When was the meeting in Nur-Sultan, and who spoke there?",
    "Когда прошла встреча в Нур-Султане и кто там выступал?",
    "Нұр-Сұлтандағы кездесу қашан өтті және онда кімдер сөйледі?",
])
async def test_a_second_question_pointing_back_is_about_the_first_ones_event(
        engine: AnswerEngine, message: str) -> None:
    answer = await engine.answer(message)
    assert answer.kind == "several" and "April 5, 2022" in answer.text
    assert person_ids(answer) == {"tukumov", "karibek", "suleimen"}, answer.text
    alone = await engine.answer("Who spoke there?")  # nothing to point back to: the latest
    assert "tukumov" not in person_ids(alone)


@pytest.mark.parametrize("message", [
    "Who spoke about ecology? What else did he say?",
    "Кто говорил об экологии? А что ещё он сказал?",
    "Экология туралы кім айтты? Ол тағы не айтты?",
])
async def test_a_second_question_pointing_back_at_a_person_is_about_them(
        engine: AnswerEngine, message: str) -> None:
    answer = await engine.answer(message)
    assert answer.kind == "several" and person_ids(answer) == {"abakanov"}, answer.text
    assert answer.text.count("Abakanov") >= 2  # the second part is about him too
    alone = await engine.answer("What else did he say?")  # nobody to point back to
    assert not alone.answered


async def test_several_answers_stay_spans_and_split_for_telegram(engine: AnswerEngine) -> None:
    message = "Who opened the roundtable? Who spoke first? Who spoke about the Kurultai?"
    answer = await engine.answer(message, "en")
    assert all(isinstance(span, Span) for p in answer.paragraphs for span in p)
    assert {"ashimbayev", "beknazarov", "nurgalieva"} <= person_ids(answer)
    chunks = answer.html_chunks(1000)
    assert len(chunks) > 1 and all(len(chunk) <= 1000 for chunk in chunks)


# ----- small talk around a question -----------------------------------------------------------

@pytest.mark.parametrize(("message", "lang", "who"), [
    ("Hi! I'm writing an essay for school and my teacher wants to know who at the roundtable "
     "talked about the People's Council? Thanks!", "en", {"nurgalieva"}),
    ("Здравствуйте! Я пишу курсовую. Подскажите, пожалуйста, кто говорил о Курултае? "
     "Заранее спасибо!", "ru", {"beknazarov", "nurgalieva"}),
    ("Сәлеметсіз бе! Мен мектепте эссе жазып жатырмын. Құрылтай туралы кім айтты? Рахмет!",
     "kk", {"beknazarov", "nurgalieva"}),
])
async def test_small_talk_is_dropped(engine: AnswerEngine, message: str, lang: str,
                                     who: set[str]) -> None:
    answer = await engine.answer(message, lang)
    assert answer.answered
    assert person_ids(answer) == who


async def test_a_thousand_characters_with_one_question(engine: AnswerEngine) -> None:
    story = "My grandmother reads every newspaper about the new constitution she can get. " * 13
    message = f"Hello there! {story}So here is her question: who spoke about ecology? Thanks!"
    assert len(message) > 1000
    answer = await engine.answer(message, "en")
    assert answer.answered and person_ids(answer) == {"abakanov"}


async def test_greetings_alone_still_get_the_greeting(engine: AnswerEngine) -> None:
    answer = await engine.answer("Hello!", "en")
    assert answer.kind == "greeting"


# ----- a theme across events ------------------------------------------------------------------

@pytest.mark.parametrize(("question", "lang"), [
    ("Who talked about the presidential republic?", "en"),
    ("Кто говорил о президентской республике?", "ru"),
    ("Президенттік республика туралы кім айтты?", "kk"),
    ("Who talked about moving to a presidential republic?", "en"),  # a word beside two
])
async def test_theme_of_several_events_is_answered_from_each(engine: AnswerEngine,
                                                             question: str, lang: str) -> None:
    answer = await engine.answer(question, lang)
    headings = [p[0].text for p in answer.paragraphs if p and p[0].style == "i"
                and any(engine.event_heading(e, lang) == p[0].text
                        for e in engine.index.events.values())]
    events = sorted((e for e in engine.index.events.values()
                     if engine.event_heading(e, lang) in headings),
                    key=lambda e: e.date, reverse=True)
    assert len(events) == 2  # Strasbourg 2025 and Nur-Sultan 2022 both discussed it
    assert headings == [engine.event_heading(e, lang) for e in events]  # newest first
    assert "karibek" in person_ids(answer)  # from the older event, not only the newest
    assert {s.event_id for s in answer.sources} == {e.id for e in events}


@pytest.mark.parametrize(("question", "lang"), [
    ("Who talked about a Just Kazakhstan at more than one event?", "en"),
    ("Кто говорил о Справедливом Казахстане на нескольких встречах?", "ru"),
    ("Әділетті Қазақстан тақырыбы қай кездесулерде талқыланды?", "kk"),
])
async def test_words_asking_over_events_keep_the_theme_over_events(
        engine: AnswerEngine, question: str, lang: str) -> None:
    # "at more than one event", "тақырыбы", "кездесулерде" ask over events, not a topic.
    answer = await engine.answer(question, lang)
    assert {s.event_id for s in answer.sources} == {
        "roundtable-2026-02-09-astana", "roundtable-2025-09-30-strasbourg"}


async def test_theme_of_one_event_is_not_grouped(engine: AnswerEngine) -> None:
    answer = await engine.answer("Who spoke about the preamble?", "en")
    assert answer.event_id == "roundtable-2026-02-09-astana"
    assert person_ids(answer) == {"assanov"}
    assert {s.event_id for s in answer.sources} == {answer.event_id}


async def test_a_named_person_stays_with_the_engine(engine: AnswerEngine) -> None:
    answer = await engine.answer("What did Karibek say about the presidential republic?", "en")
    assert person_ids(answer) == {"karibek"}


# ----- the events of a person -----------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "What was Ashimbayev's role at each event?",
    "Какую роль Ашимбаев играл на каждом мероприятии?",
    "Әшімбаевтың әр іс-шарадағы рөлі қандай?",
])
async def test_a_persons_role_at_each_event(engine: AnswerEngine, question) -> None:
    answer = await engine.answer(question)
    assert answer.route == "events of a person"
    assert "Chairman of the Senate of the Parliament" in answer.text  # his Strasbourg title
    one = await engine.answer("What was Perepechina's role at the roundtable?")
    assert one.route == "a person at a named event"  # one event: hers, with what she said


@pytest.mark.parametrize("question", [
    "Where else did Ashimbayev speak, besides Astana?",
    "Ашимбаев где ещё выступал, кроме Астаны?",
    "Әшімбаев Астанадан басқа қайда сөйледі?",
])
async def test_where_else_leaves_the_event_named_out(engine: AnswerEngine, question) -> None:
    answer = await engine.answer(question)
    assert answer.route == "events of a person"
    assert [ref.event_id for ref in answer.entities if ref.kind == "event"] == [
        "roundtable-2025-09-30-strasbourg"]

@pytest.mark.parametrize(("question", "lang"), [
    ("Which events did Ashimbayev take part in?", "en"),
    ("В каких мероприятиях участвовал Ашимбаев?", "ru"),
    ("Әшімбаев қандай іс-шараларға қатысты?", "kk"),
    ("Where did Ashimbayev speak?", "en"),  # where: at which events
    ("Где выступал Ашимбаев?", "ru"),
    ("Әшімбаев қайда сөз сөйледі?", "kk"),
])
async def test_events_of_a_person_newest_first(engine: AnswerEngine, question: str,
                                               lang: str) -> None:
    answer = await engine.answer(question, lang)
    assert answer.kind == "events"
    listed = [ref.event_id for ref in answer.entities if ref.kind == "event"]
    expected = sorted(engine.index.events_of_person["ashimbayev"],
                      key=lambda e: engine.index.events[e].date, reverse=True)
    assert len(listed) == 2 and listed == expected
    text = answer.text
    positions = [text.index(engine.event_heading(engine.index.events[e], lang))
                 for e in expected]
    assert positions == sorted(positions)


async def test_events_of_a_person_of_one_event(engine: AnswerEngine) -> None:
    answer = await engine.answer("Which events did Tukumov take part in?", "en")
    assert [ref.event_id for ref in answer.entities if ref.kind == "event"] == \
        ["expert-platform-2022-04-05-nur-sultan"]


async def test_what_a_person_said_at_an_event_is_not_a_list(engine: AnswerEngine) -> None:
    answer = await engine.answer("What did Ashimbayev say at the roundtable?", "en")
    assert answer.kind != "events"


# ----- yes or no, and counts ------------------------------------------------------------------

def first_line(answer) -> str:
    return "".join(span.text for span in answer.paragraphs[0])


@pytest.mark.parametrize(("question", "lang", "yes"), [
    ("Did Assanov talk about the preamble?", "en", "Yes"),
    ("Говорил ли Асанов о преамбуле?", "ru", "Да"),
    ("Асанов преамбула туралы айтты ма?", "kk", "Иә"),
    ("Асанов говорил о преамбуле?", "ru", "Да"),  # by intonation, no "ли"
    ("Asanov preambula turaly aitty ma?", "kk", "Иә"),  # the 2021 Latin alphabet
])
async def test_yes_starts_with_yes(engine: AnswerEngine, question: str, lang: str,
                                   yes: str) -> None:
    answer = await engine.answer(question, lang)
    assert first_line(answer).startswith(yes)
    assert "preamble" in answer.text.lower() or "преамбул" in answer.text.lower()


@pytest.mark.parametrize(("question", "lang", "no"), [
    ("Did Abakanov mention nuclear power?", "en", "No"),
    ("Говорил ли Абаканов об атомной энергетике?", "ru", "Нет"),
    ("Абаканов атом энергетикасы туралы айтты ма?", "kk", "Жоқ"),
])
async def test_no_starts_with_no_then_what_they_did_say(engine: AnswerEngine, question: str,
                                                        lang: str, no: str) -> None:
    answer = await engine.answer(question, lang)
    assert first_line(answer).startswith(no)
    said = engine.index.said[("roundtable-2026-02-09-astana", "abakanov")]
    assert said and all(engine.statement_spans([s], lang)[0].text.strip("\n• ") in answer.text
                        for s in said)


@pytest.mark.parametrize(("question", "lang", "yes"), [
    ("Was Ashimbayev at the Strasbourg meeting?", "en", "Yes"),
    ("Был ли Ашимбаев на встрече в Страсбурге?", "ru", "Да"),
])
async def test_taking_part_at_a_named_event_is_a_yes(engine: AnswerEngine, question: str,
                                                     lang: str, yes: str) -> None:
    # The record has no remarks from him in Strasbourg: taking part is still the yes.
    answer = await engine.answer(question, lang)
    assert first_line(answer).startswith(yes)


async def test_a_cyrillic_question_word_is_not_a_yes_or_no(engine: AnswerEngine) -> None:
    answer = await engine.answer("Что Асанов говорил о преамбуле?", "ru")
    assert not first_line(answer).startswith(("Да", "Нет"))


async def test_did_a_person_speak_is_left_to_the_card(engine: AnswerEngine) -> None:
    answer = await engine.answer("Did Abakanov speak?", "en")
    assert not first_line(answer).startswith(("Yes", "No"))


@pytest.mark.parametrize(("question", "lang"), [
    ("How many deputy chairs of the Senate spoke?", "en"),
    ("Сколько заместителей председателя Сената выступили?", "ru"),
    ("Сенат Төрағасының неше орынбасары сөйледі?", "kk"),
])
async def test_a_count_starts_with_the_number(engine: AnswerEngine, question: str,
                                              lang: str) -> None:
    answer = await engine.answer(question, lang)
    assert first_line(answer) == "2"
    assert person_ids(answer) == {"assanov", "perepechina"}
    assert not answer.choices  # not "which one do you mean?"


async def test_a_long_message_of_questions_keeps_the_question_short(engine: AnswerEngine) -> None:
    message = ("Who opened the roundtable? " + "x " * 1000 + "Who spoke first? Who spoke last?")
    answer = await engine.answer(message, "en")
    assert answer.kind == "several"
    assert len(answer.question) <= MAX_QUESTION




MEETING = """schema = 2
[event]
id = "party-meeting-{year}-04-05"
title = "Party meeting of {year}"
date = {year}-04-05
sources = ["https://example.org/meeting-{year}"]

[[participants]]
person = "karibek"
role = "Amanat Party Secretary"

[[themes]]
id = "republic"
name = "A presidential republic"
keywords = ["presidential republic"]

[[statements]]
id = "karibek-{year}"
speaker = "karibek"
themes = ["republic"]
paragraph = 1
text = "The move to a presidential republic takes time."
"""


async def test_a_theme_in_many_events_shows_the_newest_and_counts_the_rest(
        tmp_path: Path) -> None:
    events = tmp_path / "events"
    shutil.copytree(SHIPPED.parent, events)
    for year in (2023, 2024):  # two more events on the theme: four in all
        (events / f"party-meeting-{year}-04-05.toml").write_text(
            MEETING.replace("{year}", str(year)), "utf-8")
    engine = await open_engine(Settings.from_env({
        "DATABASE_PATH": str(tmp_path / "bot.db"), "EVENTS_PATH": str(events)}))
    try:
        answer = await engine.answer("Who talked about the presidential republic?", "en")
        headings = [engine.event_heading(e, "en") for e in sorted(
            engine.index.events.values(), key=lambda e: e.date, reverse=True)]
    finally:
        await engine.close()
    shown = [h for h in headings if h in answer.text]
    assert across.MAX_EVENTS == 3
    assert shown == [h for h in headings if "2025" in h or "Party meeting" in h][:3]
    assert "1 more event on this" in answer.text


@pytest.mark.parametrize(("question", "lang"), [
    ("What did the participants say about the presidential republic?", "en"),
    ("Күшті парламент туралы не айтылды?", "kk"),
])
async def test_a_theme_over_events_asked_otherwise(engine: AnswerEngine, question: str,
                                                   lang: str) -> None:
    answer = await engine.answer(question, lang)
    assert answer.route == "theme over events"
    assert "karibek" in person_ids(answer)


# ----- roles in Russian and Kazakh, years in the 2021 Latin alphabet --------------------------

@pytest.mark.parametrize(("question", "lang", "person"), [
    ("Кто такой вице-президент Швейцарского форума по международным делам?", "ru",
     "chikvaidze"),
    ("«Аманат» партиясының хатшысы кім?", "kk", "karibek"),
])
async def test_every_event_names_its_roles_in_three_languages(engine: AnswerEngine,
                                                              question: str, lang: str,
                                                              person: str) -> None:
    answer = await engine.answer(question, lang)
    assert person_ids(answer) == {person}


async def test_a_year_in_the_kazakh_latin_alphabet_names_the_event(engine: AnswerEngine) -> None:
    # "2022 jyly" = "2022 жылы": the 2022 deputy chair, not the two of 2026
    answer = await engine.answer("2022 jyly Senat törağasynyñ orynbasary kım boldy?", "kk")
    assert person_ids(answer) == {"suleimen"}
