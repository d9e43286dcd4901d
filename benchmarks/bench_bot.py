"""CPU per answered update: the bot vs. the thinnest echo bot, both against a stub Bot API.

Each bot runs as its own process (`python -m bot run`, `benchmarks/echo_bot.py`) so its CPU
time can be read from /proc without counting the stub server (stub_api.py), which runs here.
Updates are sent one at a time; latency is from queuing the update to the bot's sendMessage
arriving.

    python benchmarks/bench_bot.py [--updates 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.stub_api import StubBotAPI  # noqa: E402

QUESTIONS = [
    "who talked about ecology?", "What did Perepechina talk about?", "Перепечиной",
    "the Senate chairman", "When was the roundtable held?", "/speakers", "/event",
    "кто говорил об экологии?", "Who is the deputy chair of the Senate?", "perepecina",
    "How many amendments were made to the Constitution?", "who won the football match?",
    "/speaker Ashimbaev", "Экология туралы кім айтты?", "Tell me about the People's Council",
]
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def measure(command: list[str], updates: int, env: dict[str, str]) -> dict[str, float]:
    async with StubBotAPI() as fake:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=REPO, env={**env, "BOT_TOKEN": fake.token,
                                     "TELEGRAM_BASE_URL": fake.base_url},
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            await fake.wait_for(lambda c: c.method == "getUpdates", timeout=60)
            for n, question in enumerate(QUESTIONS):  # warm-up: imports, caches, first queries
                since = len(fake.calls)
                fake.send_text(question, user_id=1000 - n)
                await fake.wait_for(lambda c: c.method == "sendMessage", since=since, timeout=30)
            await asyncio.sleep(0.5)
            cpu_before = cpu_seconds(process.pid)
            latencies = []
            loop = asyncio.get_running_loop()
            for n in range(updates):
                since = len(fake.calls)
                start = loop.time()
                # Each from its own user: the bot paces replies in one chat at ~1/s.
                fake.send_text(QUESTIONS[n % len(QUESTIONS)], user_id=2000 + n)
                await fake.wait_for(lambda c: c.method == "sendMessage", since=since, timeout=30)
                latencies.append((loop.time() - start) * 1000)
                await asyncio.sleep(0.02)  # let multi-part replies finish before the next one
            cpu = cpu_seconds(process.pid) - cpu_before
        finally:
            process.terminate()
            await process.wait()
    latencies.sort()
    return {"cpu_ms": cpu * 1000 / updates, "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_PATH": str(Path(tmp) / "bench.db")}
        echo = await measure([sys.executable, "benchmarks/echo_bot.py"], args.updates, env)
        bot = await measure([sys.executable, "-m", "bot", "run"], args.updates, env)
    print(f"{args.updates} updates each, one at a time, bots in their own processes\n")
    print(f"| {'bot':<10} | {'CPU ms/update':>13} | {'p50 ms':>7} | {'p99 ms':>7} |")
    print(f"|{'-' * 12}|{'-' * 14}:|{'-' * 8}:|{'-' * 8}:|")
    for name, row in (("echo", echo), ("this bot", bot)):
        print(f"| {name:<10} | {row['cpu_ms']:>13.2f} | {row['p50']:>7.1f} | {row['p99']:>7.1f} |")
    ratio = bot["cpu_ms"] / echo["cpu_ms"]
    verdict = "meets" if ratio <= 1.5 else "misses"
    print(f"\nCPU ratio bot/echo: {ratio:.2f}x ({verdict} the 1.5x target)")


if __name__ == "__main__":
    asyncio.run(main())
