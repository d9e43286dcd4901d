"""A fake Telegram Bot API for the methods the bot calls, checked against the Bot API spec.

    fake = FakeBotAPI()
    bot = Bot(fake.token, base_url=fake.base_url, request=FakeRequest(fake))  # in process
    async with serve(fake):  # or over real HTTP on 127.0.0.1, at fake.base_url
        ...

Modules: ``core`` (FakeBotAPI: calls, failures, flood limits, waiting), ``methods`` (the
faked methods), ``checks`` and ``html`` (Telegram's checks on text and keyboards), ``spec``
(api.min.json), ``chats`` (chats, users, messages), ``updates`` (what users send),
``request`` (in process) and ``server`` (HTTP).
"""

from tests.fakeapi.chats import (
    DEFAULT_CHANNEL_ID,
    DEFAULT_GROUP_ID,
    DEFAULT_SUPERGROUP_ID,
    DEFAULT_USER_ID,
)
from tests.fakeapi.core import GLOBAL_FLOOD_LIMIT, GROUP_FLOOD_LIMIT, Call, FakeBotAPI
from tests.fakeapi.errors import ApiError, NotFaked
from tests.fakeapi.html import HtmlParseError, parse_html
from tests.fakeapi.request import FakeRequest
from tests.fakeapi.server import serve
from tests.fakeapi.spec import DEFAULT_SPEC_PATH

__all__ = [
    "DEFAULT_CHANNEL_ID",
    "DEFAULT_GROUP_ID",
    "DEFAULT_SPEC_PATH",
    "DEFAULT_SUPERGROUP_ID",
    "DEFAULT_USER_ID",
    "GLOBAL_FLOOD_LIMIT",
    "GROUP_FLOOD_LIMIT",
    "ApiError",
    "Call",
    "FakeBotAPI",
    "FakeRequest",
    "HtmlParseError",
    "NotFaked",
    "parse_html",
    "serve",
]
