"""The route table (bot.answering.routes): one question per row, answered by that row and
right, over the shipped events; and the typed Question the rows read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.score_questions import surnames, verdict
from bot.answering.engine import AnswerEngine
from bot.answering.question import Order, interpret
from bot.answering.routes import ROUTES
from bot.answering.service import open_engine
from bot.settings import Settings
from tests.test_engine import named, write_archive

pytestmark = pytest.mark.asyncio(loop_scope="module")


def people(answer) -> set[str]:
    return {ref.id for ref in answer.entities if ref.kind == "person"}


def first_line(answer) -> str:
    return "".join(span.text for span in answer.paragraphs[0])


# (row, question, language, check of the answer with the engine)
ROWS = [
    ("no records", "😀😀😀", "en", lambda e, a: not a.answered and not named(e, a.text)),
    ("small talk", "Hello!", "en", lambda e, a: a.kind == "greeting"),
    ("points at nobody", "Who is Yerzhan Smith? What did he say?", "en",
     lambda e, a: not a.answered and not people(a)),
    ("events of a person", "Which events did Ashimbayev take part in?", "en",
     lambda e, a: "September 30, 2025" in a.text and "February 9, 2026" in a.text),
    ("the events in time order", "Give me a timeline of the events", "en",
     lambda e, a: a.text.index("2022") < a.text.index("2025") < a.text.index("2026")),
    ("the event with the most speakers", "Which event had the most speakers?", "en",
     lambda e, a: first_line(a).endswith("Astana: 8 speakers")),
    ("the earliest or latest event", "Which event came last?", "en",
     lambda e, a: a.event_id == "roundtable-2026-02-09-astana" and "Astana" in a.text),
    ("people over the events", "How many people took part in all the events?", "en",
     lambda e, a: first_line(a).startswith("18 people") and "9 people" in a.text),
    ("the events", "Which events were held?", "en",
     lambda e, a: len(a.choices) == 3 and a.text.index("Astana") < a.text.index("Strasbourg")),
    ("events counted", "Сколько круглых столов было проведено?", "ru",
     lambda e, a: first_line(a).startswith("2 ") and "Страсбург" in a.text
     and "KazISS" not in a.text),
    ("people at several events", "Кім бірнеше іс-шараға қатысты?", "kk",
     lambda e, a: people(a) == {"ashimbayev"} and "Страсбург" in a.text),
    ("who was at each event", "Кто участвовал и в Страсбурге, и в Астане?", "ru",
     lambda e, a: people(a) == {"ashimbayev"} and "Ашимбаев" in a.text),
    ("events compared", "Compare the 2022 meeting with the Astana roundtable", "en",
     lambda e, a: "Senate" in a.text and "Nur-Sultan" in a.text and "Astana" in a.text
     and a.text.index("Astana") < a.text.index("Nur-Sultan")),
    ("theme over events", "Who talked about the presidential republic?", "en",
     lambda e, a: "karibek" in people(a) and "Nur-Sultan" in a.text and "Strasbourg" in a.text),
    ("events saying it", "На каких мероприятиях говорили о реформах?", "en",
     lambda e, a: first_line(a).startswith("3 events") and "Nur-Sultan" in a.text
     and "Strasbourg" in a.text and "Astana" in a.text),
    ("yes or no", "Did Abakanov mention nuclear power?", "en",
     lambda e, a: first_line(a).startswith("No:") and "Environmental Code" in a.text),
    ("a theme at an event, yes or no", "Did the Kurultai come up in Strasbourg?", "en",
     lambda e, a: first_line(a).startswith("No:") and "Astana" in a.text),
    ("a body at an event, yes or no", "Was KazISS at the Astana roundtable?", "en",
     lambda e, a: first_line(a).startswith("No:") and "Tukumov" in a.text),
    ("names what no record has", "Who is the vice president of the USA?", "en",
     lambda e, a: not a.answered and not named(e, a.text)),
    ("who holds an office", "Who is the vice president?", "en",
     lambda e, a: not a.answered and a.text.startswith("The record doesn't say")
     and "The nearest the record has" in a.text and named(e, a.text) == {"nurgalieva"}),
    ("a duration", "How long did Ashimbayev speak?", "en",
     lambda e, a: not a.answered and a.text.startswith("The record doesn't say")
     and "The nearest the record has" in a.text and "public administration" in a.text),
    ("a person's fact no record holds", "How old is Olga Perepechina?", "en",
     lambda e, a: not a.answered and a.text.startswith("The record doesn't say")
     and "The nearest the record has" in a.text and "balance of powers" in a.text),
    ("before or after a speaker", "Who spoke just before Iskakova?", "en",
     lambda e, a: named(e, a.text) == {"nurgalieva"}),
    ("a person at a named event", "What did Ashimbayev say in Strasbourg?", "en",
     lambda e, a: "no remarks" in a.text and "public administration" not in a.text
     and "parliamentary diplomacy" in a.text and "together" in a.text),
    ("a role in the plural", "What did the deputy chairs of the Senate say?", "en",
     lambda e, a: named(e, a.text) == {"assanov", "perepechina"} and "preamble" in a.text
     and "balance of powers" in a.text and not a.choices),
    ("a body's people over events", "Кто из AMANAT выступал на мероприятиях?", "ru",
     lambda e, a: people(a) == {"karibek", "nurgalieva"}),
    ("a person", "What did Perepechina say?", "en",
     lambda e, a: named(e, a.text) == {"perepechina"} and "Miranda" in a.text),
    ("the head of a body", "What did the speaker of the upper chamber say?", "en",
     lambda e, a: named(e, a.text) == {"ashimbayev"} and "public administration" in a.text),
    ("a fact no record holds", "How much funding will the Environmental Code receive?", "en",
     lambda e, a: not a.answered and a.text.startswith("The record doesn't say")
     and "Environmental Code" in a.text),
    ("the nth speaker", "Who spoke third?", "en",
     lambda e, a: named(e, a.text) == {"perepechina"}),
    ("who did not speak", "Who did not speak?", "en",
     lambda e, a: "kozhabay" in people(a)),
    ("how many spoke", "How many people spoke at the first KazISS GPS meeting in 2022?", "en",
     lambda e, a: first_line(a).startswith("3 ")
     and named(e, a.text) == {"tukumov", "karibek", "suleimen"}),
    ("how many took part", "How many people attended the roundtable?", "en",
     lambda e, a: "200" in a.text),
    ("both / not of themes", "Who mentioned both intellectual property and education?", "en",
     lambda e, a: named(e, a.text) == {"perepechina"}),
    ("a body on themes", "which senators spoke about the kurultai", "en",
     lambda e, a: named(e, a.text) == {"beknazarov"}),
    ("what a body's people said", "What did the senators say?", "en",
     lambda e, a: {"ashimbayev", "assanov", "perepechina"} <= named(e, a.text)
     and "preamble" in a.text and not a.choices),
    ("a body", "Who represented KIPD?", "en", lambda e, a: "iskakova" in people(a)),
    ("a figure the record lacks", "How many deputies will the Kurultai have?", "en",
     lambda e, a: not a.answered and a.text.startswith("The record doesn't say")
     and "Kurultai" in a.text),
    ("themes", "Who spoke about the preamble?", "en",
     lambda e, a: named(e, a.text) == {"assanov"}),
    ("a fact of the event", "When was the roundtable?", "en",
     lambda e, a: "February 9, 2026" in a.text),
    ("a title word", "What did the expert say?", "en",
     lambda e, a: named(e, a.text) == {"tynybayeva"}),
    ("the institutions", "Which institutions took part?", "en",
     lambda e, a: "Senate" in a.text and a.choices),
    ("the speakers", "Who spoke at the roundtable?", "en",
     lambda e, a: {"ashimbayev", "tynybayeva"} <= people(a)),
    ("the themes", "What themes were discussed at the roundtable in Strasbourg?", "en",
     lambda e, a: "Parliamentary diplomacy" in a.text and "Kurultai" not in a.text),
    ("statements saying it", "What about reforms and Parliament?", "en",
     lambda e, a: "strong Parliament" in a.text),
    ("the event", "Что было в 2022 году?", "ru",
     lambda e, a: "KazISS" in a.text and "197" not in a.text),
]


async def test_every_row_has_a_test() -> None:
    assert [row for row, *_ in ROWS] == [route.name for route in ROUTES]


@pytest.mark.parametrize(("row", "question", "lang", "check"), ROWS,
                         ids=[row for row, *_ in ROWS])
async def test_each_row(engine: AnswerEngine, row: str, question: str, lang: str,
                        check) -> None:
    answer = await engine.answer(question, lang)
    assert row in answer.route.split(" + ")  # a message of several questions: one of them
    assert check(engine, answer), answer.text


async def test_nothing_recognised_is_an_honest_unknown(engine: AnswerEngine) -> None:
    answer = await engine.answer("Who won the football match?")
    assert answer.route == "nothing" and not answer.answered


# ----- the kinds of the issue in Russian and Kazakh ------------------------------------------

@pytest.mark.parametrize(("question", "row", "who"), [
    ("Кто выступал после Бекназарова?", "before or after a speaker", {"nurgalieva"}),
    ("Асановтан кейін кім сөйледі?", "before or after a speaker", {"perepechina"}),
    ("Сколько заместителей председателя Сената выступили?", "a role in the plural",
     {"assanov", "perepechina"}),
    ("Сенат төрағасының орынбасарлары не айтты?", "a role in the plural",
     {"assanov", "perepechina"}),
    ("Что говорил глава верхней палаты?", "the head of a body", {"ashimbayev"}),
    ("Парламенттің жоғарғы палатасының төрағасы не айтты?", "the head of a body",
     {"ashimbayev"}),
    ("Кто говорил и о Курултае, и о вице-президенте?", "both / not of themes",
     {"nurgalieva"}),
    ("Aşımbaev ne aittı?", "a person", {"ashimbayev"}),
    ("Ysqaqova ne aittı?", "a person", {"iskakova"}),
    # The head by a verb, and a body by its abbreviation (КИСИ is no кісі, "a person").
    ("Who ran KazISS?", "the head of a body", {"tukumov"}),
    ("Кто возглавлял КИСИ?", "the head of a body", {"tukumov"}),
    ("КИСИ-ді кім басқарды?", "the head of a body", {"tukumov"}),
    # The body by its short name inside the event's title ("KazISS … expert platform").
    ("Кто руководил КИСИ во время заседания экспертной площадки?", "the head of a body",
     {"tukumov"}),
    ("KazISS GPS алаңы ашылғанда KazISS-ті кім басқарды?", "the head of a body", {"tukumov"}),
    ("Who were the speakers at the KazISS GPS meeting?", "the speakers",  # not its head
     {"tukumov", "karibek", "suleimen"}),
])
async def test_kinds_in_russian_and_kazakh(engine: AnswerEngine, question: str, row: str,
                                           who: set[str]) -> None:
    answer = await engine.answer(question, "en")
    assert answer.route == row
    assert named(engine, answer.text) == who, answer.text


async def test_a_count_of_a_role_leads_with_the_number(engine: AnswerEngine) -> None:
    answer = await engine.answer("How many deputy chairs of the Senate spoke?")
    assert first_line(answer) == "2"
    assert named(engine, answer.text) == {"assanov", "perepechina"}


async def test_not_keeps_those_who_named_only_the_first(engine: AnswerEngine) -> None:
    answer = await engine.answer("Who talked about the Kurultai but not about the Vice President?")
    assert named(engine, answer.text) == {"beknazarov"}


async def test_a_first_name_alone_and_a_possessive(engine: AnswerEngine) -> None:
    answer = await engine.answer("What was Olga's point?")
    assert named(engine, answer.text) == {"perepechina"}
    shared = await engine.answer("What did Madina say about the knowledge economy?")
    assert named(engine, shared.text) == {"tynybayeva"}  # the Madina who spoke on it


@pytest.mark.parametrize(("question", "who"), [
    ("What did Beknazarov and Abakanov say?", {"beknazarov", "abakanov"}),
    ("Что говорили Искакова и Нургалиева?", {"iskakova", "nurgalieva"}),
    ("Бекназаров не айтты, Абаканов ше?", {"beknazarov", "abakanov"}),  # "and X?"
    ("What did Karibek and Ashimbayev say?", {"karibek", "ashimbayev"}),  # two events
])
async def test_people_named_each_by_name_are_each_answered(engine, question, who) -> None:
    answer = await engine.answer(question)
    assert answer.route == "a person" and set(people(answer)) == who, answer.text
    assert all(p not in answer.text for p in ("Which one", "match that name"))
    alone = await engine.answer("What did Madina say?")  # one name, two people: which one?
    assert "2 people match that name" in alone.text


@pytest.mark.parametrize("question", [
    "What did the participants conclude in Astana?",
    "К каким выводам пришли участники круглого стола в Астане?",  # выводам: dative plural
    "Астанадағы дөңгелек үстелдің қорытындысы қандай?",
])
async def test_what_the_participants_concluded(engine, question) -> None:
    answer = await engine.answer(question)
    assert answer.route == "a fact of the event" and "participants agreed" in answer.text


@pytest.mark.parametrize(("question", "who"), [
    ("Кто из Сената был в Нур-Султане?", {"suleimen"}),
    ("Сенаттан кімдер Нұр-Сұлтанда болды?", {"suleimen"}),
    ("Which senators were at the roundtable in Astana?",
     {"ashimbayev", "assanov", "perepechina", "beknazarov"}),
])
async def test_a_body_at_a_named_event_is_its_people_there(engine, question, who) -> None:
    answer = await engine.answer(question)
    assert answer.route == "a body" and named(engine, answer.text) == who, answer.text


@pytest.mark.parametrize("question", [
    "How many speakers across all the events?",
    "How many people are in the archive?",
    "Сколько всего людей во всех мероприятиях?",
    "Барлық іс-шараларда жалпы неше адам бар?",
])
async def test_people_over_the_events_are_each_counted_once(engine, question) -> None:
    answer = await engine.answer(question)
    everyone = {p.person for ps in engine.index.participants_by_event.values() for p in ps}
    assert answer.route == "people over the events"
    assert first_line(answer).startswith(f"{len(everyone)} ")  # Ashimbayev, at two, is one
    assert len(everyone) < sum(len(ps) for ps in engine.index.participants_by_event.values())


@pytest.mark.parametrize(("question", "event"), [
    ("What happened in Strasbourg?", "roundtable-2025-09-30-strasbourg"),
    ("what happened in strasbourg on 30 sept 2025?", "roundtable-2025-09-30-strasbourg"),
    ("Что произошло в Нур-Султане 5 апреля 2022?", "expert-platform-2022-04-05-nur-sultan"),
    ("Астанада не болды?", "roundtable-2026-02-09-astana"),
])
async def test_what_happened_at_an_event_is_its_card(engine, question, event) -> None:
    """Not a statement that happens to say "happen": nothing is asked but the event."""
    answer = await engine.answer(question)
    assert answer.route == "the event" and answer.event_id == event, answer.text


@pytest.mark.parametrize("question", [
    "How many people spoke at the KazISS GPS meeting?",
    "Сколько человек выступило на встрече KazISS GPS?",
    "KazISS GPS кездесуінде неше адам сөйледі?",
])
async def test_people_and_meeting_words_count_speakers_not_a_theme(engine, question) -> None:
    """"people" and "meeting" also make a keyword ("meeting people"): words for the event
    and its people alone name no theme."""
    answer = await engine.answer(question)
    assert answer.route == "how many spoke" and answer.text.startswith("3 "), answer.text
    assert set(people(answer)) == {"tukumov", "karibek", "suleimen"}


@pytest.mark.parametrize("question", [
    "How many themes were discussed at the Astana roundtable?",
    "Сколько тем обсуждалось в Астане?",  # тем: the genitive plural
    "Астанадағы дөңгелек үстелде неше тақырып талқыланды?",
])
async def test_how_many_themes_is_the_theme_count(engine, question) -> None:
    answer = await engine.answer(question)
    count = len(engine.index.themes_by_event["roundtable-2026-02-09-astana"])
    assert answer.route == "the themes" and answer.kind == "count"
    assert first_line(answer).startswith(f"{count} "), answer.text


@pytest.mark.parametrize("question", [
    "Who mentioned nine days of work?",
    "Кто говорил о девяти днях?",
    "Тоғыз күн туралы кім айтты?",
])
async def test_a_number_written_in_words_is_the_figure(engine, question) -> None:
    answer = await engine.answer(question)
    assert people(answer) == {"iskakova"} and "9 — days" in answer.text, answer.text
    unequal = await engine.answer("Құрылтай депутаттарының жас шегі нешеге тең?")  # тең: no 10
    assert "10" not in first_line(unequal)


@pytest.mark.parametrize("question", ["What does 200 mean?", "Что означает цифра 200?"])
async def test_a_number_that_counts_an_events_crowd(engine, question) -> None:
    answer = await engine.answer(question)
    assert answer.event_id == "roundtable-2026-02-09-astana" and "About 200" in answer.text
    assert "February 9, 2026, Astana" in first_line(answer)  # which of the events: its place


@pytest.mark.parametrize("question", [
    "Who is the president of Kazakhstan?",  # "is" is not іс (-шара), an event
    "What share of the records is about Tynybayeva?",  # nor is "share"
])
async def test_english_words_spelt_like_kazakh_cue_words_are_no_cue(engine, question) -> None:
    assert "event" not in interpret(engine, question).cues
    assert "event" in interpret(engine, "Qai is-şaralar ötti?").cues  # Kazakh in Latin letters


@pytest.mark.parametrize(("question", "verdict"), [
    ("Was the Kurultai discussed at the Astana roundtable?", "Yes"),
    ("Обсуждали ли Курултай в Страсбурге?", "No"),
    ("Страсбургте Құрылтай туралы айтылды ма?", "No"),
    ("Нұр-Сұлтанда президенттік республика талқыланды ма?", "Yes"),
])
async def test_did_a_theme_come_up_at_an_event(engine, question, verdict) -> None:
    answer = await engine.answer(question)
    assert answer.route == "a theme at an event, yes or no"
    assert first_line(answer).startswith(f"{verdict}:"), answer.text
    if verdict == "No":  # then where it did come up
        assert "Astana" in answer.text and answer.answered


@pytest.mark.parametrize(("question", "route"), [
    ("Перечисли мероприятия в хронологическом порядке", "the events in time order"),
    ("List the events oldest first", "the events in time order"),
    ("На каком мероприятии выступало больше всего людей?", "the event with the most speakers"),
    ("Қай іс-шарада ең көп адам сөйледі?", "the event with the most speakers"),
    ("Who spoke first?", "the nth speaker"),  # "first" alone is the speaking order
    ("Who spoke the most about the Kurultai?", "themes"),  # a theme: not the events
])
async def test_the_events_side_by_side(engine, question, route) -> None:
    assert (await engine.answer(question)).route == route


@pytest.mark.parametrize("question", [
    "Who cited the figure of 197 amendments?",
    "Кто привёл цифру о 197 поправках?",
    "197 түзету туралы деректі кім келтірді?",
])
async def test_who_cited_a_figure_is_who_said_it(engine, question) -> None:
    answer = await engine.answer(question)
    assert answer.answered and people(answer) == {"iskakova"}, answer.text


@pytest.mark.parametrize(("question", "verdict", "who"), [
    ("Была ли ПАСЕ в Страсбурге?", "Yes", {"gardini", "nemeth"}),
    ("Сенат Нұр-Сұлтанда болды ма?", "Yes", {"suleimen"}),  # only its people there
    ("Was the Senate at the Strasbourg round table?", "Yes", {"ashimbayev"}),
    ("Was KazISS at the roundtable in Astana?", "No", {"tukumov"}),  # then where it was
])
async def test_was_a_body_at_an_event(engine, question, verdict, who) -> None:
    answer = await engine.answer(question)
    assert first_line(answer).startswith(f"{verdict}:") and people(answer) == who, answer.text


@pytest.mark.parametrize(("message", "who"), [
    ("Hello! My cousin is a journalist. She told me a senator at the February roundtable "
     "spoke about a balance of powers, who was that? Thank you!", {"perepechina"}),
    ("Good evening! My uncle keeps talking about Zhuldyzai Iskakova, who spoke at the "
     "roundtable in Astana. What did she say? Thanks!", {"iskakova"}),
    ("Здравствуйте! Я студент. На круглом столе кто-то сказал про 197 поправок к "
     "Конституции. Кто это был? Спасибо!", {"iskakova"}),
    ("Сәлеметсіз бе! Дөңгелек үстелде біреу экологиялық кодекс туралы айтыпты. Ол кім еді? "
     "Рахмет!", {"abakanov"}),
    # The asker's supervisor (руководитель) is no head of the Senate named further on.
    ("Мой научный руководитель говорит, что кто-то из Сената говорил о преамбуле. "
     "Кто это был?", {"assanov"}),
])
async def test_chat_around_a_question_that_points_back(engine, message, who) -> None:
    """The question ("who was that?", "what did she say?") is about the sentence before it;
    the asker's family, a month, "follows" far from the name change nothing."""
    answer = await engine.answer(message)
    assert answer.answered and people(answer) == who, answer.text


