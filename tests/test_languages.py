"""English, Russian and Kazakh: catalogs complete, and each language end to end in the bot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import LANGUAGES, language_of, message_ids, pick_language, t, tn
from tests.botharness import (
    REPO,
    bot_settings,
    buttons,
    converse,
    copy_events,
    press,
    running_bot,
    texts,
)
from tests.fakeapi import DEFAULT_GROUP_ID

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_key_exists_in_every_language_with_the_same_placeholders():
    english = message_ids("en")
    assert len(english) > 50
    for lang in LANGUAGES:
        catalog = message_ids(lang)
        missing = sorted(set(english) - set(catalog))
        empty = sorted(key for key, text in catalog.items() if not text.strip())
        assert not missing, f"{lang} lacks {missing}"
        assert not empty, f"{lang} has untranslated {empty}"
        for key, text in english.items():
            assert set(PLACEHOLDER.findall(catalog[key])) == set(PLACEHOLDER.findall(text)), (
                lang, key)


def test_every_key_the_code_uses_is_in_the_catalog():
    used = set()
    for path in [*REPO.glob("bot/**/*.py"), *REPO.glob("handlers/*.py")]:
        used |= set(re.findall(r"\btn?\(\s*[\w.\[\]\"']+,\s*\"([\w.]+)\"", path.read_text()))
    assert len(used) > 70
    assert not used - set(message_ids("en"))


def test_language_choice_and_plurals():
    assert pick_language("ru") == "ru" and pick_language("kk-KZ") == "kk"
    assert pick_language("de") == "en" and pick_language(None) == "en"
    assert tn("ru", "speakers.header", 1).startswith("1 выступающий")
    assert tn("ru", "speakers.header", 5).startswith("5 выступающих")
    assert t("kk", "lang.set", language="Қазақша") == "Тіл орнатылды: Қазақша."


@pytest.mark.parametrize(("text", "otherwise", "expected"), [
    ("кто говорил об экологии?", "en", "ru"),
    ("кто говорил об экологии?", "kk", "kk"),  # a Kazakh speaker writing Russian words
    ("Экология туралы кім айтты?", "ru", "kk"),  # Kazakh letters
    ("Preambula turaly kım aittı?", "en", "kk"),  # the Latin alphabet of 2021
    ("who spoke first?", "ru", "en"),
    ("Perepechina", "ru", "ru"),  # a name alone tells nothing
    ("2022?", "kk", "kk"),
])
def test_the_language_a_question_is_written_in(text, otherwise, expected):
    assert language_of(text, otherwise) == expected


async def test_russian_user_end_to_end(fake, app):
    ru = {"language_code": "ru"}
    assert "Здравствуйте" in texts(await converse(fake, "/start", **ru))
    speakers = await converse(fake, "/speakers", **ru)
    assert "Ольга Перепечина" in texts(speakers) and "выступающих" in texts(speakers)
    answer = texts(await converse(fake, "Расскажи о Перепечиной", **ru))
    assert "Ольга Перепечина" in answer and "Что было сказано" in answer
    assert "Елдос Абаканов" in texts(await converse(fake, "кто говорил об экологии?", **ru))
    menu = next(c for c in fake.calls_to("setMyCommands") if c.params.get("language_code") == "ru")
    assert any(cmd["description"] == t("ru", "cmd.speakers") for cmd in menu.params["commands"])


async def test_kazakh_user_end_to_end(fake, app):
    kk = {"language_code": "kk"}
    assert "Сәлеметсіз бе" in texts(await converse(fake, "/start", **kk))
    speakers = texts(await converse(fake, "/speakers", **kk))
    assert "Мәулен Әшімбаев" in speakers and "баяндамашы" in speakers
    assert "Жақып Асанов" in texts(await converse(fake, "Асановтың сөзі қандай?", **kk))
    assert "Абақанов" in texts(await converse(fake, "Экология туралы кім айтты?", **kk))


async def test_a_question_is_answered_in_its_own_language_unless_one_was_chosen(fake, app):
    """Telegram has no Kazakh interface: Kazakh and Russian speakers' apps often say "en"."""
    en = {"language_code": "en"}
    russian = await converse(fake, "кто говорил об экологии?", **en)
    assert "Абаканов" in texts(russian) and "кто об этом говорил" in texts(russian)
    # A button under the answer goes on in the language of the question.
    (person,) = [data for label, data in buttons(russian[-1]) if "Абаканов" in label]
    card = texts(await press(fake, person))
    assert "Абаканов" in card and "Что было сказано" in card
    kazakh = texts(await converse(fake, "Экология туралы кім айтты?", **en))
    assert "Абақанов" in kazakh and "бұл туралы кім айтты" in kazakh
    assert "who spoke about it" in texts(await converse(fake, "who talked about ecology?", **en))
    await converse(fake, "/lang", **en)
    await press(fake, "v1|lang|en")  # a choice made with /lang wins over the question's
    assert "who spoke about it" in texts(await converse(fake, "кто говорил об экологии?", **en))


