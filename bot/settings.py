"""Settings read once from the environment into a typed, frozen object."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "bot.db"
DEFAULT_EVENTS = PROJECT_ROOT / "data" / "events"
TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_TIMEZONE = "Asia/Almaty"
TOKEN_HELP = (
    "BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot), "
    "then run: BOT_TOKEN=123456:ABC... python -m bot run"
)


class SettingsError(ValueError):
    """A bad environment value; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    bot_token: str = ""
    telegram_base_url: str = TELEGRAM_BASE_URL
    database_path: Path = DEFAULT_DATABASE
    events_path: Path = DEFAULT_EVENTS
    admin_ids: frozenset[int] = frozenset()
    announce_chat_ids: tuple[int, ...] = ()
    webhook_url: str = ""
    webhook_secret: str = ""
    port: int = 8443
    listen: str = "127.0.0.1"
    webhook_secret_generated: bool = False
    log_level: str = ""  # empty: INFO for `run`, WARNING for the other commands
    reminder_leads: tuple[int, ...] = (86_400, 3_600)  # seconds before an event starts
    # Where times an admin types are read when the event has no time of its own (IANA name).
    timezone: str = DEFAULT_TIMEZONE

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        base_url = env.get("TELEGRAM_BASE_URL", "").strip() or TELEGRAM_BASE_URL
        webhook_url = env.get("WEBHOOK_URL", "").strip()
        secret = env.get("WEBHOOK_SECRET", "").strip()
        for name, url in (("TELEGRAM_BASE_URL", base_url), ("WEBHOOK_URL", webhook_url)):
            if url and urlparse(url).scheme not in ("http", "https"):
                raise SettingsError(f"{name} must be an http(s) URL, got {url!r}")
        if secret and (len(secret) > 256 or not all(
                c.isascii() and (c.isalnum() or c in "_-") for c in secret)):
            raise SettingsError("WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256)")
        generated = bool(webhook_url and not secret)
        if generated:
            # Without a secret anyone who finds the URL could post forged updates (a fake
            # admin's /announce). A random one is registered with Telegram at every start.
            secret = secrets.token_urlsafe(32)
        return cls(
            bot_token=env.get("BOT_TOKEN", "").strip(),
            telegram_base_url=base_url,
            database_path=Path(env.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE),
            events_path=Path(env.get("EVENTS_PATH", "").strip() or DEFAULT_EVENTS),
            admin_ids=frozenset(_int_list(env, "ADMIN_IDS")),
            announce_chat_ids=tuple(_int_list(env, "ANNOUNCE_CHAT_IDS")),
            webhook_url=webhook_url,
            webhook_secret=secret,
            webhook_secret_generated=generated,
            port=_port(env.get("PORT", "").strip() or "8443"),
            listen=_address(env.get("LISTEN", "").strip() or "127.0.0.1"),
            log_level=_log_level(env.get("LOG_LEVEL", "").strip()),
            reminder_leads=_leads(env.get("REMINDER_LEADS", "1d,1h")),
            timezone=_timezone(env.get("TIMEZONE", "").strip() or DEFAULT_TIMEZONE),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_token(self) -> None:
        if not self.bot_token:
            raise SettingsError(TOKEN_HELP)
        if ":" not in self.bot_token:
            raise SettingsError("BOT_TOKEN looks wrong: it has the form 123456:ABC-DEF...")


def _int_list(env: Mapping[str, str], name: str) -> list[int]:
    raw = env.get(name, "")
    values = []
    for part in raw.replace(";", ",").split(","):
        if not (part := part.strip()):
            continue
        try:
            values.append(int(part))
        except ValueError:
            raise SettingsError(
                f"{name} must be comma-separated numeric ids, got {part!r}"
            ) from None
    return values


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"PORT must be a number from 1 to 65535, got {raw!r}")
    return int(raw)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_UNITS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}


def _leads(raw: str) -> tuple[int, ...]:
    """REMINDER_LEADS: '1d,1h', '90s', '30m'; empty for no reminders. Longest first."""
    leads = set()
    for part in raw.replace(";", ",").split(","):
        if not (part := part.strip().lower()):
            continue
        number, unit = part[:-1], part[-1:]
        if unit not in _UNITS or not number.isdigit() or not 0 < int(number) <= 10**6:
            raise SettingsError("REMINDER_LEADS must be comma-separated times before an event "
                                f"such as 1d, 1h, 30m or 90s, got {part!r}")
        leads.add(int(number) * _UNITS[unit])
    return tuple(sorted(leads, reverse=True))


def _timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError("TIMEZONE must be a time zone name such as Asia/Almaty or "
                            f"Europe/Berlin, got {raw!r}") from None
    return raw


def _log_level(raw: str) -> str:
    if raw and raw.upper() not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return raw.upper()


def _address(raw: str) -> str:
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        raise SettingsError(
            f"LISTEN must be an IP address such as 127.0.0.1 or 0.0.0.0, got {raw!r}"
        ) from None
