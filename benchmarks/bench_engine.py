"""Answer-engine benchmark on the shipped record and on synthetic archives 100x and 1000x.

    python benchmarks/bench_engine.py [--scales 1,100,1000] [--repeat 5] [--profile]

For each scale: write the event files (scale 1 is data/events; scale N is the shipped file
plus N-1 generated events, see generate.py), load them into a new SQLite database the way
`python -m bot load` does (timed: parse + insert), open the engine (the alias index is built
here, timed, with the memory it takes as an RSS delta), then ask a mixed question set (the
dev questions plus generated typos, Cyrillic names, roles, themes, event facts, unknowns and
hostile input) against `AnswerEngine.answer`: one cold pass (first sight of each question),
then --repeat warm passes. Each scale runs in its own process so memory figures don't mix.
Prints one table; --json writes the rows too.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from bot.answering.engine import AnswerEngine  # noqa: E402
from bot.records import storage  # noqa: E402
from bot.records.files import event_files, parse_all  # noqa: E402
from bot.text import has_cyrillic  # noqa: E402

SHIPPED = ROOT / "data" / "events"
DEV = ROOT / "tests" / "dev-questions.jsonl"
TARGET_P99_MS = {1: 5.0, 1000: 50.0}

UNKNOWN = [
    ("Who won the football match yesterday?", "en"), ("What is the weather in Paris?", "en"),
    ("What is the capital of France?", "en"), ("Tell me a joke", "en"),
    ("How do I cook pilaf?", "en"), ("Who is Elon Musk?", "en"),
    ("Какая погода в Париже?", "ru"), ("Кто выиграл чемпионат по хоккею?", "ru"),
    ("Сколько стоит биткоин?", "ru"), ("Ертең ауа райы қандай болады?", "kk"),
    ("Футбол матчын кім жеңді?", "kk"), ("Бүгін қандай күн?", "kk"),
]
HOSTILE = [
    ("", "en"), ("😀😀😀", "en"), ("<b>who</b> & <script>", "en"),
    ("'); DROP TABLE people; --", "en"), ('" OR * NEAR( AND NOT', "en"),
    ('ecology" OR *', "en"), ("who talked about ecology " * 400, "en"),
]


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def typo(word: str, rng: random.Random) -> str:
    """One edit a person makes: drop, double, swap or replace a letter (never the first)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("drop", "double", "swap", "replace"))
    if edit == "drop":
        return word[:i] + word[i + 1:]
    if edit == "double":
        return word[:i] + word[i] + word[i:]
    if edit == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aeiouykh") + word[i + 1:]


def question_set(engine: AnswerEngine, seed: int) -> list[tuple[str, str, str]]:
    """(category, question, lang): the dev set plus variants drawn from the loaded records."""
    rng = random.Random(seed)
    index = engine.index
    out = [("dev", json.loads(line)["q"], "en") for line in DEV.read_text("utf-8").splitlines()
           if line.strip()]
    people = sorted(index.people.values(), key=lambda p: p.id)
    themes = sorted((t for t in index.themes.values() if t.keywords),
                    key=lambda t: (t.event_id, t.id))
    events = sorted(index.events.values(), key=lambda e: e.id)
    for _ in range(25):
        surname = rng.choice(people).name["en"].split()[-1]
        out.append(("typo", rng.choice(["{}", "Who is {}?", "what did {} say"]).format(
            typo(surname, rng)), "en"))
    for _ in range(20):
        person = rng.choice(people)
        lang = rng.choice(("ru", "kk"))
        name = person.name.get(lang, person.name["en"])
        pattern = {"ru": ["Что сказал {}?", "{}", "Кто такой {}?"],
                   "kk": ["{} не айтты?", "{}", "{} кім?"]}[lang]
        out.append(("cyrillic", rng.choice(pattern).format(
            rng.choice([name, name.split()[-1]])), lang))
    with_roles = [p for p in people if p.role_aliases]
    for _ in range(20):
        alias = rng.choice(rng.choice(with_roles).role_aliases)
        lang = "ru" if has_cyrillic(alias) else "en"
        out.append(("role", ("Кто {}?" if lang == "ru" else "Who is the {}?").format(alias),
                    lang))
    for _ in range(25):
        theme = rng.choice(themes)
        lang = rng.choice(("en", "ru", "kk"))
        words = theme.keywords.get(lang) or next(iter(theme.keywords.values()))
        pattern = {"en": "Who talked about {}?", "ru": "кто говорил о {}",
                   "kk": "{} туралы кім айтты?"}[lang]
        out.append(("theme", pattern.format(rng.choice(words)), lang))
    for _ in range(10):
        event = rng.choice(events)
        alias = rng.choice(event.aliases) if event.aliases else event.title["en"]
        lang = "ru" if has_cyrillic(alias) else "en"
        pattern = rng.choice(
            {"en": ["When was the {}?", "Where was the {}?", "How many people attended the {}?"],
             "ru": ["Когда прошел {}?", "Где прошел {}?", "Сколько было участников: {}?"]}[lang])
        out.append(("event", pattern.format(alias), lang))
    out += [("unknown", q, lang) for q, lang in UNKNOWN]
    out += [("hostile", q, lang) for q, lang in HOSTILE]
    return out


