"""Command line: `python -m bot run | load | check | ask | health | new | who | schema`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot import health
from bot.i18n import LANGUAGES
from bot.records import storage
from bot.records.fields import SLUG_PATTERN
from bot.records.files import parse_all
from bot.records.loader import always, load_paths, never, upcoming
from bot.records.model import Event, RecordsInvalid
from bot.records.schema import schema_text
from bot.records.storage import LoadResult
from bot.records.template import new_event_file
from bot.settings import Settings, SettingsError

log = logging.getLogger("bot")
SLUG = re.compile(SLUG_PATTERN)


def _paths(args: argparse.Namespace, settings: Settings) -> list[Path]:
    return [Path(p) for p in args.paths] or [settings.events_path]


def _print_errors(error: RecordsInvalid, loading: bool = False) -> int:
    for item in error.errors:
        print(f"error: {item}", file=sys.stderr)
    done = "; nothing was loaded." if loading else "."
    print(f"{len(error.errors)} error(s){done}", file=sys.stderr)
    return 1


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    try:
        records = parse_all(_paths(args, settings))
    except RecordsInvalid as error:
        return _print_errors(error)
    for record in records:
        event = f"event '{record.event.id}', " if record.event else ""
        print(f"ok: {record.path}: {event}{len(record.participants)} participants, "
              f"{len(record.people)} people and {len(record.institutions)} institutions "
              f"defined, {len(record.themes)} themes, {len(record.statements)} statements")
    return 0


def _announce_rule(args: argparse.Namespace) -> Callable[[Event], bool]:
    if args.announce is None:
        return upcoming()
    return always if args.announce else never


async def _load(args: argparse.Namespace, settings: Settings) -> int:
    from bot.announcements import notices  # the answer engine's imports: not for `check`

    db = await storage.connect(settings.database_path)
    try:
        records, result = await load_paths(
            db, _paths(args, settings), announce=_announce_rule(args),
            progress=_progress_bar(sys.stderr) if sys.stderr.isatty() else None,
            checking=_progress_bar(sys.stderr, "checking") if sys.stderr.isatty() else None,
            changes=notices.queue)
    except RecordsInvalid as error:
        return _print_errors(error, loading=True)
    finally:
        await db.close()
    for record in records:
        if record.event is None:
            print(f"loaded: {record.path}: {len(record.people)} people, "
                  f"{len(record.institutions)} institutions")
            continue
        print(f"loaded: {record.path}: event '{record.event.id}' "
              f"({_announcement(record.event, result, args)})")
    if result.notices:
        print(f"notices queued: {result.notices} (schedule changes and news for followers)")
    print(f"database: {settings.database_path}")
    return 0


def _progress_bar(stream: TextIO, label: str = "loading",
                  width: int = 30) -> Callable[[int, int], None]:
    """One line on a terminal, redrawn in place: `loading [#####.....] 120/1002 files`
    (first `checking [...]` while the files are read and validated)."""

    def show(done: int, total: int) -> None:
        filled = width * done // max(1, total)
        end = "\n" if done >= total else ""
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                     "files" + end)
        stream.flush()

    return show


def _announcement(event: Event, result: LoadResult, args: argparse.Namespace) -> str:
    """What `load` did about announcing the event, in words the admin can act on."""
    if event.id not in result.new_events:
        return "updated; not announced again"
    if event.id in result.announced:
        return "new; announcement queued"
    if args.announce is False:
        return "new; not announced (--no-announce)"
    return (f"new; dated {event.date.isoformat()}, before today: an archive event, not "
            "announced (--announce to announce it)")


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.answering.engine import AnswerEngine
    from bot.answering.service import open_engine

    engine: AnswerEngine = await open_engine(settings)
    try:
        for question in args.questions:
            answer = await engine.answer(question, args.lang)
            if args.json:
                print(json.dumps(answer.to_dict(), ensure_ascii=False))
            else:
                print(answer.text, end="\n\n" if len(args.questions) > 1 else "\n")
    finally:
        await engine.close()
    return 0


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    status = health.check(health.heartbeat_path(settings.database_path))
    if args.json:
        print(json.dumps(status.to_dict(), ensure_ascii=False))
    else:
        print(f"{'ok' if status.ok else 'unhealthy'}: {status.reason}")
    return 0 if status.ok else 1


def cmd_new(args: argparse.Namespace, settings: Settings) -> int:
    """Write the template of a new event file, to fill in and `check`."""
    if not SLUG.match(args.event_id):
        print(f"error: event id {args.event_id!r} must be lowercase letters, digits and '-'",
              file=sys.stderr)
        return 2
    try:
        source = args.source.read_text(encoding="utf-8-sig") if args.source else None
        path = new_event_file(settings.events_path, args.event_id, source)
    except FileExistsError:
        print(f"error: {settings.events_path / (args.event_id + '.toml')} already exists",
              file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as error:
        print(f"error: cannot read {args.source}: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path}: fill in the REQUIRED fields, then: python -m bot check")
    return 0


def cmd_who(args: argparse.Namespace, settings: Settings) -> int:
    """Who the archive already has by that name, in any spelling: refer to them by id."""
    from bot.records.archive import find_known
    from bot.records.files import event_files, parse_file

    records, located = [], {}
    for path in event_files([settings.events_path]):
        record, _, where = parse_file(path)  # a file with errors is skipped, not fatal here
        if record is not None:
            records.append(record)
            located[path] = where
    found = find_known(records, located, " ".join(args.name))
    for item in found:
        events = f"; at {', '.join(item.events)}" if item.events else ""
        print(f"{item.kind} '{item.id}': {item.name} ({item.place}){events}")
    if not found:
        print(f"nobody and nothing in {settings.events_path} is called "
              f"{' '.join(args.name)!r}: define them")
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    """Print the event files' JSON Schema (data/event-file.schema.json is this output)."""
    sys.stdout.write(schema_text())
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_token()
    from bot.app import run

    run(settings)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the Telegram bot (BOT_TOKEN required)")
    paths = {"nargs": "*", "help": "event files or folders (default data/events)"}
    sub.add_parser("check", help="validate event files").add_argument("paths", **paths)
    load = sub.add_parser("load", help="validate and load into the database")
    load.add_argument("paths", **paths)
    announce = load.add_mutually_exclusive_group()
    announce.add_argument("--announce", action="store_true", default=None,
                          help="queue an announcement of every new event, past ones too")
    announce.add_argument("--no-announce", dest="announce", action="store_false",
                          help="queue none (default: new events dated today or later)")
    health_cmd = sub.add_parser("health", help="is the running bot alive? (exit 0 if so)")
    health_cmd.add_argument("--json", action="store_true", help="one JSON object")
    new = sub.add_parser("new", help="write a commented template for a new event file")
    new.add_argument("event_id", metavar="EVENT_ID", help="e.g. roundtable-2025-09-30-strasbourg")
    new.add_argument("--source", type=Path, metavar="ARTICLE.txt",
                     help="the release's text, appended as numbered paragraphs")
    who = sub.add_parser("who", help="find a person or institution already in the archive")
    who.add_argument("name", nargs="+", metavar="NAME", help="any spelling, Latin or Cyrillic")
    sub.add_parser("schema", help="print the JSON Schema of event files")
    ask = sub.add_parser("ask", help="answer questions from the command line")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("--lang", choices=LANGUAGES, default="en", help="answer language")
    ask.add_argument("questions", nargs="+", metavar="QUESTION")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        logging.basicConfig(
            level=settings.log_level or ("INFO" if args.command == "run" else "WARNING"),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        if args.command == "check":
            return cmd_check(args, settings)
        if args.command == "load":
            return asyncio.run(_load(args, settings))
        if args.command == "ask":
            return asyncio.run(_ask(args, settings))
        if args.command == "health":
            return cmd_health(args, settings)
        if args.command in ("new", "schema", "who"):
            return {"new": cmd_new, "schema": cmd_schema, "who": cmd_who}[args.command](
                args, settings)
        return cmd_run(args, settings)
    except (SettingsError, storage.DatabaseProblem, RecordsInvalid) as error:
        if isinstance(error, RecordsInvalid):
            return _print_errors(error)
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `python -m bot ask ... | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
