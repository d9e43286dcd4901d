"""Questions about the archive as a whole (bot.answering.archive, bot.answering.compare): who
took part in more than one event, how many events of a kind, the earliest or latest event, two
events compared; in English, Russian and Kazakh (Cyrillic and the 2021 Latin alphabet), and
the questions of one event they must leave to the other rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from bot.answering.engine import AnswerEngine
from bot.answering.service import open_engine
from bot.settings import Settings
from tests.test_engine import named, write_archive

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "events"
ASTANA = "roundtable-2026-02-09-astana"
KAZISS = "expert-platform-2022-04-05-nur-sultan"


def people(answer) -> set[str]:
    return {ref.id for ref in answer.entities if ref.kind == "person"}


def events(answer) -> set[str]:
    return {ref.id for ref in answer.entities if ref.kind == "event"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def forums(tmp_path_factory: pytest.TempPathFactory):
    """The shipped events and four civic forums in Karaganda (2020-2023), a theme each by the
    same id ("water"), and no person, body or theme in common with the shipped ones."""
    folder = tmp_path_factory.mktemp("forums")
    events_dir = folder / "events"
    shutil.copytree(SHIPPED, events_dir)
    write_archive(events_dir)
    engine = await open_engine(Settings.from_env({"DATABASE_PATH": str(folder / "bot.db"),
                                                  "EVENTS_PATH": str(events_dir)}))
    yield engine
    await engine.close()


@pytest.mark.parametrize("question", [
    "Which people took part in several of the events?",
    "Which speakers were at more than one event?",
    "Кто участвовал более чем в одном мероприятии?",
    "Кто из спикеров выступал на разных мероприятиях?",
    "Бірнеше іс-шараға кімдер қатысты?",
    "Birneşe ıs-şarağa kımder qatysty?",
    # Words that only say someone is there, and "anyone" for "who":
    "Does anybody turn up at several of the meetings?",
    "Is there someone who appears at more than one event?",
    "Кто-нибудь появлялся на нескольких мероприятиях?",
    "Есть ли кто-то, кто был на нескольких встречах?",
    "Бірнеше кездесуге қатысқан біреу бар ма?",
])
async def test_people_at_more_than_one_event(engine: AnswerEngine, question: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == "people at several events", answer.text
    assert people(answer) == {"ashimbayev"} and named(engine, answer.text) == {"ashimbayev"}
    assert answer.text.index("Astana") < answer.text.index("Strasbourg")  # newest first
    assert answer.sources or "Source" in answer.text


@pytest.mark.parametrize("question", [
    "Does anyone appear at several events talking about ecology?",
    "Кто-нибудь говорил об экологии на нескольких мероприятиях?",
])
async def test_filler_words_do_not_take_a_theme_question(engine, question: str) -> None:
    """Filler is ignored, a theme is not: the theme's speakers answer, not the people at
    several events."""
    answer = await engine.answer(question)
    assert answer.route != "people at several events" and "abakanov" in people(answer)


async def test_people_at_several_events_of_a_place(forums) -> None:
    """Each Karaganda forum has its own speaker: nobody came to two of them."""
    answer = await forums.answer("Who took part in several events in Karaganda?")
    assert answer.route == "people at several events" and not people(answer)
    assert "nobody" in answer.text.lower()
    everywhere = await forums.answer("Who took part in several events?")
    assert people(everywhere) == {"ashimbayev"}


async def test_people_at_several_roundtables(engine: AnswerEngine) -> None:
    answer = await engine.answer("Who spoke at more than one roundtable?")
    assert answer.route == "people at several events" and people(answer) == {"ashimbayev"}


@pytest.mark.parametrize(("question", "count", "kind"), [
    ("How many round tables are in the archive?", 2, {ASTANA}),
    ("Сколько круглых столов прошло?", 2, {ASTANA}),
    ("Қанша дөңгелек үстел өткізілді?", 2, {ASTANA}),
    ("Qanşa dóńgelek üstel ótkızıldı?", 2, {ASTANA}),
    ("How many events are recorded in the database?", 3, {ASTANA, KAZISS}),
    ("Сколько мероприятий записано в базе?", 3, {ASTANA, KAZISS}),
    ("How many events were held in 2022?", 1, {KAZISS}),
])
async def test_how_many_events_of_a_kind(engine: AnswerEngine, question: str, count: int,
                                         kind: set[str]) -> None:
    answer = await engine.answer(question)
    assert answer.route == "events counted", answer.text
    assert answer.kind == "count" and answer.text.startswith(f"{count} ")
    assert len(events(answer)) == count and kind <= events(answer)


async def test_a_count_of_events_on_a_topic_is_not_a_count_of_all(engine) -> None:
    answer = await engine.answer("How many roundtables discussed the preamble?")
    assert answer.route != "events counted"


@pytest.mark.parametrize(("question", "event"), [
    ("Which event was the most recent?", ASTANA),
    ("When was the earliest event held?", KAZISS),
    ("Which roundtable was the first?", "roundtable-2025-09-30-strasbourg"),
    ("Какое мероприятие было первым?", KAZISS),
    ("Где прошло последнее мероприятие?", ASTANA),
    ("Ең соңғы іс-шара қайда өтті?", ASTANA),
    ("Eń alğaşqy ıs-şara qaşan boldy?", KAZISS),
])
async def test_earliest_or_latest_event(engine: AnswerEngine, question: str, event: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == "the earliest or latest event", answer.text
    assert answer.event_id == event
    held = engine.index.events[event]
    assert engine.when_where(held, "en") in answer.text and held.sources[0] in answer.text


@pytest.mark.parametrize(("question", "row"), [
    ("Who spoke first?", "the nth speaker"),
    ("Кто выступил последним на круглом столе?", "the nth speaker"),
    ("When was the first meeting of the KazISS GPS expert platform?", "a fact of the event"),
    ("How many events are there?", "the events"),
    ("How many people spoke at the first KazISS GPS meeting in 2022?", "how many spoke"),
    ("Кто участвовал и в Страсбурге, и в Астане?", "who was at each event"),
])
async def test_questions_of_one_event_stay_with_their_rows(engine, question, row) -> None:
    assert (await engine.answer(question)).route == row


@pytest.mark.parametrize("question", [
    "What do the Astana roundtable and the Strasbourg round table have in common?",
    "Чем круглый стол в Астане отличается от круглого стола в Страсбурге?",
    "Астанадағы және Страсбургтегі дөңгелек үстелдердің ортақтығы неде?",
    "Astanadağy jäne Strasburgtegı dóńgelek üstelderdıń ortaqtyğy nede?",
    # Asked as a request, the question after it pointing back ("у них", "they").
    "Compare the Astana roundtable with the Strasbourg round table: what do they share?",
    "Сравните круглый стол в Астане и круглый стол в Страсбурге: что у них общего?",
    "Астанадағы және Страсбургтегі дөңгелек үстелдерді салыстырыңыз: ортақтығы неде?",
])
async def test_two_events_compared(engine: AnswerEngine, question: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == "events compared", answer.text
    assert events(answer) == {ASTANA, "roundtable-2025-09-30-strasbourg"}
    text = answer.text
    common, astana_own = text.index("In common"), text.index("Only at Roundtable on the draft")
    assert common < text.index("Maulen Ashimbayev") < astana_own  # the one at both, shared
    assert text.index("Perepechina") > astana_own  # one of the Astana roundtable's own
    # "Just Kazakhstan" is a theme of both: clearly the same, by two key phrases alike.
    assert "Public administration and a Just Kazakhstan" in text[common:astana_own]
    assert all(engine.index.events[e].sources[0] in text for e in events(answer))


async def test_events_named_by_a_year_and_a_place_are_two(engine: AnswerEngine) -> None:
    answer = await engine.answer("How does the 2022 meeting differ from the one in Astana?")
    assert answer.route == "events compared" and events(answer) == {ASTANA, KAZISS}
    assert "Senate" in answer.text  # a body at both
    assert answer.text.index("Astana") < answer.text.index("Nur-Sultan")  # newest first


async def test_events_sharing_nothing_say_so_with_their_themes(forums) -> None:
    answer = await forums.answer(
        "What does the 2021 civic forum have in common with the Strasbourg round table?")
    assert answer.route == "events compared"
    assert events(answer) == {"forum-2021", "roundtable-2025-09-30-strasbourg"}
    assert "no person, body or theme in common" in answer.text
    assert "Drinking water" in answer.text and "Parliamentary diplomacy" in answer.text


async def test_a_theme_by_the_same_id_is_shared(forums) -> None:
    answer = await forums.answer("Compare the 2020 and the 2022 civic forums")
    assert answer.route == "events compared"
    assert events(answer) == {"forum-2020", "forum-2022"}
    text = answer.text
    assert text.index("In common") < text.index("Drinking water") < text.index("Only at")


async def test_one_event_named_is_no_comparison(engine: AnswerEngine) -> None:
    answer = await engine.answer("What did the Strasbourg round table have in common?")
    assert answer.route != "events compared"


async def test_answers_in_russian_and_kazakh_are_in_their_language(engine) -> None:
    ru = await engine.answer("Что общего у круглых столов в Астане и Страсбурге?", "ru")
    assert "Общее:" in ru.text and "Ашимбаев" in ru.text
    kk = await engine.answer("Бірнеше іс-шараға кім қатысты?", "kk")
    assert "бірнеше іс-шараға қатысты" in kk.text
