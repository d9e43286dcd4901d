"""PTB's HTTP layer replaced by a direct call into the fake: the bot in process, no sockets."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from telegram.request import BaseRequest, RequestData

from tests.fakeapi.core import FakeBotAPI


class FakeRequest(BaseRequest):
    """Hands each Bot API call to ``fake.handle`` with the parameters PTB would have posted.

    The parameters are the same JSON-encoded form values the HTTP client sends, and the answer
    goes back as JSON bytes, so PTB encodes and decodes exactly as over the network.
    """

    def __init__(self, fake: FakeBotAPI) -> None:
        self.fake = fake

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        """``url`` is ``<base_url><token>/<method>``; the fake answers as Telegram would."""
        if request_data is not None and request_data.contains_files:
            raise NotImplementedError("the fake takes no file uploads: the bot sends none")
        token, _, api_method = urlsplit(url).path.rpartition("/")
        token = token.rsplit("/bot", 1)[-1]
        raw = request_data.json_parameters if request_data is not None else {}
        status, payload = await self.fake.handle(token, api_method, raw)
        return status, json.dumps(payload).encode()
