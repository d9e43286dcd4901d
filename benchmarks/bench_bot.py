"""CPU per answered update: the bot vs. a bare PTB echo bot, both against a stub Bot API.

What a user's update costs, measured as users send them: the dev set's questions, each from a
chat of its own, at a steady rate (25/s by default: an announcement's readers arriving), not
one at a time. One at a time, each update is one getUpdates round trip and one reply, so the
fixed cost of polling, which both bots pay, dominates both sides and hides the bot's own work
(that is why this benchmark used to say 1.18x where the stream said 1.55x).

Each bot runs as its own process (`python -m bot run`, `benchmarks/echo_bot.py`) so its CPU
time can be read from /proc without counting the stub server (stub_api.py), which runs here.
Latency is from queuing an update to the bot's first sendMessage for that chat.

    python benchmarks/bench_bot.py [--updates 300] [--rate 25] [--runs 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.stub_api import StubBotAPI  # noqa: E402

QUESTIONS = [json.loads(line)["q"] for line in
             (REPO / "tests" / "dev-questions.jsonl").read_text(encoding="utf-8").splitlines()]
TICKS = os.sysconf("SC_CLK_TCK")
FIRST_CHAT = 100_000


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def measure(command: list[str], updates: int, rate: float,
                  env: dict[str, str]) -> dict[str, float]:
    async with StubBotAPI() as fake:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=REPO, env={**env, "BOT_TOKEN": fake.token,
                                     "TELEGRAM_BASE_URL": fake.base_url},
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            await fake.wait_for(lambda c: c.method == "getUpdates", timeout=60)
            for n, question in enumerate(QUESTIONS):  # warm-up: imports, caches, first queries
                since = len(fake.calls)
                fake.send_text(question, user_id=1000 + n)
                await fake.wait_for(lambda c: c.method == "sendMessage", since=since, timeout=30)
            await asyncio.sleep(1.0)
            loop = asyncio.get_running_loop()
            cpu_before = cpu_seconds(process.pid)
            sent_at: dict[int, float] = {}
            since = len(fake.calls)
            start = loop.time()
            for n in range(updates):  # open loop: the next one is due whatever the bot does
                await asyncio.sleep(max(0.0, start + n / rate - loop.time()))
                sent_at[FIRST_CHAT + n] = loop.time()
                fake.send_text(QUESTIONS[n % len(QUESTIONS)], user_id=FIRST_CHAT + n)
            answered: dict[int, float] = {}
            while len(answered) < updates:
                await fake.wait_for(lambda c: c.method == "sendMessage", since=since, timeout=60)
                for call in fake.calls[since:]:
                    if call.method == "sendMessage" and call.chat_id in sent_at:
                        answered.setdefault(call.chat_id, call.time)
                since = len(fake.calls)
            await asyncio.sleep(0.5)  # multi-part replies finish
            cpu = cpu_seconds(process.pid) - cpu_before
        finally:
            process.terminate()
            await process.wait()
    latencies = sorted((answered[chat] - sent_at[chat]) * 1000 for chat in sent_at)
    return {"cpu_ms": cpu * 1000 / updates, "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--rate", type=float, default=25.0, help="updates per second")
    parser.add_argument("--runs", type=int, default=2, help="alternate echo and bot this often")
    args = parser.parse_args()
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_PATH": str(Path(tmp) / "bench.db")}
        for _ in range(args.runs):  # alternated, so a noisy neighbour hits both alike
            rows.append(("echo", await measure([sys.executable, "benchmarks/echo_bot.py"],
                                               args.updates, args.rate, env)))
            rows.append(("this bot", await measure([sys.executable, "-m", "bot", "run"],
                                                   args.updates, args.rate, env)))
    print(f"{args.updates} dev-set questions at {args.rate:g}/s, each from its own chat; "
          "bots in their own processes\n")
    print(f"| {'bot':<10} | {'CPU ms/update':>13} | {'p50 ms':>7} | {'p99 ms':>7} |")
    print(f"|{'-' * 12}|{'-' * 14}:|{'-' * 8}:|{'-' * 8}:|")
    for name, row in rows:
        print(f"| {name:<10} | {row['cpu_ms']:>13.2f} | {row['p50']:>7.1f} | {row['p99']:>7.1f} |")
    echo = statistics.mean(row["cpu_ms"] for name, row in rows if name == "echo")
    bot = statistics.mean(row["cpu_ms"] for name, row in rows if name == "this bot")
    ratio = bot / echo
    verdict = "meets" if ratio <= 1.2 else "misses"
    print(f"\nCPU ratio bot/echo: {ratio:.2f}x ({verdict} the 1.2x target)")


if __name__ == "__main__":
    asyncio.run(main())