async def test_lang_switch_persists_across_a_restart(fake, tmp_path, loaded_database):
    settings = bot_settings(fake, tmp_path, database=loaded_database)
    async with running_bot(fake, settings):
        choose = await converse(fake, "/lang")
        assert [d for _, d in buttons(choose[-1])] == ["v1|lang|en", "v1|lang|ru", "v1|lang|kk"]
        calls = await press(fake, "v1|lang|kk")
        edited = next(c for c in calls if c.method == "editMessageText")
        assert "Тіл орнатылды" in edited.params["text"]
        assert "Сәлеметсіз бе" in texts(await converse(fake, "/start"))
    async with running_bot(fake, settings):
        assert "Сәлеметсіз бе" in texts(await converse(fake, "/start"))
        assert "Абақанов" in texts(await converse(fake, "who talked about ecology?"))


async def test_only_group_admins_set_the_group_language(fake, app):
    group = {"chat_type": "group"}
    await converse(fake, "/lang@RecordBot", **group)
    calls = await press(fake, "v1|lang|ru", chat_id=DEFAULT_GROUP_ID)
    refusal = next(c for c in calls if c.method == "answerCallbackQuery")
    assert "администратор" in refusal.params["text"] or "administrators" in refusal.params["text"]
    fake.set_chat_member_status(DEFAULT_GROUP_ID, 1001, "administrator")
    await converse(fake, "/lang@RecordBot", **group)
    await press(fake, "v1|lang|ru", chat_id=DEFAULT_GROUP_ID)
    assert "Здравствуйте" in texts(await converse(fake, "/start@RecordBot", **group))
    assert "Hello" in texts(await converse(fake, "/start"))  # the user's own chat is unchanged


async def test_missing_translation_falls_back_to_marked_english(fake, tmp_path):
    events = copy_events(tmp_path)
    (events / "english-only.toml").write_text("\n".join([
        "schema = 2", "[event]", 'id = "english-only"', 'title = "Town hall"',
        "date = 2026-04-01", 'city = "Shymkent"', "participants_count = 50",
        'participants_description = "residents"', 'conclusion = "They agreed."',
        'summary = "A town hall."', 'sources = ["https://example.org/town-hall"]',
        "[[people]]", 'id = "host"', 'name = "Aigerim Host"', "[[participants]]",
        'person = "host"', 'role = "Moderator"', "order = 1", "opened = true",
    ]) + "\n", encoding="utf-8")
    async with running_bot(fake, bot_settings(fake, tmp_path, EVENTS_PATH=str(events))):
        answer = texts(await converse(fake, "/event", language_code="ru"))
    assert "Town hall [en]" in answer and "Shymkent [en]" in answer
    assert "Итог:" in answer  # the interface itself stays Russian


def test_ask_cli_takes_lang(tmp_path: Path, cli):
    import json

    result = cli("ask", "--json", "--lang", "ru", "кто открыл круглый стол",
                 database=tmp_path / "bot.db")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert {"question", "text", "kind", "entities"} <= set(answer)
    assert "Мәулен" not in answer["text"] and "Маулен Ашимбаев" in answer["text"]
