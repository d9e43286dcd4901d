"""The answers over an archive of several events: one person across events, facts a press
release may lack, collective remarks, sources as links, and finding an event (issue 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answering import cards
from bot.answering.engine import AnswerEngine
from bot.answering.service import open_engine
from bot.settings import Settings
from tests.conftest import SHIPPED

ROUNDTABLE = "roundtable-2026-02-09-astana"
ROUNDTABLE_URL = "https://religions-congress.org/en/news/novosti/3054"
# A release that gives a date, a source and who spoke, and nothing else: no city, no count,
# no opener, no conclusion.
HEARING = """schema = 2
[event]
id = "hearing-2025-05-20"
title = "Public hearing on parliamentary reform"
date = 2025-05-20
sources = ["https://example.org/news/hearing", "https://example.org/news/hearing-day-2"]

[[institutions]]
id = "hearing-council"
name = "Council of Public Hearings"

[[people]]
id = "doe"
name = "Aliya Doskeyeva"

[[participants]]
person = "ashimbayev"
role = "Chairman of the Senate"
institution = "senate"

[[participants]]
person = "doe"
role = "moderator"
institution = "hearing-council"

[[themes]]
id = "parliament"
name = "A stronger Parliament"
keywords = ["strong parliament", "parliamentary reform"]

[[statements]]
id = "doe-1"
speaker = "doe"
themes = ["parliament"]
paragraph = 3
text = "A strong parliament needs public hearings in every region."
quote = "Parliament must hear every region."

[[statements]]
id = "speakers-1"
by = "speakers"
themes = ["parliament"]
paragraph = 5
text = "The parliamentary reform should continue step by step."
source = "https://example.org/news/hearing-day-2"

