"""Event files: parse the hand-edited TOML files and validate them, all errors at once.

Each file is checked on its own (types, limits, the line of every offending field), then the
files together (`archive.check`): ids defined once, references that resolve across files,
and no alias that names two records.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.records import fields as F
from bot.records.model import (
    TRANSLATED,
    Event,
    Figure,
    Institution,
    Participant,
    Person,
    RecordError,
    RecordFile,
    Statement,
    Text,
    Theme,
    file_digest,
)

_SLUG = re.compile(F.SLUG_PATTERN)
_LANGUAGE = re.compile(F.LANGUAGE_PATTERN)
_CONTROL = re.compile(F.CONTROL)
_CONTROL_IN_LINE = re.compile(F.CONTROL_IN_LINE)
_INVISIBLE = re.compile(F.INVISIBLE + "*")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")
_MISSING = object()


# ----- where things are in the file ----------------------------------------------------------


@dataclass
class Block:
    """One table of the file ([event], the n-th [[people]]...): its lines and its keys' lines."""

    header: str | None
    line: int | None
    keys: dict[str, int] = field(default_factory=dict)
    end: int = 0


class SourceMap:
    """The line of each table and of each key in it, so errors point at the field itself.

    tomllib gives values, not positions; this follows the file line by line, skipping the
    inside of multi-line strings.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.top = Block(None, None)
        self.blocks: dict[str, list[Block]] = {}
        current, open_quote = self.top, None
        for number, line in enumerate(self.lines, 1):
            current.end = number
            if open_quote:
                if line.count(open_quote) % 2:
                    open_quote = None
                continue
            stripped = line.strip()
            if stripped.startswith("["):
                header = stripped.split("#", 1)[0].strip().replace(" ", "")
                current = Block(header, number, end=number)
                self.blocks.setdefault(header, []).append(current)
                continue
            if key := _KEY.match(line):
                current.keys.setdefault(key.group(1).strip("\"'"), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2:
                    open_quote = quote
                    break

    def block(self, section: str, index: int | None = None) -> Block:
        header = f"[[{section}]]" if index is not None else f"[{section}]"
        found = self.blocks.get(header, [])
        position = index or 0
        return found[position] if position < len(found) else Block(header, None)

    def figures_of(self, statement: int) -> list[Block]:
        """The [[statements.figures]] tables under the n-th [[statements]] table."""
        statements = self.blocks.get("[[statements]]", [])
        if statement >= len(statements):
            return []
        start = statements[statement].line or 0
        stop = statements[statement + 1].line if statement + 1 < len(statements) else 1 << 30
        return [b for b in self.blocks.get("[[statements.figures]]", [])
                if b.line and start < b.line < stop]

    def line(self, block: Block, name: str | None = None, value: str | None = None) -> int | None:
        """The line of `name` in the block (of `value` in its list, when given), else the
        block's header line."""
        line = block.keys.get(name, block.line) if name else block.line
        if value is not None and line:
            for number in range(line, max(block.end, line) + 1):
                if value in self.lines[number - 1]:
                    return number
        return line


# ----- one file ------------------------------------------------------------------------------


@dataclass
class Located:
    """A record and where it is: for errors found when the files are checked together."""

    path: Path
    where: str
    block: Block
    source: SourceMap

    def line(self, name: str | None = None, value: str | None = None) -> int | None:
        return self.source.line(self.block, name, value)