async def check_dev(engine: AnswerEngine) -> int:
    """How many dev questions pass the rules of tests/test_engine.py at this scale.

    "only" counts the people of the shipped records: the dev set was written for them. A
    generated person who spoke on the theme asked about is a right answer at scale (answers
    from several events are grouped by event, newest first), not a wrong name.
    """
    cases = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    shipped = {person.id for record in parse_all([ROOT / "data" / "events"])
               for person in record.people}
    spellings = {}
    for person in engine.index.people.values():
        if person.id not in shipped:
            continue
        names = [person.name["en"], *person.aliases]
        spellings[person.id] = {
            n.split()[-1].lower() for n in names if n.split() and not has_cyrillic(n)}

    def named(text: str) -> set:
        low = text.lower()
        return {key for key, names in spellings.items() if any(n in low for n in names)}

    ok = 0
    for case in cases:
        text = (await engine.answer(case["q"])).text
        low = text.lower()
        good = all(s.lower() in low for s in case.get("all", []))
        good &= not case.get("any") or any(s.lower() in low for s in case["any"])
        if case.get("only"):
            good &= not named(text) - named(" ".join(case.get("all", [])))
        ok += good
    return ok


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_scale(scale: int, repeat: int, seed: int, profile: bool, keep: Path | None) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench{scale}-", dir=keep))
    try:
        events = workdir / "events"
        events.mkdir()
        start = time.perf_counter()
        for path in event_files([SHIPPED]):
            shutil.copy(path, events / path.name)
        if scale > 1:
            generate(scale - 1, events, seed)
        row = {"scale": scale, "generate_s": time.perf_counter() - start}
        database = workdir / "bot.db"
        row |= asyncio.run(load(events, database))
        row["db_mb"] = sum(p.stat().st_size for p in workdir.glob("bot.db*")) / 2**20
        row |= asyncio.run(measure(database, repeat, seed, profile, scale))
        row["peak_rss_mb"] = _peak_rss_mb()
        return row
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


async def load(events: Path, database: Path) -> dict:
    """What `python -m bot load` does: parse and validate every file, then one atomic load."""
    start = time.perf_counter()
    records = parse_all([events])
    parse_s = time.perf_counter() - start
    db = await storage.connect(database)
    try:
        await storage.load_records(db, records)
    finally:
        await db.close()
    return {"events": len(records), "people": sum(len(r.people) for r in records),
            "statements": sum(len(r.statements) for r in records), "parse_s": parse_s,
            "load_s": time.perf_counter() - start}


