"""What the fake knows about the world: chats, users, stored messages, the bot's membership."""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.fakeapi.errors import ApiError, NotFaked

DEFAULT_USER_ID = 1001
DEFAULT_GROUP_ID = -4001
DEFAULT_SUPERGROUP_ID = -1001234567890
DEFAULT_CHANNEL_ID = -1009876543210
DEFAULT_TITLES = {
    "group": "Test Group", "supergroup": "Test Supergroup", "channel": "Test Channel"
}
ADMIN_RIGHTS = (
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_change_info can_invite_users can_pin_messages"
).split()
NO_ADMIN_RIGHTS = "can_promote_members can_post_stories can_edit_stories can_delete_stories"


class Chats:
    """Chats, users and messages as the updates and the bot's calls made them known."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self.chats: dict[int, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.member_status: dict[tuple[int, int], str] = {}
        self.blocked: dict[int, str] = {}  # chat id -> the 403 description
        self.migrated: dict[int, int] = {}  # group id -> its supergroup's id
        self._message_ids: dict[int, int] = {}
        self._last_bot_message: dict[int, int] = {}

    # ----- what tests change and read

    def kick(self, chat_id: int) -> None:
        """Every later request about ``chat_id`` fails with 403 (kicked, or blocked)."""
        kind = self.chat(chat_id)["type"]
        if kind == "private":
            self.blocked[chat_id] = "Forbidden: bot was blocked by the user"
        else:
            self.blocked[chat_id] = f"Forbidden: bot was kicked from the {kind} chat"
        self.member_status[(chat_id, self.bot_user["id"])] = "kicked"

    def unkick(self, chat_id: int) -> None:
        self.blocked.pop(chat_id, None)
        self.member_status.pop((chat_id, self.bot_user["id"]), None)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """The group became a supergroup: requests to ``chat_id`` get 400 migrate_to_chat_id."""
        self.migrated[chat_id] = new_chat_id
        title = self.chat(chat_id).get("title", "Group")
        self.chats.setdefault(new_chat_id, {"id": new_chat_id, "type": "supergroup",
                                            "title": title})

    def last_bot_message(self, chat_id: int) -> dict[str, Any] | None:
        """The latest message the bot sent to ``chat_id``, as it is now."""
        message_id = self._last_bot_message.get(chat_id)
        return self.message(chat_id, message_id) if message_id is not None else None

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """A stored message as it is now (None if unknown or deleted)."""
        found = self.messages.get((chat_id, message_id))
        return copy.deepcopy(found) if found else None

    # ----- lookups

    def check_access(self, chat_id: int) -> None:
        """Refuse requests to a migrated group or a chat the bot was removed from."""
        if chat_id in self.migrated:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": self.migrated[chat_id]})
        if chat_id in self.blocked:
            raise ApiError(403, self.blocked[chat_id])

    def chat(self, chat_id: int) -> dict[str, Any]:
        """The chat, made up from its id if no update named it yet."""
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                user = self.users.get(chat_id, {})
                chat = {"id": chat_id, "type": "private",
                        "first_name": user.get("first_name", "Test")}
            elif str(chat_id).startswith("-100"):
                chat = {"id": chat_id, "type": "supergroup", "title": DEFAULT_TITLES["supergroup"]}
            else:
                chat = {"id": chat_id, "type": "group", "title": DEFAULT_TITLES["group"]}
            self.chats[chat_id] = chat
        return chat

    def user(self, user_id: int, first_name: str = "Test", username: str | None = "tester",
             language_code: str | None = None) -> dict[str, Any]:
        """A user as in Message.from, remembered for later updates."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return user

    def known_user(self, user_id: int) -> dict[str, Any]:
        return self.users.get(user_id) or self.user(user_id)

    def user_chat(self, chat_id: int, chat_type: str, user: dict[str, Any],
                  title: str | None) -> dict[str, Any]:
        """The chat a user writes in, created or updated from what the test said."""
        chat = self.chats.get(chat_id)
        if chat is None or chat["type"] != chat_type:
            chat = {"id": chat_id, "type": chat_type}
            self.chats[chat_id] = chat
        if chat_type == "private":
            chat["first_name"] = user["first_name"]
            chat.pop("username", None)
            if user.get("username"):
                chat["username"] = user["username"]
        else:
            chat["title"] = title or chat.get("title") or DEFAULT_TITLES[chat_type]
        return copy.deepcopy(chat)

    def member(self, chat_id: int, user_id: int, status: str | None = None) -> dict[str, Any]:
        """A ChatMember object for the user's status in the chat (default "member")."""
        if status is None:
            status = self.member_status.get((chat_id, user_id), "member")
        if user_id == self.bot_user["id"]:
            user = self.bot_user
        else:
            user = self.users.get(user_id) or {"id": user_id, "is_bot": False,
                                               "first_name": f"User {user_id}"}
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(can_be_edited=False, is_anonymous=False)
            member.update(dict.fromkeys(ADMIN_RIGHTS, True))
            member.update(dict.fromkeys(NO_ADMIN_RIGHTS.split(), False))
        elif status == "kicked":
            member["until_date"] = 0
        elif status not in ("member", "left"):
            raise NotFaked(f"chat member status {status!r}")
        return member

    # ----- messages

    def next_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def store(self, message: dict[str, Any]) -> None:
        chat_id = message["chat"]["id"]
        self.messages[(chat_id, message["message_id"])] = copy.deepcopy(message)
        if message["message_id"] > self._message_ids.get(chat_id, 0):
            self._message_ids[chat_id] = message["message_id"]

    def learn(self, update: dict[str, Any]) -> None:
        """Remember the chat, sender and message of an update a test queued by hand."""
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            message = update.get(key)
            if isinstance(message, dict) and "chat" in message and "message_id" in message:
                self.chats.setdefault(message["chat"]["id"], copy.deepcopy(message["chat"]))
                if isinstance(message.get("from"), dict):
                    self.users.setdefault(message["from"]["id"], copy.deepcopy(message["from"]))
                self.store(message)

    def bot_message(self, chat_id: int, params: dict[str, Any], text: str,
                    entities: list[dict[str, Any]]) -> dict[str, Any]:
        """Store and return the message the bot just sent (sendMessage's result)."""
        chat = copy.deepcopy(self.chat(chat_id))
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if chat["type"] == "channel":
            message["sender_chat"] = chat
        else:
            message["from"] = self.bot_user
        if entities:
            message["entities"] = entities
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            replied = self.messages.get((chat_id, reply.get("message_id")))
            if replied is not None:
                message["reply_to_message"] = {
                    k: v for k, v in replied.items() if k != "reply_to_message"
                }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        self.store(message)
        self._last_bot_message[chat_id] = message["message_id"]
        return message
