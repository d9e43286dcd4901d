"""How an announcement reaches a chat: the Messenger the sender talks to, and what can go wrong.

The sender (bot.announcements.broadcast) knows nothing of Telegram: it posts and deletes
through a Messenger, which handlers/messenger.py implements with python-telegram-bot, and
acts on the DeliveryError it gets back. An error's text is what the log and the delivery
report show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Button:
    """A URL button under a post ("Open the bot")."""

    label: str
    url: str


@dataclass(frozen=True)
class Post:
    """What is posted in one chat: Telegram HTML and an optional URL button."""

    text: str
    button: Button | None = None


class Messenger(Protocol):
    """Posts and deletes messages as the bot; raises DeliveryError when that did not happen."""

    @property
    def username(self) -> str:
        """The bot's @username without the @, named in announcements."""
        ...

    def deep_link(self, payload: str) -> str:
        """A URL that opens a chat with the bot and sends /start `payload`."""
        ...

    async def post(self, chat_id: int, post: Post) -> int:
        """Post in a chat; the new message's id."""
        ...

    async def delete(self, chat_id: int, message_id: int) -> None:
        """Delete a message; one that is already gone is not an error."""
        ...


class DeliveryError(Exception):
    """A post or delete that did not happen; what to do about it depends on the kind."""


class Flood(DeliveryError):
    """Telegram's flood control: nothing may be sent for `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Gone(DeliveryError):
    """The bot can no longer post there: blocked, kicked, or the chat does not exist."""


class Moved(DeliveryError):
    """The group became a supergroup with a new chat id."""

    def __init__(self, message: str, new_chat_id: int) -> None:
        super().__init__(message)
        self.new_chat_id = new_chat_id


class Refused(DeliveryError):
    """This request was refused as it stands (a bad request); the chat is still reachable."""


class Transient(DeliveryError):
    """Worth another try later; `network` when the network, not this chat, is the likely cause."""

    def __init__(self, message: str, *, network: bool = False) -> None:
        super().__init__(message)
        self.network = network


def describe(error: Exception) -> str:
    """The line stored as a row's last error: a DeliveryError says it all, others get a type."""
    return str(error) if isinstance(error, DeliveryError) else f"{type(error).__name__}: {error}"