@pytest.mark.parametrize("question", [
    "Where was the round table 'Kazakhstan's Path to Prosperity' held?",
    "Где проходил круглый стол «Путь Казахстана к процветанию»?",  # "к": one letter
    "«Қазақстанның өркендеу жолы» дөңгелек үстелі қайда өтті?",
])
async def test_an_event_by_its_own_name_beats_a_word_of_another(engine, question) -> None:
    """"Round table" also names the Astana event; the name said most fully is the one."""
    answer = await engine.answer(question)
    assert answer.event_id == "roundtable-2025-09-30-strasbourg", answer.text
    assert "Strasbourg" in answer.text


async def test_filler_words_are_not_what_the_record_lacks(engine) -> None:
    plain = await engine.answer("How many people spoke at the Astana roundtable?")
    filled = await engine.answer("How many people actually spoke at the Astana roundtable?")
    assert filled.route == plain.route == "how many spoke" and filled.answered
    for question in ("Roughly how many people took part in the roundtable on the constitution?",
                     "Сколько примерно человек участвовало в круглом столе в Астане?"):
        answer = await engine.answer(question)  # "took part" is no "how long"; a title word
        assert answer.route == "how many took part" and "200" in answer.text, answer.text


@pytest.mark.parametrize(("question", "who"), [
    ("What was Olga's take on human rights?", {"perepechina"}),
    ("Нурлан о чём говорил?", {"beknazarov"}),  # a first name, then words of the question
    ("Жұлдызай не туралы айтты?", {"iskakova"}),
    ("Madina's words about education?", {"tynybayeva"}),  # of two Madinas, who said it
    ("Что говорила Мадина из AMANAT?", {"nurgalieva"}),  # of two Madinas, the body's
    ("What did Olga Buzova say?", set()),  # a surname the record doesn't know: not Olga P.
    ("what did olga buzova say?", set()),
])
async def test_a_first_name_and_what_follows_it(engine, question, who) -> None:
    answer = await engine.answer(question)
    assert set(people(answer)) == who, answer.text


