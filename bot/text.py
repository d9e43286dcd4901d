"""Text normalization shared by the index and the questions: one script, one case, stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Russian and Kazakh Cyrillic to the Latin spellings people type ("Ашимбаев" -> "ashimbaev").
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
# One pass: Cyrillic to Latin, and apostrophes dropped ("People's" -> "peoples").
_TRANSLIT = str.maketrans({**_CYRILLIC, **dict.fromkeys("'’`ʼ‘")})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_ACCENTS = re.compile(r"[\u0300-\u036f]")  # combining marks NFKD splits off: é -> e + ◌́

# Case, number and possessive endings of Russian, Kazakh and English, as transliterated.
# One pass, longest first, keeping at least four letters, so "Перепечиной", "Perepechina"
# and "экологии" / "экология" meet on the same stem.
_SUFFIXES = sorted(
    {
        # Russian
        "ami", "yami", "iyami", "akh", "yakh", "iyakh", "ov", "ev", "ey", "oy", "om", "em",
        "iem", "ogo", "ego", "omu", "emu", "ymi", "imi", "aya", "yaya", "uyu", "yuyu", "ye",
        "iye", "iy", "yy", "ii", "iya", "iyu", "iey", "ia", "a", "ya", "u", "yu", "y", "i",
        "e", "o", "oye", "ykh", "ikh", "oyu", "eyu", "nyy", "nyi", "naya", "noe",
        "nye", "nogo", "nykh", "ym", "im", "ina", "inoy", "inu", "ino", "inym",
        "ie", "iu", "iakh", "iami",  # -ие, -ию, -иях, -иями once fold() made "iy" "i"
        # Kazakh
        "lar", "ler", "dar", "der", "tar", "ter", "nyn", "nin", "dyn", "din", "tyn", "tin",
        "ga", "ge", "ka", "ke", "na", "ne", "da", "de", "ta", "te", "nda", "nde", "dan", "den",
        "tan", "ten", "nan", "nen", "dy", "di", "ty", "ti", "ny", "ni", "men", "ben", "pen",
        "sy", "si", "larga", "lerge", "lardyn", "lerdin", "lary", "leri", "dagy", "degi",
        "tagy", "tegi", "yndagy", "indegi", "lyk", "lik", "dyk", "dik", "tyk", "tik", "ly", "li",
        # English
        "s", "es", "ed", "ing", "ical", "ally", "al", "ation", "ations", "ment", "ments",
    },
    key=len,
    reverse=True,
)
MIN_STEM = 4
_GENITIVE_PLURAL = ("ykh", "ikh")
MIN_KEPT = 0.6
# Bump when normalize/stem change: stored search text is then rebuilt at the next start.
TEXT_VERSION = 2

# Words that carry the question, not its subject: never matched against names or themes.
STOPWORDS = frozenset(
    """
    a an the of to in on at for about from by with and or as is are was were be been being
    do does did done has have had who whom whose what which when where why how many much
    me us you it its this that these those there their they he she his her him them we our
    tell say said says talk talked talking speak spoke speaking spoken mention mentioned
    mentions discuss discussed raise raised address addressed know about please can could
    would will should any anything something someone anyone somebody does did there here
    i my your than then also only some other more most very actually really exactly
    roughly approximately
    kto chto kakie kakoy kakaya kakoe kakikh kogda gde skolko o ob obo pro v vo na i s so po
    za ot do li eto takoe takaya takoy govoril govorila govorili skazal skazala skazali
    rasskazhi rasskazhite mne vystupal vystupala upominal upominala upomyanul kak chem
    kem komu byl byla bylo byli est ili a no zhe to tot ta te u iz
    kim ne kandai kashan kaida kansha turaly zhane men dedi aitty soiledi soilegen bolgan
    kanday kayda aytty soyledi soylegen tam tuda togda onda sonda
    boldy otti kimder neshe bul sol ma me ba be pa pe osy
    into onto near over under between during before after upon via per within without
    across through toward towards against among around behind beyond since until till
    whether because there's what's who's it's let us
    """.split()
)


STOPWORDS |= frozenset(
    " ".join(
        """
        между для через после перед около без при над под из-за из-под про это этот эта
        эти тот та те что чем чего кто кого какой какая какое какие каких где когда как
        сколько ли же бы вот там тут уже ещё еще очень также тоже был была было были
        үшін кейін дейін арқылы бойынша сияқты және мен бен пен да де та те ма ме ба бе
        па пе бұл осы сол ол олар кім не қандай қашан қайда қанша неше ме қай неге нені
        кімді кімнің кімге қалай деген дегеніміз почему зачем отчего чём чему кому каком
        какой какую каким каких примерно приблизительно около шамамен шамасы
        """.split()
    ).translate(_TRANSLIT).split()
)


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC_RE.search(text))


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Lowercase Latin words separated by single spaces: 'Жақып Асанов!' -> 'zhakyp asanov'."""
    text = text.lower().translate(_TRANSLIT)
    # Drop the accents, but let other non-ASCII marks separate words: "1998–2022" is two.
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return _NON_WORD.sub(" ", text).strip()


