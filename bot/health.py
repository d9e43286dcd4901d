"""The running bot's heartbeat: a small file beside the database that `python -m bot health`
reads, so Docker's HEALTHCHECK works in polling mode too (there is no port to ask)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

# The bot writes every BEAT_SECONDS; a heartbeat older than STALE_SECONDS means a stuck loop.
BEAT_SECONDS = 10
STALE_SECONDS = 60
# Polling asks Telegram at least every ~10 s (long-poll timeout); this long without an answer
# means the bot is cut off from Telegram.
TELEGRAM_SILENT_SECONDS = 180


def heartbeat_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + ".health")


def beat(path: Path, *, mode: str, telegram_ok: float | None) -> None:
    """Write the heartbeat atomically (a reader never sees half a file)."""
    body = {"pid": os.getpid(), "written": time.time(), "mode": mode,
            "telegram_ok": telegram_ok}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(body), encoding="utf-8")
    os.replace(temporary, path)


def forget(path: Path) -> None:
    """A bot that stopped is not healthy: remove its heartbeat."""
    path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Health:
    ok: bool
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "reason": self.reason}


def check(path: Path, now: float | None = None) -> Health:
    """Whether the bot that writes `path` is alive and, when polling, hears from Telegram."""
    now = time.time() if now is None else now
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        written = float(body["written"])
    except FileNotFoundError:
        return Health(False, f"no heartbeat at {path}: the bot is not running (or starting)")
    except (OSError, ValueError, KeyError, TypeError) as error:
        return Health(False, f"unreadable heartbeat {path}: {error}")
    age = now - written
    if age > STALE_SECONDS:
        return Health(False, f"last heartbeat {age:.0f} s ago: the bot is stuck or stopped")
    telegram_ok = body.get("telegram_ok")
    if body.get("mode") == "polling":
        if telegram_ok is None:
            return Health(age < STALE_SECONDS, "starting: no answer from Telegram yet")
        silent = now - float(telegram_ok)
        if silent > TELEGRAM_SILENT_SECONDS:
            return Health(False, f"no answer from Telegram for {silent:.0f} s")
    return Health(True, f"heartbeat {age:.0f} s ago ({body.get('mode', '?')})")