# ----- the Question --------------------------------------------------------------------------

async def test_question_reads_order_scope_and_combination(engine: AnswerEngine) -> None:
    assert interpret(engine, "Who spoke right after Perepechina?").order == Order(
        relative="after", anchor="perepechina")
    assert interpret(engine, "Who spoke last?").order == Order(-1)
    assert interpret(engine, "What did Suleimen say in 2022?").scope == [
        "expert-platform-2022-04-05-nur-sultan"]
    assert interpret(engine, "Between 1998 and 2022, how many amendments?").scope == []
    assert interpret(engine, "Что сказал Ашимбаев в Страсбурге?").scope == [
        "roundtable-2025-09-30-strasbourg"]
    both = interpret(engine, "Who spoke about both the Kurultai and the Vice President?")
    assert both.combine == "and" and "both" not in both.unresolved
    assert interpret(engine, "Who spoke about personal data or the environment?").combine == "or"
    plural = interpret(engine, "What did the deputy chairs of the Senate say?")
    assert plural.plural
    assert not interpret(engine, "What did the deputy chair of the Senate say?").plural


@pytest.mark.parametrize(("question", "event"), [
    ("What did Suleimen say at the 2022 meeting in Nur-Sultan?",  # a city of two words
     "expert-platform-2022-04-05-nur-sultan"),
    ("What happened in Нур-Султан?", "expert-platform-2022-04-05-nur-sultan"),
    ("Who spoke at the roundtable in February 2026?", "roundtable-2026-02-09-astana"),
    ("что обсуждали в сентябре 2025", "roundtable-2025-09-30-strasbourg"),
])
async def test_an_event_named_by_a_city_of_two_words_or_a_month(engine, question, event):
    q = interpret(engine, question)
    assert q.scope == [event] and q.chosen == event and not q.unresolved


