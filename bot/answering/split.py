"""Split: a chat message becomes the questions in it (at most MAX_PARTS).

People write to the bot as they would to a person: a greeting, why they ask, the question,
thanks; or two questions in one breath ("When was it, and who spoke about X?"). The engine
answers one question at a time, so the message is cut into sentences, the small talk around
the questions is dropped, and a sentence that joins two questions with "and" / "и" / "және"
becomes two. Nothing here knows the records: only the shape of questions in three languages.
"""

from __future__ import annotations

import re

from bot.answering.cues import GREETINGS
from bot.text import STOPWORDS, normalize, stem

MAX_PARTS = 3
MAX_QUESTION = 500  # characters of one question read; the rest is noise or an attack
MAX_MESSAGE = 4000  # more than Telegram lets a message hold: the rest is not read

# Words a question opens with, as written (lower case). Kazakh puts its question word near
# the end ("Преамбула туралы кім айтты?"), so Kazakh words only ever mark a question, never
# where it starts.
OPENERS = frozenset(
    "who whom whose what when where which why how did does do was were is are has have had "
    "can could tell list name show give "
    "кто кого кому кем что чем чём когда где куда какой какая какое какие каких каком "
    "сколько почему зачем как ли расскажи расскажите перечисли перечислите назови назовите "
    "покажи покажите говорил говорила выступал выступала "
    # a request to compare names what the question after it is about: "Сравни X и Y: ..."
    "compare contrast сравни сравните сопоставь сопоставьте".split()
)
KAZAKH_MARKS = frozenset(
    "кім кімдер не қашан қайда қанша неше қандай қай неге қалай ма ме ба бе па пе".split()
)
# A lead-in before the question proper, in a sentence that does not open with it: "So,",
# "my teacher wants to know", "could you tell me", "подскажите, пожалуйста,".
LEAD_IN = frozenset(
    "i i'm im me my we our you your please so well know wonder wondering wants want "
    "tell could would grateful question hi hello hey dear "
    "я мне меня мой моя мы нам вы вас пожалуйста подскажите скажите интересно хочу "
    "хотела хотел знать вопрос привет здравствуйте сәлем сәлеметсіз".split()
)
JOINERS = frozenset({"and", "и", "а", "also", "және", "ал"})
# A second question that points back at a person of the first ("Who is X and what did she
# say?") is not a question on its own: the message stays one question. One that points back
# at the event ("…and who opened it?") is answered apart, about the first one's event
# (bot.answering.question reads `before`).
POINTERS = frozenset(
    "he she they him her his their them он она они его её ее их ему ей им нём ней "
    "них ним ними нему неё нее него "  # after a preposition: "у них", "о нём"
    "ол оның оны оған олар олардың".split()
)
# What a question that only points back is made of, besides question words.
BARE_POINTERS = frozenset(
    "that this it was is were who's that's это этот то был была были ол бұл сол еді болды "
    "бар edi bul ol sol kim kimder".split()
)
# Words that are no name, even written with a capital ("They", "Could", "Подскажите").
COMMON = STOPWORDS | POINTERS | LEAD_IN | OPENERS
# Kazakh drops the pronoun: "Преамбула туралы кім айтты және не деді?" asks what the one
# who spoke said, a follow-up like "and what did she say?", not a question of its own.
KAZAKH_SAID = frozenset("деді айтты айтқан айтады сөйледі сөйлеген ұсынды".split())

# A sentence ends at . ! ? … or an emoji ("пишу статью 😊 Научный руководитель сказал…").
_SENTENCE = re.compile(r"(?<=[.!?…\U0001F300-\U0001FAFF\u2600-\u27BF])\s+|\n+")
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in _WORD.findall(text)]


def _is_small_talk(sentence: str) -> bool:
    """A greeting or thanks alone ("Hi!", "Заранее спасибо!", "Рахмет!")."""
    stems = [stem(w) for w in normalize(sentence).split()]
    chatter = {"a", "lot", "much", "so", "very", "in", "advance", "заранее", "большое",
               "очень", "have", "nice", "day", "there", "all", "everyone", "үлкен", "көп"}
    return bool(stems) and all(s in GREETINGS or s in chatter for s in stems)


def _asks(sentence: str) -> bool:
    """Whether a sentence is a question or a request, rather than context."""
    words = _words(sentence)
    return sentence.rstrip().endswith("?") or bool(words and words[0] in OPENERS) or bool(
        KAZAKH_MARKS & set(words) and sentence.rstrip().endswith("?"))


def _names_someone(sentence: str) -> bool:
    """Whether a sentence names someone or something ("Lyazzat Suleimen", "the Astana
    roundtable"): a word written with a capital that is no common word. "They discussed
    many things." names nobody."""
    return any(w[:1].isupper() and w.lower() not in COMMON for w in _WORD.findall(sentence))


def _only_points_back(sentence: str) -> bool:
    """A question that is nothing but a pointer: "Who was that?", "Кто это был?", "Ол кім
    еді?": what it asks about is in the sentence before it."""
    words = {w.replace("ı", "i") for w in _words(sentence)}  # "Ol kım edı?": Kazakh Latin
    words = words - OPENERS - LEAD_IN - KAZAKH_MARKS
    return bool(words) and words <= BARE_POINTERS


