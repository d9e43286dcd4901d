"""Button data: a codec per action, and which handler a button's data reaches.

Routing is checked in process on the real Application (no Bot API needed): the first
handler that accepts an update is the one PTB runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.app import build_application
from bot.settings import Settings
from handlers import announcements, buttons, errors, languages, records, scheduled

KEY = "3fa2c1d0e9"  # what bot.records.model.stable_key makes

REAL = [
    (buttons.CARD, KEY, f"v1|c|{KEY}", records.card_button),
    (buttons.SPEAKERS_PAGE, 2, "v1|sp|2", records.speakers_page_button),
    (buttons.EVENT, None, "v1|event", records.event_button),
    (buttons.THEMES, None, "v1|themes", records.themes_button),
    (buttons.LANGUAGE_MENU, None, "v1|langs", languages.language_menu_button),
    (buttons.LANGUAGE, "kk", "v1|lang|kk", languages.language_button),
    (buttons.ANNOUNCE_SEND, 7, "v1|ann|send|7", announcements.send_button),
    (buttons.ANNOUNCE_CANCEL, 7, "v1|ann|cancel|7", announcements.cancel_button),
    (buttons.ANNOUNCE_AT, (7, "d1"), "v1|ann|at|7|d1", scheduled.schedule_button),
    (buttons.ANNOUNCE_UNSCHEDULE, 7, "v1|ann|unsched|7", scheduled.unschedule_button),
]
# Telegram never sends empty data (a button's is 1-64 bytes), and PTB lets a query without
# data through every pattern, so "" is not among them.
FORGED = [
    "garbage", "v1", "v1|", "v0|sp|1", "v2|sp|1", "v1|sp", "v1|sp|", "v1|sp|x", "v1|sp|-1",
    "v1|sp|²", "v1|sp|1|2", "v1|sp|1234567890", "v1|event|", "v1|event|1", "v1|eventx",
    "v1|lang|de", "v1|lang|KK", "v1|ann|x", "v1|ann|send", "v1|ann|send|", "v1|ann|send|1|2",
    "v1|ann|delete|1", "v1|ann|at|7", "v1|ann|at|7|d2", "v1|ann|at|x|d1", "v1|ann|at|7|-1",
    "v1|ann|at|7|123456789012", "v1|ann|at|7|d1|1", "v1|ann|unsched|",
    "v1|c|", "v1|c|../etc", "v1|c|ключ", f"v1|c|{'f' * 60}", "V1|sp|1",
]


@pytest.mark.parametrize(("codec", "value", "data", "handler"), REAL)
def test_each_action_writes_the_data_its_buttons_always_had(codec, value, data, handler):
    assert codec.encode(value) == data
    assert codec.decode(data) == value
    assert [c.action for c, *_ in REAL if c.matches(data)] == [codec.action]  # no overlap


@pytest.mark.parametrize("data", [*FORGED, "", None, 7])
def test_forged_data_is_refused_by_every_codec(data):
    for codec, *_ in REAL:
        assert not codec.matches(data)
        with pytest.raises(buttons.Forged):
            codec.decode(data)


def test_a_scheduled_time_rides_as_a_unix_time():
    assert buttons.ANNOUNCE_AT.decode("v1|ann|at|7|1773241200") == (7, "1773241200")


def test_data_over_telegrams_64_bytes_is_never_written():
    with pytest.raises(ValueError, match="too long"):
        buttons.CARD.encode("k" * 60)


@pytest.fixture
def application(tmp_path: Path) -> Application:
    return build_application(Settings(bot_token="123456:ABC-DEF",
                                      database_path=tmp_path / "bot.db"))


def taken_by(application: Application, data: str) -> object:
    """The callback of the handler PTB would run for a button press with this data."""
    update = Update.de_json({"update_id": 1, "callback_query": {
        "id": "1", "chat_instance": "1", "data": data,
        "from": {"id": 1001, "is_bot": False, "first_name": "T"},
        "message": {"message_id": 1, "date": 0, "chat": {"id": 1001, "type": "private"}},
    }}, application.bot)
    for handler in application.handlers[0]:
        if handler.check_update(update):
            return handler.callback
    return None


def test_each_button_reaches_its_own_handler_and_forged_ones_the_expired_answer(application):
    for *_, data, handler in REAL:
        assert taken_by(application, data) is handler, data
    for data in FORGED:
        assert taken_by(application, data) is errors.expired, data
    fallbacks = [h for h in application.handlers[0]
                 if isinstance(h, CallbackQueryHandler) and h.pattern is None]
    assert fallbacks == [application.handlers[0][-1]]  # one catch-all, registered last
