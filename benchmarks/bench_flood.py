"""Replies under Telegram's flood limits: a steady stream, and a stop with a queue.

1. Stream: questions from distinct private chats at --rate per second for --seconds, against
   the stub Bot API with Telegram's limits on (429 past 30 messages a second): how many 429s
   the bot drew, and the reply latency p50/p99 (queued update to the first reply).
2. Stop: --queue questions wait at the stub; the bot starts, answers for a second, gets
   SIGTERM: how long it took to exit, how many it answered, how many it left with Telegram.

    python benchmarks/bench_flood.py [--rate 20] [--seconds 60] [--queue 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.stub_api import StubBotAPI  # noqa: E402

QUESTION = "who spoke about ecology?"
FIRST_CHAT = 200_000


async def start(fake: StubBotAPI, database: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=REPO,
        env={**os.environ, "DATABASE_PATH": str(database), "BOT_TOKEN": fake.token,
             "TELEGRAM_BASE_URL": fake.base_url},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


def first_replies(fake: StubBotAPI, since: int = 0) -> dict[int, float]:
    replies: dict[int, float] = {}
    for call in fake.calls[since:]:
        if call.method == "sendMessage" and call.ok and isinstance(call.chat_id, int):
            replies.setdefault(call.chat_id, call.time)
    return replies


async def stream(rate: float, seconds: float, database: Path) -> dict[str, float]:
    async with StubBotAPI(flood_limits=True) as fake:
        process = await start(fake, database)
        try:
            await fake.wait_for(lambda c: c.method == "getUpdates", timeout=60)
            since = len(fake.calls)
            loop = asyncio.get_running_loop()
            sent: dict[int, float] = {}
            begin = loop.time()
            for n in range(int(rate * seconds)):
                await asyncio.sleep(max(0.0, begin + n / rate - loop.time()))
                sent[FIRST_CHAT + n] = time.monotonic()
                fake.send_text(QUESTION, user_id=FIRST_CHAT + n)
            deadline = time.monotonic() + 60
            while len(first_replies(fake, since).keys() & sent.keys()) < len(sent):
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.1)
            replies = first_replies(fake, since)
        finally:
            process.terminate()
            await process.wait()
    latencies = sorted(replies[chat] - at for chat, at in sent.items() if chat in replies)
    return {"questions": len(sent), "answered": len(latencies),
            "429s": fake.flood_429_count, "p50": statistics.median(latencies),
            "p99": latencies[int(len(latencies) * 0.99) - 1]}


async def stop_with_queue(queue: int, database: Path) -> dict[str, float]:
    async with StubBotAPI(flood_limits=True) as fake:
        for n in range(queue):
            fake.send_text(QUESTION, user_id=FIRST_CHAT + n)
        process = await start(fake, database)
        await fake.wait_for(lambda c: c.method == "sendMessage", timeout=60)
        await asyncio.sleep(1.0)
        asked = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = await process.wait()
        stopped = time.monotonic() - asked
        answered = len(first_replies(fake))
        left = fake.pending
    return {"stop s": stopped, "exit": code, "answered": answered, "left": left,
            "lost": queue - answered - left}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--queue", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        flow = await stream(args.rate, args.seconds, Path(folder) / "stream.db")
        halt = await stop_with_queue(args.queue, Path(folder) / "stop.db")
    print(f"Stream: {args.rate:g} questions/s for {args.seconds:g} s, distinct chats, "
          "Telegram's limits on\n")
    print("| questions | answered | 429s | p50 s | p99 s |\n|---:|---:|---:|---:|---:|")
    print(f"| {flow['questions']} | {flow['answered']} | {flow['429s']} | "
          f"{flow['p50']:.2f} | {flow['p99']:.2f} |")
    print(f"\nStop: SIGTERM with {args.queue} questions waiting\n")
    print("| stop s | exit | answered | left with Telegram | lost |\n|---:|---:|---:|---:|---:|")
    print(f"| {halt['stop s']:.2f} | {halt['exit']} | {halt['answered']} | {halt['left']} | "
          f"{halt['lost']} |")


if __name__ == "__main__":
    asyncio.run(main())
