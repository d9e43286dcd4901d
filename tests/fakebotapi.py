"""A fake Telegram Bot API server for tests.

``FakeBotAPI`` is an aiohttp server on 127.0.0.1 that answers like ``api.telegram.org``
closely enough for the real python-telegram-bot stack to poll it over real HTTP::

    async with FakeBotAPI() as fake:
        app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
        ...
        fake.send_text("/start")
        call = await fake.wait_for(lambda c: c.method == "sendMessage")

It validates requests the way Telegram does (HTML parse errors, text/caption length, inline
keyboards, inline query results, required/unknown parameters against the Bot API spec when
``shared/telegram-bot-api/api.min.json`` is available), records every call, and can inject
failures (429/403/400 migrate) and flood limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import itertools
import json
import math
import random
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

__all__ = ["ApiError", "Call", "FakeBotAPI", "HtmlParseError", "parse_html"]

DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[2] / "shared/telegram-bot-api/api.min.json"
DEFAULT_USER_ID = 1001
DEFAULT_GROUP_ID = -4001
DEFAULT_SUPERGROUP_ID = -1001234567890
DEFAULT_CHANNEL_ID = -1009876543210

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_KEYBOARD_BUTTONS = 100
GLOBAL_FLOOD_LIMIT = 30  # messages per second, all chats together
GROUP_FLOOD_LIMIT = 20  # messages per minute into one group/supergroup/channel

# Sent by PTB 22.8 when ``telegram.ext.Defaults`` sets them, even to methods that do not accept
# them (e.g. editMessageReplyMarkup gets parse_mode/disable_notification/protect_content).
# Telegram silently ignores unknown parameters, so they are tolerated and recorded.
PTB_DEFAULTS_PARAMS = frozenset({"parse_mode", "disable_notification", "protect_content"})

UPDATE_TYPES_NOT_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset(
    (
        "typing upload_photo record_video upload_video record_voice upload_voice "
        "upload_document choose_sticker find_location record_video_note upload_video_note"
    ).split()
)
INLINE_BUTTON_ACTIONS = tuple(
    (
        "url callback_data web_app login_url switch_inline_query "
        "switch_inline_query_current_chat switch_inline_query_chosen_chat copy_text "
        "callback_game pay"
    ).split()
)
# Parameters that are plain strings; used to decode form values when no spec is available.
STRING_PARAMS = frozenset(
    (
        "action address animation audio business_connection_id callback_query_id caption "
        "currency custom_emoji_id description document emoji explanation file_id first_name "
        "inline_message_id inline_query_id language_code last_name message_effect_id "
        "message_text name next_offset parse_mode payload phone_number photo question query "
        "secret_token short_description sticker text thumbnail title url video video_note voice"
    ).split()
)
# Methods known without a spec (besides the implemented ones); they return True.
FALLBACK_TRUE_METHODS = frozenset(
    (
        "approveChatJoinRequest banChatMember close declineChatJoinRequest deleteChatPhoto "
        "deleteChatStickerSet deleteMessages logOut pinChatMessage promoteChatMember "
        "restrictChatMember setChatDescription setChatMenuButton setChatPermissions "
        "setChatTitle setMessageReaction setMyDefaultAdministratorRights unbanChatMember "
        "unpinAllChatMessages unpinChatMessage"
    ).split()
)
MEDIA_METHODS = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendAudio": "audio",
    "sendVideo": "video",
    "sendAnimation": "animation",
    "sendVoice": "voice",
    "sendVideoNote": "video_note",
    "sendSticker": "sticker",
}
NOT_FLOOD_COUNTED = frozenset({"sendChatAction", "sendMessageDraft"})
QUERY_EXPIRED = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An error answer of the Bot API (``ok: false``)."""

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


class HtmlParseError(ValueError):
    """Raised by :func:`parse_html`; ``str(exc)`` is Telegram's reason text."""


@dataclass
class Call:
    """One recorded HTTP request to the fake."""

    method: str
    params: dict[str, Any]
    time: float
    response: dict[str, Any] = field(default_factory=dict)
    status: int = 200

    @property
    def ok(self) -> bool:
        """Whether the request succeeded."""
        return bool(self.response.get("ok"))

    @property
    def chat_id(self) -> Any:
        """The ``chat_id`` parameter, if any."""
        return self.params.get("chat_id")

    @property
    def result(self) -> Any:
        """The ``result`` of a successful response."""
        return self.response.get("result")


@dataclass
class _Failure:
    method: str
    error: ApiError
    chat_id: int | None
    times: int


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Telegram's entity offset unit)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _is_space(ch: str) -> bool:
    return ch in " \t\r\n\v\0"


_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TAGS = frozenset(
    ("a b strong i em s strike del u ins tg-spoiler tg-emoji span pre code blockquote").split()
)
_SIMPLE_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}


def _decode_html_entity(src: str, pos: int, *, strict: bool) -> tuple[str, int] | None:
    """Decode the character reference at ``src[pos] == '&'`` like tdlib does.

    Returns the character and the index after the reference, or None if it is not one.
    With ``strict`` the terminating ``;`` is required.
    """
    n = len(src)
    end = pos + 1
    if end < n and src[end] == "#":
        end += 1
        hexa = end < n and src[end] == "x"
        digits = "0123456789abcdefABCDEF" if hexa else "0123456789"
        if hexa:
            end += 1
        start = end
        while end < n and src[end] in digits:
            end += 1
        if end == start or end - pos >= 10:
            return None
        code = int(src[start:end], 16 if hexa else 10)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < n and src[end].isascii() and src[end].isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(src[pos + 1 : end], "")
        if not char:
            return None
    if end < n and src[end] == ";":
        return char, end + 1
    if strict:
        return None
    return char, end


def _ampersand_error(src: str, pos: int) -> HtmlParseError:
    match = re.match(r"&(#x[0-9a-fA-F]*|#[0-9]*|[A-Za-z]*);", src[pos:])
    offset = _byte_offset(src, pos)
    if match:
        return HtmlParseError(
            f'Unsupported HTML entity "{match.group(0)}" at byte offset {offset}'
        )
    return HtmlParseError(f"Can't find end of the entity starting at byte offset {offset}")


