"""The JSON Schema of event files, from the same field descriptions the validator uses.

Editors' TOML plug-ins (Taplo / "Even Better TOML" in VS Code, IntelliJ's TOML support) read
it to complete field names, show what a field means and flag a wrong type as one types. It is
committed as data/event-file.schema.json; `python -m bot schema` writes it again after the
fields change, and a test fails when the two differ. The validator stays the authority: the
schema cannot see across files (unknown ids, one alias for two records).
"""

from __future__ import annotations

import json

from bot.records import fields as F
from bot.records.model import STATUSES, TRANSLATED

LANGUAGE_NAMES = {"ru": "Russian", "kk": "Kazakh"}
# A date and time with its UTC offset (plug-ins hand TOML date-times over as RFC 3339 text).
DATETIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"
TIME_OF_DAY = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"


def _value(field: F.Field) -> dict:
    slug = {"type": "string", "pattern": F.SLUG_PATTERN}
    text = {"type": "string", "minLength": 1, "maxLength": field.limit}
    url = {"type": "string", "pattern": "^https?://[^ ]+$", "maxLength": field.limit}
    kinds = {
        "id": slug,
        "ref": slug,
        "refs": {"type": "array", "items": slug, "maxItems": F.MAX_LIST},
        "string": text,
        "text": text,
        "strings": {"type": "array", "items": {"type": "string", "minLength": 1,
                                               "maxLength": F.SHORT}, "maxItems": F.MAX_LIST},
        "int": {"type": "integer", "minimum": field.low, "maximum": field.limit},
        "bool": {"type": "boolean"},
        "date": {"type": "string", "format": "date"},
        "url": url,
        "urls": {"type": "array", "items": url, "minItems": 1, "maxItems": F.MAX_LIST},
        "language": {"type": "string", "pattern": F.LANGUAGE_PATTERN},
        "value": {"type": ["string", "number"]},
        "datetime": {"type": "string", "pattern": DATETIME},
        "moment": {"type": "string", "pattern": f"{DATETIME}|{TIME_OF_DAY}"},
        "status": {"enum": list(STATUSES)},
        "figures": {"type": "array", "items": {"$ref": "#/$defs/figures"},
                    "maxItems": F.MAX_FIGURES},
    }
    return {"description": field.doc, **kinds[field.kind]}


def _table(section: F.Section) -> dict:
    properties = {}
    for field in section.fields:
        properties[field.name] = _value(field)
        if field.translatable:
            for lang in TRANSLATED:
                translation = dict(properties[field.name])
                translation["description"] = (f"'{field.name}' in {LANGUAGE_NAMES[lang]}; "
                                              "English is shown, marked [en], where missing.")
                properties[f"{field.name}_{lang}"] = translation
    table = {"type": "object", "description": section.doc, "additionalProperties": False,
             "required": [f.name for f in section.fields if f.required],
             "properties": properties}
    if section.name == "statements":  # who said it: a person, or a collective voice
        table["oneOf"] = [{"required": ["speaker"]}, {"required": ["by"]}]
    return table


def json_schema() -> dict:
    sections = {name: _table(section) for name, section in F.SECTIONS.items()}
    properties: dict = {"schema": {"const": F.SCHEMA, "description": "The file format: "
                                   f"{F.SCHEMA}."}}
    for name in F.TOP_LEVEL[1:]:
        section = F.SECTIONS[name]
        properties[name] = ({"$ref": f"#/$defs/{name}"} if not section.array else
                            {"type": "array", "items": {"$ref": f"#/$defs/{name}"},
                             "description": section.doc})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Event record file",
        "description": "One event from its published source, and the people and "
                       "institutions it defines for the whole archive. `python -m bot check` "
                       "checks the files together; README, 'Adding an event'.",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema"],
        "properties": properties,
        "$defs": sections,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