def _with_context(before: str, question: str) -> str:
    """The question, its chat dropped; with the statement before it when it points back to
    it ("Ashimbayev was at two events. What was his role at each?", "…balance of powers.
    Who was that?"), unless that statement names nobody."""
    question = _drop_lead_in(question)
    if before and not _asks(before) and (
            _only_points_back(question)
            or (set(_words(question)) & POINTERS and _names_someone(before))):
        return f"{before} {question}"
    return question


def _drop_lead_in(sentence: str) -> str:
    """"My teacher wants to know ... who talked about X?" -> "who talked about X?": cut
    at the first question word when the words before it are about the asker, not the record."""
    tokens = list(_WORD.finditer(sentence))
    first = tokens[0].group().lower() if tokens else ""
    if not tokens or (first in OPENERS and first not in LEAD_IN):  # "could you tell me who"
        return sentence
    for number, token in enumerate(tokens):
        word = token.group().lower()
        if word in OPENERS and word not in LEAD_IN and number:
            before = {t.group().lower() for t in tokens[:number]}
            if before & LEAD_IN:  # where the question starts after a pause, if it does
                rest = sentence[_after_a_pause(sentence, tokens, number).start():]
                # "…talked about a balance of powers, who was that?": all is before it
                return sentence if _only_points_back(rest) else rest
            # "Karibek at the first meeting of the platform — what did he say?": a topic
            # the question points back to, by a dash or a pronoun, is no lead-in.
            joint = sentence[tokens[number - 1].end():token.start()]
            dash = any(d in joint for d in "—–-") or not tokens[number - 1].group().strip("'’-")
            after = {t.group().lower() for t in tokens[number:]}
            if number >= 6 and not dash and not after & POINTERS:
                return sentence[token.start():]
            return sentence
    return sentence


def _after_a_pause(sentence: str, tokens: list[re.Match[str]], number: int) -> re.Match[str]:
    """The question word at `number`, unless a later one follows a comma, colon or dash
    and this one does not: "Hi, the discussion was great for our class - what did…?"
    starts at "what", not at "was"."""
    def paused(at: int) -> bool:
        joint = sentence[tokens[at - 1].end():tokens[at].start()]
        return any(p in joint for p in ",:;—–-") or not tokens[at - 1].group().strip("'’-")

    if paused(number):
        return tokens[number]
    later = [at for at in range(number + 1, len(tokens))
             if tokens[at].group().lower() in OPENERS and paused(at)]
    return tokens[later[0]] if later else tokens[number]


def _halves(sentence: str) -> list[str]:
    """"When was it, and who spoke about X?" -> two questions: a joiner followed by a
    question word starts a second question; in Kazakh, both sides must hold a question word."""
    tokens = list(_WORD.finditer(sentence))
    for number, token in enumerate(tokens[1:-1], start=1):
        if token.group().lower() not in JOINERS:
            continue
        before = {t.group().lower() for t in tokens[:number]}
        after = {t.group().lower() for t in tokens[number + 1:]}
        following = tokens[number + 1].group().lower()
        # "…и был ли этот человек…": a verb and "ли" open a Russian yes-or-no question
        yes_no = number + 2 < len(tokens) and tokens[number + 2].group().lower() == "ли"
        english_like = (following in OPENERS or yes_no) and before & (OPENERS | KAZAKH_MARKS)
        kazakh = before & KAZAKH_MARKS and after & KAZAKH_MARKS
        follow_up = kazakh and after <= KAZAKH_MARKS | KAZAKH_SAID
        if (english_like or kazakh) and not after & POINTERS and not follow_up:
            head = sentence[:token.start()].rstrip(" ,;—-")
            tail = sentence[tokens[number + 1].start():]
            previous = tokens[number - 1]
            if previous.group().lower() in KAZAKH_MARKS and following in KAZAKH_MARKS \
                    and number + 2 < len(tokens):  # "X қашан және қайда өтті?": both of X
                subject = sentence[:previous.start()]
                rest = sentence[tokens[number + 2].start():]
                return [f"{subject}{previous.group()} {rest}",
                        f"{subject}{tokens[number + 1].group()} {rest}"]
            if before <= OPENERS and number + 2 < len(tokens):
                # "When and where was X?": each question word asks about the rest
                rest = sentence[tokens[number + 2].start():]
                return [f"{head} {rest}", *_halves(tail)]
            end = "?" if sentence.rstrip().endswith("?") else ""
            return [head + end if end and not head.endswith("?") else head, *_halves(tail)]
    return [sentence]


def split_questions(message: str) -> list[str]:
    """The questions in a message, in order, at most MAX_PARTS; the whole message (spaces
    folded) when it holds no recognisable question, so that nothing the user wrote is lost."""
    text = message[:MAX_MESSAGE].strip()
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    talk = [s for s in sentences if not _is_small_talk(s)]
    asking = [_with_context(talk[i - 1] if i else "", s) for i, s in enumerate(talk)
              if _asks(s)]
    if not asking:
        return [" ".join(text.split())[:MAX_QUESTION]] if text else []
    parts = [part for s in asking for part in _halves(s)]
    parts = [" ".join(p.split())[:MAX_QUESTION] for p in parts if p.strip()][:MAX_PARTS]
    return [p[0].upper() + p[1:] for p in parts]  # "who spoke…" after "and" opens a question
