"""Event files: parse the hand-edited TOML files and validate them, all errors at once.

Each file is checked on its own (types, limits, the line of every offending field), then the
files together (`archive.check`): ids defined once, references that resolve across files,
and no alias that names two records.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path

# The standard library's tomllib, compiled (the same parser, the same errors): three times
# faster, the largest part of parsing a 1,000-event archive.
import tomli

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
    Theme,
    file_digest,
)
from bot.records.tables import LANGUAGE, SLUG, FileChecker, Table, suggest, type_name


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
        return text, tomli.loads(text), []
    except tomli.TOMLDecodeError as exc:
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
    check = FileChecker(path, text)
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


def _event(check: FileChecker, data: object, file: dict) -> Event | None:
    from bot.records.schedule import schedule  # it reads tables with this module's Table

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
    if not LANGUAGE.match(language):
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


def _person(check: FileChecker, data: object, index: int) -> Person | None:
    if (table := check.table("people", data, index)) is None:
        return None
    person = Person(table.slug(), table.text("name"), table.strings("aliases"),
                    table.strings("role_aliases"))
    check.locate("person", person.id, table)
    return person


def _institution(check: FileChecker, data: object, index: int) -> Institution | None:
    if (table := check.table("institutions", data, index)) is None:
        return None
    parent = table.slug("parent") if "parent" in table.data else None
    item = Institution(table.slug(), table.text("name"), table.text("short"),
                       table.strings("aliases"), parent or None)
    check.locate("institution", item.id, table)
    return item


def _participant(check: FileChecker, data: object, index: int,
                 event_id: str) -> Participant | None:
    if (table := check.table("participants", data, index)) is None:
        return None
    institution = table.slug("institution") if "institution" in table.data else None
    participant = Participant(event_id, table.slug("person"), table.text("role"),
                              institution or None, table.integer("order") or 0,
                              table.boolean("opened"))
    if participant.person:
        check.locate_once("participant", participant.person, table,
                          f"'{participant.person}' is listed twice", "person")
    return participant


def _theme(check: FileChecker, data: object, index: int, event_id: str) -> Theme | None:
    if (table := check.table("themes", data, index)) is None:
        return None
    keywords = {"en": table.strings("keywords")}
    for lang in TRANSLATED:
        keywords[lang] = table.strings(f"keywords_{lang}")
    theme = Theme(event_id, table.slug(), table.text("name"), table.text("description"),
                  {lang: words for lang, words in keywords.items() if words})
    if theme.id:
        check.locate_once("theme", theme.id, table, f"duplicate id '{theme.id}'", "id")
    return theme


def _statement(check: FileChecker, data: object, index: int,
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
        if SLUG.match(theme):
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
        check.locate_once("statement", statement.id, table, f"duplicate id '{statement.id}'",
                          "id")
    return statement


def _figures(check: FileChecker, table: Table, index: int) -> tuple[Figure, ...]:
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
            check.error(where, f"expected a table, got {type_name(data)}", block.line)
            continue
        figure = Table(check, "figures", data, where, block)
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


def parse_all(paths: Iterable[Path], loaded: Iterable = (),
              progress: Callable[[int, int], None] | None = None) -> list[RecordFile]:
    """Parse every file and check them together; raise RecordsInvalid listing every error
    of every file. `loaded`: records already in the database from other files (see
    `bot.records.archive.Defined`), which references may name and aliases must not repeat.
    `progress(done, total)` is called after each file is read."""
    from bot.records.archive import check
    from bot.records.model import RecordsInvalid

    records, errors, located = [], [], {}
    paths = list(paths)  # read twice: an iterator would be empty in the message below
    files = event_files(paths)
    if not files:
        raise RecordsInvalid([RecordError(Path(", ".join(map(str, paths)) or "."), "",
                                          "no event files (*.toml) found")])
    for done, path in enumerate(files, 1):
        if not path.exists():
            errors.append(RecordError(path, "", "no such file"))
        else:
            record, file_errors, where = parse_file(path)
            errors.extend(file_errors)
            if record:
                records.append(record)
                located[path] = where
        if progress is not None:
            progress(done, len(files))
    errors.extend(check(records, located, list(loaded)))
    if errors:
        order = {path: number for number, path in enumerate(files)}
        errors.sort(key=lambda e: (order.get(e.path, -1), e.line or 0))  # as the editor reads
        raise RecordsInvalid(errors)
    return records