@pytest.mark.parametrize("question", ["How many people attended the round table in Strasbourg?",
                                      "Сколько человек участвовало в Страсбурге?",
                                      "Страсбургте қанша адам қатысты?"])
async def test_a_crowd_the_record_gives_no_number_for_is_not_counted(engine, question):
    answer = await engine.answer(question)  # it describes them, but "how many?" is unanswered
    assert not answer.answered and "PACE members" in answer.text


@pytest.mark.parametrize(("question", "answered"), [
    ("What did Gulsana Kozhabay say?", False),
    ("Что сказала Кожабай на круглом столе?", False),
    ("Гардини Страсбургте не айтты?", False),  # a person at a named event
    ("Who is Gulsana Kozhabay?", True),  # who she is is in the record
])
async def test_what_someone_without_remarks_said_is_not_answered(engine, question, answered):
    answer = await engine.answer(question)
    assert answer.answered is answered and "no remarks" in answer.text


@pytest.mark.parametrize("question", ["list all the events in the archive",
                                      "How many events are there?",
                                      "Сколько мероприятий в архиве?",
                                      "Архивте барлығы қанша іс-шара бар?",
                                      # the list has the dates; "records" is the archive
                                      "list every event you have records for, with dates"])
async def test_the_archive_listed_or_counted_number_first(engine, question):
    answer = await engine.answer(question)
    assert answer.route == "the events" and first_line(answer).startswith("3 events")


