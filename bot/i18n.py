"""Interface strings in English, Russian and Kazakh from gettext catalogs (bot/locales/*.po).

Why gettext .po: it is the format translators and their tools (Poedit, Weblate) know, and
its Plural-Forms header handles Russian's three plural forms. The .po files are compiled in
memory at start-up with Babel, so there is no build step to forget.
"""

from __future__ import annotations

import gettext
import io
import re
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "ru", "kk")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
LOCALES = Path(__file__).resolve().parent / "locales"


# Letters only Kazakh has, in Cyrillic and in the Latin alphabet of 2021.
_KAZAKH_LETTERS = frozenset("әғқңөұүһі" "şığñū")
_ENGLISH_WORDS = frozenset(
    "who what when where which why how did does do was were is are the about of said say "
    "spoke speak talked talk tell me please".split())


def language_of(text: str, otherwise: str) -> str:
    """The language a message is written in, as far as its letters tell: Kazakh by its own
    letters, Russian by Cyrillic without them (Kazakh when `otherwise` is), English by its
    common words; `otherwise` when they don't tell ("Perepechina", "2022")."""
    low = text.lower()
    letters = [c for c in low if c.isalpha()]
    if not letters:
        return otherwise
    if _KAZAKH_LETTERS.intersection(letters):
        return "kk"
    if sum("а" <= c <= "я" or c == "ё" for c in letters) > len(letters) / 2:
        return "kk" if otherwise == "kk" else "ru"
    words = set(re.findall(r"[a-z]+", low))
    return "en" if words & _ENGLISH_WORDS else otherwise


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
