"""The command registry: defined once, used for handlers, /help and set_my_commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CommandHandler


@dataclass(frozen=True)
class Command:
    name: str
    args: str = ""  # i18n key of the argument placeholder shown in /help, if any
    admin: bool = False  # only for ADMIN_IDS; shown in their menu only


COMMANDS: tuple[Command, ...] = (
    Command("start"),
    Command("help"),
    Command("events"),
    Command("event", args="args.event"),
    Command("speakers", args="args.event"),
    Command("speaker", args="args.name"),
    Command("themes", args="args.event"),
    Command("theme", args="args.theme"),
    Command("institutions", args="args.event"),
    Command("institution", args="args.name"),
    Command("ask", args="args.question"),
    Command("lang"),
    Command("following"),
    Command("forget"),
    Command("subscribe"),
    Command("unsubscribe"),
    Command("announce", args="args.text", admin=True),
    Command("retract", args="args.id", admin=True),
    Command("stats", admin=True),
)


def description_key(command: Command) -> str:
    return f"cmd.{command.name}"


def command_handlers(callbacks: Mapping[str, Callable[..., Awaitable[None]]]
                     ) -> list[CommandHandler[Any, None]]:
    """A handler per command; a name that is not in COMMANDS is a mistake, raised at start."""
    unknown = sorted(set(callbacks) - {command.name for command in COMMANDS})
    if unknown:
        raise RuntimeError(f"handlers for commands not in the registry: {unknown}")
    return [CommandHandler(name, callback) for name, callback in callbacks.items()]


def unhandled(application: Application) -> list[str]:
    """Commands of the registry that no CommandHandler of the application answers."""
    handled = {name for handlers in application.handlers.values() for handler in handlers
               if isinstance(handler, CommandHandler) for name in handler.commands}
    return [command.name for command in COMMANDS if command.name not in handled]
