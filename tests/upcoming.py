"""An upcoming event file written relative to the real clock, for tests of cards, calendar
files and reminders against the running bot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

PLUS5 = dt.timezone(dt.timedelta(hours=5))  # Astana's offset, in which test events are written
# An upcoming event's two links, in its file (tests assert the labels and URLs they show).
LINKS = """\
[[links]]
label = "Livestream"
url = "https://example.org/live"

[[links]]
label = "Registration"
url = "https://example.org/register"
"""


def write_upcoming(folder: Path, starts: dt.datetime, *, hours: float = 3,
                   status: str = "scheduled", name: str = "hearing-upcoming") -> Path:
    """A public hearing on water tariffs at `starts` (aware), `hours` long, with a venue, two
    links and an agenda where a person of the shipped archive speaks."""
    ends = starts + dt.timedelta(hours=hours)
    path = folder / f"{name}.toml"
    path.write_text(f"""\
schema = 2

[event]
id = "{name}"
title = "Public hearing on water tariffs"
title_ru = "Общественные слушания по тарифам на воду"
date = {starts.date().isoformat()}
sources = ["https://example.org/hearing"]
city = "Astana"
starts = {starts.isoformat()}
ends = {ends.isoformat()}
venue = "House of Ministries, hall 3"
venue_ru = "Дом министерств, зал 3"
status = "{status}"

{LINKS}
[[agenda]]
time = {starts.isoformat()}
title = "Opening"
speakers = ["ashimbayev"]

[[agenda]]
time = {(starts + dt.timedelta(hours=1)).isoformat()}
title = "Questions from the public"
""", encoding="utf-8")
    return path


def soon(days: float = 0, hours: float = 0, seconds: float = 0) -> dt.datetime:
    """A moment that far from now at UTC+5, to the second (TOML keeps seconds)."""
    moment = dt.datetime.now(PLUS5) + dt.timedelta(days=days, hours=hours, seconds=seconds)
    return moment.replace(microsecond=0)
