"""The command registry: defined once, used for handlers, /help and set_my_commands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    args: str = ""  # i18n key of the argument placeholder shown in /help, if any
    admin: bool = False  # only for ADMIN_IDS; shown in their menu only


COMMANDS: tuple[Command, ...] = (
    Command("start"),
    Command("help"),
    Command("event"),
    Command("speakers"),
    Command("speaker", args="args.name"),
    Command("themes"),
    Command("theme", args="args.theme"),
    Command("institutions"),
    Command("institution", args="args.name"),
    Command("ask", args="args.question"),
    Command("lang"),
    Command("subscribe"),
    Command("unsubscribe"),
    Command("announce", args="args.text", admin=True),
    Command("retract", admin=True),
    Command("stats", admin=True),
)


def description_key(command: Command) -> str:
    return f"cmd.{command.name}"
