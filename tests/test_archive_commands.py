"""/events and the event-scoped commands over the shipped archive (three real events)."""

from __future__ import annotations

import pytest

from tests.botharness import buttons, converse, press, texts


async def test_events_lists_the_archive_newest_first_with_a_button_each(fake, app):
    replies = await converse(fake, "/events")
    text = texts(replies)
    assert "3 events" in text
    assert text.index("Astana") < text.index("Strasbourg") < text.index("Nur-Sultan")
    cards = [data for _, data in buttons(replies[-1]) if data.startswith("v1|c|")]
    assert len(cards) == 3
    calls = await press(fake, cards[1])  # the Strasbourg round table
    card = texts([c for c in calls if c.method == "sendMessage"])
    assert "Strasbourg" in card and "September 30, 2025" in card


@pytest.mark.parametrize(("argument", "expected", "absent"), [
    ("Strasbourg", "Gardini", "Perepechina"),
    ("2022", "Suleimen", "Gardini"),
    ("", "Perepechina", "Gardini"),  # the latest event
    ("Страсбург", "Gardini", "Perepechina"),
])
async def test_speakers_of_the_event_named_by_place_or_year(fake, app, argument, expected,
                                                            absent):
    text = texts(await converse(fake, f"/speakers {argument}".strip()))
    assert expected in text and absent not in text


async def test_event_themes_and_institutions_take_an_event(fake, app):
    event = texts(await converse(fake, "/event 2025"))
    assert "Strasbourg" in event and "Astana" not in event
    institutions = texts(await converse(fake, "/institutions Strasbourg"))
    assert "Parliamentary Assembly" in institutions or "PACE" in institutions
    themes = await converse(fake, "/themes Nur-Sultan")
    assert themes and all(c.ok for c in themes)


async def test_an_event_the_archive_lacks_gets_the_list(fake, app):
    replies = await converse(fake, "/event Paris 1999")
    text = texts(replies)
    assert "Paris 1999" in text and "3 events" in text
    assert len([d for _, d in buttons(replies[-1]) if d.startswith("v1|c|")]) == 3


async def test_all_events_button_under_a_card(fake, app):
    replies = await converse(fake, "/event")
    assert ("📚 All events (3)", "v1|evp|0") in buttons(replies[-1])
    calls = await press(fake, "v1|evp|0")
    listing = [c for c in calls if c.method == "sendMessage"]
    assert listing and "3 events" in texts(listing)
