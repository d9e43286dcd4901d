"""PTB's HTTP layer replaced by a direct call into the fake: the bot in process, no sockets."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from telegram.request import BaseRequest, RequestData

from tests.fakeapi.core import FakeBotAPI
from tests.fakeapi.methods import Upload


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
        token, _, api_method = urlsplit(url).path.rpartition("/")
        token = token.rsplit("/bot", 1)[-1]
        raw: dict = dict(request_data.json_parameters) if request_data is not None else {}
        if request_data is not None and request_data.contains_files:
            # The multipart parts: what the server would receive as uploaded files.
            for name, part in request_data.multipart_data.items():
                filename, content, mime_type = (*part, "application/octet-stream")[:3]
                if not isinstance(content, bytes):
                    content = content.read()
                raw[name] = Upload(str(filename), content, str(mime_type))
        status, payload = await self.fake.handle(token, api_method, raw)
        return status, json.dumps(payload).encode()
