"""bot.text: one script, one case, stems that meet across inflections, spellings and scripts."""

from __future__ import annotations

import pytest

from bot.text import (
    MIN_STEM,
    STOPWORDS,
    content_tokens,
    fold,
    has_cyrillic,
    normalize,
    stem,
    stems,
    tokens,
)

# ----- transliteration -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letter", "latin"),
    [("ә", "a"), ("ғ", "g"), ("қ", "k"), ("ң", "n"), ("ө", "o"), ("ұ", "u"), ("ү", "u"),
     ("һ", "h"), ("і", "i")],
)
def test_kazakh_letters_become_latin(letter: str, latin: str) -> None:
    assert normalize(letter) == latin
    assert normalize(letter.upper()) == latin


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Ашимбаев", "ashimbaev"),
        ("Жақып Асанов", "zhakyp asanov"),
        ("Мәулен Әшімбаев", "maulen ashimbaev"),
        ("Нұрғалиева", "nurgalieva"),
        ("Ысқақова", "yskakova"),
        ("Гүлсана Қожабай", "gulsana kozhabay"),
        ("Щука и ёж", "shchuka i ezh"),
        ("Хацкевич", "khatskevich"),
        ("Юлия Яковлева", "yuliya yakovleva"),
        ("подъезд, Ольга", "podezd olga"),  # the hard and soft signs vanish
    ],
)
def test_cyrillic_transliterates_to_the_usual_latin_spelling(text: str, latin: str) -> None:
    assert normalize(text) == latin


def test_whole_alphabets_transliterate_to_ascii() -> None:
    russian = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    kazakh = "әғқңөұүһі"
    for text in (russian, russian.upper(), kazakh, kazakh.upper()):
        out = normalize(text)
        assert out.isascii() and out.isalpha() and out == out.lower()


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("  Hello,   World!! ", "hello world"),
        ("People's Council", "peoples council"),
        ("People’s Council", "peoples council"),
        ("Café naïve", "cafe naive"),
        ("«Таза Қазақстан»", "taza kazakstan"),
        ("<b>who</b> & <script>", "b who b script"),
        ("1998–2022", "1998 2022"),
        ("😀😀😀", ""),
        ("", ""),
    ],
)
def test_normalize_keeps_only_lowercase_latin_words(text: str, normal: str) -> None:
    assert normalize(text) == normal


def test_has_cyrillic() -> None:
    assert has_cyrillic("Ашимбаев")
    assert has_cyrillic("Ashimbaev / Әшімбаев")
    assert not has_cyrillic("Ashimbaev")
    assert not has_cyrillic("")


# ----- spelling variants and stems ---------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [("assanov", "asanov"), ("ashimbayev", "ashimbaev"), ("nurgaliyeva", "nurgalieva"),
     ("tynybayeva", "tynybaeva"), ("jaksylyk", "zhaksylyk")],
)
def test_fold_merges_spelling_variants(variant: str, canonical: str) -> None:
    assert fold(variant) == fold(canonical)


def _stem_of(word: str) -> str:
    (token,) = normalize(word).split()
    return stem(token)


@pytest.mark.parametrize(
    "forms",
    [
        ("Перепечиной", "Перепечина", "Perepechina", "Perepechinoy", "Перепечину"),
        ("экологии", "экология", "экологию", "экологиях", "ekologiya"),
        ("образование", "образования", "образованию"),
        ("Ашимбаев", "Ashimbayev", "Ashimbaev", "Әшімбаев"),
        ("Nurgaliyeva", "Nurgalieva", "Нургалиева", "Нұрғалиева", "Нургалиевой"),
        ("Tynybaeva", "Tynybayeva", "Тыныбаева", "Тыныбаевой"),
        ("Assanov", "Asanov", "Асанов"),
        ("Kurultai", "Kurultay", "Курултай"),
        ("amendments", "amendment"),
        ("institutions", "institution"),
    ],
)
def test_stems_meet_across_inflections_spellings_and_scripts(forms: tuple[str, ...]) -> None:
    assert len({_stem_of(form) for form in forms}) == 1, [_stem_of(f) for f in forms]


def test_stem_keeps_a_minimum_length_and_numbers() -> None:
    assert stem("olga") == "olga"  # stripping "a" would leave three letters
    assert stem("2060") == "2060"
    assert stem("197") == "197"
    for word in ("perepechinoy", "ekologii", "nurgaliyeva", "institutions", "lardyn"):
        assert len(stem(word)) >= min(MIN_STEM, len(fold(word)))


# ----- tokens and stopwords ------------------------------------------------------------------


def test_tokens_and_content_tokens() -> None:
    assert tokens("Who is the deputy chair of the Senate?") == [
        "who", "is", "the", "deputy", "chair", "of", "the", "senate"]
    assert content_tokens("Who is the deputy chair of the Senate?") == [
        "deputy", "chair", "senate"]
    assert content_tokens("a 9 b days") == ["9", "days"]  # single letters go, digits stay
    assert tokens("") == [] and content_tokens("?!") == [] and stems("") == []


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("who talked about ecology", "ecology"),
        ("кто говорил об экологии", "экология"),
        ("Экология туралы кім айтты?", "экология"),
        ("Экология туралы кім сөйледі?", "экология"),
        ("Что сказала Перепечина?", "Перепечина"),
    ],
)
def test_question_words_are_stopwords_in_all_three_languages(question: str,
                                                             subject: str) -> None:
    assert stems(question) == [_stem_of(subject)]


def test_kazakh_question_words_typed_in_cyrillic_are_stopwords() -> None:
    # "й" transliterates to "y": the Cyrillic spellings must be stopwords, not only "kandai".
    for word in ("қандай", "қайда", "айтты", "сөйледі"):
        assert normalize(word) in STOPWORDS
