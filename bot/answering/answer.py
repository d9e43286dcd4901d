"""An answer with its structured parts, rendered to plain text or to Telegram HTML."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from bot.html import attribute, escape


@dataclass(frozen=True)
class Ref:
    """A record an answer is about; `key` is the stable short id used in buttons and links."""

    kind: str  # person | institution | theme | event | statement
    event_id: str
    id: str
    key: str
    name: str


@dataclass(frozen=True)
class Source:
    event_id: str
    paragraph: int
    source: str  # the URL of the published source


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""  # "" | "b" | "i"
    url: str = ""  # a link: HTML shows `text` linked, plain text shows the URL itself

    @property
    def plain(self) -> str:
        return self.url or self.text


Paragraph = list[Span]


@dataclass
class Answer:
    question: str
    kind: str  # person, people, theme, institution, event, fact, statements, ambiguous, unknown...
    lang: str = "en"
    paragraphs: list[Paragraph] = field(default_factory=list)
    entities: list[Ref] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    suggestions: list[Ref] = field(default_factory=list)  # related records, offered as buttons
    choices: list[Ref] = field(default_factory=list)  # "which one did you mean?"
    answered: bool = True
    event_id: str = ""  # the one event the answer is about, if it is about one
    calendar: str = ""  # the key of an upcoming event whose calendar file is offered
    route: str = ""  # the row of bot.answering.routes that answered (tests, logs)

    def add(self, *spans: Span | str) -> Answer:
        self.paragraphs.append([s if isinstance(s, Span) else Span(s) for s in spans])
        return self

    def include(self, other: Answer) -> Answer:
        """Another answer's paragraphs after these, and the records it names (once each)."""
        self.paragraphs.extend(other.paragraphs)
        for mine, theirs in ((self.entities, other.entities), (self.sources, other.sources),
                             (self.suggestions, other.suggestions),
                             (self.choices, other.choices)):
            mine.extend(item for item in theirs if item not in mine)
        return self

    def add_lines(self, lines: list[list[Span | str]]) -> Answer:
        """One paragraph of lines (a list), kept together when the answer is split."""
        spans: list[Span | str] = []
        for number, line in enumerate(lines):
            spans += ([Span("\n")] if number else []) + line
        return self.add(*spans) if spans else self

    @property
    def text(self) -> str:
        """Plain text, the way the user reads it."""
        return "\n\n".join("".join(span.plain for span in p) for p in self.paragraphs)

    @property
    def html(self) -> str:
        """Telegram HTML: every piece of record or user text escaped."""
        return "\n\n".join(_html_paragraph(p) for p in self.paragraphs)

    def html_chunks(self, limit: int = 4096) -> list[str]:
        """HTML split on paragraph boundaries so that no message exceeds Telegram's limit."""
        pieces = (piece for paragraph in self.paragraphs for piece in _fit(paragraph, limit))
        return _pack(pieces, limit, "\n\n") or [""]

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "text": self.text,
            "kind": self.kind,
            "lang": self.lang,
            "answered": self.answered,
            "entities": [asdict(ref) for ref in self.entities],
            "sources": [asdict(src) for src in self.sources],
            "suggestions": [asdict(ref) for ref in self.suggestions],
            "choices": [asdict(ref) for ref in self.choices],
        }


def _html_span(span: Span) -> str:
    text = escape(span.text)
    if span.url and text:
        text = f'<a href="{attribute(span.url)}">{text}</a>'
    return f"<{span.style}>{text}</{span.style}>" if span.style and text else text


def _html_paragraph(paragraph: Paragraph) -> str:
    """Spans in HTML; neighbours of one style share one tag ("<i>Source: <a>..</a>.</i>")."""
    html, run, style = [], [], ""
    for span in [*paragraph, None]:
        if span is None or span.style != style:
            text = "".join(_html_span(Span(s.text, "", s.url)) for s in run)
            html.append(f"<{style}>{text}</{style}>" if style and text else text)
            run, style = [], span.style if span else ""
        if span is not None:
            run.append(span)
    return "".join(html)


def _fit(paragraph: Paragraph, limit: int) -> list[str]:
    """A paragraph as HTML pieces of at most `limit` characters, split between lines, and
    between words only for a line that is longer than a whole message."""
    html = _html_paragraph(paragraph)
    if len(html) <= limit:
        return [html]
    parts = (part for line in _lines(paragraph)
             for part in _fit_line(line, limit))
    return _pack(parts, limit, "\n")


def _fit_line(line: Paragraph, limit: int) -> list[str]:
    html = _html_paragraph(line)
    return [html] if len(html) <= limit else _by_words(line, limit)


def _pack(parts: Iterable[str], limit: int, separator: str) -> list[str]:
    """The parts joined by `separator` into as few chunks of at most `limit` as they allow."""
    chunks, current = [], ""
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def _lines(paragraph: Paragraph) -> list[Paragraph]:
    lines: list[Paragraph] = [[]]
    for span in paragraph:
        for index, part in enumerate(span.text.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append(Span(part, span.style, span.url))
    return lines


def _by_words(line: Paragraph, limit: int) -> list[str]:
    pieces, current = [], ""
    for span in line:
        for word in _words(span, limit):
            if len(current) + len(word) > limit:
                pieces.append(current.rstrip())
                current = word.lstrip()
            else:
                current += word
    if current.strip():
        pieces.append(current.rstrip())
    return pieces


def _words(span: Span, limit: int) -> list[str]:
    """Span split into whitespace-led words, each a complete HTML fragment under `limit`."""
    out = []
    for index, word in enumerate(span.text.split(" ")):
        text = word if index == 0 else " " + word
        while text:
            head, text = text[: limit // 2], text[limit // 2 :]
            out.append(_html_span(Span(head, span.style, span.url)))
    return out
