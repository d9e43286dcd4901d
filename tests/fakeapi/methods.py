"""The Bot API methods the bot and PTB call, each checked and answered like Telegram does.

Found with `grep -rn "bot\\.\\|reply_text\\|query\\.\\|edit_message" bot handlers` plus what PTB
calls to start (getMe, deleteWebhook or setWebhook, getUpdates). A method missing here but in
the spec is answered as an internal error of the fake (NotFaked): add it here when the bot
starts calling it.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.fakeapi.checks import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_INLINE_OFFSET_BYTES,
    check_inline_results,
    check_markup,
    format_text,
)
from tests.fakeapi.errors import NOT_MODIFIED, ApiError, NotFaked

if TYPE_CHECKING:
    from tests.fakeapi.core import FakeBotAPI

Handler = Callable[["FakeBotAPI", dict[str, Any]], Any | Awaitable[Any]]
# Methods that post a message: they count against the flood limits and check a reply target.
SENDS = frozenset({"sendMessage", "sendDocument"})
MAX_CAPTION_LENGTH = 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # what a bot may upload
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def require(params: dict[str, Any], name: str) -> Any:
    if params.get(name) is None:
        raise ApiError(400, f"Bad Request: {name} is required")
    return params[name]


def chat_id_of(params: dict[str, Any]) -> int | None:
    """The numeric chat_id parameter (the bot never addresses chats by @username)."""
    raw = params.get("chat_id")
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"-?\d+", raw):
        return int(raw)
    raise ApiError(400, "Bad Request: chat not found")


# ----- the bot and its start


def get_me(fake: FakeBotAPI, params: dict[str, Any]) -> dict[str, Any]:
    return {
        **fake.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(fake: FakeBotAPI, params: dict[str, Any]) -> list[dict[str, Any]]:
    return await fake.get_updates(params, webhook_set=bool(fake.webhook.get("url")))


def set_webhook(fake: FakeBotAPI, params: dict[str, Any]) -> bool:
    url = str(require(params, "url"))
    if url and not url.startswith("https://"):
        raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token")
    if secret is not None and not SECRET_TOKEN.fullmatch(str(secret)):
        raise ApiError(400, "Bad Request: secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        fake.drop_pending_updates()
    fake.webhook = dict(params)
    return True


def delete_webhook(fake: FakeBotAPI, params: dict[str, Any]) -> bool:
    fake.webhook = {}
    if params.get("drop_pending_updates"):
        fake.drop_pending_updates()
    return True


def set_my_commands(fake: FakeBotAPI, params: dict[str, Any]) -> bool:
    commands = require(params, "commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        name = command.get("command", "") if isinstance(command, dict) else ""
        if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        description = command.get("description", "")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    _check_language_code(params)
    return True


def _set_bot_text(name: str, limit: int) -> Handler:
    def handler(fake: FakeBotAPI, params: dict[str, Any]) -> bool:
        if len(str(params.get(name) or "")) > limit:
            raise ApiError(400, f"Bad Request: bot {name.replace('_', ' ')} is too long")
        _check_language_code(params)
        return True

    return handler


def _check_language_code(params: dict[str, Any]) -> None:
    language = params.get("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", str(language)):
        raise ApiError(400, "Bad Request: invalid language code specified")


# ----- messages


def send_message(fake: FakeBotAPI, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = chat_id_of(params)
    assert chat_id is not None  # the spec requires it
    text, entities = format_text(params.get("text"), params.get("parse_mode"),
                                 params.get("entities"), strict=fake.strict_html)
    check_markup(params.get("reply_markup"))
    reply = params.get("reply_parameters")
    if isinstance(reply, dict) and "message_id" in reply:
        target = chat_id_of({"chat_id": reply.get("chat_id", chat_id)})
        known = (target, reply["message_id"]) in fake.chats.messages
        if not known and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
    return fake.chats.bot_message(chat_id, params, text, entities)


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded (a multipart part), as the test reads it back."""

    filename: str
    content: bytes
    mime_type: str


