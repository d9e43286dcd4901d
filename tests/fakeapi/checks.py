"""Telegram's checks on what the bot sends: message text, HTML, keyboards, inline results."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.fakeapi.errors import ApiError, NotFaked
from tests.fakeapi.html import HtmlParseError, parse_html, trim

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_KEYBOARD_BUTTONS = 100
MAX_INLINE_RESULTS = 50
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_INLINE_OFFSET_BYTES = 64
INLINE_BUTTON_ACTIONS = tuple(
    (
        "url callback_data web_app login_url switch_inline_query "
        "switch_inline_query_current_chat switch_inline_query_chosen_chat copy_text "
        "callback_game pay"
    ).split()
)


def format_text(
    text: Any, parse_mode: Any, entities: Any, *, strict: bool = True
) -> tuple[str, list[dict[str, Any]]]:
    """Message text as Telegram stores it (entities parsed, whitespace trimmed), or refused.

    With ``strict`` a bare ``&`` is an error (Telegram keeps it literally, but it means the
    bot forgot to escape something).
    """
    text = "" if text is None else str(text)
    parsed: list[dict[str, Any]] = list(entities) if isinstance(entities, list) else []
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        try:
            text, parsed = parse_html(text, strict=strict)
        except HtmlParseError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
    elif mode:
        raise NotFaked(f"parse_mode {parse_mode!r}: the bot sends HTML")
    text, parsed = trim(text, parsed)
    if not text:
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")
    return text, parsed


def check_markup(markup: Any) -> None:
    """An inline keyboard Telegram accepts; reply keyboards are not faked."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        raise NotFaked(f"reply markup {sorted(markup)}: the bot sends inline keyboards only")
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array')
    buttons = [button for row in rows for button in row]
    if len(buttons) > MAX_KEYBOARD_BUTTONS:
        raise ApiError(400, "Bad Request: reply markup is too long")
    for button in buttons:
        _check_inline_button(button)


def _check_inline_button(button: Any) -> None:
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


def _valid_button_url(url: str) -> bool:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme in ("tg", "ton"):
        return bool(parts.netloc or parts.path)
    if parts.scheme not in ("http", "https"):
        return False
    host = parts.hostname or ""
    return "." in host and " " not in url


def check_inline_results(results: Any, *, strict: bool = True) -> None:
    """answerInlineQuery's results: at most 50, unique ids, valid text and keyboards."""
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
        if not isinstance(content, dict) or "message_text" not in content:
            raise NotFaked("inline results other than articles with message text")
        format_text(content["message_text"], content.get("parse_mode"),
                    content.get("entities"), strict=strict)
        check_markup(result.get("reply_markup"))
