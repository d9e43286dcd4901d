"""Telegram-flavoured HTML as tdlib parses it: plain text and entities, or Telegram's reason."""

from __future__ import annotations

import re
from typing import Any


class HtmlParseError(ValueError):
    """Raised by :func:`parse_html`; ``str(exc)`` is Telegram's reason text."""


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


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
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