async def measure(database: Path, repeat: int, seed: int, profile: bool, scale: int) -> dict:
    gc.collect()
    rss_before = rss_bytes()
    start = time.perf_counter()
    engine = await AnswerEngine.open(database)
    index_s = time.perf_counter() - start
    gc.collect()
    engine_bytes = rss_bytes() - rss_before
    try:
        # Warm the process, not the questions: the first date format loads babel's locale
        # data and the first reply of a language its catalog, once per process.
        for lang in ("en", "ru", "kk"):
            engine.format_date("2026-02-09", lang)
            engine.unknown("", lang)
        questions = question_set(engine, seed)
        cold, warm, by_category = [], [], {}
        for _, question, lang in questions:  # cold: first sight of every question
            t0 = time.perf_counter()
            await engine.answer(question, lang)
            cold.append((time.perf_counter() - t0) * 1000)
        warm_start = time.perf_counter()
        for _ in range(repeat):
            for category, question, lang in questions:
                t0 = time.perf_counter()
                await engine.answer(question, lang)
                elapsed = (time.perf_counter() - t0) * 1000
                warm.append(elapsed)
                by_category.setdefault(category, []).append(elapsed)
        warm_s = time.perf_counter() - warm_start
        dev_ok = await check_dev(engine)
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _, question, lang in questions:
                await engine.answer(question, lang)
            profiler.disable()
            print(f"\n--- cProfile, one pass at {scale}x ---", file=sys.stderr)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        slowest = sorted(zip(cold, questions, strict=True), reverse=True)[:3]
    finally:
        await engine.close()
    return {
        "index_s": index_s, "engine_mb": engine_bytes / 2**20, "questions": len(questions),
        "runs": len(warm), "p50_ms": statistics.median(warm), "p99_ms": percentile(warm, 99),
        "max_ms": max(warm), "cold_p50_ms": statistics.median(cold),
        "cold_p99_ms": percentile(cold, 99), "qps": len(warm) / warm_s, "dev_ok": dev_ok,
        "category_p99_ms": {k: percentile(v, 99) for k, v in sorted(by_category.items())},
        "slowest_cold": [(round(ms, 2), c, q[:60], lang) for ms, (c, q, lang) in slowest],
    }


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(rows: list[dict]) -> str:
    head = ("scale", "events", "people", "statements", "load s", "DB MB", "index s",
            "engine MB", "p50 ms", "p99 ms", "cold p99 ms", "q/s", "dev ok", "target")
    lines = [head]
    for r in rows:
        target = TARGET_P99_MS.get(r["scale"])
        worst = max(r["p99_ms"], r["cold_p99_ms"])
        verdict = "-" if target is None else (
            f"p99<={target:g}ms {'ok' if worst <= target else 'MISS'}")
        lines.append((f"{r['scale']}x", f"{r['events']:,}", f"{r['people']:,}",
                      f"{r['statements']:,}", f"{r['load_s']:.1f}", f"{r['db_mb']:.1f}",
                      f"{r['index_s']:.2f}", f"{r['engine_mb']:.0f}", f"{r['p50_ms']:.2f}",
                      f"{r['p99_ms']:.2f}", f"{r['cold_p99_ms']:.2f}", f"{r['qps']:,.0f}",
                      f"{r['dev_ok']}/30", verdict))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
           for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,100,1000", help="comma-separated, e.g. 1,100")
    parser.add_argument("--repeat", type=int, default=5, help="warm passes over the questions")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="cProfile one pass per scale")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("--keep", type=Path, help="keep the work folders under this folder")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # run one scale, print JSON
    args = parser.parse_args(argv)
    if args.one is not None:
        row = run_scale(args.one, args.repeat, args.seed, args.profile, args.keep)
        print(json.dumps(row))
        return 0
    rows = []
    for scale in (int(s) for s in args.scales.split(",") if s.strip()):
        command = [sys.executable, __file__, "--one", str(scale), "--repeat", str(args.repeat),
                   "--seed", str(args.seed)] + (["--profile"] if args.profile else []) + (
                   ["--keep", str(args.keep)] if args.keep else [])
        started = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["wall_s"] = time.perf_counter() - started
        rows.append(row)
        print(f"{scale}x: {row['wall_s']:.0f} s wall (generate {row['generate_s']:.1f} s, parse "
              f"{row['parse_s']:.1f} s, load {row['load_s']:.1f} s, index {row['index_s']:.2f} s,"
              f" peak RSS {row['peak_rss_mb']:.0f} MB); p99 by kind: "
              + ", ".join(f"{k} {v:.1f}" for k, v in row["category_p99_ms"].items())
              + f"; slowest cold: {row['slowest_cold']}", flush=True)
    print(table(rows))
    print(f"\n{rows[0]['questions'] if rows else 0} questions per pass, {args.repeat} warm passes;"
          f" p50/p99 over the warm runs, cold p99 over the first pass; "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
