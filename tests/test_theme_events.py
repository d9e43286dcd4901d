"""A theme over the archive's events (bot.answering.across.theme_over_events): asked with
"where", with two places to choose from, or matched fully at one event and by several of its
keywords at another; every event that has it answers, grouped by event, newest first."""

from __future__ import annotations

import pytest

from bot.answering.engine import AnswerEngine
from tests.test_routes import people

pytestmark = pytest.mark.asyncio(loop_scope="module")

STRASBOURG = "Strasbourg"
NUR_SULTAN = "Nur-Sultan"


@pytest.mark.parametrize("question", [
    "Where was a presidential republic discussed?",
    "Где говорили о президентской республике?",
    "Президенттік республика қайда талқыланды?",
    "Prezidenttık respublika qaida talqylandy?",
    "Where did the presidential republic come up, in Nur-Sultan or in Strasbourg?",
])
async def test_where_a_theme_came_up(engine: AnswerEngine, question: str) -> None:
    answer = await engine.answer(question)
    assert answer.route == "theme over events", answer.text
    assert "karibek" in people(answer)  # Nur-Sultan, 2022
    assert answer.text.index(STRASBOURG) < answer.text.index(NUR_SULTAN)  # newest first


async def test_where_of_one_event_stays_with_that_event(engine: AnswerEngine) -> None:
    """A place named alone asks about that event: no grouping."""
    answer = await engine.answer("Where in Strasbourg was a presidential republic discussed?")
    assert answer.route != "theme over events" and "karibek" not in people(answer)


async def test_two_places_leave_out_the_third(engine: AnswerEngine) -> None:
    """"In Nur-Sultan or in Strasbourg?": of the events with citizens' rights, only those."""
    answer = await engine.answer("Где обсуждали права граждан — в Нур-Султане или в Страсбурге?")
    assert "Astana" not in answer.text and STRASBOURG in answer.text


@pytest.mark.parametrize("question", [
    "Who talked about society and unity?",
    "Which events dealt with unity of society?",
])
async def test_a_theme_whose_keywords_share_the_words(engine: AnswerEngine,
                                                       question: str) -> None:
    """Astana's theme has both words in one keyword; Strasbourg's in two ("national unity",
    "dialogue in society"): both events answer."""
    answer = await engine.answer(question)
    assert answer.route == "theme over events", answer.text
    assert "Astana" in answer.text and STRASBOURG in answer.text
    assert answer.text.index("Astana") < answer.text.index(STRASBOURG)


async def test_one_shared_word_does_not_pull_in_an_event(engine: AnswerEngine) -> None:
    """Only "presidential" of "super-presidential system" is not enough for Astana."""
    answer = await engine.answer("Which of the events dealt with leaving a super-presidential "
                                 "system behind?")
    assert answer.route == "theme over events" and "Astana" not in answer.text
    assert "karibek" in people(answer)
