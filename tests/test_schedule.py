"""Upcoming events in the records: `starts`/`ends` with their UTC offset, venue, status, links
and an agenda; what `check` refuses, at its line; stored and read back; the JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tomllib
from pathlib import Path

import jsonschema
import pytest

from bot.records import storage
from bot.records.files import parse_all
from bot.records.model import CANCELLED, SCHEDULED, Event, RecordsInvalid
from bot.records.schema import schema_text
from tests.test_records import line_of
from tests.upcoming import LINKS, PLUS5

EVENT = "roundtable-2026-02-09-astana"
SCHEDULE = """\
starts = 2026-02-09T10:00:00+05:00
ends = 2026-02-09T13:00:00+05:00
venue = "Senate, hall 2"
venue_ru = "Сенат, зал 2"
"""
SECTIONS = f"""
{LINKS}
[[agenda]]
time = 10:00:00
title = "Opening"
speakers = ["ashimbayev"]

[[agenda]]
time = 2026-02-09T11:30:00+05:00
title = "Discussion"
"""


@pytest.fixture
def upcoming_file(event_file: Path) -> Path:
    """The shipped event file with a schedule: 10:00 to 13:00 at UTC+5."""
    text = event_file.read_text(encoding="utf-8")
    text = text.replace("date = 2026-02-09\n", "date = 2026-02-09\n" + SCHEDULE, 1)
    event_file.write_text(text + SECTIONS, encoding="utf-8")
    return event_file


def the_event(path: Path) -> Event:
    (record,) = [r for r in parse_all([path.parent]) if r.event]
    return record.event


def test_an_upcoming_event_has_its_schedule(upcoming_file):
    event = the_event(upcoming_file)
    assert event.starts == dt.datetime(2026, 2, 9, 10, tzinfo=PLUS5)
    assert event.ends == dt.datetime(2026, 2, 9, 13, tzinfo=PLUS5)
    assert event.venue == {"en": "Senate, hall 2", "ru": "Сенат, зал 2"}
    assert event.status == SCHEDULED
    assert [(link.label["en"], link.url) for link in event.links] == [
        ("Livestream", "https://example.org/live"),
        ("Registration", "https://example.org/register")]
    opening, discussion = event.agenda
    # A time of day is on the day the event starts, in its offset.
    assert (opening.time, opening.title["en"], opening.speakers) == (
        dt.datetime(2026, 2, 9, 10, tzinfo=PLUS5), "Opening", ("ashimbayev",))
    assert discussion.time == dt.datetime(2026, 2, 9, 6, 30, tzinfo=dt.UTC)
    assert discussion.speakers == ()


def test_a_past_event_has_no_schedule(event_file):
    event = the_event(event_file)
    assert (event.starts, event.ends, event.venue, event.links, event.agenda) == (
        None, None, {}, (), ())


def test_a_cancelled_event(upcoming_file, break_file):
    break_file(('venue = "Senate', 'status = "cancelled"\nvenue = "Senate'))
    assert the_event(upcoming_file).status == CANCELLED


def test_an_event_is_upcoming_until_it_ends(upcoming_file, break_file):
    event = the_event(upcoming_file)
    ends = dt.datetime(2026, 2, 9, 8, tzinfo=dt.UTC)  # 13:00 at UTC+5
    assert event.upcoming(dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    assert event.upcoming(ends - dt.timedelta(seconds=1))  # under way
    assert not event.upcoming(ends)
    # Without `ends`: until its day ends in its own offset (midnight at UTC+5 = 19:00 UTC).
    break_file(("ends = 2026-02-09T13:00:00+05:00\n", ""))
    event = the_event(upcoming_file)
    assert event.upcoming(dt.datetime(2026, 2, 9, 18, 59, tzinfo=dt.UTC))
    assert not event.upcoming(dt.datetime(2026, 2, 9, 19, tzinfo=dt.UTC))


def test_an_event_with_only_a_date_is_upcoming_until_its_day_ends(event_file):
    event = the_event(event_file)
    assert event.upcoming(dt.datetime(2026, 2, 9, 23, 59, tzinfo=dt.UTC))
    assert not event.upcoming(dt.datetime(2026, 2, 10, tzinfo=dt.UTC))


# (old, new) edits of the upcoming file; the text where the error must point; the message.
BAD_SCHEDULES = {
    "starts without an offset": (
        ("starts = 2026-02-09T10:00:00+05:00", "starts = 2026-02-09T10:00:00"),
        "starts = ", "'starts' 2026-02-09T10:00:00 has no UTC offset"),
    "starts as a date": (
        ("starts = 2026-02-09T10:00:00+05:00", "starts = 2026-02-09"),
        "starts = ", "'starts' must be a date and time with its UTC offset"),
    "ends before starts": (
        ("ends = 2026-02-09T13:00:00+05:00", "ends = 2026-02-09T09:00:00+05:00"),
        "ends = ", "'ends' (2026-02-09T09:00+05:00) must be after 'starts'"),
    "ends without an offset": (
        ("ends = 2026-02-09T13:00:00+05:00", "ends = 2026-02-09T13:00:00"),
        "ends = ", "'ends' 2026-02-09T13:00:00 has no UTC offset"),
    "starts on another day than date": (
        ("starts = 2026-02-09T10:00:00+05:00", "starts = 2026-02-10T10:00:00+05:00"),
        "starts = ", "'starts' is on 2026-02-10 but 'date' is 2026-02-09"),
    "agenda item before the event": (
        ("time = 10:00:00", "time = 09:00:00"),
        "time = 09:00:00", "the item at 2026-02-09T09:00+05:00 is outside the event's time"),
    "agenda item after the event": (
        ("time = 2026-02-09T11:30:00+05:00", "time = 2026-02-09T08:30:00Z"),
        "time = 2026-02-09T08:30:00Z", "is outside the event's time"),
    "agenda item without an offset": (
        ("time = 2026-02-09T11:30:00+05:00", "time = 2026-02-09T11:30:00"),
        "time = 2026-02-09T11:30:00", "'time' 2026-02-09T11:30:00 has no UTC offset"),
    "unknown speaker": (
        ('speakers = ["ashimbayev"]', 'speakers = ["ashimbaev"]'),
        'speakers = ["ashimbaev"]', "unknown speaker 'ashimbaev' (did you mean 'ashimbayev'?)"),
    "bad status": (
        ('venue = "Senate', 'status = "postponed"\nvenue = "Senate'),
        "status = ", "'status' must be 'scheduled' or 'cancelled', not 'postponed'"),
    "link without a url": (
        ('url = "https://example.org/live"\n', ""),
        '[[links]]\nlabel = "Livestream"', "missing required field 'url'"),
}


@pytest.mark.parametrize("case", BAD_SCHEDULES, ids=list(BAD_SCHEDULES))
def test_check_refuses_a_bad_schedule_at_its_line(case, upcoming_file, break_file):
    edit, snippet, message = BAD_SCHEDULES[case]
    path = break_file(edit)
    with pytest.raises(RecordsInvalid) as caught:
        parse_all([path.parent])
    matching = [e for e in caught.value.errors if message in e.message]
    assert len(matching) == 1, [str(e) for e in caught.value.errors]
    (error,) = matching
    expected = line_of(path.read_text(encoding="utf-8"), snippet)
    assert (error.path, error.line) == (path, expected)
    assert str(error).startswith(f"{path}:{expected} ")


def test_an_agenda_needs_starts(upcoming_file, break_file):
    path = break_file(("starts = 2026-02-09T10:00:00+05:00\n", ""),
                      ("ends = 2026-02-09T13:00:00+05:00\n", ""))
    with pytest.raises(RecordsInvalid) as caught:
        parse_all([path.parent])
    (error,) = caught.value.errors
    assert error.message == "[[agenda]] needs the event's 'starts'"
    assert error.line == line_of(path.read_text(encoding="utf-8"), "[[agenda]]")


# ----- storage -------------------------------------------------------------------------------


async def test_the_schedule_is_stored_and_read_back(db, upcoming_file):
    records = parse_all([upcoming_file.parent])
    await storage.load_records(db, records)
    archive = await storage.read_archive(db)
    (parsed,) = [r.event for r in records if r.event]
    assert archive.events[EVENT] == parsed
    async with db.execute("SELECT starts, finish FROM events") as cursor:
        assert tuple(await cursor.fetchone()) == ("2026-02-09T05:00:00+00:00",
                                                  "2026-02-09T08:00:00+00:00")


async def test_a_schema_3_database_migrates_keeping_its_events(tmp_path, event_file):
    path = tmp_path / "old.db"
    db = await storage.connect(path)
    await storage.load_records(db, parse_all([event_file.parent]))
    before = await storage.read_archive(db)
    await db.close()
    conn = sqlite3.connect(path)  # back to schema 3: an event as the old bot stored it
    for statement in (  # undo 7
            "DROP TABLE follows", "DROP TABLE reminder_requests", "DROP INDEX announcements_news",
            "ALTER TABLE announcements DROP notice", "ALTER TABLE announcements DROP for_user",
            "ALTER TABLE outbox DROP language"):
        conn.execute(statement)
    conn.execute("DROP INDEX announcements_scheduled")  # 6
    conn.execute("ALTER TABLE announcements DROP COLUMN send_at")
    conn.execute("DROP INDEX announcements_reminder")
    conn.execute("ALTER TABLE announcements DROP COLUMN reminder_lead")
    conn.execute("ALTER TABLE announcements DROP COLUMN reminder_at")
    conn.execute("DROP INDEX events_finish")
    conn.execute("ALTER TABLE events DROP COLUMN starts")
    conn.execute("ALTER TABLE events DROP COLUMN finish")
    record = json.loads(conn.execute("SELECT record FROM events").fetchone()[0])
    for name in ("starts", "ends", "venue", "links", "status", "agenda"):
        del record[name]
    conn.execute("UPDATE events SET record = ?", (json.dumps(record),))
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()

    db = await storage.connect(path)
    try:
        async with db.execute("PRAGMA user_version") as cursor:
            assert (await cursor.fetchone())[0] == storage.SCHEMA_VERSION
        after = await storage.read_archive(db)
        assert after == before  # nothing lost; the old record reads with the defaults
        assert after.events[EVENT].starts is None
        assert await storage.loaded_digests(db)  # no reload needed
    finally:
        await db.close()


# ----- the JSON Schema -----------------------------------------------------------------------


def as_json(value):
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def test_the_schema_takes_a_schedule_and_flags_a_time_without_offset(upcoming_file):
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    data = as_json(tomllib.loads(upcoming_file.read_text(encoding="utf-8")))
    assert not list(validator.iter_errors(data))
    data["event"]["starts"] = "2026-02-09T10:00:00"
    data["event"]["status"] = "postponed"
    found = {"/".join(map(str, e.path)) for e in validator.iter_errors(data)}
    assert found == {"event/starts", "event/status"}


# ----- python -m bot new ---------------------------------------------------------------------


def test_the_template_offers_the_schedule_commented_out(tmp_path):
    from bot.records.template import new_event_file

    path = new_event_file(tmp_path, "hearing-2026-03-12")
    text = path.read_text(encoding="utf-8")
    assert "starts" not in tomllib.loads(text)["event"]  # a past event needs none of it
    for old, new in (
        ('title = ""', 'title = "Hearing"'), ('date = "YYYY-MM-DD"', "date = 2026-03-12"),
        ('sources = [""]', 'sources = ["https://example.org/hearing"]'),
        ("# starts = ", "starts = "), ("# ends = ", "ends = "),
        ('# venue = ""', 'venue = "Hall 2"'), ("# [[links]]", "[[links]]"),
        ('# label = "Livestream"', 'label = "Livestream"'),
        ('# url = ""', 'url = "https://example.org/live"'), ("# [[agenda]]", "[[agenda]]"),
        ("# time = ", "time = "), ('# title = ""', 'title = "Opening"'),
        ("# speakers = []", "speakers = []"),
    ):
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    # Only the event: the template's empty people, themes and statements are for past events,
    # and so are its empty optional facts.
    text = text[: text.index("# People the archive")] + text[text.index("# An upcoming event's"):]
    text = "\n".join(line for line in text.splitlines()
                     if not line.split("#")[0].rstrip().endswith(("= \"\"", "= 0", "= []")))
    path.write_text(text, encoding="utf-8")
    (record,) = parse_all([path])
    event = record.event
    assert event.starts == dt.datetime(2026, 3, 12, 10, tzinfo=PLUS5)
    assert event.venue == {"en": "Hall 2"} and event.links[0].label == {"en": "Livestream"}
    assert event.agenda[0].time == event.starts
