"""Write synthetic event files in the format of data/events, for benchmarks.

    python benchmarks/generate.py --scale 100 --out /tmp/events100 [--seed 7]

Scale N writes N events (about 9 participants, 50 statements, 6 institutions and 11 themes
each). People and institutions recur across events, as in a real archive: each is defined
once, in the first event that names them, and one alias names one record (the shipped files'
names included). The output is deterministic for a seed. Names are plausible Kazakh and
Russian names in Latin with Russian and Kazakh Cyrillic aliases; roles, institutions, themes
with keywords and statements in English, Russian and Kazakh come from word pools; some
statements carry figures, some are the participants' together. Every event is dated before
the shipped ones' latest (2015-2025), so "the roundtable" still means the shipped event when
both are loaded. The files pass `bot.records.files.parse_all`, alone or with data/events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.records.archive import alias_key

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "events"

# ----- pools: (English or Latin, Russian, Kazakh) ---------------------------------------------

MALE = [
    ("Nurlan", "Нурлан", "Нұрлан"), ("Yerlan", "Ерлан", "Ерлан"), ("Askar", "Аскар", "Асқар"),
    ("Marat", "Марат", "Марат"), ("Serik", "Серик", "Серік"), ("Bolat", "Болат", "Болат"),
    ("Dauren", "Даурен", "Дәурен"), ("Aidos", "Айдос", "Айдос"), ("Arman", "Арман", "Арман"),
    ("Timur", "Тимур", "Темір"), ("Ruslan", "Руслан", "Руслан"), ("Kanat", "Канат", "Қанат"),
    ("Baurzhan", "Бауржан", "Бауыржан"), ("Yerbol", "Ербол", "Ербол"),
    ("Daniyar", "Данияр", "Данияр"), ("Zhanibek", "Жанибек", "Жәнібек"),
    ("Maksat", "Максат", "Мақсат"), ("Talgat", "Талгат", "Талғат"), ("Sergey", "Сергей", "Сергей"),
    ("Dmitry", "Дмитрий", "Дмитрий"), ("Alexey", "Алексей", "Алексей"), ("Igor", "Игорь", "Игорь"),
    ("Andrey", "Андрей", "Андрей"), ("Viktor", "Виктор", "Виктор"), ("Azamat", "Азамат", "Азамат"),
    ("Galym", "Галым", "Ғалым"), ("Yerzhan", "Ержан", "Ержан"), ("Olzhas", "Олжас", "Олжас"),
]
FEMALE = [
    ("Aigerim", "Айгерим", "Айгерім"), ("Dana", "Дана", "Дана"), ("Gulnara", "Гульнара", "Гүлнар"),
    ("Saule", "Сауле", "Сәуле"), ("Zhanna", "Жанна", "Жанна"), ("Aliya", "Алия", "Әлия"),
    ("Madina", "Мадина", "Мадина"), ("Asel", "Асель", "Әсел"), ("Aizhan", "Айжан", "Айжан"),
    ("Dinara", "Динара", "Динара"), ("Gulmira", "Гульмира", "Гүлмира"),
    ("Botagoz", "Ботагоз", "Ботагөз"), ("Elena", "Елена", "Елена"),
    ("Natalia", "Наталья", "Наталья"), ("Irina", "Ирина", "Ирина"), ("Olga", "Ольга", "Ольга"),
    ("Tatiana", "Татьяна", "Татьяна"), ("Svetlana", "Светлана", "Светлана"),
    ("Kamila", "Камила", "Камила"), ("Laura", "Лаура", "Лаура"), ("Zarina", "Зарина", "Зарина"),
    ("Ainur", "Айнур", "Айнұр"), ("Akmaral", "Акмарал", "Ақмарал"),
    ("Raushan", "Раушан", "Раушан"),
]
# Kazakh surnames: a first part and a second part, then -ov/-ev (-ova/-eva), -uly/-kyzy.
SUR_HEAD = [
    ("Nur", "Нур", "Нұр"), ("Ak", "Ак", "Ақ"), ("Kara", "Кара", "Қара"), ("Zhan", "Жан", "Жан"),
    ("Bek", "Бек", "Бек"), ("Yer", "Ер", "Ер"), ("Sar", "Сар", "Сар"), ("Aman", "Аман", "Аман"),
    ("Dos", "Дос", "Дос"), ("Bai", "Бай", "Бай"), ("Tur", "Тур", "Тұр"), ("Kul", "Кул", "Құл"),
    ("Sul", "Сул", "Сұл"), ("Ali", "Али", "Әли"), ("Ser", "Сер", "Сер"), ("Tok", "Ток", "Тоқ"),
    ("Zhaks", "Жакс", "Жақс"), ("Yesen", "Есен", "Есен"), ("Mukh", "Мух", "Мұх"),
    ("Kas", "Кас", "Қас"), ("Us", "Ус", "Ұс"), ("Sag", "Саг", "Сағ"), ("Tas", "Тас", "Тас"),
    ("Zhu", "Жу", "Жұ"), ("Ora", "Ора", "Ора"), ("Sha", "Ша", "Ша"), ("Kai", "Кай", "Қай"),
    ("Tle", "Тле", "Тле"), ("Mam", "Мам", "Мам"), ("Ot", "От", "От"), ("Ras", "Рас", "Рас"),
    ("Dzhun", "Джун", "Жүн"),
]
SUR_TAIL = [
    ("gali", "гали", "ғали"), ("bek", "бек", "бек"), ("tay", "тай", "тай"),
    ("zhan", "жан", "жан"), ("bay", "бай", "бай"), ("kul", "кул", "құл"),
    ("mukhan", "мухан", "мұхан"), ("sultan", "султан", "сұлтан"), ("gazy", "газы", "ғазы"),
    ("bol", "бол", "бол"), ("nazar", "назар", "назар"), ("temir", "темир", "темір"),
    ("kan", "кан", "қан"), ("bergen", "берген", "берген"), ("gul", "гуль", "гүл"),
    ("daulet", "даулет", "дәулет"), ("mat", "мат", "мат"), ("ym", "ым", "ым"),
    ("an", "ан", "ан"), ("zhar", "жар", "жар"), ("ken", "кен", "кен"), ("sen", "сен", "сен"),
]
RUSSIAN_SURNAMES = [
    ("Petrov", "Петров"), ("Ivanov", "Иванов"), ("Smirnov", "Смирнов"),
    ("Kuznetsov", "Кузнецов"), ("Popov", "Попов"), ("Volkov", "Волков"), ("Sokolov", "Соколов"),
    ("Lebedev", "Лебедев"), ("Kozlov", "Козлов"), ("Novikov", "Новиков"), ("Morozov", "Морозов"),
    ("Pavlov", "Павлов"), ("Semenov", "Семенов"), ("Golubev", "Голубев"),
    ("Vinogradov", "Виноградов"), ("Bogdanov", "Богданов"), ("Orlov", "Орлов"),
    ("Zaitsev", "Зайцев"), ("Belov", "Белов"), ("Medvedev", "Медведев"), ("Gusev", "Гусев"),
    ("Tarasov", "Тарасов"), ("Kiselev", "Киселев"), ("Makarov", "Макаров"),
]
CITIES = [
    ("Astana", "Астана", "Астана"), ("Almaty", "Алматы", "Алматы"),
    ("Shymkent", "Шымкент", "Шымкент"), ("Karaganda", "Караганда", "Қарағанды"),
    ("Aktobe", "Актобе", "Ақтөбе"), ("Pavlodar", "Павлодар", "Павлодар"),
    ("Atyrau", "Атырау", "Атырау"), ("Kostanay", "Костанай", "Қостанай"),
    ("Taraz", "Тараз", "Тараз"), ("Oral", "Уральск", "Орал"),
    ("Turkistan", "Туркестан", "Түркістан"), ("Kyzylorda", "Кызылорда", "Қызылорда"),
    ("Semey", "Семей", "Семей"), ("Aktau", "Актау", "Ақтау"),
    ("Oskemen", "Усть-Каменогорск", "Өскемен"), ("Petropavl", "Петропавловск", "Петропавл"),
]
# Fields of institutions: English, Russian genitive, Kazakh.
FIELDS = [
    ("Education", "образования", "Білім"), ("Energy", "энергетики", "Энергетика"),
    ("Ecology", "экологии", "Экология"), ("Digital Development", "цифрового развития",
                                          "Цифрлық даму"),
    ("Healthcare", "здравоохранения", "Денсаулық сақтау"),
    ("Agriculture", "сельского хозяйства", "Ауыл шаруашылығы"),
    ("Transport", "транспорта", "Көлік"), ("Justice", "юстиции", "Әділет"),
    ("Culture", "культуры", "Мәдениет"), ("Finance", "финансов", "Қаржы"),
    ("Labour", "труда", "Еңбек"), ("Water Resources", "водных ресурсов", "Су ресурстары"),
    ("Science", "науки", "Ғылым"), ("Tourism", "туризма", "Туризм"),
    ("Industry", "промышленности", "Өнеркәсіп"), ("Regional Policy", "региональной политики",
                                                  "Өңірлік саясат"),
]
INSTITUTION_KINDS = [
    # English template, Russian template, Kazakh template, id prefix
    ("Ministry of {en}", "Министерство {ru}", "{kk} министрлігі", "ministry"),
    ("Institute for {en} Research", "Институт исследований {ru}", "{kk} зерттеулер институты",
     "institute"),
    ("{en} Development Center", "Центр развития {ru}", "{kk} даму орталығы", "center"),
    ("Mazhilis Committee on {en}", "Комитет Мажилиса по вопросам {ru}",
     "Мәжілістің {kk} комитеті", "committee"),
    ("National Council on {en}", "Национальный совет по вопросам {ru}", "{kk} ұлттық кеңесі",
     "council"),
    ("Association of {en} Professionals", "Ассоциация специалистов {ru}",
     "{kk} мамандарының қауымдастығы", "association"),
]
UNIVERSITY = ("{en} State University", "{ru} государственный университет",
              "{kk} мемлекеттік университеті", "university")
R = {  # roles: English, Russian, Kazakh (after the institution), English alias
    "minister": ("Minister", "Министр", "министрі", "minister"),
    "vice-minister": ("Vice Minister", "Вице-министр", "вице-министрі", "vice minister"),
    "department": ("Head of Department", "Руководитель департамента", "департамент басшысы",
                   "head of department"),
    "director": ("Director", "Директор", "директоры", "director"),
    "deputy-director": ("Deputy Director", "Заместитель директора", "директорының орынбасары",
                        "deputy director"),
    "board": ("Chair of the Board", "Председатель правления", "басқарма төрағасы",
              "chair of the board"),
    "researcher": ("Senior Researcher", "Ведущий научный сотрудник", "жетекші ғылыми қызметкері",
                   "senior researcher"),
    "chairman": ("Chairman", "Председатель", "төрағасы", "chairman"),
    "deputy-chairman": ("Deputy Chairman", "Заместитель председателя", "төрағасының орынбасары",
                        "deputy chairman"),
    "member": ("Member", "Член", "мүшесі", "member"),
    "rector": ("Rector", "Ректор", "ректоры", "rector"),
    "vice-rector": ("Vice-Rector", "Проректор", "проректоры", "vice-rector"),
    "professor": ("Professor", "Профессор", "профессоры", "professor"),
}
ROLES = {  # which roles each kind of institution has
    "ministry": [R["minister"], R["vice-minister"], R["department"]],
    "institute": [R["director"], R["deputy-director"], R["researcher"], R["board"]],
    "center": [R["director"], R["deputy-director"], R["board"]],
    "committee": [R["chairman"], R["deputy-chairman"], R["member"]],
    "council": [R["chairman"], R["deputy-chairman"], R["member"]],
    "association": [R["chairman"], R["director"], R["member"]],
    "university": [R["rector"], R["vice-rector"], R["professor"]],
}
FREE_ROLES = [
    ("{en} expert", "эксперт в сфере {ru}", "{kk} саласының сарапшысы"),
    ("independent {en} analyst", "независимый аналитик в сфере {ru}",
     "{kk} саласының тәуелсіз сарапшысы"),
]
SOLO_ROLES = [
    ("Member of the Mazhilis", "Депутат Мажилиса", "Мәжіліс депутаты"),
    ("public figure", "общественный деятель", "қоғам қайраткері"),
    ("journalist", "журналист", "журналист"),
]
# Themes: id, names and keywords in three languages.
THEMES = [
    ("ecology", ("Ecology and climate", "Экология и климат", "Экология және климат"),
     ["ecology", "climate", "emissions", "green economy", "environmental protection"],
     ["экология", "климат", "выбросы", "зеленая экономика"],
     ["экология", "климат", "шығарындылар", "жасыл экономика"]),
    ("water", ("Water resources", "Водные ресурсы", "Су ресурстары"),
     ["water resources", "irrigation", "water supply", "drinking water", "rivers"],
     ["водные ресурсы", "орошение", "водоснабжение", "питьевая вода"],
     ["су ресурстары", "суару", "сумен жабдықтау", "ауыз су"]),
    ("digital", ("Digital transformation", "Цифровая трансформация", "Цифрлық трансформация"),
     ["digitalization", "digital services", "e-government", "artificial intelligence",
      "cybersecurity"],
     ["цифровизация", "цифровые услуги", "электронное правительство", "искусственный интеллект"],
     ["цифрландыру", "цифрлық қызметтер", "электрондық үкімет", "жасанды интеллект"]),
    ("education", ("Education and schools", "Образование и школы", "Білім беру және мектептер"),
     ["education", "schools", "teachers", "universities", "vocational training"],
     ["образование", "школы", "учителя", "университеты"],
     ["білім беру", "мектептер", "мұғалімдер", "университеттер"]),
    ("healthcare", ("Healthcare", "Здравоохранение", "Денсаулық сақтау"),
     ["healthcare", "hospitals", "medicine", "public health", "doctors"],
     ["здравоохранение", "больницы", "медицина", "врачи"],
     ["денсаулық сақтау", "ауруханалар", "медицина", "дәрігерлер"]),
    ("agriculture", ("Agriculture and food", "Сельское хозяйство и продовольствие",
                     "Ауыл шаруашылығы және азық-түлік"),
     ["agriculture", "farmers", "grain", "livestock", "food security"],
     ["сельское хозяйство", "фермеры", "зерно", "животноводство"],
     ["ауыл шаруашылығы", "фермерлер", "астық", "мал шаруашылығы"]),
    ("transport", ("Transport and logistics", "Транспорт и логистика", "Көлік және логистика"),
     ["transport", "logistics", "railways", "roads", "transit corridors"],
     ["транспорт", "логистика", "железные дороги", "транзитные коридоры"],
     ["көлік", "логистика", "темір жол", "транзиттік дәліздер"]),
    ("energy", ("Energy and power grids", "Энергетика и электросети",
                "Энергетика және электр желілері"),
     ["energy", "power plants", "renewable energy", "electricity tariffs", "power grid"],
     ["энергетика", "электростанции", "возобновляемая энергия", "тарифы на электроэнергию"],
     ["энергетика", "электр станциялары", "жаңартылатын энергия", "электр тарифтері"]),
    ("tourism", ("Tourism", "Туризм", "Туризм"),
     ["tourism", "tourists", "hotels", "national parks", "visa-free travel"],
     ["туризм", "туристы", "гостиницы", "национальные парки"],
     ["туризм", "туристер", "қонақ үйлер", "ұлттық саябақтар"]),
    ("housing", ("Housing and utilities", "Жилье и коммунальные услуги",
                 "Тұрғын үй және коммуналдық қызметтер"),
     ["housing", "mortgage", "utilities", "affordable housing", "construction"],
     ["жилье", "ипотека", "коммунальные услуги", "строительство"],
     ["тұрғын үй", "ипотека", "коммуналдық қызметтер", "құрылыс"]),
    ("youth", ("Youth policy", "Молодежная политика", "Жастар саясаты"),
     ["youth", "young people", "youth employment", "student grants", "volunteering"],
     ["молодежь", "молодые специалисты", "студенческие гранты", "волонтерство"],
     ["жастар", "жас мамандар", "студенттік гранттар", "волонтерлік"]),
    ("judiciary", ("Courts and the rule of law", "Суды и верховенство закона",
                   "Соттар және заң үстемдігі"),
     ["courts", "judges", "rule of law", "judicial reform", "legal aid"],
     ["суды", "судьи", "верховенство закона", "судебная реформа"],
     ["соттар", "судьялар", "заң үстемдігі", "сот реформасы"]),
    ("anticorruption", ("Fighting corruption", "Противодействие коррупции",
                        "Сыбайлас жемқорлыққа қарсы күрес"),
     ["corruption", "transparency", "public procurement", "integrity", "bribery"],
     ["коррупция", "прозрачность", "госзакупки", "взяточничество"],
     ["жемқорлық", "ашықтық", "мемлекеттік сатып алу", "пара"]),
    ("smallbusiness", ("Small and medium business", "Малый и средний бизнес",
                       "Шағын және орта бизнес"),
     ["small business", "entrepreneurs", "startups", "business loans", "tax incentives"],
     ["малый бизнес", "предприниматели", "стартапы", "налоговые льготы"],
     ["шағын бизнес", "кәсіпкерлер", "стартаптар", "салық жеңілдіктері"]),
    ("culture", ("Culture and heritage", "Культура и наследие", "Мәдениет және мұра"),
     ["culture", "heritage", "museums", "theatre", "national traditions"],
     ["культура", "наследие", "музеи", "театр"],
     ["мәдениет", "мұра", "мұражайлар", "театр"]),
    ("language", ("The state language", "Государственный язык", "Мемлекеттік тіл"),
     ["state language", "Kazakh language", "bilingualism", "Latin alphabet", "translation"],
     ["государственный язык", "казахский язык", "двуязычие", "латиница"],
     ["мемлекеттік тіл", "қазақ тілі", "қостілділік", "латын әліпбиі"]),
    ("sport", ("Sport and healthy living", "Спорт и здоровый образ жизни",
               "Спорт және салауатты өмір салты"),
     ["sport", "athletes", "stadiums", "healthy lifestyle", "olympic team"],
     ["спорт", "спортсмены", "стадионы", "здоровый образ жизни"],
     ["спорт", "спортшылар", "стадиондар", "салауатты өмір салты"]),
    ("migration", ("Migration and labour markets", "Миграция и рынок труда",
                   "Көші-қон және еңбек нарығы"),
     ["migration", "labour market", "unemployment", "wages", "labour migrants"],
     ["миграция", "рынок труда", "безработица", "зарплаты"],
     ["көші-қон", "еңбек нарығы", "жұмыссыздық", "жалақы"]),
    ("regions", ("Regional development", "Развитие регионов", "Өңірлерді дамыту"),
     ["regional development", "villages", "local government", "single-industry towns",
      "decentralization"],
     ["развитие регионов", "села", "местное самоуправление", "моногорода"],
     ["өңірлерді дамыту", "ауылдар", "жергілікті өзін-өзі басқару", "моноқалалар"]),
    ("pensions", ("Pensions and social security", "Пенсии и социальная защита",
                  "Зейнетақы және әлеуметтік қорғау"),
     ["pensions", "social security", "benefits", "pension fund", "retirement age"],
     ["пенсии", "социальная защита", "пособия", "пенсионный фонд"],
     ["зейнетақы", "әлеуметтік қорғау", "жәрдемақылар", "зейнетақы қоры"]),
    ("science", ("Science and innovation", "Наука и инновации", "Ғылым және инновациялар"),
     ["science", "research", "innovation", "patents", "research grants"],
     ["наука", "исследования", "инновации", "патенты"],
     ["ғылым", "зерттеулер", "инновациялар", "патенттер"]),
    ("media", ("Media and access to information", "СМИ и доступ к информации",
               "БАҚ және ақпаратқа қол жеткізу"),
     ["media", "journalists", "access to information", "freedom of speech", "fake news"],
     ["СМИ", "журналисты", "доступ к информации", "свобода слова"],
     ["БАҚ", "журналистер", "ақпаратқа қол жеткізу", "сөз бостандығы"]),
    ("budget", ("Budget and taxes", "Бюджет и налоги", "Бюджет және салықтар"),
     ["budget", "taxes", "tax code", "public debt", "inflation"],
     ["бюджет", "налоги", "налоговый кодекс", "инфляция"],
     ["бюджет", "салықтар", "салық кодексі", "инфляция"]),
    ("elections", ("Elections and parliament", "Выборы и парламент", "Сайлау және парламент"),
     ["elections", "parliament", "political parties", "voters", "electoral system"],
     ["выборы", "парламент", "политические партии", "избиратели"],
     ["сайлау", "парламент", "саяси партиялар", "сайлаушылар"]),
    ("family", ("Family and children", "Семья и дети", "Отбасы және балалар"),
     ["family", "children", "kindergartens", "maternity", "child protection"],
     ["семья", "дети", "детские сады", "материнство"],
     ["отбасы", "балалар", "балабақшалар", "ана мен бала"]),
    ("mining", ("Mining and natural resources", "Горнодобывающая отрасль и недра",
                "Тау-кен өнеркәсібі және жер қойнауы"),
     ["mining", "subsoil", "oil and gas", "critical minerals", "uranium"],
     ["горная добыча", "недра", "нефть и газ", "уран"],
     ["тау-кен", "жер қойнауы", "мұнай мен газ", "уран"]),
]
EVENT_KINDS = [
    ("roundtable", "Roundtable on {en}", "Круглый стол «{ru}»", "«{kk}» дөңгелек үстелі",
     ["roundtable", "round table"], ["круглый стол"], ["дөңгелек үстел"]),
    ("forum", "Forum on {en}", "Форум «{ru}»", "«{kk}» форумы",
     ["forum"], ["форум"], ["форум"]),
    ("conference", "Conference on {en}", "Конференция «{ru}»", "«{kk}» конференциясы",
     ["conference"], ["конференция"], ["конференция"]),
    ("hearing", "Public hearing on {en}", "Общественные слушания «{ru}»",
     "«{kk}» қоғамдық тыңдауы", ["public hearing", "hearing"], ["слушания"], ["тыңдау"]),
    ("session", "Expert session on {en}", "Экспертная сессия «{ru}»",
     "«{kk}» сараптамалық сессиясы",
     ["expert session", "session"], ["экспертная сессия"], ["сараптамалық сессия"]),
]
# Statement pieces, one list per language; {kw} is a theme keyword in that language.
OPENERS = {
    "en": ["The reform", "The new programme", "The draft law", "The state", "The government",
           "Every region", "Society as a whole", "The national plan", "Local authorities",
           "The private sector", "The new strategy", "Our institutions"],
    "ru": ["Реформа", "Новая программа", "Законопроект", "Государство", "Правительство",
           "Каждый регион", "Общество", "Национальный план", "Местные власти",
           "Частный сектор", "Новая стратегия"],
    "kk": ["Реформа", "Жаңа бағдарлама", "Заң жобасы", "Мемлекет", "Үкімет", "Әр өңір",
           "Қоғам", "Ұлттық жоспар", "Жергілікті билік", "Жеке сектор", "Жаңа стратегия"],
}
VERBS = {
    "en": ["must strengthen", "should guarantee", "will support", "needs to modernise",
           "has to invest in", "depends on", "should simplify", "must protect",
           "will expand", "should prioritise", "needs clear rules for", "can no longer ignore"],
    "ru": ["должна укрепить", "обязана гарантировать", "поддержит", "должна модернизировать",
           "должна инвестировать в", "зависит от", "должна упростить", "обязана защищать",
           "расширит", "должна поставить в приоритет"],
    "kk": ["нығайтуы тиіс", "кепілдік беруі керек", "қолдайды", "жаңғыртуы қажет",
           "инвестиция салуы тиіс", "тәуелді", "жеңілдетуі керек", "қорғауы тиіс",
           "кеңейтеді", "басымдық беруі керек"],
}
TAILS = {
    "en": ["in every region", "for ordinary citizens", "over the next five years",
           "with public oversight", "through open data", "together with civil society",
           "without extra bureaucracy", "in rural areas", "for the next generation",
           "with international partners", "step by step", "as a matter of urgency"],
    "ru": ["в каждом регионе", "для простых граждан", "в ближайшие пять лет",
           "при общественном контроле", "через открытые данные", "вместе с гражданским обществом",
           "без лишней бюрократии", "в сельской местности", "для будущих поколений"],
    "kk": ["әр өңірде", "қарапайым азаматтар үшін", "алдағы бес жылда", "қоғамдық бақылаумен",
           "ашық деректер арқылы", "азаматтық қоғаммен бірге", "артық бюрократиясыз",
           "ауылдық жерлерде", "болашақ ұрпақ үшін"],
}
UNITS = [  # figure units: English, Russian, Kazakh
    ("schools", "школ", "мектеп"), ("hospitals", "больниц", "аурухана"),
    ("kilometres of roads", "километров дорог", "шақырым жол"),
    ("billion tenge", "млрд тенге", "млрд теңге"), ("new jobs", "новых рабочих мест",
                                                    "жаңа жұмыс орны"),
    ("percent", "процентов", "пайыз"), ("projects", "проектов", "жоба"),
    ("villages", "сел", "ауыл"), ("grants", "грантов", "грант"),
]
SURNAME_VARIANTS = [("yev", "ev"), ("kh", "h"), ("zh", "j"), ("ay", "ai"), ("iy", "i")]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "x"


def q(value: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def qlist(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


class Registry:
    """What the archive already holds across events: a person or an institution is defined
    once (in the first event that names them) and only referred to afterwards, and one
    alias never names two records (as `python -m bot check` requires)."""

    def __init__(self, taken: set[str] = frozenset()) -> None:
        self.taken: set[str] = set(taken)  # alias keys of records outside the generated files
        self.people: dict[str, dict] = {}  # surname key -> person
        self.person_ids: set[str] = set()
        self.institutions: dict[str, dict] = {}  # id -> institution
        self.shorts: dict[str, str] = {}  # abbreviation -> institution id
        self.titles: set[str] = set()

    def free(self, names: list[str]) -> bool:
        return not any(alias_key(name) in self.taken for name in names)

    def claim(self, names: list[str]) -> None:
        self.taken |= {alias_key(name) for name in names}


class EventWriter:
    """Builds one event's records and writes them as TOML."""

    def __init__(self, rng: random.Random, number: int, registry: Registry) -> None:
        self.rng = rng
        self.number = number
        self.registry = registry
        self.lines: list[str] = ["schema = 2", ""]

    def person_name(self) -> dict:
        rng = self.rng
        female = rng.random() < 0.45
        first = rng.choice(FEMALE if female else MALE)
        if rng.random() < 0.2:
            lat, ru = rng.choice(RUSSIAN_SURNAMES)
            kk = ru
            if female:
                lat, ru, kk = lat + "a", ru + "а", kk + "а"
        else:
            head, tail = rng.choice(SUR_HEAD), rng.choice(SUR_TAIL)
            lat, ru, kk = (head[0] + tail[0], head[1] + tail[1], head[2] + tail[2])
            if rng.random() < 0.1:
                ending = ("kyzy", "кызы", "қызы") if female else ("uly", "улы", "ұлы")
                lat, ru, kk = lat + ending[0], ru + ending[1], kk + ending[2]
            else:
                soft = lat[-1] in "aeiouy"
                ending = ("yev", "ев", "ев") if soft else ("ov", "ов", "ов")
                if female:
                    ending = (ending[0] + "a", ending[1] + "а", ending[2] + "а")
                lat, ru, kk = lat + ending[0], ru + ending[1], kk + ending[2]
        return {"first": first, "surname": (lat, ru, kk)}

    def person(self) -> dict:
        """A person for this event: someone the archive knows by that surname (people recur
        across events), or a newcomer whose names no record answers to yet."""
        registry = self.registry
        for _ in range(50):
            person = self.person_name()
            known = registry.people.get(alias_key(person["surname"][0]))
            if known is not None:
                return known
            aliases = self._aliases(person)
            names = [*aliases, *person["names"]]
            if registry.free(names):
                break
        registry.claim(names)
        pid = slug(person["surname"][0])
        while pid in registry.person_ids:
            pid = f"{pid}-{self.rng.randint(2, 99)}"
        registry.person_ids.add(pid)
        person.update(id=pid, aliases=aliases, new=True, role_aliases=None)
        registry.people[alias_key(person["surname"][0])] = person
        return person

    def _aliases(self, person: dict) -> list[str]:
        rng = self.rng
        first, (lat, ru, kk) = person["first"], person["surname"]
        person["names"] = [f"{first[0]} {lat}", f"{first[1]} {ru}", f"{first[2]} {kk}"]
        aliases = [lat, f"{first[0]} {lat}", f"{first[0][0]}. {lat}"]
        for old, new in SURNAME_VARIANTS:
            if old in lat.lower() and rng.random() < 0.7:
                variant = lat.replace(old, new).replace(old.capitalize(), new.capitalize())
                aliases += [variant, f"{first[0]} {variant}"]
        aliases += [ru, f"{first[1]} {ru}", f"{ru} {first[1]}"]
        if kk != ru or first[2] != first[1]:
            aliases += [kk, f"{first[2]} {kk}", f"{kk} {first[2]}"]
        return list(dict.fromkeys(aliases))

    def institution(self, template: tuple, field: tuple, city: tuple) -> dict:
        registry = self.registry
        if template is UNIVERSITY:
            names = [t.format(en=city[0], ru=city[1], kk=city[2]) for t in template[:3]]
            inst_id = slug(f"{city[0]}-university")
        else:
            names = [t.format(en=field[0], ru=field[1], kk=field[2]) for t in template[:3]]
            inst_id = slug(f"{template[3]}-{field[0]}")
        if inst_id in registry.institutions:
            return registry.institutions[inst_id]
        short = [_acronym(n) for n in names]
        while any(registry.shorts.get(a, inst_id) != inst_id for a in short) \
                or not registry.free(short):
            short = [f"{a}{len(registry.shorts)}" for a in short]
        for a in short:
            registry.shorts[a] = inst_id
        aliases = [names[0].lower(), short[1], short[2]]
        registry.claim([*names, *short, *aliases])
        item = {"id": inst_id, "name": names, "short": short, "kind": template[3],
                "aliases": aliases, "new": True}
        registry.institutions[inst_id] = item
        return item

    def build(self) -> None:
        rng = self.rng
        kind = rng.choice(EVENT_KINDS)
        themes = rng.sample(THEMES, rng.randint(8, 14))
        main = themes[0]
        city = rng.choice(CITIES)
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4000))
        event_id = f"{kind[0]}-{date.isoformat()}-{slug(city[0])}-{self.number:05d}"
        self.event_id = event_id

        fields = rng.sample(FIELDS, rng.randint(4, 7))
        institutions = []
        for number, field in enumerate(fields):
            template = rng.choice(INSTITUTION_KINDS)
            if number == 0 and rng.random() < 0.3:  # at most one university per event
                template = UNIVERSITY
            item = self.institution(template, field, city)
            if item not in institutions:
                institutions.append(item)

        count = rng.randint(6, 12)
        people, seen = [], set()
        for order in range(1, count + 1):
            person = self.person()
            if person["id"] in seen:
                continue
            seen.add(person["id"])
            speaks = not (order == count and rng.random() < 0.5)  # some have no remarks
            people.append({"person": person, "order": order if speaks else 0,
                           "speaks": speaks, **self._role(person, institutions)})

        statements = []
        for part in people:
            if part["speaks"]:
                for n in range(1, rng.randint(3, 9) + 1):
                    statements.append(self._statement(part, n, themes))
        if rng.random() < 0.3:  # what the participants said together
            statements.append(self._statement({"person": None, "order": count}, 1, themes))

        self._write_event(kind, event_id, date, city, main, themes)
        self._write_institutions([i for i in institutions if i.pop("new", False)])
        self._write_people(people)
        self._write_themes(themes)
        self._write_statements(statements)

    def _role(self, person: dict, institutions: list[dict]) -> dict:
        """The person's role at this event; their role aliases come with their first one."""
        rng = self.rng
        aliases: list[str] = []
        if institutions and rng.random() < 0.8:
            inst = rng.choice(institutions)
            role = rng.choice(ROLES[inst["kind"]])
            part = {"institution": inst["id"],
                    "role": (f"{role[0]} of the {inst['name'][0]}",
                             f"{role[1]}, {inst['name'][1]}", f"{inst['name'][2]} {role[2]}")}
            aliases = [f"{role[3]} of {inst['short'][0]}",
                       f"{role[3]} of the {inst['name'][0].lower()}",
                       f"{role[1].lower()} {inst['short'][1]}", f"{inst['short'][2]} {role[2]}"]
        elif rng.random() < 0.6:
            field = rng.choice(FIELDS)
            template = rng.choice(FREE_ROLES)
            part = {"institution": "", "role": (template[0].format(en=field[0].lower()),
                                                template[1].format(ru=field[1]),
                                                template[2].format(kk=field[2].lower()))}
            aliases = [part["role"][0], f"expert on {field[0].lower()}"]
        else:
            part = {"institution": "", "role": rng.choice(SOLO_ROLES)}
        if person["role_aliases"] is None:
            person["role_aliases"] = aliases
        return part

    def _statement(self, part: dict, n: int, themes: list) -> dict:
        rng = self.rng
        picked = rng.sample(themes, 2 if rng.random() < 0.25 else 1)
        texts = {}
        keyword_index = rng.randrange(4)
        for i, lang in enumerate(("en", "ru", "kk")):
            words = picked[0][2 + i]
            kw = words[keyword_index % len(words)]
            opener, verb, tail = (rng.choice(OPENERS[lang]), rng.choice(VERBS[lang]),
                                  rng.choice(TAILS[lang]))
            if lang == "kk":
                texts[lang] = f"{opener} {tail} {kw} саласын {verb}."
            else:
                texts[lang] = f"{opener} {verb} {kw} {tail}."
            if len(picked) > 1:
                other = picked[1][2 + i][keyword_index % len(picked[1][2 + i])]
                joiner = {"en": "This also concerns", "ru": "Это касается и темы",
                          "kk": "Бұл мәселе мыналарға да қатысты:"}[lang]
                texts[lang] += f" {joiner} {other}."
        figures = []
        if rng.random() < 0.2:
            unit = rng.choice(UNITS)
            top = 99 if unit[0] == "percent" else rng.choice([99, 5000])
            value = str(rng.randint(2, top))
            year = rng.randint(2026, 2060)
            kw_en, kw_ru, kw_kk = (picked[0][2][0], picked[0][3][0], picked[0][4][0])
            texts["en"] += f" By {year}, {value} {unit[0]} are planned for {kw_en}."
            texts["ru"] += f" К {year} году запланировано {value} {unit[1]} ({kw_ru})."
            texts["kk"] += f" {year} жылға қарай {kw_kk} үшін {value} {unit[2]} жоспарланған."
            label = (f"{unit[0]} planned for {kw_en} by {year}",
                     f"{unit[1]} к {year} году ({kw_ru})",
                     f"{year} жылға қарай {kw_kk} үшін {unit[2]}")
            figures.append({"value": value, "label": label})
        speaker = part["person"]["id"] if part["person"] else None
        return {"id": f"{speaker or 'participants'}-{n}", "speaker": speaker,
                "paragraph": part["order"] + 1, "themes": [t[0] for t in picked],
                "texts": texts, "figures": figures}

    # ----- writing ----------------------------------------------------------------------------

    def _text(self, name: str, values: tuple | list) -> None:
        for suffix, value in zip(("", "_ru", "_kk"), values, strict=True):
            self.lines.append(f"{name}{suffix} = {q(value)}")

    def _write_event(self, kind, event_id, date, city, main, themes) -> None:
        rng = self.rng
        count = rng.randint(25, 480)
        title = [kind[1].format(en=main[1][0].lower()), kind[2].format(ru=main[1][1]),
                 kind[3].format(kk=main[1][2])]
        place = (f", {city[0]}, {date.year}", f", {city[1]}, {date.year}",
                 f", {city[2]}, {date.year}")
        title = [f"{t}{p}" for t, p in zip(title, place, strict=True)]
        while alias_key(title[0]) in self.registry.titles:  # one title, one event
            title = [f"{t} ({self.number})" for t in title]
        self.registry.titles.add(alias_key(title[0]))
        self.registry.claim(title)
        names = [", ".join(t[1][i] for t in themes[:4]) for i in range(3)]
        lines = self.lines
        lines += ["[event]", f"id = {q(event_id)}"]
        self._text("title", title)
        lines.append(f"date = {date.isoformat()}")
        lines.append(f"sources = [{q(f'https://example.org/events/{event_id}')}]")
        self._text("city", city)
        lines.append(f"participants_count = {count}")
        self._text("participants_description", (
            "officials, experts and civil society", "чиновники, эксперты и гражданское общество",
            "шенеуніктер, сарапшылар және азаматтық қоғам"))
        self._text("conclusion", (
            f"The participants agreed to prepare recommendations on {names[0].lower()}.",
            f"Участники договорились подготовить рекомендации: {names[1].lower()}.",
            f"Қатысушылар ұсыныстар дайындауға келісті: {names[2].lower()}."))
        self._text("summary", (
            f"In {city[0]} on {date.isoformat()}, about {count} participants discussed "
            f"{names[0].lower()}.",
            f"В городе {city[1]} около {count} участников обсудили темы: {names[1].lower()}.",
            f"{city[2]} қаласында {count}-ге жуық қатысушы талқылады: {names[2].lower()}."))
        lines.append("")

    def _write_institutions(self, institutions: list[dict]) -> None:
        for inst in institutions:
            self.lines += ["[[institutions]]", f"id = {q(inst['id'])}"]
            self._text("name", inst["name"])
            self._text("short", inst["short"])
            self.lines += [f"aliases = {qlist(inst['aliases'])}", ""]

    def _write_people(self, people: list[dict]) -> None:
        for part in people:
            person = part["person"]
            if person.pop("new", False):  # defined once, in the first event they come to
                self.lines += ["[[people]]", f"id = {q(person['id'])}"]
                self._text("name", person["names"])
                self.lines += [f"aliases = {qlist(person['aliases'])}",
                               f"role_aliases = {qlist(person['role_aliases'] or [])}", ""]
            self.lines += ["[[participants]]", f"person = {q(person['id'])}"]
            self._text("role", part["role"])
            if part["institution"]:
                self.lines.append(f"institution = {q(part['institution'])}")
            if part["order"]:
                self.lines.append(f"order = {part['order']}")
            if part["order"] == 1:
                self.lines.append("opened = true")
            self.lines.append("")

    def _write_themes(self, themes: list) -> None:
        for theme_id, names, en, ru, kk in themes:
            self.lines += ["[[themes]]", f"id = {q(theme_id)}"]
            self._text("name", names)
            self._text("description", (f"What the speakers said about {names[0].lower()}.",
                                       f"Что выступающие сказали о теме «{names[1]}».",
                                       f"Баяндамашылардың «{names[2]}» туралы пікірлері."))
            self.lines += [f"keywords = {qlist(en)}", f"keywords_ru = {qlist(ru)}",
                           f"keywords_kk = {qlist(kk)}", ""]

    def _write_statements(self, statements: list[dict]) -> None:
        for s in statements:
            who = f"speaker = {q(s['speaker'])}" if s["speaker"] else 'by = "participants"'
            self.lines += ["[[statements]]", f"id = {q(s['id'])}", who,
                           f"themes = {qlist(s['themes'])}", f"paragraph = {s['paragraph']}"]
            self._text("text", [s["texts"][lang] for lang in ("en", "ru", "kk")])
            for figure in s["figures"]:
                self.lines += ["[[statements.figures]]", f"value = {q(figure['value'])}"]
                self._text("label", figure["label"])
            self.lines.append("")

    def toml(self) -> str:
        return "\n".join(self.lines) + "\n"


