"""An event named by its place and full date, and what the records do not hold: the kinds of
questions in English, Russian and Kazakh, over the shipped events."""

from __future__ import annotations

import pytest

from bot.answering.engine import AnswerEngine
from bot.answering.offices import same_office
from bot.answering.question import interpret
from bot.i18n import t
from bot.records.model import Participant
from tests.test_engine import named

pytestmark = pytest.mark.asyncio(loop_scope="module")

ASTANA = "roundtable-2026-02-09-astana"
STRASBOURG = "roundtable-2025-09-30-strasbourg"
NUR_SULTAN = "expert-platform-2022-04-05-nur-sultan"


def people(answer) -> set[str]:
    return {ref.id for ref in answer.entities if ref.kind == "person"}


# ----- an event named by place and date -------------------------------------------------------

@pytest.mark.parametrize(("question", "event"), [
    ("Who spoke in Strasbourg on 30 September 2025?", STRASBOURG),
    ("Who spoke on February 9, 2026?", ASTANA),
    ("Кто выступал 9 февраля 2026 года в Астане?", ASTANA),
    ("2022 жылы 5 сәуірде Нұр-Сұлтанда кім сөйледі?", NUR_SULTAN),
])
async def test_speakers_of_an_event_named_by_place_and_date(engine: AnswerEngine,
                                                            question: str, event: str) -> None:
    answer = await engine.answer(question)
    speakers = {p.person for p in engine.speakers_of(engine.index.events[event])}
    assert answer.route == "the speakers" and answer.event_id == event, answer.text
    assert speakers <= named(engine, answer.text), answer.text
    others = {p for e in engine.index.events if e != event
              for p in (x.person for x in engine.speakers_of(engine.index.events[e]))} - speakers
    assert not others & named(engine, answer.text), answer.text


