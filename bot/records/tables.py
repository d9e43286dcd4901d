"""A TOML file's tables with the line of every field, and typed reads of them that report
what is wrong and where: the ground the event-file validator (bot.records.files) stands on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.records import fields as F
from bot.records.model import (
    TRANSLATED,
    RecordError,
    Text,
)

SLUG = re.compile(F.SLUG_PATTERN)
LANGUAGE = re.compile(F.LANGUAGE_PATTERN)
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
        key_of = _KEY.match
        # ~750 lines a file, 1,000 files: the loop does the least it can per line.
        for number, line in enumerate(self.lines, 1):
            if open_quote:
                if line.count(open_quote) % 2:
                    open_quote = None
                continue
            if key := key_of(line):  # a header's "[" never starts a key
                current.keys.setdefault(key.group(1).strip("\"'"), number)
            elif (stripped := line.strip()).startswith("["):
                current.end = number
                header = stripped.split("#", 1)[0].strip().replace(" ", "")
                current = Block(header, number, end=number)
                self.blocks.setdefault(header, []).append(current)
                continue
            if ('""' in line or "''" in line) and (
                    line.count('"""') % 2 or line.count("'''") % 2):
                open_quote = '"""' if line.count('"""') % 2 else "'''"
        current.end = len(self.lines)

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


class Table:
    """One table being turned into a record: typed reads that report what is wrong, where."""

    def __init__(self, check: FileChecker, section: str, data: dict, where: str,
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
            self.error(f"'{name}' must be a string, not {type_name(value)}", name)
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
            self.error(f"'{name}' must be a list of strings, not {type_name(value)}", name)
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
        if not isinstance(value, str) or not SLUG.match(value):
            shown = repr(value) if isinstance(value, str) and len(value) < 80 else type_name(value)
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
            self.error(f"'{name}' must be a date like 2026-02-09, not {type_name(value)}", name)
        return dt.date.min


def type_name(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "a table", dt.date: "a date", dt.datetime: "a date and time",
             dt.time: "a time"}
    return names.get(type(value), type(value).__name__)


def suggest(name: str, known: Iterable[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class FileChecker:
    """Collects the errors of one file while turning its tables into records."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.source = SourceMap(text)
        self.errors: list[RecordError] = []
        self.located: dict[tuple[str, str], Located] = {}

    def error(self, where: str, message: str, line: int | None = None) -> None:
        self.errors.append(RecordError(self.path, where, message, line))

    def table(self, section: str, data: object, index: int | None) -> Table | None:
        block = self.source.block(section, index)
        where = section
        if index is not None:
            where = f"{section}[{index + 1}]"
            key = "person" if section == "participants" else "id"
            if isinstance(data, dict) and isinstance(data.get(key), str) and data[key]:
                where = f"{section} '{data[key][:64]}'"
        if not isinstance(data, dict):
            self.error(where, f"expected a table, got {type_name(data)}", block.line)
            return None
        return Table(self, section, data, where, block)

    def locate(self, kind: str, key: str, table: Table) -> None:
        self.located.setdefault((kind, key), Located(self.path, table.where, table.block,
                                                     self.source))

    def locate_once(self, kind: str, key: str, table: Table, said: str, field: str) -> None:
        """`locate`, for a kind whose keys are unique in a file: a second record of the key is
        an error at its `field`, `said` with the first one's line."""
        if (kind, key) in self.located:
            first = self.located[(kind, key)].line()
            table.error(f"{said} (first at line {first})", field)
        self.locate(kind, key, table)

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