async def test_when_was_the_event_is_not_the_list(engine):
    answer = await engine.answer("When was the roundtable held?")
    assert answer.route != "the events"


async def test_how_many_spoke_counts_people_not_events(engine):
    assert (await engine.answer("How many spoke at the roundtable?")).route == "how many spoke"


@pytest.mark.parametrize("question", ["Where was the expert platform held?",
                                      "Когда прошла экспертная площадка?",
                                      "Сараптама алаңы қашан өтті?"])
async def test_an_event_named_by_part_of_its_title_is_that_event(engine, question):
    answer = await engine.answer(question)  # not the theme "an expert platform"
    assert answer.route == "a fact of the event" and "Nur-Sultan" in answer.text


@pytest.mark.parametrize("question", ["Кто говорил о персональных данных?",
                                      "Что сказали про защиту личных данных?"])
async def test_a_short_russian_genitive_plural_links_the_theme(engine, question):
    q = interpret(engine, question)  # "данных" meets the keyword "данные"
    assert {m.entity[2] for m in q.themes} == {"personal-data"}


@pytest.mark.parametrize(("question", "count"), [
    ("How many chairs of the board spoke?", "2"),  # Kozhabay took part, without remarks
    ("Сколько председателей правления выступило?", "2"),
    ("How many chairs of the board took part?", "3"),
    # In Strasbourg the record names the speakers but gives only what they said together:
    # Aubin, a director, spoke there (Nurgalieva and Tukumov at the other events).
    ("How many directors spoke?", "3"),
])
async def test_a_count_of_who_spoke_leaves_out_who_said_nothing(engine, question, count):
    answer = await engine.answer(question)
    assert first_line(answer) == count, answer.text
    assert {"iskakova", "abakanov"} <= named(engine, answer.text) or "directors" in question


