"""The users' side: the updates tests make, for an in-process bot or for getUpdates."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import time
from typing import Any, Protocol

from tests.fakeapi.chats import (
    DEFAULT_CHANNEL_ID,
    DEFAULT_GROUP_ID,
    DEFAULT_SUPERGROUP_ID,
    DEFAULT_USER_ID,
    Chats,
)
from tests.fakeapi.errors import QUERY_EXPIRED, ApiError
from tests.fakeapi.html import utf16_len

UPDATE_TYPES_NOT_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Consumer(Protocol):
    """A bot running in this process, taking updates without getUpdates (tests/botharness.py)."""

    def deliver(self, update: dict[str, Any]) -> None:
        """Start handling the update (returns at once)."""

    async def settle(self) -> None:
        """Return once every update delivered so far, and the work it started, is done."""


class Updates:
    """Queues updates like Telegram: for an attached Consumer, or for getUpdates long polls."""

    chats: Chats
    bot_user: dict[str, Any]
    max_long_poll: float

    def _init_updates(self) -> None:
        self.consumer: Consumer | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(100_000_001)
        self._query_ids = itertools.count(4_000_000_001)
        self._open_queries: set[str] = set()
        self._allowed_updates: set[str] | None = None
        self._poll_generation = 0
        self._closing = False
        self._update_signal = asyncio.Event()

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Queued updates not yet confirmed via getUpdates ``offset``."""
        return copy.deepcopy(self._updates)

    def add_update(self, update: dict[str, Any]) -> int:
        """Queue an update with a fresh ``update_id`` (returned), or hand it to the consumer."""
        update = copy.deepcopy(update)
        update["update_id"] = next(self._update_ids)
        self.chats.learn(update)
        for key in ("callback_query", "inline_query"):
            if isinstance(update.get(key), dict) and "id" in update[key]:
                self._open_queries.add(str(update[key]["id"]))
        if self.consumer is not None:
            self.consumer.deliver(update)
        else:
            self._updates.append(update)
            self._notify_updates()
        return update["update_id"]

    def send_text(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str = "en",
        reply_to_message: dict[str, Any] | None = None,
        first_name: str = "Test",
        username: str | None = "tester",
        title: str | None = None,
    ) -> int:
        """A text message from a user, with the entities Telegram detects; the update_id.

        Private chats: ``chat_id`` equals ``user_id`` (both default to 1001). Groups default to
        ``DEFAULT_GROUP_ID``/``DEFAULT_SUPERGROUP_ID``/``DEFAULT_CHANNEL_ID``.
        """
        chat_id, user_id = _resolve_ids(chat_type, chat_id, user_id)
        user = self.chats.user(user_id, first_name, username, language_code)
        chat = self.chats.user_chat(chat_id, chat_type, user, title)
        message: dict[str, Any] = {
            "message_id": self.chats.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if chat_type == "channel":
            message["sender_chat"] = chat
        else:
            message["from"] = user
        entities = find_user_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to_message is not None:
            replied = copy.deepcopy(reply_to_message)
            replied.pop("reply_to_message", None)
            message["reply_to_message"] = replied
        return self.add_update({"channel_post" if chat_type == "channel" else "message": message})

    def press_button(
        self,
        callback_data: str,
        *,
        message: dict[str, Any] | None = None,
        chat_id: int | None = None,
        user_id: int | None = None,
        language_code: str = "en",
    ) -> int:
        """A press on a button of a bot message; the update_id.

        ``message`` defaults to the last bot message in ``chat_id`` (default: the user's private
        chat). Raises ValueError if that message has no button with ``callback_data``.
        """
        if message is None:
            if chat_id is None:
                chat_id = user_id if user_id is not None else DEFAULT_USER_ID
            message = self.chats.last_bot_message(chat_id)
            if message is None:
                raise ValueError(f"the bot has not sent a message to chat {chat_id}")
        else:
            current = self.chats.message(message["chat"]["id"], message["message_id"])
            message = current or copy.deepcopy(message)
        chat = message["chat"]
        if user_id is None:
            user_id = chat["id"] if chat["type"] == "private" else DEFAULT_USER_ID
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        datas = [b.get("callback_data") for row in rows for b in row]
        if callback_data not in datas:
            raise ValueError(
                f"message {message['message_id']} has no button with callback_data "
                f"{callback_data!r}; buttons: {datas}"
            )
        query = {
            "id": str(next(self._query_ids)),
            "from": {**self.chats.known_user(user_id), "language_code": language_code},
            "message": message,
            "chat_instance": str(abs(hash(("chat_instance", chat["id"])))),
            "data": callback_data,
        }
        return self.add_update({"callback_query": query})

    def inline_query(self, query: str, *, user_id: int = DEFAULT_USER_ID,
                     language_code: str = "en", offset: str = "") -> int:
        """An inline query (``@Bot query``) typed in a private chat; the update_id."""
        inline = {
            "id": str(next(self._query_ids)),
            "from": {**self.chats.known_user(user_id), "language_code": language_code},
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        }
        return self.add_update({"inline_query": inline})

    def chat_member_update(self, chat_id: int, *, new_status: str, old_status: str,
                           chat_type: str | None = None, user_id: int = DEFAULT_USER_ID) -> int:
        """The bot's membership changed (my_chat_member), by ``user_id``; the update_id.

        ``chat_type`` defaults to "private" for positive ids, else the known type or "group".
        Leaving/kicked statuses make later requests to the chat fail like Telegram's.
        """
        if chat_type is None:
            known = self.chats.chats.get(chat_id)
            chat_type = "private" if chat_id > 0 else (known or {}).get("type", "group")
        user = self.chats.known_user(user_id)
        chat = self.chats.user_chat(chat_id, chat_type, user, None)
        bot_id = self.bot_user["id"]
        old = self.chats.member(chat_id, bot_id, old_status)
        new = self.chats.member(chat_id, bot_id, new_status)
        if new_status in ("kicked", "left"):
            self.chats.kick(chat_id)
            if new_status == "left" and chat_type != "private":
                self.chats.blocked[chat_id] = (
                    f"Forbidden: bot is not a member of the {chat_type} chat")
        else:
            self.chats.unkick(chat_id)
        self.chats.member_status[(chat_id, bot_id)] = new_status
        change = {"chat": chat, "from": user, "date": int(time.time()),
                  "old_chat_member": old, "new_chat_member": new}
        return self.add_update({"my_chat_member": change})

    def close_query(self, query_id: Any) -> None:
        """A callback or inline query is answered once, and only while it is open."""
        if str(query_id) not in self._open_queries:
            raise ApiError(400, QUERY_EXPIRED)
        self._open_queries.discard(str(query_id))

    # ----- getUpdates

    async def get_updates(self, params: dict[str, Any], webhook_set: bool) -> list[dict]:
        """Long polling: confirm up to ``offset``, wait up to ``timeout`` for updates."""
        if webhook_set:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = set(params["allowed_updates"]) or None
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify_updates()
        deadline = time.monotonic() + min(timeout, self.max_long_poll)
        while True:
            signal = self._update_signal
            if self._closing:
                return []
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                    "sure that only one bot instance is running")
            self._updates = [u for u in self._updates if self._is_allowed(u)]
            if self._updates or time.monotonic() >= deadline:
                return copy.deepcopy(self._updates[:limit])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), deadline - time.monotonic())

    def drop_pending_updates(self) -> None:
        self._updates.clear()

    def release_polls(self) -> None:
        """The server stops: pending long polls return at once."""
        self._closing = True
        self._notify_updates()

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in UPDATE_TYPES_NOT_DEFAULT
        return kind in self._allowed_updates

    def _notify_updates(self) -> None:
        self._update_signal.set()
        self._update_signal = asyncio.Event()