[[statements]]
id = "council-1"
by = "hearing-council"
paragraph = 6
text = "The council will publish the hearing's minutes."
"""


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("archive")
    events = folder / "events"
    events.mkdir()
    shutil.copy(SHIPPED, events / SHIPPED.name)
    (events / "hearing.toml").write_text(HEARING, encoding="utf-8")
    return folder / "bot.db", events


@pytest.fixture
async def engine(archive_db):
    database, events = archive_db
    engine = await open_engine(Settings.from_env({"DATABASE_PATH": str(database),
                                                  "EVENTS_PATH": str(events)}))
    try:
        yield engine
    finally:
        await engine.close()


def hearing(engine: AnswerEngine):
    return engine.index.events["hearing-2025-05-20"]


# ----- one person, every event --------------------------------------------------------------


async def test_a_person_is_one_record_and_the_card_lists_every_event(engine):
    assert len(engine.index.people) == 10  # Ashimbayev once, though he came to both
    answer = await engine.answer("Ashimbayev")
    assert answer.kind == "person" and [r.id for r in answer.entities] == ["ashimbayev"]
    text = answer.text
    newer = text.index("Roundtable on the draft constitutional reform, February 9, 2026")
    older = text.index("Public hearing on parliamentary reform, May 20, 2025")
    assert newer < older  # newest first
    hearing_part = text[older:]
    assert "Took part; the record has no remarks from them." in hearing_part
    assert "did not speak" not in text


async def test_no_remarks_is_never_did_not_speak(engine):
    for question in ("Who is Gulsana Kozhabay?", "Who didn't speak?"):
        answer = await engine.answer(question)
        assert "no remarks" in answer.text and "did not speak" not in answer.text, answer.text


# ----- say only what the record says --------------------------------------------------------


async def test_the_card_of_an_event_shows_only_the_facts_it_has(engine):
    answer = engine.event_card(hearing(engine), "en")
    text = answer.text
    assert text.startswith("Public hearing on parliamentary reform\n\nMay 20, 2025.")
    for absent in ("participants", "Opened by", "Conclusion", "About", " 0 "):
        assert absent not in text, text
    assert "Source: https://example.org/news/hearing" in text


@pytest.mark.parametrize(("question", "says"), [
    ("Where was the public hearing on parliamentary reform held?",
     "The record does not say where Public hearing on parliamentary reform took place"),
    ("How many people took part in the public hearing on parliamentary reform?",
     "The record does not say how many people took part"),
    ("Who opened the public hearing on parliamentary reform?",
     "The record does not say who opened"),
])
async def test_a_fact_the_record_lacks_is_said_to_be_missing(engine, question, says):
    answer = await engine.answer(question)
    assert says in answer.text, answer.text
    assert answer.answered is False
    assert "Ashimbayev" not in answer.text  # nobody is named in its place


async def test_the_roundtable_keeps_the_facts_its_source_gives(engine):
    answer = engine.event_card(engine.index.events[ROUNDTABLE], "en")
    for fact in ("February 9, 2026, Astana.", "About 200 participants", "Opened by: Maulen",
                 "Conclusion:"):
        assert fact in answer.text


# ----- collective remarks -------------------------------------------------------------------


async def test_collective_remarks_are_not_a_person(engine):
    answer = engine.theme_card(engine.index.themes[("hearing-2025-05-20", "parliament")], "en")
    assert "The speakers:\n• The parliamentary reform should continue step by step." \
        in answer.text
    assert {r.id for r in answer.entities if r.kind == "person"} == {"doe"}
    speakers = engine.list_speakers("", "en", hearing(engine))
    assert {r.id for r in speakers.entities} == {"ashimbayev", "doe"}
    assert "The speakers" not in speakers.text and "participants" not in speakers.text.split(
        "\n")[2]


async def test_an_institution_speaks_for_itself(engine):
    answer = engine.institutions_answer("", [("institution", "", "hearing-council")], "en")
    assert "What it said:" in answer.text
    assert "The council will publish the hearing's minutes." in answer.text
    assert "Aliya Doskeyeva, moderator" in answer.text


async def test_what_the_participants_agreed_is_their_collective_statement(engine):
    answer = await engine.answer("What did the participants agree on at the end?")
    assert answer.kind == "event"
    assert "maturity of a state" in answer.text
    assert [s.paragraph for s in answer.sources] == [10]


# ----- citable sources ----------------------------------------------------------------------


async def test_answers_link_the_source_and_name_the_paragraph(engine):
    answer = await engine.answer("who talked about ecology")
    assert f'<i>Source: <a href="{ROUNDTABLE_URL}">religions-congress.org</a>, paragraph 8.</i>' \
        in answer.html
    assert f"Source: {ROUNDTABLE_URL}, paragraph 8." in answer.text
    assert [(s.source, s.paragraph) for s in answer.sources] == [(ROUNDTABLE_URL, 8)]
    for chunk in answer.html_chunks(120):  # a link survives the split whole
        assert chunk.count("<a ") == chunk.count("</a>")


async def test_each_statement_cites_its_own_source_and_keeps_its_quote(engine):
    answer = engine.theme_card(engine.index.themes[("hearing-2025-05-20", "parliament")], "en")
    assert "Source: https://example.org/news/hearing, paragraph 3." in answer.text
    assert "Source: https://example.org/news/hearing-day-2, paragraph 5." in answer.text
    assert "\n  <i>“Parliament must hear every region.”</i>" in answer.html


async def test_json_output_keeps_its_keys(engine):
    data = (await engine.answer("who talked about ecology")).to_dict()
    assert set(data) == {"question", "text", "kind", "lang", "answered", "entities", "sources",
                         "suggestions", "choices"}
    assert data["sources"] == [{"event_id": ROUNDTABLE, "paragraph": 8,
                                "source": ROUNDTABLE_URL}]


# ----- the archive's events (for /events and the event-scoped commands) ---------------------


async def test_events_newest_first_and_paged(engine):
    assert [e.id for e in cards.events_newest_first(engine)] == [ROUNDTABLE,
                                                                "hearing-2025-05-20"]
    page, pages = cards.events_page(engine, "en", 0, size=1)
    assert pages == 2 and [r.id for r in page.choices] == [ROUNDTABLE]
    assert "2 events in the archive, newest first" in page.text
    assert "February 9, 2026, Astana" in page.text
    second, _ = cards.events_page(engine, "ru", 5, size=1)  # past the end: the last page
    assert [r.id for r in second.choices] == ["hearing-2025-05-20"]


@pytest.mark.parametrize(("text", "found"), [
    ("", [ROUNDTABLE]),
    ("2025", ["hearing-2025-05-20"]),
    ("May 2025", ["hearing-2025-05-20"]),
    ("20 мая 2025", ["hearing-2025-05-20"]),
    ("2026-02-09", [ROUNDTABLE]),
    ("09.02.2026", [ROUNDTABLE]),
    ("Astana", [ROUNDTABLE]),
    ("Астана", [ROUNDTABLE]),
    ("the roundtable", [ROUNDTABLE]),
    ("public hearing", ["hearing-2025-05-20"]),
    ("1999", []),
    ("football", []),
])
async def test_an_event_is_found_by_name_place_date_or_year(engine, text, found):
    assert [e.id for e in cards.resolve_event(engine, text)] == found


async def test_the_cards_of_a_given_event(engine):
    event = hearing(engine)
    assert cards.event_card(engine, event, "en").event_id == event.id
    speakers = cards.speakers_card(engine, event, "en")
    assert "2 people took part, as the record names them" not in speakers.text
    assert "1 speaker:" in speakers.text  # Doskeyeva; the record has no remarks from him
    assert "Maulen Ashimbayev, Chairman of the Senate — took part; the record has no " \
           "remarks from them" in speakers.text
    themes = cards.themes_card(engine, event, "en")
    assert [r.id for r in themes.choices] == ["parliament"]
    institutions = cards.institutions_card(engine, event, "en")
    assert [r.id for r in institutions.choices] == ["senate", "hearing-council"]
