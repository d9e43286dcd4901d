"""`python -m bot ...` in this process: what a subprocess would show, at a fraction of its cost.

Each subprocess pays for an interpreter and its imports (a quarter of a second for `load`,
a second for `run`); the commands themselves mostly take less. Two things that tell a
process apart are kept: its log lines (WARNING and above, as `python -m bot` logs them to
stderr) are in `stderr`, and no thread it started may outlive it (a non-daemon thread keeps a
process from exiting: a hang). The real entry point keeps a few e2e tests as subprocesses.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.__main__ import main

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # as bot.__main__ sets it


@dataclass(frozen=True)
class Ran:
    """How a command ended: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


class CommandLine:
    """Runs `python -m bot *args` as the operator does: BOT_TOKEN and EVENTS_PATH unset unless
    given, DATABASE_PATH the database given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                 caplog: pytest.LogCaptureFixture) -> None:
        self.monkeypatch, self.capsys, self.caplog = monkeypatch, capsys, caplog

    def run(self, *args: str, database: Path, **env: str) -> Ran:
        for name in ("BOT_TOKEN", "EVENTS_PATH"):
            self.monkeypatch.delenv(name, raising=False)
        for name, value in {"DATABASE_PATH": str(database), **env}.items():
            self.monkeypatch.setenv(name, value)
        self.capsys.readouterr()
        self.caplog.clear()
        before = set(threading.enumerate())
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: a usage error
            code = exit_.code if isinstance(exit_.code, int) else 2
        out, err = self.capsys.readouterr()
        formatter = logging.Formatter(LOG_FORMAT)
        logged = "".join(formatter.format(record) + "\n" for record in self.caplog.records
                         if record.levelno >= logging.WARNING)
        left = [t for t in set(threading.enumerate()) - before if not t.daemon]
        for thread in left:
            thread.join(timeout=2.0)
        assert not [t for t in left if t.is_alive()], f"threads outlive the command: {left}"
        return Ran(code, out, logged + err)