@pytest.mark.parametrize("question", ["What's the phone number of the Senate press office?",
                                      "Какой телефон у пресс-службы Сената?",
                                      "Сенаттың телефоны қандай?"])
async def test_contacts_the_record_lacks_are_not_answered_with_a_body(engine, question):
    answer = await engine.answer(question)  # the Senate's card only as the nearest fact
    assert not answer.answered and answer.text.startswith("The record doesn't say")
    assert "The nearest the record has" in answer.text


@pytest.mark.parametrize("question", ["How long did the roundtable last?",
                                      "Сколько длилось выступление Ашимбаева?",
                                      "Дөңгелек үстел қанша уақытқа созылды?"])
async def test_a_duration_the_record_lacks_is_not_the_event_card(engine, question):
    answer = await engine.answer(question)
    assert answer.route == "a duration" and not answer.answered
    assert answer.text.startswith("The record doesn't say")


@pytest.mark.parametrize("question", ["How many senators voted for the draft?",
                                      "Сколько сенаторов голосовали за проект?",
                                      "Неше сенатор дауыс берді?"])
async def test_votes_the_record_lacks_are_not_answered_with_a_body(engine, question):
    answer = await engine.answer(question)  # the records hold what was said, not votes
    assert not answer.answered and answer.text.startswith("The record doesn't say")


@pytest.mark.parametrize("question", ["What have people from AMANAT said at the events?",
                                      "Что сказали представители AMANAT?",
                                      "AMANAT өкілдері не айтты?"])
async def test_a_body_named_without_its_kind_is_each_body_of_that_name(engine, question):
    answer = await engine.answer(question)  # the AMANAT party (2022) and institute (2026)
    assert {"karibek", "nurgalieva"} <= named(engine, answer.text)


async def test_events_saying_words_no_record_says_are_none(engine):
    answer = await engine.answer("Which events discussed football?")
    assert not answer.answered and answer.route != "events saying it"


async def test_question_keeps_what_no_record_resolves(engine: AnswerEngine) -> None:
    q = interpret(engine, "How many seats will the Kurultai have?")
    assert q.lacking == ["seats"] and [m.entity[2] for m in q.themes] == ["kurultai"]
    assert "google" in interpret(engine, "What did Google say about the Kurultai?").unresolved


async def test_a_moderator_the_record_lacks_gets_who_opened_labelled(engine) -> None:
    answer = await engine.answer("Who was the moderator of the roundtable?")
    assert not answer.answered and answer.text.startswith("The record doesn't say")
    assert "The nearest the record has" in answer.text and "Ashimbayev" in answer.text


