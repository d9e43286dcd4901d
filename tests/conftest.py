"""Shared fixtures: event files and broken variants, a real database, the fake Bot API, the
command line in process."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.answering.service import open_engine
from bot.records import storage
from bot.records.loader import load_paths
from bot.settings import Settings
from tests.botharness import bot_settings, running_bot
from tests.commandline import CommandLine, Ran
from tests.fakeapi import FakeBotAPI, serve

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "events" / "roundtable-2026-02-09-astana.toml"


@pytest.fixture
def events_dir(tmp_path: Path) -> Path:
    """A folder holding a copy of the shipped event file."""
    folder = tmp_path / "events"
    folder.mkdir()
    shutil.copy(SHIPPED, folder / SHIPPED.name)
    return folder


@pytest.fixture
def event_file(events_dir: Path) -> Path:
    return events_dir / SHIPPED.name


@pytest.fixture
def break_file(event_file: Path) -> Callable[..., Path]:
    """break_file((old, new), ...) rewrites the event file, each `old` found exactly once."""

    def rewrite(*edits: tuple[str, str], path: Path = event_file) -> Path:
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        return path

    return rewrite


@pytest.fixture
async def db(tmp_path: Path):
    conn = await storage.connect(tmp_path / "bot.db")
    yield conn
    await conn.close()


def dump(path: Path, skip_columns: frozenset[str] = frozenset({"loaded_at"})) -> dict:
    """Every row of every table (FTS shadow tables aside), sorted, without the skipped columns."""
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'search_%' ORDER BY name"
        )]
        result = {}
        for table in tables:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            keep = ", ".join(f'"{name}"' for name in columns if name not in skip_columns)
            rows = conn.execute(f'SELECT {keep} FROM "{table}"').fetchall()
            result[table] = sorted(rows, key=repr)
        return result
    finally:
        conn.close()


@pytest.fixture
def db_dump() -> Callable[..., dict]:
    return dump


@pytest.fixture(scope="session")
def loaded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/events loaded once, as the bot loads it at its first start; bots start from copies
    (most bot tests are not about that first load, and it is the slowest part of a start)."""
    path = tmp_path_factory.mktemp("loaded") / "bot.db"

    async def load() -> None:
        conn = await storage.connect(path)
        try:
            await load_paths(conn, [REPO / "data" / "events"])
        finally:
            await conn.close()

    asyncio.run(load())
    return path


@pytest.fixture
async def app(fake: FakeBotAPI, tmp_path: Path, loaded_database: Path
              ) -> AsyncIterator[Application]:
    """The bot on the shipped data, running in process against the fake Bot API."""
    settings = bot_settings(fake, tmp_path, database=loaded_database)
    async with running_bot(fake, settings) as application:
        yield application


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    """The fake Telegram Bot API, in process; fails the test if the fake itself broke."""
    server = FakeBotAPI()
    yield server
    assert not server.internal_errors


@pytest.fixture
async def served_fake() -> AsyncIterator[FakeBotAPI]:
    """The fake Telegram Bot API on 127.0.0.1, for end-to-end tests over real HTTP."""
    async with serve(FakeBotAPI()) as server:
        yield server
    assert not server.internal_errors


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory, loaded_database: Path) -> Path:
    """data/events loaded, as the bot's first start loads it: a copy per module of the
    session's database (the load itself, done once, costs more than everything after)."""
    path = tmp_path_factory.mktemp("engine") / "bot.db"
    shutil.copyfile(loaded_database, path)
    return path


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def engine(db_path: Path):
    """One answer engine on the shipped data per module (modules using it run their async
    tests on a module-scoped loop)."""
    engine = await open_engine(Settings.from_env({"DATABASE_PATH": str(db_path)}))
    try:
        yield engine
    finally:
        await engine.close()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> Callable[..., Ran]:
    """cli(*args, database=path, **env): `python -m bot *args` in this process (see
    tests/commandline.py)."""
    return CommandLine(monkeypatch, capsys, caplog).run


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The e2e tests spread through the first two thirds of the run, each between two modules.

    They mostly wait (processes, sockets, paced sends) while the in-process tests mostly
    compute; xdist hands each worker runs of consecutive tests, so together (as file order
    leaves test_run.py's ten) they would wait on one worker while the others run out of
    work, and at the end nothing is left to overlap them with. In reverse file order, so
    the longest (test_run.py's floods) start first. Placed only between modules, they
    never split a module's fixtures.
    """
    e2e = [item for item in items if item.get_closest_marker("e2e")][::-1]
    rest = [item for item in items if not item.get_closest_marker("e2e")]
    if not e2e or not rest:
        return
    modules = [list(tests) for _, tests in itertools.groupby(
        rest, key=lambda item: item.nodeid.split("::")[0])]
    total, ordered = len(e2e), []
    every = 2 * len(items) / (3 * total)  # one e2e test about every so many tests
    for module in modules:
        while e2e and len(ordered) >= (total - len(e2e)) * every:
            ordered.append(e2e.pop(0))
        ordered += module
    items[:] = ordered + e2e
