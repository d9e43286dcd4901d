"""`python -m bot` as the operator runs it (temporary database), and settings.

The commands run in this process (the `cli` fixture); two e2e tests run the real entry point
as a subprocess: an unusable database ends it at once, and `load` draws on a real terminal."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.records.storage import SCHEMA_VERSION
from bot.settings import Settings, SettingsError
from tests.commandline import Ran

REPO = Path(__file__).resolve().parent.parent


def bot(*args: str, database: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "EVENTS_PATH")}
    environ.update(DATABASE_PATH=str(database), PYTHONIOENCODING="utf-8", **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=REPO, env=environ, capture_output=True,
        text=True, encoding="utf-8", timeout=60,
    )


def assert_clean_failure(result: Ran | subprocess.CompletedProcess) -> list[str]:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines
    return lines


def _corrupt(path: Path) -> Path:
    path.write_bytes(b"this is not SQLite " * 300)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _foreign(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    return path


@pytest.mark.parametrize(("make", "says"), [
    (_corrupt, "not a database"), (_folder, "unable to open"), (_foreign, "another program"),
])
@pytest.mark.parametrize("command", [("ask", "who spoke?"), ("load",), ("run",)])
def test_unusable_database_is_one_line_and_a_quick_exit(tmp_path, cli, make, says, command):
    """No traceback, no hang (the SQLite thread used to keep the process alive: `cli` fails
    the test if a thread outlives the command)."""
    database = make(tmp_path / "bot.db")
    before = database.read_bytes() if database.is_file() else None
    # run: Telegram is never reached, the database is checked before it.
    result = cli(*command, database=database, BOT_TOKEN="123:abc",
                 TELEGRAM_BASE_URL="http://127.0.0.1:9/bot")
    lines = assert_clean_failure(result)
    assert len(lines) == 1 and says in lines[0] and str(database) in lines[0], lines
    if before is not None:
        assert database.read_bytes() == before


@pytest.mark.e2e
def test_the_real_entry_point_exits_at_once_on_an_unusable_database(tmp_path):
    """As a process: one line, exit code 2, and it ends (a thread left running would hang it)."""
    database = _corrupt(tmp_path / "bot.db")
    result = bot("load", database=database)  # `run` as a process: tests/test_run.py
    (line,) = assert_clean_failure(result)
    assert result.returncode == 2 and "not a database" in line and str(database) in line


def test_check_shipped_data(tmp_path, cli):
    result = cli("check", database=tmp_path / "bot.db")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(list((REPO / "data" / "events").glob("*.toml")))
    assert all(line.startswith("ok: ") for line in lines)
    (line,) = [line for line in lines if "roundtable-2026-02-09-astana" in line]
    assert "9 participants, 9 people" in line
    assert not (tmp_path / "bot.db").exists()  # check never writes


def test_check_broken_file(tmp_path, cli, break_file):
    path = break_file(('person = "kozhabay"', 'person = "nobody"'))
    result = cli("check", str(path), database=tmp_path / "bot.db")
    assert result.returncode == 1
    lines = assert_clean_failure(result)
    assert lines[0].startswith(f"error: {path}:")
    assert "unknown person 'nobody'" in lines[0]
    assert result.stdout == ""


def test_broken_file_leaves_the_database_untouched(tmp_path, cli, events_dir, break_file, db_dump):
    database = tmp_path / "bot.db"
    first = cli("load", str(events_dir), database=database)
    assert first.returncode == 0, first.stderr
    assert "(new;" in first.stdout
    before = db_dump(database, frozenset())

    break_file(
        ("paragraph = 10", "paragraph = 0"),
        ('id = "assanov-2"', 'id = "assanov-1"'),
        ("date = 2026-02-09", 'date = "2026-13-45"'),
    )
    result = cli("load", str(events_dir), database=database)
    assert result.returncode == 1
    lines = assert_clean_failure(result)
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 3, lines
    assert all(str(events_dir) in line for line in errors)
    assert lines[-1] == "3 error(s); nothing was loaded."
    assert len(lines) == 4
    assert db_dump(database, frozenset()) == before


def test_load_twice_reports_new_then_updated(tmp_path, cli, events_dir):
    database = tmp_path / "bot.db"
    assert "(new;" in cli("load", str(events_dir), database=database).stdout
    again = cli("load", str(events_dir), database=database)
    assert again.returncode == 0
    assert "(updated; not announced again)" in again.stdout


def queued(database: Path) -> list[str]:
    conn = sqlite3.connect(database)
    try:
        return [row[0] for row in conn.execute(
            "SELECT event_id FROM announcements WHERE status = 'queued' ORDER BY id")]
    finally:
        conn.close()


def test_archive_events_are_not_announced_unless_asked(tmp_path, cli, events_dir):
    database = tmp_path / "bot.db"
    result = cli("load", str(events_dir), database=database)
    assert result.returncode == 0, result.stderr
    assert "before today: an archive event, not announced (--announce to announce it)" \
        in result.stdout
    assert queued(database) == []
    asked = cli("load", "--announce", str(events_dir), database=tmp_path / "asked.db")
    assert "new; announcement queued" in asked.stdout
    assert queued(tmp_path / "asked.db") == ["roundtable-2026-02-09-astana"]


UPCOMING = """schema = 2
[event]
id = "upcoming"
title = "A hearing still to come"
date = 2999-01-01
sources = ["https://example.org/upcoming"]
"""


def test_an_upcoming_event_is_announced_unless_told_not_to(tmp_path, cli, events_dir):
    (events_dir / "upcoming.toml").write_text(UPCOMING, encoding="utf-8")
    result = cli("load", str(events_dir), database=tmp_path / "bot.db")
    assert "event 'upcoming' (new; announcement queued)" in result.stdout
    assert queued(tmp_path / "bot.db") == ["upcoming"]
    quiet = cli("load", "--no-announce", str(events_dir), database=tmp_path / "quiet.db")
    assert "event 'upcoming' (new; not announced (--no-announce))" in quiet.stdout
    assert queued(tmp_path / "quiet.db") == []


def test_check_never_says_nothing_was_loaded(tmp_path, cli, break_file):
    path = break_file(("paragraph = 10", "paragraph = 0"))
    result = cli("check", str(path), database=tmp_path / "bot.db")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "1 error(s)."
    assert "loaded" not in result.stderr


def test_newer_database_is_refused_in_one_line(tmp_path, cli, events_dir):
    database = tmp_path / "bot.db"
    conn = sqlite3.connect(database)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    result = cli("load", str(events_dir), database=database)
    (line,) = assert_clean_failure(result)
    assert "newer" in line


def test_run_without_token(tmp_path, cli):
    result = cli("run", database=tmp_path / "bot.db")
    (line,) = assert_clean_failure(result)
    assert "BotFather" in line and "BOT_TOKEN" in line


def test_ask_json(tmp_path, cli, events_dir):
    result = cli(
        "ask", "--json", "Who opened the roundtable?", "Перепечина",
        database=tmp_path / "bot.db", EVENTS_PATH=str(events_dir),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    answers = [json.loads(line) for line in lines]
    assert [a["question"] for a in answers] == ["Who opened the roundtable?", "Перепечина"]
    for answer in answers:
        assert {"question", "text", "kind", "entities"} <= answer.keys()
        assert answer["text"]
    assert "Ashimbayev" in answers[0]["text"]
    assert "perepechina" in [entity["id"] for entity in answers[1]["entities"]]


# ---------------------------------------------------------------------------- settings


def test_settings_defaults():
    settings = Settings.from_env({})
    assert settings.bot_token == ""
    assert settings.admin_ids == frozenset()
    assert settings.announce_chat_ids == ()
    assert settings.port == 8443
    assert settings.listen == "127.0.0.1"  # a TLS proxy on the same host, not the world
    assert settings.webhook_secret == ""


def test_webhook_without_a_secret_gets_a_random_one():
    first = Settings.from_env({"WEBHOOK_URL": "https://bot.example.org/hook"})
    second = Settings.from_env({"WEBHOOK_URL": "https://bot.example.org/hook"})
    assert first.webhook_secret_generated
    assert len(first.webhook_secret) >= 32 and first.webhook_secret != second.webhook_secret
    Settings.from_env({"WEBHOOK_SECRET": first.webhook_secret})  # what Telegram accepts
    given = Settings.from_env({"WEBHOOK_URL": "https://x.org/h", "WEBHOOK_SECRET": "abc"})
    assert given.webhook_secret == "abc" and not given.webhook_secret_generated


def test_listen_address():
    assert Settings.from_env({"LISTEN": "0.0.0.0"}).listen == "0.0.0.0"
    assert Settings.from_env({"LISTEN": "::"}).listen == "::"


def test_settings_lists_and_values(tmp_path):
    settings = Settings.from_env({
        "BOT_TOKEN": " 123:abc ", "ADMIN_IDS": "1, 2,,3 ", "ANNOUNCE_CHAT_IDS": "-1001;42",
        "DATABASE_PATH": str(tmp_path / "x.db"), "PORT": "8080",
    })
    assert settings.bot_token == "123:abc"
    assert settings.admin_ids == frozenset({1, 2, 3})
    assert settings.announce_chat_ids == (-1001, 42)
    assert settings.database_path == tmp_path / "x.db"
    assert settings.port == 8080
    settings.require_token()


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"ADMIN_IDS": "abc"}, "ADMIN_IDS"),
        ({"ANNOUNCE_CHAT_IDS": "1,x"}, "ANNOUNCE_CHAT_IDS"),
        ({"PORT": "99999"}, "PORT"),
        ({"PORT": "http"}, "PORT"),
        ({"WEBHOOK_URL": "ftp://example.org"}, "WEBHOOK_URL"),
        ({"WEBHOOK_SECRET": "not allowed!"}, "WEBHOOK_SECRET"),
        ({"LISTEN": "everywhere"}, "LISTEN"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
    ],
)
def test_settings_errors_name_the_variable(env, name):
    with pytest.raises(SettingsError, match=name) as caught:
        Settings.from_env(env)
    assert "\n" not in str(caught.value)


def test_token_is_required_and_checked():
    with pytest.raises(SettingsError, match="BotFather"):
        Settings.from_env({}).require_token()
    with pytest.raises(SettingsError, match="BOT_TOKEN"):
        Settings.from_env({"BOT_TOKEN": "nocolon"}).require_token()


@pytest.mark.parametrize("secret", ["has space", "кириллица", "x" * 257, "semi;colon"])
def test_webhook_secret_must_be_what_telegram_accepts(secret: str) -> None:
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        Settings.from_env({"WEBHOOK_SECRET": secret})


def test_load_shows_nothing_on_stderr_when_piped(tmp_path, cli, events_dir):
    piped = cli("load", str(events_dir), database=tmp_path / "piped.db")
    assert piped.returncode == 0 and piped.stderr == ""


@pytest.mark.e2e
def test_load_shows_progress_on_a_terminal(tmp_path, events_dir):
    import pty

    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "EVENTS_PATH")}
    environ.update(DATABASE_PATH=str(tmp_path / "tty.db"), PYTHONIOENCODING="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "bot", "load", str(events_dir)], cwd=REPO,
                              env=environ, stdout=subprocess.PIPE, stderr=follower, timeout=60)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    files = len(list(events_dir.glob("*.toml")))
    # Reading and checking the files is half the time of a large load: a bar of its own.
    text = shown.decode()
    assert "checking [" in text and "loading [" in text
    assert text.index("checking [") < text.index("loading [")
    assert text.count(f"] {files}/{files} files\r\n") == 2  # a terminal ends lines \r\n
