"""Broadcast benchmark: one announcement to N groups through the fake Bot API's flood limits.

    python benchmarks/bench_broadcast.py [--chats 1000] [--in-process] [--json FILE]

The fake Telegram server (tests/fakebotapi.py, flood_limits=True: 30 messages/s overall, 20
per minute per group, 429 beyond) runs in this process. N subscribed groups are written to a
new database, the shipped event is loaded the way `python -m bot load` does (which queues its
announcement), and the bot is started as `python -m bot run` in a subprocess (or, with
--in-process, on this event loop). Timed: from the first post to the last, and from start-up
to the delivery report. The fastest the limits allow is N / 30 s (N distinct groups, so only
the overall limit binds). Prints one table; the target is zero 429s and within 15% of that.
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

from bot import chats, storage  # noqa: E402
from bot.loader import load_paths  # noqa: E402
from tests.fakebotapi import GLOBAL_FLOOD_LIMIT, Call, FakeBotAPI  # noqa: E402

EVENTS = ROOT / "data" / "events"
ADMIN = 42
TARGET_OVERHEAD = 0.15


async def prepare(db_path: Path, groups: list[int]) -> None:
    db = await storage.connect(db_path)
    try:
        for group in groups:
            await chats.upsert_chat(db, group, "group", f"Group {group}", subscribed=1)
        _, new_events = await load_paths(db, [EVENTS], announce_new=True)
        assert new_events, "the event must be new to the database"
    finally:
        await db.close()


def env_for(fake: FakeBotAPI, db_path: Path) -> dict[str, str]:
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


def spawn(fake: FakeBotAPI, db_path: Path, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT,
                                env={**os.environ, **env_for(fake, db_path)},
                                stdout=out, stderr=subprocess.STDOUT)


async def run_subprocess(fake: FakeBotAPI, db_path: Path, limit: float, log: Path) -> None:
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


async def run_in_process(fake: FakeBotAPI, db_path: Path, limit: float) -> None:
    from bot.settings import Settings
    from tests.botharness import running_bot

    async with running_bot(Settings.from_env(env_for(fake, db_path))):
        await fake.wait_for(is_report, timeout=limit)


async def bench(chats_count: int, in_process: bool) -> dict:
    groups = [-2_000_000 - n for n in range(chats_count)]
    fastest = chats_count / GLOBAL_FLOOD_LIMIT
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as tmp:
        db_path = Path(tmp) / "bot.db"
        await prepare(db_path, groups)
        async with FakeBotAPI(flood_limits=True) as fake:
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
                "delivered": len({c.chat_id for c in ok}),
                "posts": len(ok),
                "http_429": fake.flood_429_count,
                "first_to_last_s": round(span, 2),
                "start_to_report_s": round(report.time - started, 2),
                "fastest_s": round(fastest, 2),
                "overhead_pct": round(100 * (span / fastest - 1), 1),
                "rate_per_s": round((len(ok) - 1) / span, 2) if span else None,
            }


def print_table(row: dict) -> None:
    verdict = ("OK" if row["http_429"] == 0 and row["delivered"] == row["chats"]
               and row["overhead_pct"] <= TARGET_OVERHEAD * 100 else "MISSED")
    lines = [
        ("chats", f"{row['chats']}"),
        ("bot", row["mode"]),
        ("delivered (distinct chats)", f"{row['delivered']}"),
        ("posts (ok sendMessage)", f"{row['posts']}"),
        ("429 answers", f"{row['http_429']}"),
        ("first post -> last post", f"{row['first_to_last_s']:.2f} s"),
        ("bot start -> delivery report", f"{row['start_to_report_s']:.2f} s"),
        ("fastest the limits allow", f"{row['fastest_s']:.2f} s ({GLOBAL_FLOOD_LIMIT}/s)"),
        ("over the fastest", f"{row['overhead_pct']:.1f} % (target <= 15 %)"),
        ("posting rate", f"{row['rate_per_s']} msg/s"),
        ("verdict", verdict),
    ]
    width = max(len(name) for name, _ in lines)
    print(f"{'metric'.ljust(width)} | value")
    print(f"{'-' * width}-+-{'-' * 30}")
    for name, value in lines:
        print(f"{name.ljust(width)} | {value}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--in-process", action="store_true",
                        help="run the bot on this event loop instead of a subprocess")
    parser.add_argument("--json", type=Path, help="also write the result as JSON")
    args = parser.parse_args()
    row = asyncio.run(bench(args.chats, args.in_process))
    print_table(row)
    if args.json:
        args.json.write_text(json.dumps(row, indent=2) + "\n", encoding="utf-8")
    return 0 if row["http_429"] == 0 and row["delivered"] == row["chats"] else 1


if __name__ == "__main__":
    sys.exit(main())