class _Table:
    """One table being turned into a record: typed reads that report what is wrong, where."""

    def __init__(self, check: _FileChecker, section: str, data: dict, where: str,
                 block: Block) -> None:
        self.check, self.spec, self.data = check, F.SECTIONS[section], data
        self.where, self.block = where, block
        for spec in self.spec.fields:
            if spec.required and spec.name not in data:
                self.error(f"missing required field '{spec.name}'")
        for name in sorted(set(data) - self.spec.names):
            self.error(f"unknown field '{name}'{suggest(name, self.spec.names)}", name)

    def error(self, message: str, name: str | None = None, value: str | None = None) -> None:
        line = self.check.source.line(self.block, name, value)
        self.check.errors.append(RecordError(self.check.path, self.where, message, line))

    def _string(self, name: str, value: object, limit: int, multiline: bool) -> str | None:
        if not isinstance(value, str):
            self.error(f"'{name}' must be a string, not {_type(value)}", name)
            return None
        if bad := (_CONTROL if multiline else _CONTROL_IN_LINE).search(value):
            self.error(f"'{name}' has the control character U+{ord(bad.group()):04X}; "
                       "remove it", name)
            return None
        if not value.strip():
            self.error(f"'{name}' is empty: fill it in, or delete the line if it is optional",
                       name)
            return None
        if _INVISIBLE.fullmatch(value):
            self.error(f"'{name}' must have visible text, not only invisible characters", name)
            return None
        if len(value) > limit:
            self.error(f"'{name}' is {len(value):,} characters long; at most {limit:,}", name)
            return None
        return value.strip()

    def string(self, name: str) -> str:
        value = self.data.get(name, _MISSING)
        if value is _MISSING:
            return ""
        spec = self.spec.field(name)
        return self._string(name, value, spec.limit, spec.limit > F.SHORT) or ""

    def text(self, name: str) -> Text:
        text: Text = {}
        for key, lang in ((name, "en"), *((f"{name}_{x}", x) for x in TRANSLATED)):
            if (value := self.string(key)) and lang:
                text[lang] = value
        if text and "en" not in text and name not in self.data \
                and not self.spec.field(name).required:  # else "missing required field"
            self.error(f"'{name}' (English) is missing beside its translations", name)
        return text if "en" in text else {}

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.error(f"'{name}' must be a list of strings, not {_type(value)}", name)
            return ()
        if len(value) > F.MAX_LIST:
            self.error(f"'{name}' has {len(value):,} items; at most {F.MAX_LIST:,}", name)
            return ()
        items = [self._string(name, item, F.SHORT, False) for item in value]
        return tuple(dict.fromkeys(item for item in items if item))

    def integer(self, name: str) -> int | None:
        value = self.data.get(name)
        if value is None:
            return None
        spec = self.spec.field(name)
        if isinstance(value, bool) or not isinstance(value, int) \
                or not spec.low <= value <= spec.limit:
            self.error(f"'{name}' must be a whole number from {spec.low} to {spec.limit:,}", name)
            return None
        return value

    def boolean(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            self.error(f"'{name}' must be true or false", name)
            return False
        return value

    def slug(self, name: str = "id") -> str:
        value = self.data.get(name)
        if value is None:
            return ""
        if value == "":
            self.error(f"'{name}' is empty: write an id (lowercase letters, digits and '-')",
                       name)
            return ""
        if not isinstance(value, str) or not _SLUG.match(value):
            shown = repr(value) if isinstance(value, str) and len(value) < 80 else _type(value)
            self.error(f"'{name}' {shown} must be lowercase letters, digits and '-'", name)
            return ""
        return value

    def url(self, name: str, value: object) -> str:
        text = self._string(name, value, 2_000, False)
        if text is None:
            return ""
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
            self.error(f"'{name}' {text!r} must be a web address (https://...)", name)
            return ""
        return text

    def date(self, name: str) -> dt.date:
        value = self.data.get(name)
        if isinstance(value, dt.datetime | dt.time):
            self.error(f"'{name}' must be a date like 2026-02-09, not a date and time", name)
        elif isinstance(value, dt.date):
            return value
        elif isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                self.error(f"bad date {value[:40]!r}: use YYYY-MM-DD", name)
        elif value is not None:
            self.error(f"'{name}' must be a date like 2026-02-09, not {_type(value)}", name)
        return dt.date.min


def _type(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "a table", dt.date: "a date", dt.datetime: "a date and time",
             dt.time: "a time"}
    return names.get(type(value), type(value).__name__)


def suggest(name: str, known: Iterable[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _FileChecker:
    """Collects the errors of one file while turning its tables into records."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.source = SourceMap(text)
        self.errors: list[RecordError] = []
        self.located: dict[tuple[str, str], Located] = {}

    def error(self, where: str, message: str, line: int | None = None) -> None:
        self.errors.append(RecordError(self.path, where, message, line))

    def table(self, section: str, data: object, index: int | None) -> _Table | None:
        block = self.source.block(section, index)
        where = section
        if index is not None:
            where = f"{section}[{index + 1}]"
            key = "person" if section == "participants" else "id"
            if isinstance(data, dict) and isinstance(data.get(key), str) and data[key]:
                where = f"{section} '{data[key][:64]}'"
        if not isinstance(data, dict):
            self.error(where, f"expected a table, got {_type(data)}", block.line)
            return None
        return _Table(self, section, data, where, block)

    def locate(self, kind: str, key: str, table: _Table) -> None:
        self.located.setdefault((kind, key), Located(self.path, table.where, table.block,
                                                     self.source))

    def array(self, data: dict, section: str,
              limit: int | None = None) -> list[tuple[int, object]]:
        items = data.get(section, [])
        if not isinstance(items, list):
            self.error(section, f"'{section}' must be tables written [[{section}]]",
                       self.source.line(self.source.top, section))
            return []
        if limit is not None and len(items) > limit:
            self.error(section, f"{len(items):,} [[{section}]] tables; at most {limit:,}",
                       self.source.block(section, limit).line)
            items = items[:limit]
        return list(enumerate(items))


def read_toml(path: Path) -> tuple[str, dict | None, list[RecordError]]:
    """The file's text and TOML data, or the one error that stops reading it."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")  # a BOM from a Windows editor is no error
    except UnicodeDecodeError as exc:
        return "", None, [RecordError(path, "", f"not UTF-8 text: {exc.reason}")]
    except OSError as exc:
        return "", None, [RecordError(path, "", f"cannot read file: {exc.strerror}")]
    try:
        return text, tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        # `lineno` exists only from Python 3.14; older versions put it in the message.
        line = getattr(exc, "lineno", None)
        if line is None and (found := re.search(r"\(at line (\d+)", str(exc))):
            line = int(found.group(1))
        message = str(exc).split(" (at line")[0]
        return text, None, [RecordError(path, "", f"TOML syntax error: {message}", line)]
    except RecursionError:
        message = f"TOML nested too deeply: at most {F.MAX_NESTING} levels of [ and {{"
        return text, None, [RecordError(path, "", message, _too_deep(text))]


def _too_deep(text: str) -> int | None:
    """The line where brackets first nest deeper than anyone writes by hand."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > F.MAX_NESTING:
                return number
    return None


def parse_file(path: Path) -> tuple[RecordFile | None, list[RecordError], dict]:
    """Parse and check one file on its own: the records, or the errors; and where each
    record is, for the checks across files."""
    text, data, errors = read_toml(path)
    if data is None:
        return None, errors, {}
    check = _FileChecker(path, text)
    top = check.source.top
    for name in sorted(set(data) - set(F.TOP_LEVEL)):
        check.error("", f"unknown top-level key '{name}'{suggest(name, F.TOP_LEVEL)}",
                    check.source.line(top, name) or check.source.block(name).line)
    schema = data.get("schema")
    if schema != F.SCHEMA:
        hint = (" (schema 1 is the old one-event format: see README, 'Adding an event')"
                if schema == 1 else "")
        check.error("", f"'schema' must be {F.SCHEMA}{hint}", check.source.line(top, "schema")
                    or 1)
    people = tuple(p for i, t in check.array(data, "people") if (p := _person(check, t, i)))
    institutions = tuple(x for i, t in check.array(data, "institutions")
                         if (x := _institution(check, t, i)))
    event = _event(check, data["event"], data) if "event" in data else None
    records: dict[str, tuple] = {}
    for section in F.EVENT_SECTIONS:
        if section in data and "event" not in data:
            check.error(section, f"[[{section}]] belong to an event: add the [event] table",
                        check.source.block(section, 0).line)
    if "event" in data:
        eid = event.id if event else ""
        records["participants"] = tuple(
            p for i, t in check.array(data, "participants", F.MAX_PARTICIPANTS)
            if (p := _participant(check, t, i, eid)))
        records["themes"] = tuple(
            x for i, t in check.array(data, "themes", F.MAX_THEMES)
            if (x := _theme(check, t, i, eid)))
        records["statements"] = tuple(
            s for i, t in check.array(data, "statements", F.MAX_STATEMENTS)
            if (s := _statement(check, t, i, eid)))
    if not event and not people and not institutions and not check.errors:
        check.error("", "the file holds no [event], [[people]] or [[institutions]]", 1)
    if check.errors:
        return None, check.errors, check.located
    record = RecordFile(path, file_digest(path.read_bytes()), event,
                        records.get("participants", ()), records.get("themes", ()),
                        records.get("statements", ()), people, institutions)
    return record, [], check.located


def _event(check: _FileChecker, data: object, file: dict) -> Event | None:
    from bot.records.schedule import schedule  # it reads tables with this module's _Table

    table = check.table("event", data, None)
    if table is None:
        return None
    check.locate("event", "", table)
    sources = []
    raw = table.data.get("sources", [])
    if not isinstance(raw, list) or not raw:
        if "sources" in table.data:
            table.error("'sources' must be a list of one or more web addresses", "sources")
    elif len(raw) > F.MAX_LIST:
        table.error(f"'sources' has {len(raw)} items; at most {F.MAX_LIST}", "sources")
    else:
        sources = [url for item in raw if (url := table.url("sources", item))]
    language = table.string("source_language") or "en"
    if not _LANGUAGE.match(language):
        table.error(f"'source_language' {language[:20]!r} must be a language code like "
                    "en, ru or kk", "source_language")
    day = table.date("date")
    event = Event(
        id=table.slug(),
        title=table.text("title"),
        date=day,
        sources=tuple(dict.fromkeys(sources)),
        source_language=language,
        city=table.text("city"),
        participants_count=table.integer("participants_count"),
        participants_description=table.text("participants_description"),
        summary=table.text("summary"),
        conclusion=table.text("conclusion"),
        aliases=table.strings("aliases"),
        **schedule(check, table, file, day),
    )
    return event if event.id else None


def _person(check: _FileChecker, data: object, index: int) -> Person | None:
    if (table := check.table("people", data, index)) is None:
        return None
    person = Person(table.slug(), table.text("name"), table.strings("aliases"),
                    table.strings("role_aliases"))
    check.locate("person", person.id, table)
    return person


def _institution(check: _FileChecker, data: object, index: int) -> Institution | None:
    if (table := check.table("institutions", data, index)) is None:
        return None
    parent = table.slug("parent") if "parent" in table.data else None
    item = Institution(table.slug(), table.text("name"), table.text("short"),
                       table.strings("aliases"), parent or None)
    check.locate("institution", item.id, table)
    return item


def _participant(check: _FileChecker, data: object, index: int,
                 event_id: str) -> Participant | None:
    if (table := check.table("participants", data, index)) is None:
        return None
    institution = table.slug("institution") if "institution" in table.data else None
    participant = Participant(event_id, table.slug("person"), table.text("role"),
                              institution or None, table.integer("order") or 0,
                              table.boolean("opened"))
    if participant.person:
        if ("participant", participant.person) in check.located:
            first = check.located[("participant", participant.person)].line()
            table.error(f"'{participant.person}' is listed twice (first at line {first})",
                        "person")
        check.locate("participant", participant.person, table)
    return participant


def _theme(check: _FileChecker, data: object, index: int, event_id: str) -> Theme | None:
    if (table := check.table("themes", data, index)) is None:
        return None
    keywords = {"en": table.strings("keywords")}
    for lang in TRANSLATED:
        keywords[lang] = table.strings(f"keywords_{lang}")
    theme = Theme(event_id, table.slug(), table.text("name"), table.text("description"),
                  {lang: words for lang, words in keywords.items() if words})
    if theme.id:
        if ("theme", theme.id) in check.located:
            first = check.located[("theme", theme.id)].line()
            table.error(f"duplicate id '{theme.id}' (first at line {first})", "id")
        check.locate("theme", theme.id, table)
    return theme


def _statement(check: _FileChecker, data: object, index: int,
               event_id: str) -> Statement | None:
    if (table := check.table("statements", data, index)) is None:
        return None
    speaker = table.slug("speaker") if "speaker" in table.data else ""
    by = table.slug("by") if "by" in table.data else ""
    if "speaker" in table.data and "by" in table.data:
        table.error("give either 'speaker' (a person) or 'by' (the participants, the speakers "
                    "or an institution), not both", "by")
    elif "speaker" not in table.data and "by" not in table.data:
        table.error("missing 'speaker' (a person id) or 'by' ('participants', 'speakers' or an "
                    "institution id)")
    themes = []
    for theme in table.strings("themes"):
        if _SLUG.match(theme):
            themes.append(theme)
        else:
            table.error(f"theme {theme[:64]!r} must be an id: lowercase letters, digits and '-'",
                        "themes", theme)
    source = table.url("source", table.data["source"]) if "source" in table.data else ""
    statement = Statement(
        event_id=event_id, id=table.slug(), position=index,
        paragraph=table.integer("paragraph") or 0, text=table.text("text"),
        speaker=speaker or None, by=by or None, themes=tuple(themes),
        quote=table.string("quote"), source=source,
        figures=_figures(check, table, index),
    )
    if statement.id:
        if ("statement", statement.id) in check.located:
            first = check.located[("statement", statement.id)].line()
            table.error(f"duplicate id '{statement.id}' (first at line {first})", "id")
        check.locate("statement", statement.id, table)
    return statement


def _figures(check: _FileChecker, table: _Table, index: int) -> tuple[Figure, ...]:
    raw = table.data.get("figures", [])
    if not isinstance(raw, list):
        table.error("'figures' must be tables written [[statements.figures]]", "figures")
        return ()
    if len(raw) > F.MAX_FIGURES:
        table.error(f"{len(raw)} figures; at most {F.MAX_FIGURES}", "figures")
        return ()
    blocks = check.source.figures_of(index)
    figures = []
    for number, data in enumerate(raw):
        where = f"{table.where} figure {number + 1}"
        block = blocks[number] if number < len(blocks) else table.block
        if not isinstance(data, dict):
            check.error(where, f"expected a table, got {_type(data)}", block.line)
            continue
        figure = _Table(check, "figures", data, where, block)
        value = data.get("value")
        if isinstance(value, bool) or not isinstance(value, str | int | float) or (
                isinstance(value, float) and not math.isfinite(value)):
            figure.error("'value' must be a number or a string", "value")
            continue
        text = figure._string("value", str(value), 50, False) if isinstance(value, str) \
            else str(value)
        if text is None:
            continue
        if len(text) > 50:
            figure.error(f"'value' is {len(text)} characters long; at most 50", "value")
            continue
        figures.append(Figure(text, figure.text("label")))
    return tuple(figures)


# ----- the files together --------------------------------------------------------------------


def event_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their *.toml files, sorted, so loads are deterministic."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def parse_all(paths: Iterable[Path], loaded: Iterable = ()) -> list[RecordFile]:
    """Parse every file and check them together; raise RecordsInvalid listing every error
    of every file. `loaded`: records already in the database from other files (see
    `bot.records.archive.Defined`), which references may name and aliases must not repeat."""
    from bot.records.archive import check
    from bot.records.model import RecordsInvalid

    records, errors, located = [], [], {}
    paths = list(paths)  # read twice: an iterator would be empty in the message below
    files = event_files(paths)
    if not files:
        raise RecordsInvalid([RecordError(Path(", ".join(map(str, paths)) or "."), "",
                                          "no event files (*.toml) found")])
    for path in files:
        if not path.exists():
            errors.append(RecordError(path, "", "no such file"))
            continue
        record, file_errors, where = parse_file(path)
        errors.extend(file_errors)
        if record:
            records.append(record)
            located[path] = where
    errors.extend(check(records, located, list(loaded)))
    if errors:
        order = {path: number for number, path in enumerate(files)}
        errors.sort(key=lambda e: (order.get(e.path, -1), e.line or 0))  # as the editor reads
        raise RecordsInvalid(errors)
    return records