def fold(token: str) -> str:
    """Spelling variants of one transliterated word: Assanov/Asanov, Ashimbayev/Ashimbaev."""
    return _collapse(_respell(token))


def _respell(token: str) -> str:
    return token.replace("yev", "ev").replace("yeva", "eva").replace("iy", "i").replace("j", "zh")


def _collapse(token: str) -> str:
    return re.sub(r"(.)\1+", r"\1", token)


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """The token without one case, number or possessive ending.

    The ending comes off before spelling is folded ("Сенаттың" -> senat-tyn, not sena-tyn),
    and only when most of the word stays, so a name is not read as an inflection ("Miranda"
    keeps its "-nda"; else it would meet "мира").
    """
    if token.isdigit():
        return token
    token = _respell(token)
    for suffix in _SUFFIXES:
        rest = len(token) - len(suffix)
        if token.endswith(suffix) and rest >= MIN_STEM and rest >= MIN_KEPT * len(token):
            return _collapse(token[: -len(suffix)])
    return _collapse(token)


@lru_cache(maxsize=65536)
def stem_variants(token: str) -> tuple[str, ...]:
    """Every admissible way to take an ending off, least taken first; stem() is the last.

    Russian and Kazakh endings overlap ("совете": -е or -те), so a question's word is matched
    through whichever variant the index knows.
    """
    if token.isdigit():
        return (token,)
    respelled = _respell(token)
    variants = [_collapse(respelled)]
    for suffix in reversed(_SUFFIXES):
        rest = len(respelled) - len(suffix)
        if respelled.endswith(suffix) and rest >= MIN_STEM and rest >= MIN_KEPT * len(respelled):
            variants.append(_collapse(respelled[:rest]))
    # A short Russian genitive plural keeps too little for the rule above ("данных": dann
    # of dannykh, "dan" once folded), yet "данные" loses its ending: a question's word may
    # meet it either way.
    for suffix in _GENITIVE_PLURAL:
        if respelled.endswith(suffix) and len(respelled) - len(suffix) >= MIN_STEM - 1:
            variants.append(_collapse(respelled[: -len(suffix)]))
    return tuple(dict.fromkeys(variants))


def tokens(text: str) -> list[str]:
    return normalize(text).split()


def names_something(token: str) -> bool:
    """Whether a token can name something: no stopword, no single letter (a digit can)."""
    return token not in STOPWORDS and (len(token) > 1 or token.isdigit())


def content_tokens(text: str) -> list[str]:
    """Tokens that can name something: no stopwords, no single letters."""
    return [t for t in tokens(text) if names_something(t)]


def stems(text: str) -> list[str]:
    return [stem(t) for t in content_tokens(text)]
