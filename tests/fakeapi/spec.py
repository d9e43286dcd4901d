"""The Bot API spec (api.min.json): the methods that exist, their parameters and types."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from tests.fakeapi.errors import ApiError

DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[3] / "shared/telegram-bot-api/api.min.json"

# PTB sends these from telegram.ext.Defaults even to methods that lack them; Telegram ignores
# unknown parameters, so they are tolerated (and recorded in FakeBotAPI.ignored_params).
PTB_DEFAULTS_PARAMS = frozenset({"parse_mode", "disable_notification", "protect_content"})
# Without a spec: the plain-string parameters of the faked methods, to decode form values.
STRING_PARAMS = frozenset(
    (
        "text parse_mode callback_query_id inline_query_id next_offset description "
        "short_description language_code url secret_token"
    ).split()
)
_JSON_TYPES = {
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "Boolean": lambda v: isinstance(v, bool),
    "True": lambda v: v is True,
}


class Spec:
    """Method names and parameter types; empty (nothing checked) when there is no spec file."""

    def __init__(self, data: dict[str, Any] | None) -> None:
        self.data = data
        self.methods: dict[str, dict[str, Any]] = (data or {}).get("methods", {})

    def fields(self, method: str) -> dict[str, dict[str, Any]]:
        return {f["name"]: f for f in self.methods.get(method, {}).get("fields", [])}

    def decode(self, method: str, raw: dict[str, Any]) -> dict[str, Any]:
        """Form values (JSON-encoded unless plain strings) as the types the spec names."""
        fields = self.fields(method)
        return {
            name: _decode(value, fields[name]["types"] if name in fields else None, name)
            for name, value in raw.items()
        }

    def check(self, method: str, params: dict[str, Any]) -> list[str]:
        """Refuse unknown or missing parameters like Telegram; the tolerated extras' names."""
        if method not in self.methods:
            return []
        fields = self.fields(method)
        ignored = []
        for name in params:
            if name in fields:
                continue
            if name not in PTB_DEFAULTS_PARAMS:
                raise ApiError(400, f"Bad Request: unknown parameter {name}")
            ignored.append(name)
        for name, field in fields.items():
            if field.get("required") and name not in params:
                if name == "text":
                    raise ApiError(400, "Bad Request: message text is empty")
                raise ApiError(400, f"Bad Request: {name} is required")
        return ignored


@functools.cache
def load_spec(path: Path | None) -> Spec:
    """The spec at ``path`` (read once per run), or an empty one if there is no such file."""
    if path is None or not path.is_file():
        return Spec(None)
    return Spec(json.loads(path.read_text(encoding="utf-8")))


def _decode(value: Any, types: list[str] | None, name: str) -> Any:
    if not isinstance(value, str):
        return value
    if types is None:
        if name in STRING_PARAMS:
            return value
        try:
            return json.loads(value)
        except ValueError:
            return value
    if types == ["String"]:
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    for kind in types:
        check = _JSON_TYPES.get(kind)
        if check is not None:
            if check(decoded):
                return decoded
        elif kind.startswith("Array"):
            if isinstance(decoded, list):
                return decoded
        elif kind not in ("String", "InputFile") and isinstance(decoded, dict):
            return decoded
    return value if "String" in types or "InputFile" in types else decoded