@pytest.mark.parametrize(("question", "event"), [
    ("What was discussed in Strasbourg on September 30, 2025?", STRASBOURG),
    ("Что обсуждалось в Астане 9 февраля 2026 года?", ASTANA),
    ("2022 жылы Нұр-Сұлтанда не талқыланды?", NUR_SULTAN),
])
async def test_what_was_discussed_at_a_named_event_is_its_themes(engine: AnswerEngine,
                                                                 question: str,
                                                                 event: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == "the themes" and answer.event_id == event, answer.text
    themes = {e: [t.name["en"] for t in engine.index.themes_by_event[e]]
              for e in engine.index.events}
    assert all(name in answer.text for name in themes.pop(event)), answer.text
    assert not any(name in answer.text for names in themes.values() for name in names)


async def test_tell_me_about_an_event_is_still_its_card(engine: AnswerEngine) -> None:
    answer = await engine.answer("Tell me about the roundtable")
    assert answer.kind == "event" and "200" in answer.text


@pytest.mark.parametrize("question", [
    "How many people took part in the meeting of 9 February 2026?",
    "Сколько участников было на круглом столе 9 февраля 2026 года?",
    "2026 жылғы 9 ақпандағы дөңгелек үстелге қанша адам қатысты?",
])
async def test_the_day_of_a_date_is_no_figure_asked_about(engine: AnswerEngine,
                                                          question: str) -> None:
    q = interpret(engine, question)
    assert q.scope == [ASTANA] and q.figures == [] and "9" in q.scope_words
    answer = await engine.answer(question)
    assert answer.route == "how many took part" and answer.text.split()[0] in ("200", "About")
    assert "200" in answer.text


async def test_a_number_beside_no_month_is_no_day(engine: AnswerEngine) -> None:
    """"The 3rd speaker in 2026": 3 is no day of a date, the year still names the event."""
    assert interpret(engine, "Who spoke 3rd in 2026?").scope == [ASTANA]
    assert interpret(engine, "Кто выступал 3-м в 2026 году?").scope == [ASTANA]


async def test_the_word_for_year_after_a_year_asks_nothing(engine: AnswerEngine) -> None:
    q = interpret(engine, "2026 жылы Астанада кімдер сөз сөйледі?")
    assert "when" not in q.cues and not q.unresolved
    assert "when" in interpret(engine, "Қай жылы Астанада дөңгелек үстел өтті?").cues


@pytest.mark.parametrize("question", [
    "What did the deputy chair of the Senate say in Nur-Sultan?",
    "Что сказал заместитель председателя Сената в 2022 году?",
    "2022 жылы Сенат төрағасының орынбасары не айтты?",
])
async def test_an_office_at_a_named_event_is_who_held_it_there(engine: AnswerEngine,
                                                               question: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == "a person at a named event", answer.text
    assert people(answer) == {"suleimen"} and answer.answered
    assert not named(engine, answer.text) & {"assanov", "perepechina"}


async def test_same_office() -> None:
    def holder(role: str, body: str = "senate") -> Participant:
        return Participant("e", "p", {"en": role}, body)

    assert same_office(holder("Deputy Chairman of the Senate"),
                       holder("Deputy Chairwoman of the Senate of the Kazakh Parliament"))
    assert not same_office(holder("Chairman of the Senate"), holder("Deputy Chair of the Senate"))
    assert not same_office(holder("Deputy Chair"), holder("Deputy Chair", "mazhilis"))


@pytest.mark.parametrize(("question", "lang"), [
    ("What did Ashimbayev say at the round table in Strasbourg?", "en"),
    ("Что говорил Ашимбаев в Страсбурге?", "ru"),
    ("Әшімбаев Страсбургте не деді?", "kk"),
])
async def test_no_remarks_there_then_the_joint_statements_labelled(engine: AnswerEngine,
                                                                   question: str,
                                                                   lang: str) -> None:
    answer = await engine.answer(question, lang)
    joint = engine.index.said[(STRASBOURG, "participants")]
    assert answer.route == "a person at a named event" and not answer.answered
    assert people(answer) >= {"ashimbayev"} and answer.event_id == STRASBOURG
    assert t(lang, "person.no_remarks") in answer.text and t(lang, "person.joint") in answer.text
    assert {s.paragraph for s in joint} <= {x.paragraph for x in answer.sources}
    said_elsewhere = engine.index.said[(ASTANA, "ashimbayev")]
    assert not any(s.text["en"] in answer.text for s in said_elsewhere)


# ----- what the records do not hold -----------------------------------------------------------

@pytest.mark.parametrize(("question", "lang", "person"), [
    ("What is Maulen Ashimbayev's age?", "en", "ashimbayev"),
    ("Where was Beknazarov born?", "en", "beknazarov"),
    ("Сколько лет Перепечиной?", "ru", "perepechina"),
    ("Кто жена Ашимбаева?", "ru", "ashimbayev"),
    ("Тыныбаева неше жаста?", "kk", "tynybayeva"),
    ("Бекназаровтың жалақысы қанша?", "kk", "beknazarov"),
    ("How many deputies will the Kurultai have, according to Beknazarov?", "en", "beknazarov"),
    ("Сколько депутатов будет в Курултае по словам Бекназарова?", "ru", "beknazarov"),
    ("Сүлеймен қандай бастамаларды ұсынды?", "kk", "suleimen"),
])
async def test_a_persons_fact_no_record_holds(engine: AnswerEngine, question: str, lang: str,
                                              person: str) -> None:
    answer = await engine.answer(question, lang)
    assert answer.route == "a person's fact no record holds" and not answer.answered
    assert answer.text.startswith(t(lang, "lacks.text")), answer.text
    assert t(lang, "lacks.nearest") in answer.text
    assert person in people(answer) and answer.sources  # the nearest fact, with its source


@pytest.mark.parametrize("question", [
    "How many senators voted for the draft?",
    "Вице-президентті жобаның қай бабы бекітеді?",
    "За какую статью проекта голосовали сенаторы?",
])
async def test_a_count_or_article_no_statement_gives(engine: AnswerEngine,
                                                     question: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == "a fact no record holds" and not answer.answered, answer.text


@pytest.mark.parametrize(("question", "row"), [
    ("Which reforms did Suleimen mention?", "a person"),
    ("Which regions did Suleimen talk about?", "a person"),
    ("What did Perepechina say about personal data?", "a person"),
])
async def test_what_a_person_did_say_is_still_answered(engine: AnswerEngine, question: str,
                                                       row: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == row and answer.answered, answer.text


@pytest.mark.parametrize(("question", "lang"), [
    ("How long did the discussion of the draft take, according to Iskakova?", "en"),
    ("Сколько дней длилось обсуждение по словам Искаковой?", "ru"),
    ("Искакованың айтуынша жобаны талқылау қанша уақытқа созылды?", "kk"),
])
async def test_a_duration_a_persons_statement_gives_is_answered(engine: AnswerEngine,
                                                                question: str,
                                                                lang: str) -> None:
    """A duration is a fact no record holds, unless the person's own statement gives it."""
    answer = await engine.answer(question, lang)
    figures = {f.value for s in engine.index.said[(ASTANA, "iskakova")] for f in s.figures}
    assert answer.route == "a duration" and answer.answered, answer.text
    assert answer.text.split("\n\n")[1].split()[0] in figures, answer.text
    silent = await engine.answer("How long did Ashimbayev speak?", lang)
    assert silent.route == "a duration" and not silent.answered
