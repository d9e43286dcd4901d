"""Start-up: `python -m bot run` to its first getUpdates, on the shipped data.

Two cases: a first start (the database is created and the event files loaded) and a restart
(the database is loaded already: only the index is built). Each is run --runs times against
the benchmarks' stub Bot API; the table gives the median and the slowest, beside the time
Python itself takes to start and import the bot's modules (`python -c "import bot.app"`).

    python benchmarks/bench_startup.py [--runs 5] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.stub_api import StubBotAPI  # noqa: E402


async def first_poll(env: dict[str, str], latency: float) -> float:
    """Seconds from starting the process to its first getUpdates."""
    async with StubBotAPI() as fake:
        fake.set_delay(latency)
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=REPO,
            env={**env, "BOT_TOKEN": fake.token, "TELEGRAM_BASE_URL": fake.base_url},
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            poll = await fake.wait_for(lambda c: c.method == "getUpdates", timeout=60)
            return poll.time - started  # when it arrived (the stub answers after a long poll)
        finally:
            process.terminate()
            await process.wait()


async def imports() -> float:
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", "import bot.app",
                                                   cwd=REPO)
    await process.wait()
    return time.monotonic() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds the stub waits before each answer (Telegram's round trip)")
    args = parser.parse_args()
    rows: dict[str, list[float]] = {"python + imports": [], "first start": [], "restart": []}
    for _ in range(args.runs):
        rows["python + imports"].append(await imports())
        with tempfile.TemporaryDirectory() as folder:
            env = {**os.environ, "DATABASE_PATH": str(Path(folder) / "bot.db")}
            rows["first start"].append(await first_poll(env, args.latency))
            rows["restart"].append(await first_poll(env, args.latency))
    print(f"`python -m bot run` to the first getUpdates, shipped data, {args.runs} runs, "
          f"{args.latency * 1000:.0f} ms per Bot API call\n")
    print("| case | median s | slowest s |\n|---|---:|---:|")
    for name, times in rows.items():
        print(f"| {name} | {statistics.median(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    asyncio.run(main())
