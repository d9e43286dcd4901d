"""Broadcast benchmark: one announcement to N groups through a stub Bot API's flood limits.

    python benchmarks/bench_broadcast.py [--chats 1000] [--latency 0,100] [--in-process]
                                         [--json FILE]

A stub Telegram server (stub_api.py, flood limits on: 30 messages/s overall, 20 per minute
per group, 429 beyond) runs in this process. N subscribed groups are written to a
new database, the shipped event is loaded the way `python -m bot load` does (which queues its
announcement), and the bot is started as `python -m bot run` in a subprocess (or, with
--in-process, on this event loop). Each run adds a latency to every request (`--latency`, in
ms: 0, and 100 like a real network to api.telegram.org). Timed: from the first post to the
last, and from start-up to the delivery report. The fastest the limits allow is N / 30 s (N
distinct groups, so only the overall limit binds). Prints one table, a column per latency;
the target is zero 429s and within 15% of the fastest, at every latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.stub_api import GLOBAL_FLOOD_LIMIT, Call, StubBotAPI  # noqa: E402
from bot import chats  # noqa: E402
from bot.records import storage  # noqa: E402
from bot.records.loader import load_paths  # noqa: E402

EVENTS = ROOT / "data" / "events"
ADMIN = 42
TARGET_OVERHEAD = 0.15


async def prepare(db_path: Path, groups: list[int]) -> None:
    db = await storage.connect(db_path)
    try:
        for group in groups:
            await chats.upsert_chat(db, group, "group", f"Group {group}", subscribed=1)
        # One announcement: the roundtable's (the archive's other events are not news).
        _, result = await load_paths(db, [EVENTS],
                                     announce=lambda event: event.id.startswith("roundtable-2026"))
        assert result.announced, "the event must be new to the database"
    finally:
        await db.close()


def env_for(fake: StubBotAPI, db_path: Path) -> dict[str, str]:
    return {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(db_path),
        "EVENTS_PATH": str(EVENTS),
        "ADMIN_IDS": str(ADMIN),
        "ANNOUNCE_CHAT_IDS": "",
    }


def is_report(call: Call) -> bool:
    return (call.method == "sendMessage" and call.ok and call.chat_id == ADMIN
            and "Delivery report" in call.params.get("text", ""))


def spawn(fake: StubBotAPI, db_path: Path, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT,
                                env={**os.environ, **env_for(fake, db_path)},
                                stdout=out, stderr=subprocess.STDOUT)


async def run_subprocess(fake: StubBotAPI, db_path: Path, limit: float, log: Path) -> None:
    process = spawn(fake, db_path, log)
    try:
        await fake.wait_for(is_report, timeout=limit)
    finally:
        process.send_signal(signal.SIGTERM)
        for _ in range(200):  # never block the loop: the fake server runs on it
            if process.poll() is not None:
                break
            await asyncio.sleep(0.05)
        else:
            process.kill()


async def run_in_process(fake: StubBotAPI, db_path: Path, limit: float) -> None:
    """The bot on this event loop, started and stopped as `run_polling` does."""
    from bot.app import build_application
    from bot.settings import Settings

    application = build_application(Settings.from_env(env_for(fake, db_path)))
    await application.initialize()
    await application.post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        await fake.wait_for(is_report, timeout=limit)
    finally:
        await application.updater.stop()
        await application.stop()
        await application.post_shutdown(application)
        await application.shutdown()


async def bench(chats_count: int, in_process: bool, latency_ms: int) -> dict:
    groups = [-2_000_000 - n for n in range(chats_count)]
    fastest = chats_count / GLOBAL_FLOOD_LIMIT
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as tmp:
        db_path = Path(tmp) / "bot.db"
        await prepare(db_path, groups)
        async with StubBotAPI(flood_limits=True) as fake:
            fake.set_delay(latency_ms / 1000)
            started = time.monotonic()
            limit = fastest * 3 + 30
            if in_process:
                await run_in_process(fake, db_path, limit)
            else:
                await run_subprocess(fake, db_path, limit, Path(tmp) / "bot.log")
            wanted = set(groups)
            posts = [c for c in fake.calls if c.method == "sendMessage" and c.chat_id in wanted]
            ok = [c for c in posts if c.ok]
            report = next(c for c in fake.calls if is_report(c))
            span = ok[-1].time - ok[0].time
            return {
                "chats": chats_count,
                "mode": "in-process" if in_process else "subprocess",
                "latency_ms": latency_ms,
                "delivered": len({c.chat_id for c in ok}),
                "posts": len(ok),
                "http_429": fake.flood_429_count,
                "first_to_last_s": round(span, 2),
                "start_to_report_s": round(report.time - started, 2),
                "fastest_s": round(fastest, 2),
                "overhead_pct": round(100 * (span / fastest - 1), 1),
                "rate_per_s": round((len(ok) - 1) / span, 2) if span else None,
            }


def verdict(row: dict) -> str:
    ok = (row["http_429"] == 0 and row["delivered"] == row["chats"]
          and row["overhead_pct"] <= TARGET_OVERHEAD * 100)
    return "OK" if ok else "MISSED"


def print_table(rows: list[dict]) -> None:
    first = rows[0]
    lines = [
        ("chats", [f"{first['chats']}"]),
        ("bot", [first["mode"]]),
        ("fastest the limits allow", [f"{first['fastest_s']:.2f} s ({GLOBAL_FLOOD_LIMIT}/s)"]),
        ("latency per request", [f"{r['latency_ms']} ms" for r in rows]),
        ("delivered (distinct chats)", [f"{r['delivered']}" for r in rows]),
        ("posts (ok sendMessage)", [f"{r['posts']}" for r in rows]),
        ("429 answers", [f"{r['http_429']}" for r in rows]),
        ("first post -> last post", [f"{r['first_to_last_s']:.2f} s" for r in rows]),
        ("bot start -> delivery report", [f"{r['start_to_report_s']:.2f} s" for r in rows]),
        ("over the fastest (target <= 15 %)", [f"{r['overhead_pct']:.1f} %" for r in rows]),
        ("posting rate", [f"{r['rate_per_s']} msg/s" for r in rows]),
        ("verdict", [verdict(r) for r in rows]),
    ]
    width = max(len(name) for name, _ in lines)
    cell = max(len(value) for _, values in lines for value in values)
    print(f"{'metric'.ljust(width)} | value")
    print(f"{'-' * width}-+-{'-' * (cell + 3) * len(rows)}")
    for name, values in lines:
        print(f"{name.ljust(width)} | {' | '.join(v.ljust(cell) for v in values).rstrip()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--latency", default="0,100",
                        help="milliseconds added to every request, one run each (default 0,100)")
    parser.add_argument("--in-process", action="store_true",
                        help="run the bot on this event loop instead of a subprocess")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    latencies = [int(ms) for ms in args.latency.split(",")]
    rows = [asyncio.run(bench(args.chats, args.in_process, ms)) for ms in latencies]
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["http_429"] == 0 and r["delivered"] == r["chats"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