def _resolve_ids(chat_type: str, chat_id: int | None, user_id: int | None) -> tuple[int, int]:
    if chat_type == "private":
        chat_id = chat_id if chat_id is not None else user_id
        user_id = user_id if user_id is not None else chat_id
        chat_id = user_id = chat_id if chat_id is not None else DEFAULT_USER_ID
        if chat_id != user_id or chat_id <= 0:
            raise ValueError("a private chat's id must equal the positive user_id")
        return chat_id, user_id
    defaults = {
        "group": DEFAULT_GROUP_ID,
        "supergroup": DEFAULT_SUPERGROUP_ID,
        "channel": DEFAULT_CHANNEL_ID,
    }
    if chat_type not in defaults:
        raise ValueError(f"unknown chat_type {chat_type!r}")
    chat_id = chat_id if chat_id is not None else defaults[chat_type]
    if chat_id >= 0:
        raise ValueError(f"{chat_type} chat ids are negative")
    return chat_id, user_id if user_id is not None else DEFAULT_USER_ID


def find_user_entities(text: str) -> list[dict[str, Any]]:
    """bot_command and mention entities as Telegram detects them in incoming text."""
    entities: list[dict[str, Any]] = []
    n = len(text)

    def word(ch: str) -> bool:
        return ch.isalnum() or ch == "_"

    def name_end(k: int) -> int:
        while k < n and text[k].isascii() and (text[k].isalnum() or text[k] == "_"):
            k += 1
        return k

    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        if ch == "/" and not (prev and (word(prev) or prev in "/<>")):
            end = name_end(i + 1)
            if not 1 <= end - i - 1 <= 64:
                continue
            if end < n and text[end] == "@":
                mention_end = name_end(end + 1)
                if not 3 <= mention_end - end - 1 <= 32:
                    continue
                end = mention_end
            nxt = text[end] if end < n else ""
            if nxt and (word(nxt) or nxt in "/<>"):
                continue
            entities.append(
                {"type": "bot_command", "offset": utf16_len(text[:i]), "length": end - i}
            )
        elif ch == "@" and not (prev and word(prev)):
            end = name_end(i + 1)
            nxt = text[end] if end < n else ""
            if 4 <= end - i - 1 <= 32 and not (nxt and word(nxt)):
                entities.append(
                    {"type": "mention", "offset": utf16_len(text[:i]), "length": end - i}
                )
    return entities