@pytest.mark.parametrize("question", ["How many senators spoke?",
                                      "Сколько сенаторов выступило?"])
async def test_how_many_members_of_a_body_leads_with_the_number(engine, question) -> None:
    answer = await engine.answer(question)
    speakers = named(engine, answer.text)
    assert first_line(answer) == str(len(speakers)) and "ashimbayev" in speakers


async def test_an_event_named_with_its_place_and_year_is_that_event(tmp_path) -> None:
    """'When was the X, Oral, 2017?': the title names the event; its place and year only
    tell namesakes apart, and its year is no figure to search for."""
    (tmp_path / "events").mkdir()
    write_archive(tmp_path / "events")
    engine = await open_engine(Settings.from_env({
        "DATABASE_PATH": str(tmp_path / "bot.db"), "EVENTS_PATH": str(tmp_path / "events")}))
    try:
        for event in engine.index.events.values():
            title = f"{event.title['en']}, {event.city.get('en', '')}, {event.date.year}"
            answer = await engine.answer(f"When was the {title}?")
            assert answer.event_id == event.id and answer.route == "a fact of the event"
    finally:
        await engine.close()


def _forum(folder: Path, year: int, theme: str, people: dict[str, str],
           defined: frozenset[str] = frozenset()) -> None:
    """A small event: each person (id -> what they said) speaks on the one theme; people of
    `defined` are defined in another event's file."""
    lines = ["schema = 2", "[event]", f'id = "forum-{year}"', f'title = "Civic forum {year}"',
             f"date = {year}-05-10", 'city = "Karaganda"', 'summary = "A civic forum."',
             f'sources = ["https://example.org/{year}"]', "[[themes]]", f'id = "{theme}"',
             f'name = "{theme.title()}"', f'description = "{theme}."', f'keywords = ["{theme}"]']
    for person, said in people.items():
        if person not in defined:
            lines += ["[[people]]", f'id = "{person}"', f'name = "Aida {person.title()}"']
        lines += ["[[participants]]", f'person = "{person}"', 'role = "Expert"',
                  "[[statements]]", f'id = "{person}-{year}"', f'speaker = "{person}"',
                  f'themes = ["{theme}"]', "paragraph = 1", f'text = "{said}"']
    (folder / f"forum-{year}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


async def test_both_a_and_b_said_at_two_events(tmp_path) -> None:
    """'Both water and roads': one at each event still counts; one of the two does not."""
    (tmp_path / "events").mkdir()
    _forum(tmp_path / "events", 2021, "water", {"omarova": "The water pipes leak.",
                                                "sadykova": "The water is clean."})
    _forum(tmp_path / "events", 2022, "roads", {"omarova": "The roads need repair."},
           frozenset({"omarova"}))
    engine = await open_engine(Settings.from_env({
        "DATABASE_PATH": str(tmp_path / "bot.db"), "EVENTS_PATH": str(tmp_path / "events")}))
    try:
        answer = await engine.answer("Who spoke about both water and roads?")
        assert answer.route == "both / not of themes" and people(answer) == {"omarova"}
        assert "pipes" in answer.text and "repair" in answer.text
    finally:
        await engine.close()


async def test_a_person_at_an_event_named_by_its_name(engine: AnswerEngine) -> None:
    answer = await engine.answer("What did Tukumov say at the KazISS expert platform?")
    assert answer.route == "a person at a named event"
    assert answer.event_id == "expert-platform-2022-04-05-nur-sultan"
    absent = await engine.answer("What did Tukumov say at the roundtable in Astana?")
    assert absent.route == "a person at a named event"
    assert "does not have this person" in absent.text and "Tukumov" in absent.text


@pytest.mark.parametrize(("question", "verdict"), [
    ("Did Ashimbayev speak in Strasbourg?", "No:"),
    ("Did Ashimbayev speak in Astana?", "Yes:"),
])
async def test_yes_or_no_at_a_place(engine: AnswerEngine, question: str, verdict: str) -> None:
    answer = await engine.answer(question)
    assert first_line(answer).startswith(verdict)


@pytest.mark.parametrize(("question", "person"), [
    ("Тұқымов не айтты?", "tukumov"),  # the record spells it Тукумов
    ("Тұқымовтың сөзі қандай?", "tukumov"),
])
async def test_a_surname_in_another_spelling(engine: AnswerEngine, question: str,
                                             person: str) -> None:
    answer = await engine.answer(question, "kk")
    assert people(answer) == {person}


async def test_another_spelling_needs_one_person_and_an_unknown_word(engine) -> None:
    assert not interpret(engine, "Who won the football match?").all_matches
    assert {m.entity[2] for m in interpret(engine, "What did Tukumov say?").people} == {
        "tukumov"}


@pytest.mark.parametrize(("question", "who"), [
    ("Who spoke between Assanov and Beknazarov?", {"perepechina"}),
    ("Кто выступал между Нургалиевой и Абакановым?", {"iskakova"}),
    ("Асанов пен Перепечина арасында кім сөйледі?", set()),  # one after the other
])
async def test_who_spoke_between_two(engine: AnswerEngine, question: str, who: set) -> None:
    answer = await engine.answer(question)
    assert answer.route == "before or after a speaker"
    assert people(answer) == who


async def test_who_closed_it_is_not_in_the_record(engine: AnswerEngine) -> None:
    answer = await engine.answer("Who closed the roundtable?")
    assert not answer.answered and answer.text.startswith("The record doesn't say")
    assert "February 9, 2026" in answer.text  # the nearest fact, labelled


async def test_a_title_word_in_the_plural_is_every_holder(engine: AnswerEngine) -> None:
    answer = await engine.answer("What did the directors say?")
    assert answer.route == "a title word" and not answer.choices
    assert {"nurgalieva", "tukumov"} <= named(engine, answer.text)
    single = await engine.answer("What did the expert say?")
    assert named(engine, single.text) == {"tynybayeva"}


# ----- the tuning sets written for issue 10 (tests/answers2- .. answers9-questions.jsonl) ---
# Each was written from the records by someone who had not read the engine, and scored before
# the engine changed. The known misses are strict xfails: one that starts passing must leave
# the list, and one that regresses fails the suite.

SET_FILES = [f"answers{n}-questions.jsonl" for n in range(2, 10)]
SETS = [json.loads(line) for name in SET_FILES
        for line in (Path(__file__).parent / name).read_text("utf-8").splitlines() if line]
KNOWN_MISSES = {
    "q5-10", "q6-05", "q6-09", "q6-62", "q6-65", "q8-01", "q8-02", "q8-04", "q8-20", "q8-25",
    "q8-48", "q8-52", "q8-64", "q8-67", "q8-70", "q9-10",
    "q9-45", "q9-62", "q9-65", "q9-67", "q9-68", "q9-69", "q9-70",
}


@pytest.mark.parametrize("case", [
    pytest.param(case, id=case["id"], marks=[pytest.mark.xfail(strict=True)]
                 if case["id"] in KNOWN_MISSES else [])
    for case in SETS])
async def test_question_sets(engine: AnswerEngine, case: dict) -> None:
    """The rules of benchmarks/score_questions.py: all, any, none, only, not_in_record."""
    answer = await engine.answer(case["q"], "en")
    assert verdict(case, answer.text, answer.answered, surnames(engine)) is None, answer.text


async def test_institutions_a_statement_names_are_not_the_bodies_present(engine) -> None:
    answer = await engine.answer("What are the three key political institutions?")
    assert "People's Council" in answer.text and named(engine, answer.text) == {"nurgalieva"}
    bodies = await engine.answer("Which institutions took part?")
    assert bodies.kind == "institutions"


async def test_question_says_what_is_asked(engine: AnswerEngine) -> None:
    assert interpret(engine, "Who spoke first?").asks == {"who", "what_said", "order"}
    assert interpret(engine, "Did Abakanov mention nuclear power?").asks >= {"yes_no"}
    assert interpret(engine, "Когда прошел круглый стол?").asks == {"when"}
    roles = interpret(engine, "What did the deputy chairs of the Senate say?").roles
    assert {m.entity[2] for m in roles} == {"assanov", "perepechina"}


@pytest.mark.parametrize("question", [
    "At which events was a presidential republic discussed?",
    "В каких мероприятиях обсуждали президентскую республику?",
    "На каких встречах говорили о президентской республике?",
    "Президенттік республика туралы қай іс-шараларда айтылды?",  # plural, inflected
    "Qai ıs-şaralarda prezidenttık respublika talqylandy?",  # the 2021 Latin alphabet
    "Which events discussed moving to a presidential republic?",  # a stray word: "moving"
    "В каких событиях обсуждалась президентская республика?",  # события: events too
    "Қай оқиғаларда президенттік республика талқыланды?",
    "Qai is-şaralarda prezidenttık respublika turaly aitıldı?",  # aıtyldy: айтылды
])
async def test_which_events_discussed_a_theme(engine: AnswerEngine, question: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == "theme over events" and "karibek" in people(answer)


@pytest.mark.parametrize(("question", "row"), [
    ("Іс-шара қай жерде өтті?", "a fact of the event"),  # қай: "which" as in "which place"
    ("Қандай іс-шаралар өтті?", "the events"),
])
async def test_which_in_kazakh(engine: AnswerEngine, question: str, row: str) -> None:
    assert (await engine.answer(question, "kk")).route == row


async def test_holders_of_a_title_none_of_whom_was_at_the_event_named(engine) -> None:
    answer = await engine.answer("What did the deputy chairs of the Senate say in Strasbourg?")
    assert answer.text and not answer.answered
    assert "none of them" in answer.text and not named(engine, answer.text)


@pytest.mark.parametrize(("question", "lang"), [("How many events are there?", "en"),
                                                ("Сколько мероприятий в архиве?", "ru"),
                                                ("Архивте қанша іс-шара бар?", "kk"),
                                                ("Which events discussed reforms?", "en"),
                                                ("Какие мероприятия обсуждали реформы?", "ru")])
async def test_a_count_of_events_starts_with_the_number_in_every_language(engine, question,
                                                                          lang):
    answer = await engine.answer(question, lang)
    assert answer.kind == "events" and first_line(answer).split()[0].isdigit()