def send_document(fake: FakeBotAPI, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = chat_id_of(params)
    assert chat_id is not None  # the spec requires it
    document = params["document"]
    if not isinstance(document, Upload):
        raise NotFaked("sendDocument by file_id or URL: the bot uploads its files")
    if not document.content:
        raise ApiError(400, "Bad Request: file must be non-empty")
    if len(document.content) > MAX_UPLOAD_BYTES:
        raise ApiError(413, "Request Entity Too Large")
    caption, entities = "", []
    if params.get("caption"):
        caption, entities = format_text(params["caption"], params.get("parse_mode"),
                                        params.get("caption_entities"), strict=fake.strict_html)
        if len(caption) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
    check_markup(params.get("reply_markup"))
    message = fake.chats.bot_message(chat_id, params, "", [])
    del message["text"]
    digest = hashlib.sha256(document.content).hexdigest()
    message["document"] = {"file_id": f"doc-{digest[:32]}", "file_unique_id": digest[:16],
                           "file_name": document.filename, "mime_type": document.mime_type,
                           "file_size": len(document.content)}
    if caption:
        message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
    fake.chats.store(message)
    return message


def edit_message_text(fake: FakeBotAPI, params: dict[str, Any]) -> dict[str, Any]:
    text, entities = format_text(params.get("text"), params.get("parse_mode"),
                                 params.get("entities"), strict=fake.strict_html)
    check_markup(params.get("reply_markup"))
    markup = params.get("reply_markup")
    return _edit(fake, params, {"text": text, "entities": entities,
                                "reply_markup": markup if isinstance(markup, dict) else None})


def edit_message_reply_markup(fake: FakeBotAPI, params: dict[str, Any]) -> dict[str, Any]:
    check_markup(params.get("reply_markup"))
    markup = params.get("reply_markup")
    if not isinstance(markup, dict) or not markup.get("inline_keyboard"):
        markup = None  # no keyboard, or an empty one: the buttons go
    return _edit(fake, params, {"reply_markup": markup})


def _edit(fake: FakeBotAPI, params: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes`` to a message the bot sent; Telegram refuses an edit that changes
    nothing."""
    if params.get("inline_message_id") is not None:
        raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")  # the bot edits no inline messages
    chat_id = chat_id_of({"chat_id": require(params, "chat_id")})
    message = fake.chats.messages.get((chat_id, require(params, "message_id")))
    if message is None:
        raise ApiError(400, "Bad Request: message to edit not found")
    if (message.get("from") or {}).get("id") != fake.bot_id and "sender_chat" not in message:
        raise ApiError(400, "Bad Request: message can't be edited")
    updated = {k: v for k, v in message.items() if k not in changes}
    updated.update({k: v for k, v in changes.items() if v})

    def content(m: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(m.get(k) or None for k in ("text", "entities", "reply_markup"))

    if content(updated) == content(message):
        raise ApiError(400, NOT_MODIFIED)
    updated["edit_date"] = int(time.time())
    fake.chats.store(updated)
    return updated


def delete_message(fake: FakeBotAPI, params: dict[str, Any]) -> bool:
    chat_id = chat_id_of({"chat_id": require(params, "chat_id")})
    assert chat_id is not None
    key = (chat_id, require(params, "message_id"))
    message = fake.chats.messages.get(key)
    if message is None:
        raise ApiError(400, "Bad Request: message to delete not found")
    own = (message.get("from") or {}).get("id") == fake.bot_id
    admin = fake.chats.member_status.get((chat_id, fake.bot_id)) in ("administrator", "creator")
    if not own and message["chat"]["type"] != "private" and not admin:
        raise ApiError(400, "Bad Request: message can't be deleted")
    del fake.chats.messages[key]
    return True


# ----- queries and chats


def answer_callback_query(fake: FakeBotAPI, params: dict[str, Any]) -> bool:
    text = params.get("text")
    if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    fake.close_query(require(params, "callback_query_id"))
    return True


def answer_inline_query(fake: FakeBotAPI, params: dict[str, Any]) -> bool:
    check_inline_results(require(params, "results"), strict=fake.strict_html)
    next_offset = params.get("next_offset")
    if next_offset is not None and len(str(next_offset).encode()) > MAX_INLINE_OFFSET_BYTES:
        raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
    fake.close_query(require(params, "inline_query_id"))
    return True


def get_chat_member(fake: FakeBotAPI, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = chat_id_of(params)
    user_id = require(params, "user_id")
    if not isinstance(user_id, int):
        raise ApiError(400, "Bad Request: invalid user_id specified")
    assert chat_id is not None
    return fake.chats.member(chat_id, user_id)


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "setMyCommands": set_my_commands,
    "setMyDescription": _set_bot_text("description", 512),
    "setMyShortDescription": _set_bot_text("short_description", 120),
    "sendMessage": send_message,
    "sendDocument": send_document,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "answerInlineQuery": answer_inline_query,
    "getChatMember": get_chat_member,
}
