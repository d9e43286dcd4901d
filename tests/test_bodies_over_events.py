"""A role in the plural or a body's people asked over the archive's events ("at which
events", "across the records", "at the events", "қай іс-шараларда"): the holders or members
from every event, grouped by event, newest first; with an event named, only that event's."""

from __future__ import annotations

import pytest

from bot.answering.engine import AnswerEngine
from tests.test_routes import people

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.parametrize("question", [
    "At which events did the deputy chairs of the Senate speak?",
    "Where did the Senate's deputy chairs speak?",
    "На каких мероприятиях выступали заместители председателя Сената?",
    "Сенат төрағасының орынбасарлары қай кездесулерде болды?",
])
async def test_deputy_chairs_at_every_event(engine: AnswerEngine, question: str) -> None:
    """Suleimen's title reads "Deputy Chairwoman of the Senate of the Kazakh Parliament"
    (2022): a deputy chair of the Senate all the same."""
    answer = await engine.answer(question)
    assert answer.route == "a role in the plural", answer.text
    assert {"suleimen", "assanov", "perepechina"} <= people(answer)
    assert answer.text.index("Astana") < answer.text.index("Nur-Sultan")  # newest first


async def test_deputy_chairs_at_a_named_event(engine: AnswerEngine) -> None:
    answer = await engine.answer("What did the deputy chairs of the Senate say in Astana?")
    assert "suleimen" not in people(answer) and "perepechina" in people(answer)


@pytest.mark.parametrize("question", [
    "Which AMANAT people were at the events?",
    "Кто из AMANAT участвовал в мероприятиях?",
    "AMANAT өкілдері қай іс-шараларға қатысты?",
])
async def test_every_body_of_the_name_at_every_event(engine: AnswerEngine,
                                                     question: str) -> None:
    """"AMANAT" names the party (Karibek, 2022) and the institute (Nurgalieva, 2026)."""
    answer = await engine.answer(question)
    assert answer.route == "a body's people over events", answer.text
    assert {"karibek", "nurgalieva"} <= people(answer)
    assert answer.text.index("Astana") < answer.text.index("Nur-Sultan")


async def test_senators_across_the_records(engine: AnswerEngine) -> None:
    """The Senate's committee chair is a senator too (a body under the Senate)."""
    answer = await engine.answer("Which senators took part across the records?")
    assert answer.route == "a body's people over events", answer.text
    assert {"suleimen", "beknazarov", "ashimbayev"} <= people(answer)


async def test_a_body_at_a_named_event_stays_there(engine: AnswerEngine) -> None:
    answer = await engine.answer("Who from AMANAT was at the Astana roundtable?")
    assert answer.route != "a body's people over events" and "karibek" not in people(answer)
