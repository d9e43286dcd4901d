"""Event files: parse the hand-edited TOML files and validate them, all errors at once."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.records.model import (
    Event,
    EventRecord,
    Figure,
    Institution,
    Person,
    RecordError,
    RecordsInvalid,
    Statement,
    Text,
    Theme,
    file_digest,
)

TRANSLATED = ("ru", "kk")
SCHEMA = 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass
class _Spec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    translatable: tuple[str, ...] = ()
    fields: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        names = set(self.required) | set(self.optional)
        names |= {f"{name}_{lang}" for name in self.translatable for lang in TRANSLATED}
        self.fields = frozenset(names)


SPECS = {
    "event": _Spec(
        ("id", "title", "date", "city", "participants_count", "participants", "chair",
         "conclusion", "summary", "source"),
        ("aliases",),
        ("title", "city", "participants", "conclusion", "summary"),
    ),
    "institutions": _Spec(("id", "name", "short"), ("aliases", "parent"), ("name", "short")),
    "people": _Spec(
        ("id", "name", "role", "order", "spoke"),
        ("institution", "opened", "aliases", "role_aliases"),
        ("name", "role"),
    ),
    "themes": _Spec(
        ("id", "name", "description", "keywords"),
        ("keywords_ru", "keywords_kk"),
        ("name", "description"),
    ),
    "statements": _Spec(
        ("id", "speaker", "themes", "paragraph", "text"), ("figures",), ("text",)
    ),
    "figures": _Spec(("value", "label"), (), ("label",)),
}
TOP_LEVEL = {"schema", "event", "institutions", "people", "themes", "statements"}


class _FileChecker:
    """Collects errors for one file while turning its tables into records."""

    def __init__(self, path: Path, source: str) -> None:
        self.path = path
        self.errors: list[RecordError] = []
        # Header lines by pattern ("[event]", "[[people]]"), found once for the whole file.
        self._headers: dict[str, list[int]] = {}
        for number, line in enumerate(source.splitlines(), 1):
            header = line.split("#")[0].strip()
            if header.startswith("["):
                self._headers.setdefault(header, []).append(number)

    def error(self, where: str, message: str, line: int | None = None) -> None:
        self.errors.append(RecordError(self.path, where, message, line))

    def header_line(self, section: str, index: int | None = None) -> int | None:
        """Line of `[section]`, or of the index-th `[[section]]`, so errors point at the record."""
        pattern = f"[[{section}]]" if index is not None else f"[{section}]"
        lines = self._headers.get(pattern, [])
        position = index or 0
        return lines[position] if position < len(lines) else None

    def fields(self, kind: str, table: object, where: str, line: int | None) -> dict | None:
        if not isinstance(table, dict):
            self.error(where, f"expected a table, got {type(table).__name__}", line)
            return None
        spec = SPECS[kind]
        for name in spec.required:
            if name not in table:
                self.error(where, f"missing required field '{name}'", line)
        for name in sorted(set(table) - spec.fields):
            self.error(where, f"unknown field '{name}'{_suggest(name, spec.fields)}", line)
        return table

    def string(self, table: dict, name: str, where: str, line: int | None) -> str:
        value = table.get(name)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(where, f"'{name}' must be a non-empty string", line)
            return ""
        return value.strip()

    def text(self, table: dict, name: str, where: str, line: int | None) -> Text:
        text = {"en": self.string(table, name, where, line)}
        for lang in TRANSLATED:
            if f"{name}_{lang}" in table:
                text[lang] = self.string(table, f"{name}_{lang}", where, line)
        return {lang: value for lang, value in text.items() if value}

    def strings(self, table: dict, name: str, where: str, line: int | None) -> tuple[str, ...]:
        value = table.get(name, [])
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.error(where, f"'{name}' must be a list of non-empty strings", line)
            return ()
        return tuple(item.strip() for item in value)

    def integer(self, table: dict, name: str, where: str, line: int | None, low: int = 0) -> int:
        value = table.get(name)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            self.error(where, f"'{name}' must be a whole number >= {low}", line)
            return 0
        return value

    def boolean(self, table: dict, name: str, where: str, line: int | None) -> bool:
        value = table.get(name, False)
        if not isinstance(value, bool):
            self.error(where, f"'{name}' must be true or false", line)
            return False
        return value

    def slug(self, table: dict, where: str, line: int | None) -> str:
        value = table.get("id")
        if value is None:
            return ""
        if not isinstance(value, str) or not SLUG.match(value):
            self.error(where, f"id {value!r} must be lowercase letters, digits and '-'", line)
            return ""
        return value


def _suggest(name: str, known: Iterable[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_file(path: Path) -> tuple[EventRecord | None, list[RecordError]]:
    """Parse and validate one event file; returns the record or the errors."""
    try:
        raw = path.read_bytes()
        source = raw.decode("utf-8")
        data = tomllib.loads(source)
    except UnicodeDecodeError as exc:
        return None, [RecordError(path, "", f"not UTF-8 text: {exc.reason}")]
    except tomllib.TOMLDecodeError as exc:
        # `lineno` exists only from Python 3.14; older versions put it in the message.
        line = getattr(exc, "lineno", None)
        if line is None and (found := re.search(r"\(at line (\d+)", str(exc))):
            line = int(found.group(1))
        message = str(exc).split(" (at line")[0]
        return None, [RecordError(path, "", f"TOML syntax error: {message}", line)]
    except OSError as exc:
        return None, [RecordError(path, "", f"cannot read file: {exc.strerror}")]

    check = _FileChecker(path, source)
    for name in sorted(set(data) - TOP_LEVEL):
        check.error("", f"unknown top-level key '{name}'{_suggest(name, TOP_LEVEL)}")
    if data.get("schema") != SCHEMA:
        check.error("", f"'schema' must be {SCHEMA}", 1)

    event = _event(check, data.get("event"))
    institutions = _collect(check, data, "institutions", _institution)
    people = _collect(check, data, "people", _person)
    themes = _collect(check, data, "themes", _theme)
    statements = _collect(check, data, "statements", _statement)
    if event is not None:
        _check_references(check, event, institutions, people, themes, statements)
    if check.errors or event is None:
        return None, check.errors
    digest = file_digest(raw)
    record = EventRecord(path, digest, event, institutions, people, themes, statements)
    return record, []


def _collect(check: _FileChecker, data: dict, section: str, build) -> tuple:
    items = data.get(section, [])
    if not isinstance(items, list):
        check.error(section, f"'{section}' must be an array of tables ([[{section}]])")
        return ()
    built, seen = [], {}
    for index, table in enumerate(items):
        line = check.header_line(section, index)
        where = f"{section}[{index + 1}]"
        if isinstance(table, dict) and isinstance(table.get("id"), str):
            where = f"{section} '{table['id']}'"
        item = build(check, table, where, line)
        if item is None:
            continue
        if item_id := getattr(item, "id", ""):
            if item_id in seen:
                first = seen[item_id]
                check.error(where, f"duplicate id '{item_id}' (first at line {first})", line)
                continue
            seen[item_id] = line
        built.append(item)
    return tuple(built)


def _event(check: _FileChecker, table: object) -> Event | None:
    line = check.header_line("event")
    if table is None:
        check.error("event", "missing the [event] table")
        return None
    table = check.fields("event", table, "event", line)
    if table is None:
        return None
    date = table.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            check.error("event", f"bad date {date!r}: use YYYY-MM-DD", line)
    elif isinstance(date, dt.datetime) or not isinstance(date, dt.date | None):
        check.error("event", f"bad date {date!r}: use YYYY-MM-DD", line)
    return Event(
        id=check.slug(table, "event", line),
        title=check.text(table, "title", "event", line),
        date=date if isinstance(date, dt.date) else dt.date.min,
        city=check.text(table, "city", "event", line),
        participants_count=check.integer(table, "participants_count", "event", line),
        participants=check.text(table, "participants", "event", line),
        chair=check.string(table, "chair", "event", line),
        conclusion=check.text(table, "conclusion", "event", line),
        summary=check.text(table, "summary", "event", line),
        source=check.string(table, "source", "event", line),
        aliases=check.strings(table, "aliases", "event", line),
    )


def _institution(check: _FileChecker, table: object, where: str, line: int | None):
    if (table := check.fields("institutions", table, where, line)) is None:
        return None
    parent = table.get("parent")
    return Institution(
        id=check.slug(table, where, line),
        name=check.text(table, "name", where, line),
        short=check.text(table, "short", where, line),
        aliases=check.strings(table, "aliases", where, line),
        parent=check.string(table, "parent", where, line) if parent is not None else None,
    )


def _person(check: _FileChecker, table: object, where: str, line: int | None):
    if (table := check.fields("people", table, where, line)) is None:
        return None
    return Person(
        id=check.slug(table, where, line),
        name=check.text(table, "name", where, line),
        role=check.text(table, "role", where, line),
        institution=check.string(table, "institution", where, line),
        order=check.integer(table, "order", where, line),
        spoke=check.boolean(table, "spoke", where, line),
        opened=check.boolean(table, "opened", where, line),
        aliases=check.strings(table, "aliases", where, line),
        role_aliases=check.strings(table, "role_aliases", where, line),
    )


def _theme(check: _FileChecker, table: object, where: str, line: int | None):
    if (table := check.fields("themes", table, where, line)) is None:
        return None
    keywords = {"en": check.strings(table, "keywords", where, line)}
    for lang in TRANSLATED:
        keywords[lang] = check.strings(table, f"keywords_{lang}", where, line)
    return Theme(
        id=check.slug(table, where, line),
        name=check.text(table, "name", where, line),
        description=check.text(table, "description", where, line),
        keywords=keywords,
    )


def _statement(check: _FileChecker, table: object, where: str, line: int | None):
    if (table := check.fields("statements", table, where, line)) is None:
        return None
    figures = []
    raw_figures = table.get("figures", [])
    if not isinstance(raw_figures, list):
        check.error(where, "'figures' must be an array of tables ([[statements.figures]])", line)
        raw_figures = []
    for index, figure in enumerate(raw_figures):
        fig_where = f"{where} figure {index + 1}"
        if (figure := check.fields("figures", figure, fig_where, line)) is None:
            continue
        value = figure.get("value")
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            check.error(fig_where, "'value' must be a number or a string", line)
            value = ""
        figures.append(Figure(str(value), check.text(figure, "label", fig_where, line)))
    return Statement(
        id=check.slug(table, where, line),
        speaker=check.string(table, "speaker", where, line),
        themes=check.strings(table, "themes", where, line),
        paragraph=check.integer(table, "paragraph", where, line, low=1),
        text=check.text(table, "text", where, line),
        figures=tuple(figures),
    )


def _check_references(check, event, institutions, people, themes, statements) -> None:
    institution_ids = {item.id for item in institutions}
    person_ids = {item.id for item in people}
    theme_ids = {item.id for item in themes}
    line = check.header_line("event")
    if event.chair and event.chair not in person_ids:
        check.error("event", f"chair '{event.chair}' is not a person in this file", line)
    for index, item in enumerate(institutions):
        if item.parent is not None and item.parent not in institution_ids:
            check.error(f"institutions '{item.id}'", f"unknown parent institution '{item.parent}'",
                        check.header_line("institutions", index))
    for index, person in enumerate(people):
        if person.institution and person.institution not in institution_ids:
            check.error(f"people '{person.id}'", f"unknown institution '{person.institution}'"
                        f"{_suggest(person.institution, institution_ids)}",
                        check.header_line("people", index))
    for index, statement in enumerate(statements):
        where, line = f"statements '{statement.id}'", check.header_line("statements", index)
        if statement.speaker and statement.speaker not in person_ids:
            check.error(where, f"unknown speaker '{statement.speaker}'"
                        f"{_suggest(statement.speaker, person_ids)}", line)
        for theme in statement.themes:
            if theme not in theme_ids:
                check.error(where, f"unknown theme '{theme}'{_suggest(theme, theme_ids)}", line)


def event_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their *.toml files, sorted, so loads are deterministic."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def parse_all(paths: Iterable[Path]) -> list[EventRecord]:
    """Parse every file; raise RecordsInvalid listing all errors of all files."""
    records, errors = [], []
    paths = list(paths)  # read twice: an iterator would be empty in the message below
    files = event_files(paths)
    if not files:
        raise RecordsInvalid([RecordError(Path(", ".join(map(str, paths)) or "."), "",
                                          "no event files (*.toml) found")])
    for path in files:
        if not path.exists():
            errors.append(RecordError(path, "", "no such file"))
            continue
        record, file_errors = parse_file(path)
        errors.extend(file_errors)
        if record:
            records.append(record)
    seen: dict[str, Path] = {}
    for record in records:
        if record.event.id in seen:
            errors.append(RecordError(record.path, "event", f"duplicate event id "
                                      f"'{record.event.id}' (also in {seen[record.event.id]})"))
        seen[record.event.id] = record.path
    if errors:
        raise RecordsInvalid(errors)
    return records