def _acronym(name: str) -> str:
    letters = [w[0] for w in re.findall(r"\w+", name) if w[0].isupper() or len(w) > 3]
    return "".join(letters).upper()[:6] or name[:6].upper()


def _shipped_names() -> set[str]:
    """Alias keys of the shipped files' records: generated names must not repeat them."""
    from bot.records.archive import names_in
    from bot.records.files import parse_all

    return {alias_key(name) for record in parse_all([SHIPPED])
            for _, _, _, _, names in names_in(record) for _, name in names}


def generate(scale: int, out: Path, seed: int = 7) -> list[Path]:
    """Write `scale` event files into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    registry = Registry(_shipped_names())
    paths = []
    for number in range(scale):
        writer = EventWriter(rng, number, registry)
        writer.build()
        path = out / f"{writer.event_id}.toml"
        path.write_text(writer.toml(), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, required=True, help="number of events to write")
    parser.add_argument("--out", type=Path, required=True, help="folder for the .toml files")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check", action="store_true",
                        help="validate with parse_all, and that the seed gives the same files")
    args = parser.parse_args(argv)
    paths = generate(args.scale, args.out, args.seed)
    print(f"wrote {len(paths)} event files to {args.out}")
    if args.check:
        from bot.records.files import parse_all

        records = parse_all(paths)
        with tempfile.TemporaryDirectory() as again:
            twins = generate(args.scale, Path(again), args.seed)
            if [p.read_bytes() for p in paths] != [p.read_bytes() for p in twins]:
                print(f"error: seed {args.seed} wrote different files twice", file=sys.stderr)
                return 1
        print(f"ok: {len(records)} events, {sum(len(r.people) for r in records)} people, "
              f"{sum(len(r.statements) for r in records)} statements, the same for the seed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
