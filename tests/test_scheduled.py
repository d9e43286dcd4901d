"""Scheduled announcements: times read in the event's zone, the presets, the grace after
downtime; then through the real bot against the fake Bot API, with the sender's clock
injected (no sleeps): sent once at its time, cancelled never, across a restart, refused in
the past, listed, admins only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.announcements import schedule
from bot.announcements.schedule import InThePast, Unreadable
from bot.records.model import Event
from bot.settings import Settings, SettingsError

PLUS5 = dt.timezone(dt.timedelta(hours=5))
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)  # 17:00 at UTC+5
STARTS = dt.datetime(2026, 3, 12, 10, 0, tzinfo=PLUS5)


def upcoming_event(**changes: object) -> Event:
    return Event(id="e", title={"en": "E"}, date=STARTS.date(), sources=(),
                 **{"starts": STARTS, **changes})


def test_a_typed_time_is_read_in_the_events_zone() -> None:
    assert schedule.parse("2026-03-11 18:00", PLUS5, NOW) == dt.datetime(
        2026, 3, 11, 13, tzinfo=dt.UTC)
    assert schedule.parse(" 2026-3-11  9:05 ", PLUS5, NOW) == dt.datetime(
        2026, 3, 11, 9, 5, tzinfo=PLUS5)
    assert schedule.parse("18:30", PLUS5, NOW) == dt.datetime(2026, 3, 10, 18, 30, tzinfo=PLUS5)
    almaty = ZoneInfo("Asia/Almaty")
    assert schedule.parse("18:30", almaty, NOW).utcoffset() == dt.timedelta(hours=5)
    # The zone's date, not UTC's: at 23:30 UTC it is already tomorrow at UTC+5.
    late = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)
    assert schedule.parse("06:00", PLUS5, late).date() == dt.date(2026, 3, 11)


@pytest.mark.parametrize("text", ["tomorrow", "18.30", "2026-02-30 10:00", "24:10", "1800",
                                  "2026-03-11", "10:00 am"])
def test_what_is_not_a_time(text: str) -> None:
    with pytest.raises(Unreadable):
        schedule.parse(text, PLUS5, NOW)


@pytest.mark.parametrize("text", ["16:59", "17:00", "2026-03-09 18:00"])
def test_a_past_time_is_refused(text: str) -> None:
    with pytest.raises(InThePast) as caught:
        schedule.parse(text, PLUS5, NOW)
    assert caught.value.moment <= NOW
    assert schedule.parse("17:01", PLUS5, NOW) > NOW


def test_presets_before_the_start_and_from_now() -> None:
    found = dict(schedule.presets(upcoming_event(), PLUS5, NOW))
    assert found == {
        "d1": dt.datetime(2026, 3, 11, 10, tzinfo=PLUS5),
        "h1": dt.datetime(2026, 3, 12, 9, tzinfo=PLUS5),
        "in1h": dt.datetime(2026, 3, 10, 13, 0, tzinfo=dt.UTC),
        "tom9": dt.datetime(2026, 3, 11, 9, tzinfo=PLUS5),
    }
    # Rounded up to the minute, so the button and the list show the same time.
    odd = NOW + dt.timedelta(seconds=10)
    assert schedule.preset("in1h", None, PLUS5, odd) == NOW + dt.timedelta(hours=1, minutes=1)
    # 20 hours before the start "1 day before" has passed, and "tomorrow 09:00" is "1 hour
    # before": one button for one time.
    soon = STARTS - dt.timedelta(hours=20)
    assert [c for c, _ in schedule.presets(upcoming_event(), PLUS5, soon)] == ["h1", "in1h"]
    assert [c for c, _ in schedule.presets(None, PLUS5, NOW)] == ["in1h", "tom9"]
    cancelled = upcoming_event(status="cancelled")
    assert [c for c, _ in schedule.presets(cancelled, PLUS5, NOW)] == ["in1h", "tom9"]


def test_the_zone_is_the_events_else_the_bots() -> None:
    almaty = Settings.from_env({}).zone
    assert str(almaty) == "Asia/Almaty"
    assert schedule.zone_of(upcoming_event(), almaty) == PLUS5
    assert schedule.zone_of(upcoming_event(starts=None), almaty) == almaty
    assert schedule.zone_of(None, almaty) == almaty
    assert schedule.show(NOW.timestamp(), PLUS5) == "2026-03-10 17:00 (UTC+05:00)"
    assert Settings.from_env({"TIMEZONE": "Europe/Berlin"}).zone == ZoneInfo("Europe/Berlin")
    with pytest.raises(SettingsError, match="TIMEZONE must be") as caught:
        Settings.from_env({"TIMEZONE": "Mars/Olympus"})
    assert "\n" not in str(caught.value)


def test_late_within_the_grace_goes_out_later_is_skipped() -> None:
    due = NOW.timestamp()
    assert not schedule.overdue(due, due + schedule.GRACE)
    assert schedule.overdue(due, due + schedule.GRACE + 1)
