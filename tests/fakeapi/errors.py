"""How the fake says no: Telegram's error answers, and calls it does not fake."""

from __future__ import annotations

from typing import Any

QUERY_EXPIRED = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An error answer of the Bot API (``ok: false``), as Telegram words it."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would send."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class NotFaked(Exception):
    """A call Telegram would take but the fake does not imitate, because the bot never makes it.

    Recorded in ``FakeBotAPI.internal_errors`` (the ``fake`` fixture fails the test on it), so a
    new kind of call is noticed and faked in tests/fakeapi/methods.py rather than answered wrongly.
    """