def parse_html(src: str, *, strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram-flavoured HTML into plain text and MessageEntity dicts.

    Follows tdlib's ``parse_html`` (same accepted tags, attributes and error texts). With
    ``strict`` (default) a ``&`` must start ``&lt;``, ``&gt;``, ``&amp;``, ``&quot;`` or a numeric
    reference ending in ``;``; Telegram itself keeps such a bare ``&`` literally.
    Raises :class:`HtmlParseError` with Telegram's reason text.
    """
    n = len(src)

    def at(k: int) -> str:
        return src[k] if k < n else "\0"

    out: list[str] = []
    u16 = 0
    stack: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < n:
        c = src[i]
        if c == "&":
            decoded = _decode_html_entity(src, i, strict=strict)
            if decoded is not None:
                out.append(decoded[0])
                u16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise _ampersand_error(src, i)
        if c != "<":
            out.append(c)
            u16 += utf16_len(c)
            i += 1
            continue
        begin = i
        boff = _byte_offset(src, begin)
        i += 1
        if at(i) != "/":
            while not _is_space(at(i)) and at(i) != ">":
                i += 1
            if i >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {boff}")
            tag = src[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {boff}')
            argument = ""
            expandable = False
            while at(i) != ">":
                while i < n and _is_space(src[i]):
                    i += 1
                if at(i) == ">":
                    break
                attr_begin = i
                while not _is_space(at(i)) and at(i) not in "=>":
                    i += 1
                attr_name = src[attr_begin:i].lower()
                if not attr_name:
                    raise HtmlParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {boff}'
                    )
                while i < n and _is_space(src[i]):
                    i += 1
                if at(i) != "=":
                    if tag == "blockquote" and attr_name == "expandable":
                        expandable = True
                        continue
                    raise HtmlParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {boff}'
                    )
                i += 1
                while i < n and _is_space(src[i]):
                    i += 1
                if i >= n:
                    raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {boff}')
                if src[i] not in "'\"":
                    token_begin = i
                    while i < n and ((src[i].isascii() and src[i].isalnum()) or src[i] in ".-"):
                        i += 1
                    value = src[token_begin:i].lower()
                    if not _is_space(at(i)) and at(i) != ">":
                        raise HtmlParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(src, token_begin)}"
                        )
                else:
                    quote = src[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and src[i] != quote:
                        if src[i] == "&":
                            decoded = _decode_html_entity(src, i, strict=strict)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                            if strict:
                                raise _ampersand_error(src, i)
                        chars.append(src[i])
                        i += 1
                    if i < n:
                        i += 1
                    value = "".join(chars)
                if i >= n:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {boff}")
                if (tag == "a" and attr_name == "href") or (
                    tag == "tg-emoji" and attr_name == "emoji-id"
                ):
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
            if tag == "span" and argument != "spoiler":
                raise HtmlParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {boff}'
                )
            stack.append(
                {
                    "tag": tag,
                    "arg": argument,
                    "offset": u16,
                    "out": len(out),
                    "expandable": expandable,
                }
            )
        else:
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {boff}")
            while not _is_space(at(i)) and at(i) != ">":
                i += 1
            end_tag = src[begin + 2 : i].lower()
            while i < n and _is_space(src[i]):
                i += 1
            if at(i) != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {boff}")
            top = stack.pop()
            if end_tag and end_tag != top["tag"]:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {boff}, expected "</{top["tag"]}>", '
                    f'found "</{end_tag}>"'
                )
            if u16 > top["offset"]:
                _close_entity(top, u16, "".join(out[top["out"] :]), entities)
        i += 1
    if stack:
        raise HtmlParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1]["tag"]}"'
        )
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_entity(
    top: dict[str, Any], u16: int, inner: str, entities: list[dict[str, Any]]
) -> None:
    tag, arg = top["tag"], top["arg"]
    span = {"offset": top["offset"], "length": u16 - top["offset"]}
    last = entities[-1] if entities else None
    same_span = last is not None and (last["offset"], last["length"]) == (
        span["offset"],
        span["length"],
    )
    if tag in _SIMPLE_TAG_TYPES:
        entities.append({"type": _SIMPLE_TAG_TYPES[tag], **span})
    elif tag == "tg-emoji":
        if not arg.isdigit() or int(arg) == 0 or int(arg) >= 2**63:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        entities.append({"type": "custom_emoji", **span, "custom_emoji_id": arg})
    elif tag == "a":
        url = arg or inner
        user = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if user:
            user_obj = {"id": int(user.group(1)), "is_bot": False, "first_name": ""}
            entities.append({"type": "text_mention", **span, "user": user_obj})
        elif url:
            entities.append({"type": "text_link", **span, "url": url})
    elif tag == "pre":
        if last is not None and same_span and last["type"] == "code" and last.get("language"):
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", **span})
    elif tag == "code":
        if last is not None and same_span and last["type"] == "pre" and arg:
            last["language"] = arg
        else:
            entity = {"type": "code", **span}
            if arg:
                entity["language"] = arg
            entities.append(entity)
    elif tag == "blockquote":
        kind = "expandable_blockquote" if top["expandable"] else "blockquote"
        entities.append({"type": kind, **span})


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip surrounding whitespace like Telegram, shifting and clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


def _find_user_entities(text: str) -> list[dict[str, Any]]:
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


def _valid_button_url(url: str) -> bool:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme in ("tg", "ton"):
        return bool(parts.netloc or parts.path)
    if parts.scheme not in ("http", "https"):
        return False
    host = parts.hostname or ""
    return "." in host and " " not in url


def _update_type(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeBotAPI:
    """In-process fake of the Telegram Bot API server, reachable over real HTTP."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        bot_username: str = "RecordBot",
        bot_id: int = 123456,
        spec_path: str | Path | None = DEFAULT_SPEC_PATH,
        flood_limits: bool = False,
        strict_html: bool = True,
        max_long_poll: float = 1.0,
    ) -> None:
        """Configure the fake; call :meth:`start` (or use ``async with``) to serve.

        ``spec_path`` is used only if the file exists. ``strict_html`` rejects a bare ``&``
        (Telegram keeps it literally). ``max_long_poll`` caps getUpdates waits in seconds.
        """
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id
        self.flood_limits = flood_limits
        self.strict_html = strict_html
        self.max_long_poll = max_long_poll
        self.spec: dict[str, Any] | None = None
        if spec_path is not None and Path(spec_path).is_file():
            self.spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
        self._spec_methods: dict[str, dict[str, Any]] = (self.spec or {}).get("methods", {})

        self.calls: list[Call] = []
        self.sent_messages: list[dict[str, Any]] = []
        self.flood_429_count = 0
        self.ignored_params: list[tuple[str, str]] = []
        self.internal_errors: list[Exception] = []
        self.files: dict[str, bytes] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.bot_texts: dict[tuple[str, str], str] = {}
        self.webhook: dict[str, Any] = {}
        self.base_url = ""
        self.base_file_url = ""
        self.port = 0

        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(100_000_001)
        self._allowed_updates: set[str] | None = None
        self._poll_generation = 0
        self._chats: dict[int, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._message_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._last_bot_message: dict[int, tuple[int, int]] = {}
        self._member_status: dict[tuple[int, int], str] = {}
        self._blocked: dict[int, str] = {}
        self._migrated: dict[int, int] = {}
        self._failures: list[_Failure] = []
        self._open_queries: set[str] = set()
        self._query_ids = itertools.count(4_000_000_001)
        self._file_ids = itertools.count(1)
        self._flood_global: deque[float] = deque()
        self._flood_chat: dict[int, deque[float]] = {}
        self._delay = 0.0
        self._closing = False
        self._update_signal = asyncio.Event()
        self._call_signal = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Callable[[dict[str, Any], dict[str, Any]], Any]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "sendMediaGroup": self._send_media_group,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_bot_text("description", 512),
            "getMyDescription": self._get_bot_text("description"),
            "setMyShortDescription": self._set_bot_text("short_description", 120),
            "getMyShortDescription": self._get_bot_text("short_description"),
            "setMyName": self._set_bot_text("name", 64),
            "getMyName": self._get_bot_text("name"),
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "getChatMemberCount": self._get_chat_member_count,
            "leaveChat": self._leave_chat,
            "getFile": self._get_file,
            "getUserProfilePhotos": lambda p, f: {"total_count": 0, "photos": []},
            "getChatMenuButton": lambda p, f: {"type": "default"},
        }
        generic_sends = {
            *MEDIA_METHODS,
            "sendLocation",
            "sendDice",
            "sendContact",
            "sendVenue",
            "sendPoll",
        }
        generic_sends |= {
            name
            for name, spec in self._spec_methods.items()
            if name.startswith("send") and spec.get("returns") == ["Message"]
        }
        for method in generic_sends - set(self._handlers) - NOT_FLOOD_COUNTED:
            self._handlers[method] = functools.partial(self._send_other, method)
        known = set(self._spec_methods) or (set(self._handlers) | FALLBACK_TRUE_METHODS)
        self._methods = {name.lower(): name for name in known}

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Serve on 127.0.0.1 with a random free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{self.port}/bot"
        self.base_file_url = f"http://127.0.0.1:{self.port}/file/bot"

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._closing = True
        self._notify_updates()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot as a User object (as in Message.from)."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_username,
            "username": self.bot_username,
        }

    # ---------------------------------------------------------------- test controls

    def calls_to(self, method: str) -> list[Call]:
        """Recorded calls of ``method`` (case-insensitive)."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def set_delay(self, seconds: float) -> None:
        """Add artificial latency to every request."""
        self._delay = seconds

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        parameters: dict[str, Any] | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (optionally to ``chat_id``) with an error.

        ``description`` is sent as given, e.g. ``"Too Many Requests: retry after 1"`` with
        ``parameters={"retry_after": 1}``.
        """
        error = ApiError(error_code, description, parameters)
        self._failures.append(_Failure(method.lower(), error, chat_id, times))

    def kick(self, chat_id: int) -> None:
        """Make every later request about ``chat_id`` fail with 403 (kicked/blocked)."""
        kind = self._chat(chat_id)["type"]
        if kind == "private":
            self._blocked[chat_id] = "Forbidden: bot was blocked by the user"
        else:
            self._blocked[chat_id] = f"Forbidden: bot was kicked from the {kind} chat"
        self._member_status[(chat_id, self.bot_id)] = "kicked"

    def unkick(self, chat_id: int) -> None:
        """Undo :meth:`kick` (the bot was added back / unblocked)."""
        self._blocked.pop(chat_id, None)
        self._member_status.pop((chat_id, self.bot_id), None)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """Upgrade a group: later requests to ``chat_id`` get 400 with migrate_to_chat_id."""
        self._migrated[chat_id] = new_chat_id
        old = self._chat(chat_id)
        self._chats.setdefault(
            new_chat_id,
            {"id": new_chat_id, "type": "supergroup", "title": old.get("title", "Group")},
        )

    def set_chat_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """What getChatMember returns for the user ("creator", "administrator", ...)."""
        self._member_status[(chat_id, user_id)] = status

    def add_chat(
        self,
        chat_id: int,
        chat_type: str,
        *,
        title: str | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        """Register a chat (e.g. a channel reachable as ``@username``)."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = title or "Test"
        else:
            chat["title"] = title or f"Test {chat_type}"
        if username:
            chat["username"] = username
        self._chats[chat_id] = chat
        return chat

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Queued updates not yet confirmed via getUpdates ``offset``."""
        return copy.deepcopy(self._updates)

    def last_bot_message(self, chat_id: int) -> dict[str, Any] | None:
        """Current state of the latest message the bot sent to ``chat_id``."""
        key = self._last_bot_message.get(chat_id)
        return copy.deepcopy(self._messages[key]) if key in self._messages else None

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """Current state of a stored message (None if unknown or deleted)."""
        found = self._messages.get((chat_id, message_id))
        return copy.deepcopy(found) if found else None

    # ---------------------------------------------------------------- updates

    def add_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; assigns and returns a fresh ``update_id``."""
        update = copy.deepcopy(update)
        update["update_id"] = next(self._update_ids)
        self._register(update)
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
        """Queue a text message from a user; returns the update_id.

        Private chats: ``chat_id`` equals ``user_id`` (both default to 1001). Groups default to
        ``DEFAULT_GROUP_ID``/``DEFAULT_SUPERGROUP_ID``/``DEFAULT_CHANNEL_ID``.
        """
        chat_id, user_id = self._resolve_ids(chat_type, chat_id, user_id)
        user = self._make_user(user_id, first_name, username, language_code)
        chat = self._user_chat(chat_id, chat_type, user, title)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if chat_type == "channel":
            message["sender_chat"] = chat
        else:
            message["from"] = user
        entities = _find_user_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to_message is not None:
            replied = copy.deepcopy(reply_to_message)
            replied.pop("reply_to_message", None)
            message["reply_to_message"] = replied
        update_type = "channel_post" if chat_type == "channel" else "message"
        return self.add_update({update_type: message})

    def press_button(
        self,
        callback_data: str,
        *,
        message: dict[str, Any] | None = None,
        chat_id: int | None = None,
        user_id: int | None = None,
        language_code: str = "en",
    ) -> int:
        """Queue a callback_query for a button of a bot message; returns the update_id.

        ``message`` defaults to the last bot message in ``chat_id`` (default: the user's private
        chat). Raises ValueError if that message has no button with ``callback_data``.
        """
        if message is None:
            if chat_id is None:
                chat_id = user_id if user_id is not None else DEFAULT_USER_ID
            message = self.last_bot_message(chat_id)
            if message is None:
                raise ValueError(f"the bot has not sent a message to chat {chat_id}")
        else:
            current = self.message(message["chat"]["id"], message["message_id"])
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
        user = self._users.get(user_id) or self._make_user(user_id, "Test", "tester", None)
        user = {**user, "language_code": language_code}
        query = {
            "id": str(next(self._query_ids)),
            "from": user,
            "message": message,
            "chat_instance": str(abs(hash(("chat_instance", chat["id"])))),
            "data": callback_data,
        }
        return self.add_update({"callback_query": query})

    def inline_query(
        self,
        query: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        language_code: str = "en",
        offset: str = "",
        chat_type: str | None = "sender",
    ) -> int:
        """Queue an inline_query update; returns the update_id."""
        user = self._users.get(user_id) or self._make_user(user_id, "Test", "tester", None)
        inline = {
            "id": str(next(self._query_ids)),
            "from": {**user, "language_code": language_code},
            "query": query,
            "offset": offset,
        }
        if chat_type:
            inline["chat_type"] = chat_type
        return self.add_update({"inline_query": inline})

    def chat_member_update(
        self,
        chat_id: int,
        *,
        new_status: str,
        old_status: str,
        chat_type: str | None = None,
        user_id: int = DEFAULT_USER_ID,
    ) -> int:
        """Queue a my_chat_member update about the bot, changed by ``user_id``.

        ``chat_type`` defaults to "private" for positive ids, else the known type or "group".
        Leaving/kicked statuses make later requests to the chat fail like Telegram's.
        """
        if chat_type is None:
            known = self._chats.get(chat_id)
            chat_type = "private" if chat_id > 0 else (known or {}).get("type", "group")
        user = self._users.get(user_id) or self._make_user(user_id, "Test", "tester", None)
        chat = self._user_chat(chat_id, chat_type, user, None)
        old = self._member_obj(chat_id, self.bot_id, old_status)
        new = self._member_obj(chat_id, self.bot_id, new_status)
        if new_status in ("kicked", "left"):
            self.kick(chat_id)
            if new_status == "left" and chat_type != "private":
                self._blocked[chat_id] = f"Forbidden: bot is not a member of the {chat_type} chat"
        else:
            self.unkick(chat_id)
        self._member_status[(chat_id, self.bot_id)] = new_status
        update = {
            "chat": chat,
            "from": user,
            "date": int(time.time()),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return self.add_update({"my_chat_member": update})

    # ---------------------------------------------------------------- waiting

    async def wait_for(
        self,
        predicate: Callable[[Call], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the public API
        *,
        since: int = 0,
    ) -> Call:
        """Return the first recorded call (from index ``since``) matching ``predicate``."""
        deadline = time.monotonic() + timeout
        while True:
            signal = self._call_signal
            for call in self.calls[since:]:
                if predicate(call):
                    return call
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                recent = [f"{c.method}({c.status})" for c in self.calls[-10:]]
                raise TimeoutError(f"no matching call within {timeout}s; last calls: {recent}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), remaining)

    async def wait_for_calls(
        self,
        method: str,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the public API
    ) -> list[Call]:
        """Wait until ``method`` was called ``count`` times; return those first calls."""
        deadline = time.monotonic() + timeout
        while True:
            signal = self._call_signal
            found = self.calls_to(method)
            if len(found) >= count:
                return found[:count]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{method} called {len(found)}/{count} times in {timeout}s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), remaining)

    def _notify_updates(self) -> None:
        self._update_signal.set()
        self._update_signal = asyncio.Event()

    def _notify_calls(self) -> None:
        self._call_signal.set()
        self._call_signal = asyncio.Event()

    # ---------------------------------------------------------------- HTTP layer

    async def _handle(self, request: web.Request) -> web.Response:
        started = time.monotonic()
        raw_method = request.match_info["method"]
        method = self._methods.get(raw_method.lower(), raw_method)
        params: dict[str, Any] = {}
        files: dict[str, Any] = {}
        try:
            token = request.match_info["token"]
            if token != self.token:
                if re.fullmatch(r"\d+:[\w-]+", token):
                    raise ApiError(401, "Unauthorized")
                raise ApiError(404, "Not Found")
            if raw_method.lower() not in self._methods:
                raise ApiError(404, "Not Found")
            if self._delay:
                await asyncio.sleep(self._delay)
            params, files = await self._read_params(request, method)
            result = await self._dispatch(method, params, files)
            status, payload = 200, {"ok": True, "result": result}
        except ApiError as err:
            status, payload = err.error_code, err.payload()
        except Exception as exc:  # a bug in the fake or input it cannot handle
            self.internal_errors.append(exc)
            status, payload = 500, ApiError(500, f"Internal Server Error: {exc!r}").payload()
        self.calls.append(Call(method, params, started, payload, status))
        self._notify_calls()
        return web.json_response(payload, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        content = self.files.get(path.rsplit("/", 1)[-1])
        if request.match_info["token"] != self.token or content is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        return web.Response(body=content, content_type="application/octet-stream")

    async def _read_params(
        self, request: web.Request, method: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, Any] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError as exc:
                    raise ApiError(400, "Bad Request: can't parse JSON object") from exc
                if not isinstance(body, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        content = value.file.read()
                        file_id = f"FILE{next(self._file_ids)}"
                        self.files[file_id] = content
                        files[key] = {
                            "file_id": file_id,
                            "file_name": value.filename,
                            "size": len(content),
                        }
                    else:
                        raw[key] = value
        fields = {f["name"]: f for f in self._spec_methods.get(method, {}).get("fields", [])}
        params = {
            key: self._decode(value, fields[key]["types"] if key in fields else None, key)
            for key, value in raw.items()
        }
        params.update(files)
        return params, files

    @staticmethod
    def _decode(value: Any, types: list[str] | None, name: str) -> Any:
        if not isinstance(value, str):
            return value
        if types is None:
            if name in STRING_PARAMS:
                return value
            try:
                return json.loads(value)
            except ValueError:
                return value
        if types == ["String"]:
            return value
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        matches = {
            "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "Boolean": lambda v: isinstance(v, bool),
            "True": lambda v: v is True,
        }
        for kind in types:
            check = matches.get(kind)
            if check is not None:
                if check(decoded):
                    return decoded
            elif kind.startswith("Array"):
                if isinstance(decoded, list):
                    return decoded
            elif kind not in ("String", "InputFile") and isinstance(decoded, dict):
                return decoded
        return value if "String" in types or "InputFile" in types else decoded

    # ---------------------------------------------------------------- dispatch

    async def _dispatch(self, method: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id = self._chat_id_of(params)
        self._injected_failure(method, chat_id)
        self._check_spec(method, params, files)
        if chat_id is not None:
            self._check_chat_access(chat_id)
        handler = self._handlers.get(method)
        if handler is None:
            return True
        is_send = self._is_counted_send(method)
        if is_send and chat_id is not None:
            self._validate_send(method, params)
            self._check_flood(chat_id, bool(params.get("allow_paid_broadcast")))
        result = handler(params, files)
        if asyncio.iscoroutine(result):
            result = await result
        if is_send and chat_id is not None and self.flood_limits:
            now = time.monotonic()
            self._flood_global.append(now)
            if chat_id < 0:
                self._flood_chat.setdefault(chat_id, deque()).append(now)
        return result

    def _chat_id_of(self, params: dict[str, Any]) -> int | None:
        if "chat_id" not in params:
            return None
        raw = params["chat_id"]
        if isinstance(raw, bool):
            raise ApiError(400, "Bad Request: chat not found")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str):
            if re.fullmatch(r"-?\d+", raw):
                return int(raw)
            if raw.startswith("@"):
                for chat in self._chats.values():
                    public = chat["type"] != "private" and chat.get("username")
                    if public and public.lower() == raw[1:].lower():
                        return chat["id"]
        raise ApiError(400, "Bad Request: chat not found")

    def _injected_failure(self, method: str, chat_id: int | None) -> None:
        for failure in self._failures:
            if failure.method != method.lower():
                continue
            if failure.chat_id is not None and failure.chat_id != chat_id:
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            raise failure.error

    def _check_spec(self, method: str, params: dict[str, Any], files: dict[str, Any]) -> None:
        spec = self._spec_methods.get(method)
        if spec is None:
            return
        fields = {f["name"]: f for f in spec.get("fields", [])}
        for name in params:
            if name in fields or name in files:
                continue
            if name in PTB_DEFAULTS_PARAMS:
                self.ignored_params.append((method, name))
                continue
            raise ApiError(400, f"Bad Request: unknown parameter {name}")
        for name, spec_field in fields.items():
            if spec_field.get("required") and name not in params:
                if name == "text":
                    raise ApiError(400, "Bad Request: message text is empty")
                raise ApiError(400, f"Bad Request: {name} is required")

    def _check_chat_access(self, chat_id: int) -> None:
        if chat_id in self._migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )
        if chat_id in self._blocked:
            raise ApiError(403, self._blocked[chat_id])

    @staticmethod
    def _is_counted_send(method: str) -> bool:
        if method in NOT_FLOOD_COUNTED:
            return False
        return method.startswith("send") or method in (
            "copyMessage",
            "copyMessages",
            "forwardMessage",
            "forwardMessages",
        )

    def _check_flood(self, chat_id: int, paid: bool) -> None:
        if not self.flood_limits:
            return
        now = time.monotonic()
        window = self._flood_global
        while window and now - window[0] >= 1.0:
            window.popleft()
        retry: float | None = None
        if not paid and len(window) >= GLOBAL_FLOOD_LIMIT:
            retry = window[0] + 1.0 - now
        if chat_id < 0:
            chat_window = self._flood_chat.setdefault(chat_id, deque())
            while chat_window and now - chat_window[0] >= 60.0:
                chat_window.popleft()
            if len(chat_window) >= GROUP_FLOOD_LIMIT:
                retry = max(retry or 0.0, chat_window[0] + 60.0 - now)
        if retry is not None:
            self.flood_429_count += 1
            seconds = max(1, math.ceil(retry))
            raise ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )

    # ---------------------------------------------------------------- validation

    def _require(self, params: dict[str, Any], name: str) -> Any:
        if params.get(name) is None:
            raise ApiError(400, f"Bad Request: {name} is required")
        return params[name]

    def _format(
        self,
        text: Any,
        parse_mode: Any,
        entities: Any,
        *,
        caption: bool = False,
    ) -> tuple[str, list[dict[str, Any]]]:
        """Parse and validate message text or caption like Telegram."""
        text = "" if text is None else str(text)
        parsed: list[dict[str, Any]] = list(entities) if isinstance(entities, list) else []
        mode = (parse_mode or "").lower() if isinstance(parse_mode, str) else ""
        if mode == "html":
            try:
                text, parsed = parse_html(text, strict=self.strict_html)
            except HtmlParseError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
        elif mode not in ("", "markdown", "markdownv2"):
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        text, parsed = _trim(text, parsed)
        if caption:
            if len(text) > MAX_CAPTION_LENGTH:
                raise ApiError(400, "Bad Request: message caption is too long")
        elif not text:
            raise ApiError(400, "Bad Request: message text is empty")
        elif len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        return text, parsed

    def _validate_markup(self, markup: Any, *, inline_only: bool = False) -> None:
        if markup is None:
            return
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array')
            buttons = [button for row in rows for button in row]
            if len(buttons) > MAX_KEYBOARD_BUTTONS:
                raise ApiError(400, "Bad Request: reply markup is too long")
            for button in buttons:
                self._validate_inline_button(button)
            return
        if inline_only:
            raise ApiError(400, "Bad Request: inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError(400, 'Bad Request: field "keyboard" must be an Array')
            for row in rows:
                for button in row:
                    text = button.get("text") if isinstance(button, dict) else button
                    if not isinstance(text, str) or not text:
                        raise ApiError(400, "Bad Request: keyboard button text must be non-empty")
            return
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")

    @staticmethod
    def _validate_inline_button(button: Any) -> None:
        prefix = "Bad Request: can't parse inline keyboard button"
        if not isinstance(button, dict):
            raise ApiError(400, f"{prefix}: InlineKeyboardButton must be an Object")
        text = button.get("text")
        if not isinstance(text, str):
            raise ApiError(400, f'{prefix}: Field "text" must be of type String')
        actions = [key for key in INLINE_BUTTON_ACTIONS if key in button]
        if not text or not actions:
            raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        if len(actions) > 1:
            raise ApiError(
                400, f"{prefix}: exactly one of the optional fields must be used, got {actions}"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not _valid_button_url(url):
                raise ApiError(400, f"Bad Request: inline keyboard button URL '{url}' is invalid")

    def _validate_send(self, method: str, params: dict[str, Any]) -> None:
        """Checks shared by all sending methods (reply target)."""
        reply = params.get("reply_parameters")
        if isinstance(reply, dict) and "message_id" in reply:
            target_chat = reply.get("chat_id", params.get("chat_id"))
            try:
                target = self._chat_id_of({"chat_id": target_chat})
            except ApiError:
                target = None
            known = target is not None and (target, reply["message_id"]) in self._messages
            if not known and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")

    # ---------------------------------------------------------------- state helpers

    @staticmethod
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

    def _make_user(
        self, user_id: int, first_name: str, username: str | None, language_code: str | None
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return user

    def _user_chat(
        self, chat_id: int, chat_type: str, user: dict[str, Any], title: str | None
    ) -> dict[str, Any]:
        chat = self._chats.get(chat_id)
        if chat is None or chat["type"] != chat_type:
            chat = {"id": chat_id, "type": chat_type}
            if chat_type == "private":
                chat["first_name"] = user["first_name"]
                if user.get("username"):
                    chat["username"] = user["username"]
            else:
                chat["title"] = title or {
                    "group": "Test Group",
                    "supergroup": "Test Supergroup",
                    "channel": "Test Channel",
                }.get(chat_type, "Test Chat")
            self._chats[chat_id] = chat
        elif chat_type == "private":
            chat["first_name"] = user["first_name"]
            chat.pop("username", None)
            if user.get("username"):
                chat["username"] = user["username"]
        elif title:
            chat["title"] = title
        return copy.deepcopy(chat)

    def _chat(self, chat_id: int) -> dict[str, Any]:
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                user = self._users.get(chat_id, {})
                chat = {
                    "id": chat_id,
                    "type": "private",
                    "first_name": user.get("first_name", "Test"),
                }
                if user.get("username"):
                    chat["username"] = user["username"]
            elif str(chat_id).startswith("-100"):
                chat = {"id": chat_id, "type": "supergroup", "title": "Test Supergroup"}
            else:
                chat = {"id": chat_id, "type": "group", "title": "Test Group"}
            self._chats[chat_id] = chat
        return chat

    def _next_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _store(self, message: dict[str, Any]) -> None:
        chat_id = message["chat"]["id"]
        self._messages[(chat_id, message["message_id"])] = copy.deepcopy(message)
        if message["message_id"] > self._message_ids.get(chat_id, 0):
            self._message_ids[chat_id] = message["message_id"]

    def _register(self, update: dict[str, Any]) -> None:
        """Learn chats, users, messages and query ids from a queued update."""
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            message = update.get(key)
            if isinstance(message, dict) and "chat" in message and "message_id" in message:
                self._chats.setdefault(message["chat"]["id"], copy.deepcopy(message["chat"]))
                if isinstance(message.get("from"), dict):
                    self._users.setdefault(message["from"]["id"], copy.deepcopy(message["from"]))
                self._store(message)
        for key in ("callback_query", "inline_query"):
            query = update.get(key)
            if isinstance(query, dict) and "id" in query:
                self._open_queries.add(str(query["id"]))

    def _bot_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        chat = copy.deepcopy(self._chat(chat_id))
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
        }
        if chat["type"] == "channel":
            message["sender_chat"] = chat
        else:
            message["from"] = self.bot_user
        thread = params.get("message_thread_id")
        if thread is not None:
            message["message_thread_id"] = thread
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            replied = self._messages.get((chat_id, reply.get("message_id")))
            if replied is not None:
                message["reply_to_message"] = {
                    k: v for k, v in replied.items() if k != "reply_to_message"
                }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        return message

    def _remember_bot_message(self, message: dict[str, Any]) -> dict[str, Any]:
        self._store(message)
        chat_id = message["chat"]["id"]
        self._last_bot_message[chat_id] = (chat_id, message["message_id"])
        self.sent_messages.append(copy.deepcopy(message))
        return message

    def _file_obj(self, value: Any, kind: str) -> dict[str, Any]:
        if isinstance(value, dict) and "file_id" in value:
            file_id, size = value["file_id"], value["size"]
        else:
            file_id = str(value)
            if file_id.startswith("attach://"):
                file_id = file_id[len("attach://") :]
            size = len(self.files.get(file_id, b""))
        base: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}"[:32],
            "file_size": size,
        }
        extra: dict[str, dict[str, Any]] = {
            "video": {"width": 640, "height": 360, "duration": 1},
            "animation": {"width": 320, "height": 240, "duration": 1},
            "audio": {"duration": 1},
            "voice": {"duration": 1},
            "video_note": {"length": 240, "duration": 1},
            "sticker": {
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            },
        }
        return {**base, **extra.get(kind, {})}

    def _member_obj(self, chat_id: int, user_id: int, status: str | None = None) -> dict[str, Any]:
        if status is None:
            status = self._member_status.get((chat_id, user_id), "member")
        if user_id == self.bot_id:
            user = self.bot_user
        else:
            user = self._users.get(user_id) or {
                "id": user_id,
                "is_bot": False,
                "first_name": f"User {user_id}",
            }
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=True,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
                can_pin_messages=True,
            )
        elif status == "restricted":
            member.update({"is_member": True, "until_date": 0})
            for right in (
                "can_send_messages",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
                "can_send_polls",
                "can_send_other_messages",
                "can_add_web_page_previews",
                "can_react_to_messages",
                "can_edit_tag",
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
                "can_manage_topics",
            ):
                member[right] = False
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _edit_target(self, params: dict[str, Any]) -> dict[str, Any] | None:
        """The stored bot message an edit refers to; None for inline messages."""
        if params.get("inline_message_id") is not None:
            return None
        chat_id = self._chat_id_of({"chat_id": self._require(params, "chat_id")})
        message_id = self._require(params, "message_id")
        message = self._messages.get((chat_id, message_id)) if chat_id is not None else None
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if (message.get("from") or {}).get("id") != self.bot_id and "sender_chat" not in message:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _finish_edit(self, message: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        updated = {k: v for k, v in message.items() if k not in changes}
        updated.update({k: v for k, v in changes.items() if v})

        def content(m: dict[str, Any]) -> tuple[Any, ...]:
            keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
            return tuple(m.get(k) or None for k in keys)

        if content(updated) == content(message):
            raise ApiError(400, NOT_MODIFIED)
        updated["edit_date"] = int(time.time())
        self._store(updated)
        self.sent_messages.append(copy.deepcopy(updated))
        return updated

    # ---------------------------------------------------------------- method handlers

    def _true(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return True

    def _get_me(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = set(allowed) or None
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
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            self._updates = [u for u in self._updates if self._is_allowed(u)]
            if self._updates or time.monotonic() >= deadline:
                return copy.deepcopy(self._updates[:limit])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), deadline - time.monotonic())

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = _update_type(update)
        if self._allowed_updates is None:
            return kind not in UPDATE_TYPES_NOT_DEFAULT
        return kind in self._allowed_updates

    def _set_webhook(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        url = self._require(params, "url")
        if url and not str(url).startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = dict(params)
        return True

    def _delete_webhook(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.get("allowed_updates"):
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _send_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id_of(params)
        assert chat_id is not None
        text, entities = self._format(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        self._validate_markup(params.get("reply_markup"))
        message = self._bot_message(chat_id, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        if isinstance(params.get("link_preview_options"), dict):
            message["link_preview_options"] = params["link_preview_options"]
        return self._remember_bot_message(message)

    def _send_other(
        self, method: str, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        """sendPhoto/sendDocument/sendLocation/sendDice/...: a Message with a stub payload."""
        chat_id = self._chat_id_of(params)
        assert chat_id is not None
        caption, caption_entities = self._format(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        self._validate_markup(params.get("reply_markup"))
        message = self._bot_message(chat_id, params)
        for kind in MEDIA_METHODS.values():
            if kind in params:
                obj = self._file_obj(params[kind], kind)
                message[kind] = [{**obj, "width": 1280, "height": 720}] if kind == "photo" else obj
                break
        if "latitude" in params and "longitude" in params:
            location = {"latitude": params["latitude"], "longitude": params["longitude"]}
            if "title" in params and "address" in params:
                message["venue"] = {
                    "location": location,
                    "title": params["title"],
                    "address": params["address"],
                }
            message["location"] = location
        if "phone_number" in params:
            message["contact"] = {
                "phone_number": params["phone_number"],
                "first_name": params.get("first_name", ""),
            }
        if method == "sendDice":
            message["dice"] = {"emoji": params.get("emoji") or "🎲", "value": random.randint(1, 6)}
        elif method == "sendPoll":
            options = [o if isinstance(o, dict) else {"text": str(o)} for o in params["options"]]
            message["poll"] = {
                "id": str(next(self._query_ids)),
                "question": params.get("question", ""),
                "options": [
                    {"persistent_id": str(i), "text": o.get("text", ""), "voter_count": 0}
                    for i, o in enumerate(options)
                ],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": params.get("is_anonymous", True),
                "type": params.get("type", "regular"),
                "allows_multiple_answers": bool(params.get("allows_multiple_answers")),
                "allows_revoting": False,
                "members_only": False,
            }
        if caption:
            message["caption"] = caption
            if caption_entities:
                message["caption_entities"] = caption_entities
        return self._remember_bot_message(message)

    def _send_media_group(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> list[dict[str, Any]]:
        chat_id = self._chat_id_of(params)
        assert chat_id is not None
        media = self._require(params, "media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of messages in the media group")
        group_id = str(next(self._query_ids))
        result = []
        for item in media:
            caption, caption_entities = self._format(
                item.get("caption"),
                item.get("parse_mode"),
                item.get("caption_entities"),
                caption=True,
            )
            message = self._bot_message(chat_id, params)
            message["media_group_id"] = group_id
            kind = item.get("type", "document")
            obj = self._file_obj(item.get("media", ""), kind)
            message[kind] = [{**obj, "width": 1280, "height": 720}] if kind == "photo" else obj
            if caption:
                message["caption"] = caption
                if caption_entities:
                    message["caption_entities"] = caption_entities
            result.append(self._remember_bot_message(message))
        return result

    def _source_message(self, params: dict[str, Any], what: str) -> dict[str, Any]:
        from_chat = self._chat_id_of({"chat_id": self._require(params, "from_chat_id")})
        source = self._messages.get((from_chat, self._require(params, "message_id")))
        if source is None:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        return source

    def _copy_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id_of(params)
        assert chat_id is not None
        source = self._source_message(params, "copy")
        self._validate_markup(params.get("reply_markup"))
        message = self._bot_message(chat_id, params)
        for key, value in source.items():
            if key not in message and key not in ("from", "sender_chat", "reply_markup"):
                message[key] = copy.deepcopy(value)
        if "caption" in params:
            caption, entities = self._format(
                params["caption"],
                params.get("parse_mode"),
                params.get("caption_entities"),
                caption=True,
            )
            message["caption"] = caption
            message.pop("caption_entities", None)
            if entities:
                message["caption_entities"] = entities
        self._remember_bot_message(message)
        return {"message_id": message["message_id"]}

    def _forward_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id_of(params)
        assert chat_id is not None
        source = self._source_message(params, "forward")
        message = self._bot_message(chat_id, {})
        for key, value in source.items():
            if key not in message and key not in ("from", "sender_chat", "reply_markup"):
                message[key] = copy.deepcopy(value)
        sender = source.get("from")
        if sender is not None:
            message["forward_origin"] = {
                "type": "user",
                "sender_user": sender,
                "date": source["date"],
            }
        else:
            message["forward_origin"] = {
                "type": "chat",
                "sender_chat": source["chat"],
                "date": source["date"],
            }
        return self._remember_bot_message(message)

    def _edit_message_text(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        text, entities = self._format(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        self._validate_markup(params.get("reply_markup"), inline_only=True)
        message = self._edit_target(params)
        if message is None:
            return True
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        markup = params.get("reply_markup")
        return self._finish_edit(
            message,
            {
                "text": text,
                "entities": entities,
                "reply_markup": markup if isinstance(markup, dict) else None,
            },
        )

    def _edit_message_caption(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        caption, entities = self._format(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        self._validate_markup(params.get("reply_markup"), inline_only=True)
        message = self._edit_target(params)
        if message is None:
            return True
        if "text" in message:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        markup = params.get("reply_markup")
        return self._finish_edit(
            message,
            {
                "caption": caption,
                "caption_entities": entities,
                "reply_markup": markup if isinstance(markup, dict) else None,
            },
        )

    def _edit_message_reply_markup(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self._validate_markup(params.get("reply_markup"), inline_only=True)
        message = self._edit_target(params)
        if message is None:
            return True
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and not markup.get("inline_keyboard"):
            markup = None
        return self._finish_edit(message, {"reply_markup": markup})

    def _delete_message(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        chat_id = self._chat_id_of({"chat_id": self._require(params, "chat_id")})
        assert chat_id is not None
        key = (chat_id, self._require(params, "message_id"))
        message = self._messages.get(key)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        own = (message.get("from") or {}).get("id") == self.bot_id
        status = self._member_status.get((chat_id, self.bot_id), "member")
        if (
            not own
            and message["chat"]["type"] != "private"
            and status
            not in (
                "administrator",
                "creator",
            )
        ):
            raise ApiError(400, "Bad Request: message can't be deleted")
        del self._messages[key]
        return True

    def _send_chat_action(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _answer_callback_query(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        text = params.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query_id = str(self._require(params, "callback_query_id"))
        if query_id not in self._open_queries:
            raise ApiError(400, QUERY_EXPIRED)
        self._open_queries.discard(query_id)
        return True

    def _answer_inline_query(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        results = self._require(params, "results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict):
                raise ApiError(400, "Bad Request: can't parse inline query result")
            result_id = str(result.get("id", ""))
            if not 1 <= len(result_id.encode()) <= 64:
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
            if result_id in seen:
                raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
            seen.add(result_id)
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                self._format(
                    content["message_text"], content.get("parse_mode"), content.get("entities")
                )
            if "caption" in result:
                self._format(
                    result["caption"],
                    result.get("parse_mode"),
                    result.get("caption_entities"),
                    caption=True,
                )
            self._validate_markup(result.get("reply_markup"), inline_only=True)
        next_offset = params.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode()) > 64:
            raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        query_id = str(self._require(params, "inline_query_id"))
        if query_id not in self._open_queries:
            raise ApiError(400, QUERY_EXPIRED)
        self._open_queries.discard(query_id)
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        language = params.get("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", str(language)):
            raise ApiError(400, "Bad Request: invalid language code specified")
        return json.dumps(scope, sort_keys=True), str(language)

    def _set_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        commands = self._require(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            description = command.get("description", "")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params)
        if commands:
            self.commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        else:
            self.commands.pop(key, None)
        return True

    def _get_my_commands(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _set_bot_text(
        self, name: str, limit: int
    ) -> Callable[[dict[str, Any], dict[str, Any]], bool]:
        def handler(params: dict[str, Any], files: dict[str, Any]) -> bool:
            value = params.get(name) or ""
            if len(str(value)) > limit:
                raise ApiError(400, f"Bad Request: bot {name.replace('_', ' ')} is too long")
            key = (name, str(params.get("language_code") or ""))
            if value:
                self.bot_texts[key] = str(value)
            else:
                self.bot_texts.pop(key, None)
            return True

        return handler

    def _get_bot_text(self, name: str) -> Callable[[dict[str, Any], dict[str, Any]], Any]:
        def handler(params: dict[str, Any], files: dict[str, Any]) -> dict[str, str]:
            language = str(params.get("language_code") or "")
            value = self.bot_texts.get((name, language)) or self.bot_texts.get((name, ""), "")
            if name == "name" and not value:
                value = self.bot_username
            return {name: value}

        return handler

    def _get_chat(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id_of(params)
        assert chat_id is not None
        return {
            **copy.deepcopy(self._chat(chat_id)),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id_of(params)
        user_id = self._require(params, "user_id")
        if not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: invalid user_id specified")
        assert chat_id is not None
        return self._member_obj(chat_id, user_id)

    def _get_chat_administrators(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> list[dict[str, Any]]:
        chat_id = self._chat_id_of(params)
        assert chat_id is not None
        if self._chat(chat_id)["type"] == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [
            self._member_obj(chat_id, user_id)
            for (chat, user_id), status in self._member_status.items()
            if chat == chat_id and status in ("creator", "administrator")
        ]

    def _get_chat_member_count(self, params: dict[str, Any], files: dict[str, Any]) -> int:
        chat_id = self._chat_id_of(params)
        members = {u for (c, u), s in self._member_status.items() if c == chat_id}
        return max(len(members), 2)

    def _leave_chat(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        chat_id = self._chat_id_of(params)
        assert chat_id is not None
        kind = self._chat(chat_id)["type"]
        if kind == "private":
            raise ApiError(
                400, "Bad Request: chat member status can't be changed in private chats"
            )
        self._blocked[chat_id] = f"Forbidden: bot is not a member of the {kind} chat"
        self._member_status[(chat_id, self.bot_id)] = "left"
        return True

    def _get_file(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        file_id = str(self._require(params, "file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}"[:32],
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}",
        }
