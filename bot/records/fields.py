"""What an event file may hold: every table and field, its type, limits and meaning.

One description for the validator (`bot.records.files`), the JSON Schema editors' TOML
plug-ins read (`data/event-file.schema.json`, written by `python -m bot schema`) and the
README. Limits keep one record readable in a chat and every number storable in SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bot.records.model import TRANSLATED

SCHEMA = 2
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"

# Characters no record text needs, that could hide or reorder what an editor reads:
# C0/C1 controls (tab and line breaks are allowed in long texts) and bidirectional overrides.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
CONTROL_IN_LINE = r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
# What does not show: whitespace, zero-width characters, the BOM, soft hyphens, fillers.
INVISIBLE = r"[\s\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff]"

SHORT = 300  # characters: names, titles, roles, aliases, keywords, labels
LONG = 4_000  # characters: descriptions, statements, quotes, conclusions: one message at most
SUMMARY = 4_000
MAX_LIST = 100  # items in a list (aliases, keywords, sources)
MAX_PARTICIPANTS = 1_000  # people at one event
MAX_STATEMENTS = 5_000  # statements of one event
MAX_STATEMENTS_PER_SPEAKER = 200  # statements of one person (or body) at one event
MAX_THEMES = 300  # themes of one event
MAX_FIGURES = 20  # figures of one statement
MAX_PARAGRAPH = 100_000
MAX_ORDER = 10_000
MAX_COUNT = 100_000_000  # participants at one event
MAX_LINKS = 10  # links of one upcoming event
MAX_AGENDA = 200  # agenda items of one event
MAX_NESTING = 50  # levels of [ and { in a file; tomllib recurses on each


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # id, ref, string, text, strings, int, bool, date, url, urls, refs, language,
    #            value (a string or a number), datetime (with its UTC offset), moment (a
    #            datetime, or a time of day on the day the event starts), status
    doc: str
    required: bool = False
    limit: int = SHORT  # characters for strings, the largest value for numbers
    low: int = 1  # the smallest value for numbers

    @property
    def translatable(self) -> bool:
        return self.kind == "text"


@dataclass(frozen=True)
class Section:
    name: str
    doc: str
    fields: tuple[Field, ...]
    array: bool = True  # [[name]] (an array of tables) or [name] (one table)

    # Both are asked for every field of every table: hundreds of thousands of times for
    # a 1,000-event archive, so worked out once per section.
    @cached_property
    def names(self) -> frozenset[str]:
        names = {f.name for f in self.fields}
        names |= {f"{f.name}_{lang}" for f in self.fields if f.translatable for lang in TRANSLATED}
        return frozenset(names)

    @cached_property
    def _by_name(self) -> dict[str, Field]:
        by_name = {f"{f.name}_{lang}": f for f in self.fields if f.translatable
                   for lang in TRANSLATED}
        by_name.update((f.name, f) for f in reversed(self.fields))  # the first of a name
        return by_name

    def field(self, name: str) -> Field:
        """The field of a name; `title_ru` is the field `title`."""
        found = self._by_name.get(name)
        if found is not None:
            return found
        base = name.rsplit("_", 1)[0]
        return next(f for f in self.fields if f.name == base and f.translatable)


ID = Field("id", "id", "A lowercase slug (a-z, 0-9, '-') that other records refer to.", True)
ALIASES = Field("aliases", "strings", "Other ways people write this name, in any language or "
                "script. One alias names one record across the archive.")

SECTIONS: dict[str, Section] = {s.name: s for s in (
    Section("event", "The event: one per file, or none in a file that only defines people and "
            "institutions.", (
                Field("id", "id", "The event's id; the file is usually named after it.", True),
                Field("title", "text", "A short title in English; title_ru, title_kk optional.",
                      True),
                Field("date", "date", "The day it was held: YYYY-MM-DD.", True),
                Field("sources", "urls", "The published URLs the record comes from (the first "
                      "unless a statement says otherwise).", True, limit=2_000),
                Field("source_language", "language", "The language of the sources and their "
                      "quotes: en (default), ru, kk..."),
                Field("city", "text", "Where it was held, only if the source says so."),
                Field("participants_count", "int", "How many took part, only if the source "
                      "gives a number.", limit=MAX_COUNT),
                Field("participants_description", "text", "Who took part, in the source's words.",
                      limit=LONG),
                Field("summary", "text", "A short summary of what the source reports.",
                      limit=SUMMARY),
                Field("conclusion", "text", "What the participants concluded, only if the source "
                      "says so.", limit=LONG),
                Field("aliases", "strings", "Other ways people name this event (not a bare "
                      "'forum': one alias names one event)."),
                Field("starts", "datetime", "An upcoming event: when it starts, with its UTC "
                      "offset: 2026-03-12T10:00:00+05:00 (no quotes)."),
                Field("ends", "datetime", "When it ends, with its UTC offset; without it the "
                      "event lasts until the end of its day."),
                Field("venue", "text", "Where it takes place: the building and room."),
                Field("status", "status", "'scheduled' (the default) or 'cancelled'."),
            ), array=False),
    Section("links", "A link of an upcoming event: its livestream, its registration.", (
        Field("label", "text", "What it is, in English: 'Livestream', 'Registration'.", True),
        Field("url", "url", "The web address.", True, limit=2_000),
    )),
    Section("agenda", "An item of the event's programme, in order.", (
        Field("time", "moment", "When it starts: 10:30:00 (on the day the event starts, in its "
              "offset) or a full 2026-03-12T10:30:00+05:00.", True),
        Field("title", "text", "What it is, in English; title_ru, title_kk optional.", True),
        Field("speakers", "refs", "Ids of the people who speak (defined in any file)."),
    )),
    Section("people", "A person, defined once in the whole archive (in any file); events "
            "refer to them by id in [[participants]].", (
                ID,
                Field("name", "text", "Their name in English; name_ru, name_kk optional.", True),
                ALIASES,
                Field("role_aliases", "strings", "How people ask for them by title ('senate "
                      "chairman'); several people may share one."),
            )),
    Section("institutions", "An institution, defined once in the whole archive (in any file).", (
        ID,
        Field("name", "text", "Its full name in English; name_ru, name_kk optional.", True),
        Field("short", "text", "A short name or abbreviation."),
        ALIASES,
        Field("parent", "ref", "The id of the institution it belongs to."),
    )),
    Section("participants", "A person at this event, with their role here (roles change).", (
        Field("person", "ref", "The id of a person defined in any file.", True),
        Field("role", "text", "Their role or title as the source gives it."),
        Field("institution", "ref", "The id of the institution they represented."),
        Field("order", "int", "Their place in the speaking order, only if the source gives it.",
              limit=MAX_ORDER),
        Field("opened", "bool", "true only if the source says they opened the event."),
    )),
    Section("themes", "A theme of this event, with the words people ask about it by.", (
        ID,
        Field("name", "text", "A short name in English; name_ru, name_kk optional.", True),
        Field("description", "text", "One sentence on what it covers.", limit=LONG),
        Field("keywords", "strings", "Words and phrases in English that mean this theme."),
        Field("keywords_ru", "strings", "The same in Russian."),
        Field("keywords_kk", "strings", "The same in Kazakh."),
    )),
    Section("statements", "What the source reports someone said, in a third-person "
            "paraphrase, with its paragraph.", (
                ID,
                Field("speaker", "ref", "The id of the person who said it (a participant of this "
                      "event); or use 'by'."),
                Field("by", "ref", "Instead of 'speaker': 'participants' or 'speakers' for what "
                      "they said together, or an institution id."),
                Field("themes", "refs", "Ids of this event's themes it is about."),
                Field("paragraph", "int", "The paragraph of the source it comes from (1 = the "
                      "first paragraph of the text, after the headline).", True,
                      limit=MAX_PARAGRAPH),
                Field("text", "text", "The paraphrase in English; text_ru, text_kk optional.",
                      True, limit=LONG),
                Field("quote", "string", "The source's own words, verbatim, only where the source "
                      "quotes them.", limit=LONG),
                Field("source", "url", "The URL it comes from, if not the event's first source.",
                      limit=2_000),
                Field("figures", "figures", "Numbers it gives: [[statements.figures]] tables "
                      "right under the statement."),
            )),
    Section("figures", "A number a statement gives ([[statements.figures]], under its "
            "statement).", (
                Field("value", "value", "The number as the source gives it.", True, limit=50),
                Field("label", "text", "What it counts, in English; label_ru, label_kk optional.",
                      True),
            )),
)}
TOP_LEVEL = ("schema", "event", "people", "institutions", "participants", "themes", "statements",
             "links", "agenda")
# These need an [event] in the same file.
EVENT_SECTIONS = ("participants", "themes", "statements", "links", "agenda")
