"""The words that shape a question, in English, Russian and Kazakh: what is asked, not about what.

Written as people type them (Cyrillic included) and normalized like the questions, so the
engine compares stems with stems.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.text import STOPWORDS, normalize, stem, stem_variants


def stems_of(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in normalize(words).split())


@lru_cache(maxsize=65536)
def forms(word: str) -> frozenset[str]:
    """Every stem a question's word may have, for comparing with cue words: Russian and
    Kazakh endings overlap ("іс-шараны" must meet "іс-шара")."""
    variants = stem_variants(word)
    return frozenset(variants) | {stem(v) for v in variants}


# Question words and cue words in English, Russian and Kazakh (transliterated, stemmed).
INTENTS: dict[str, frozenset[str]] = {
    "who": stems_of("who whom кто кого кем кому кім кімдер kto kim"),
    # Not "дата": transliterated it is the English "data" ("personal data").
    "when": stems_of("when date day year когда число день год қашан күні жылы kogda kashan"),
    "where": stems_of(
        "where place city venue location где место город қайда қалада жерде орны gde kaida kayda"
    ),
    "how_many": stems_of("many much number сколько количество число қанша неше skolko kansha"),
    "how_long": stems_of(
        "long duration lasted last take took длилось длилась длится долго ұзақ созылды "
        "времени уақыт уақытқа"  # "сколько времени", "қанша уақытқа": how much time
    ),
    "participants": stems_of(
        "people participants participant attended attendees attend took part present came come "
        "gathered присутствовало присутствовал пришли пришло собрались собралось келді жиналды "
        "участники участников участвовали участвовало присутствовали человек людей "
        "қатысушылар қатысушы қатысты қатысқан қатысқандар адам кісі"
    ),
    "agree": stems_of(
        "agree agreed agreement conclusion concluded conclude outcome result results "
        "resolution end итог итоги итогам итогах вывод выводы выводам выводу выводов выводах "
        "согласились пришли договорились "
        "келісті келісім қорытынды нәтиже"
    ),
    "opened": stems_of(
        "opened open opening welcome chaired chair chairman chairperson moderated "
        "moderator led lead headed hosted host presided открыл открыла открытие "
        "вёл вела вел модерировал председательствовал ашты ашқан жүргізді "
        "открывал открывала открывали ашып"
    ),
    "institutions": stems_of(
        "institutions institution organizations organisations organization bodies "
        "учреждения организации институты ведомства мекемелер ұйымдар ұйым институттар"
    ),
    "speakers": stems_of(
        "speakers speaker presenters выступающие выступавшие спикеры докладчики "
        "баяндамашылар баяндамашы сөйлегендер шешендер"
    ),
    "themes": stems_of(
        "themes topics theme topic issues questions matters темы тема тем темах темам "
        "вопросы тақырыптар "
        "тақырып тақырыбы мәселелер мәселе"
    ),
    "list": stems_of(
        "list all every everyone name names список перечисли все всех тізім барлық барлығы"
    ),
    "event": stems_of(
        "event roundtable round table мероприятие круглый стол іс-шара дөңгелек үстел "
        "archive архив архиве архивте мұрағат "  # "the events in the archive"
        "meeting meetings встреча встречи встречах іс-шаралар "
        "событие события событий событиях событии оқиға оқиғалар "
        "кездесу кездесулер кездесулерде кездесуде кездесуінде"  # Kazakh "meeting(s)"
        " session sitting заседание заседании заседания отырыс отырысы отырысында"
    ),
    "heads": stems_of(
        "head heads headed leads leader director руководит возглавляет возглавлял "
        "возглавляла глава руководитель басқарады басшысы жетекшісі"
    ),
    "what_said": stems_of(
        "say said talk talked speak spoke mention mentioned discuss discussed about raise raised "
        "address addressed emphasized stressed highlighted noted focused covered argued proposed "
        "говорил говорила говорили сказал сказала рассказал рассказала "
        "упомянул упомянула туралы айтты айтқан деді сөйледі "
        "touched referred commented выступал выступала выступали упоминал упоминала "
        "упоминали обсуждал обсуждала затрагивал затронул затронула поднимал поднял подняла "
        "отмечал отметил отметила подчеркнул подчеркнула коснулся коснулась тоқталды "
        "қозғады баяндады атап point view views position opinion think thought believe "
        "мнение позиция считает считала пікірі ойы выступил выступила выступили выступило "
        "говорилось обсуждалось айтылды айтылған талқыланды speeches "
        "cited cite cites quoted brought named привёл привел привела привели назвал назвала "
        "назвали келтірді келтірген атады атаған "  # "who cited the figure of 197?"
        "обсуждались обсуждали обсуждается обсуждаются говорится упоминались упоминалось "
        "связаны связан связана связано"  # "события, связанные с X": what was about X
    ),
}
# A verb of speaking or discussing, not "about" alone ("tell me about the roundtable").
SPOKE = INTENTS["what_said"] - stems_of("about туралы")
# "Who spoke first / third / last?": speaking order from ordinal words in the three languages.
ORDINALS: dict[str, int] = {}
for _order, _words in enumerate(
    (
        "first первым первый первая первой бірінші",
        "second вторым второй вторая екінші",
        "third третьим третий третья третьей үшінші",
        "fourth четвёртым четвертым четвёртый четвёртая төртінші",
        "fifth пятым пятый пятая бесінші",
        "sixth шестым шестой шестая алтыншы",
        "seventh седьмым седьмой седьмая жетінші",
        "eighth восьмым восьмой восьмая сегізінші",
    ),
    start=1,
):
    ORDINALS.update(dict.fromkeys(stems_of(_words), _order))
ORDINALS.update(
    dict.fromkeys(
        stems_of(
            "last final concluding последним последний последняя завершал завершала соңғы соңында"
        ),
        -1,
    )
)
# Numbers written as words, two to twenty and the round ones (not "one": "more than one"),
# as written, not transliterated (Kazakh "тең", equal, is no "ten"): "nine days" asks about
# the figure 9 as "9 days" does.
NUMBER_WORDS = {
    word: str(number)
    for number, words in {
        2: "two два две екі", 3: "three три", 4: "four четыре", 5: "five пять бес",
        6: "six шесть алты", 7: "seven семь жеті", 8: "eight восемь сегіз",
        9: "nine девять девяти тоғыз", 10: "ten десять", 11: "eleven одиннадцать",
        12: "twelve двенадцать", 15: "fifteen пятнадцать", 20: "twenty двадцать жиырма",
        30: "thirty тридцать отыз", 100: "hundred сто жүз", 200: "двести",
    }.items()
    for word in words.split()
}
NTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
NOT_SPOKEN = stems_of("didn didnt not never silent сөйлемеді сөйлемеген")
# Russian "не" negates only before a verb of speaking: in Kazakh "не" means "what".
RU_SPEAK = stems_of("выступал выступала выступали говорил говорила говорили")

# Words that may stand beside an event fact without changing the question.
EVENT_WORDS = (
    stems_of(
        "held hold take place happen happened organized organised occur occurred go went "
        "speech speeches address remarks welcome gave give delivered made opening words "
        "речь речью слово выступление приветствие сөз баяндама "
        "проходил проходила проходило прошёл прошел прошла прошло состоялся состоялась "
        "состоялось проводился проводилась организовал өтті өткізілді болды ұйымдастырды "
        "бар "  # Kazakh "there is": "архивте қанша іс-шара бар?"
        "произошло происходило случилось болған "  # "what happened there?"
        "record records записи записей жазба жазбалар "  # "every event you have records for"
    )
    | INTENTS["opened"]
    | INTENTS["agree"]
    | INTENTS["event"]
    | INTENTS["where"]
    | INTENTS["when"]
)

# Cue words that only shape the question; "opened", "agreed" and the event's names stay, as
# they can also name a record ("chair" in "deputy chair", "roundtable").
NOISE = (
    "who",
    "when",
    "where",
    "how_many",
    "how_long",
    "participants",
    "institutions",
    "speakers",
    "themes",
    "what_said",
    "list",
)
NOISE_STEMS = frozenset().union(*(INTENTS[name] for name in NOISE), ORDINALS, NOT_SPOKEN)
CUE_STEMS = frozenset().union(*INTENTS.values(), ORDINALS, NOT_SPOKEN, EVENT_WORDS)
# What a misspelt question word may be a typo of ("abuot", "whta"), so it is not foreign.
FUNCTION_WORDS = sorted(
    {
        *STOPWORDS,
        *(
            normalize(w)
            for w in (
                "about who what which when where speak spoke talk talked said mention mentioned"
            )
        ),
        *(w for w in NOISE_STEMS if len(w) > 3),
    }
)


def numbered(words: list[str]) -> list[int]:
    """Places written with digits: "4th", "4-й" / "4-м" (normalized to "4 y" / "4 m")."""
    places = []
    for index, word in enumerate(words):
        if match := NTH.match(word):
            places.append(int(match.group(1)))
        elif (
            word.isdigit()
            and len(word) <= 2
            and index + 1 < len(words)
            and words[index + 1] in ("y", "i", "m", "ym", "oy", "aya", "shi", "nshi")
        ):
            places.append(int(word))
    return [p for p in places if p > 0]

# Facts no event record holds (money, weather, seats, terms of office, ministers,
# moderators): asked beside a record, the answer is "the record doesn't say" and the nearest
# fact it has, labelled; a record that does name them (a "moderator" role) is matched first.
LACKS = stems_of(
    "funding funded fund budget cost costs money salary salaries price weather temperature "
    "rain seats seat mandates term terms tenure minister ministers moderator moderated "
    "финансирование финансирования бюджет стоимость стоит стоила деньги зарплата погода "
    "мест места мандатов срок сроки министр министра министры модератор модерировал "
    "қаржы қаржыландыру ақша жалақы ауа райы орын орындар мерзім мерзімі өкілеттік министр "
    "модератор "
    # contacts: "the phone number of the Senate press office"
    "phone telephone email contact contacts website телефон почта контакты сайт телефоны "
    "байланыс "
    # votes: the records hold what was said, not how anyone voted
    "vote votes voted voting голосовали голосовал голосование проголосовали дауыс дауыс берді "
    "проголосовало проголосовал проголосовала голосовало дауыс берген "
    # articles: the records say what a draft means, never which article says it
    "article articles clause статья статьи статье статью статей бап бабы бабында баптар"
)
# A person's own facts the records never hold (they say what was said at events): age,
# birth, family, pay. Asked of a person, "the record doesn't say", then who they are.
PERSONAL = stems_of(
    "old age aged born birth birthplace birthday hometown family wife husband children kids "
    "married salary income earn earns paid "
    "возраст лет родился родилась родом рождения семья жена муж дети детей женат замужем "
    "зарплата зарплату доход зарабатывает "
    "жаста жасы жасында жасқа туған туылған отбасы отбасылы әйелі күйеуі балалары жалақы табысы"
)
# "Which initiatives exactly?": a question that wants the items themselves.
WHICH_ITEMS = stems_of("which какие какой какая какое каких какую қандай qandai")

# Small talk: a message made only of these gets a friendly pointer, not "not in the record".
GREETINGS = stems_of(
    "hello hi hey good morning afternoon evening thanks thank you thx "
    "привет здравствуйте здравствуй добрый день утро вечер спасибо благодарю "
    "сәлем сәлеметсіз бе қайырлы таң кеш күн рахмет рақмет"
)
THANKS = stems_of("thanks thank thx спасибо благодарю рахмет рақмет")
