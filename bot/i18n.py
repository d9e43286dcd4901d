"""Interface strings in English, Russian and Kazakh from gettext catalogs (bot/locales/*.po).

Why gettext .po: it is the format translators and their tools (Poedit, Weblate) know, and
its Plural-Forms header handles Russian's three plural forms. The .po files are compiled in
memory at start-up with Babel, so there is no build step to forget.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "ru", "kk")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
LOCALES = Path(__file__).resolve().parent / "locales"


def pick_language(code: str | None) -> str:
    """Telegram's language_code ('ru', 'kk-KZ', 'de') to one we speak; English otherwise."""
    base = (code or "").lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalog(lang: str) -> gettext.GNUTranslations:
    with (LOCALES / f"{lang}.po").open("rb") as po:
        messages = read_po(po, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def message_ids(lang: str) -> dict[str, str]:
    """Every key of a language with its text (empty when untranslated); for tests and tools."""
    with (LOCALES / f"{lang}.po").open("rb") as po:
        messages = read_po(po, locale=lang)
    result = {}
    for message in messages:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        text = message.string
        result[key] = " ".join(text) if isinstance(text, tuple) and all(text) else (
            "" if isinstance(text, tuple) else text
        )
    return result


def t(lang: str, key: str, /, **values: object) -> str:
    """The text for `key` in `lang`, with {placeholders} filled in."""
    text = catalog(pick_language(lang)).gettext(key)
    if text == key and lang != DEFAULT_LANGUAGE:
        text = catalog(DEFAULT_LANGUAGE).gettext(key)
    return text.format(**values) if values else text


def tn(lang: str, key: str, count: int, /, **values: object) -> str:
    """Plural-aware text: the catalog holds `key` with msgid_plural `key.plural`."""
    text = catalog(pick_language(lang)).ngettext(key, f"{key}.plural", count)
    if text in (key, f"{key}.plural") and lang != DEFAULT_LANGUAGE:
        text = catalog(DEFAULT_LANGUAGE).ngettext(key, f"{key}.plural", count)
    return text.format(count=count, **values)
