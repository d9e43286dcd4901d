"""Score the answer engine on a question set: `python benchmarks/score_questions.py FILE.jsonl`.

Each line: {"id", "q", "lang", "kind", "all": [...], "any": [...], "none": [...],
"only": true, "not_in_record": true} (the format of tests/dev-questions.jsonl, extended).
The engine answers in English (expectations are English strings, matched case-insensitively):
- all: every string appears; any: at least one does; none: no string appears;
- only: the answer names no person of the records besides those in all/any;
- not_in_record: the answer says the record has no answer (answered is false).

Prints one table by language and one by kind; with --failures also each failed question.
For a held-out set, never look at the failures to change the engine: count them, fix the
engine only on kinds of failure seen elsewhere (the team's rule, DEVELOPERS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.answering.service import open_engine  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.text import has_cyrillic  # noqa: E402


def surnames(engine) -> dict[str, set[str]]:
    """Each person's Latin surnames (last word of the English name and of Latin aliases)."""
    found: dict[str, set[str]] = {}
    for person in engine.index.people.values():
        names = [person.name["en"], *person.aliases]
        found.setdefault(person.id, set()).update(
            n.split()[-1].lower() for n in names if n.split() and not has_cyrillic(n))
    return found


def named(people: dict[str, set[str]], text: str) -> set[str]:
    low = text.lower()
    return {pid for pid, names in people.items() if any(name in low for name in names)}


def verdict(case: dict, text: str, answered: bool, people: dict[str, set[str]]) -> str | None:
    """None when the answer is right, else why not."""
    low = text.lower()
    missing = [s for s in case.get("all", []) if s.lower() not in low]
    if missing:
        return f"missing {missing}"
    if case.get("any") and not any(s.lower() in low for s in case["any"]):
        return f"none of {case['any']}"
    present = [s for s in case.get("none", []) if s.lower() in low]
    if present:
        return f"says {present}"
    if case.get("only"):
        expected = named(people, " ".join(case.get("all", []) + case.get("any", [])))
        others = named(people, text) - expected
        if others:
            return f"also names {sorted(others)}"
    if case.get("not_in_record") and answered:
        return "answers what the record lacks"
    return None


def read_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


async def score(questions: Path, events: Path, show_failures: bool) -> int:
    cases = read_cases(questions)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.from_env({"DATABASE_PATH": str(Path(folder) / "score.db"),
                                      "EVENTS_PATH": str(events)})
        engine = await open_engine(settings)
        try:
            people = surnames(engine)
            results = []
            for case in cases:
                answer = await engine.answer(case["q"], "en")
                results.append((case, verdict(case, answer.text, answer.answered, people),
                                answer.text))
        finally:
            await engine.close()
    right = sum(1 for _, why, _ in results if why is None)
    print(f"{questions.name}: {right}/{len(results)} right ({100 * right / len(results):.0f}%)")
    for field in ("lang", "kind"):
        total, good = Counter(), Counter()
        for case, why, _ in results:
            total[case.get(field, "?")] += 1
            good[case.get(field, "?")] += why is None
        print(f"\n| {field} | right | of | % |\n|---|---|---|---|")
        for key in sorted(total):
            print(f"| {key} | {good[key]} | {total[key]} | {100 * good[key] / total[key]:.0f} |")
    if show_failures:
        for case, why, text in results:
            if why is not None:
                print(f"\n{case.get('id')} {case['q']!r}: {why}\n  {text[:300]!r}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--events", type=Path, default=REPO / "data" / "events")
    parser.add_argument("--failures", action="store_true", help="print each failed question")
    args = parser.parse_args()
    return asyncio.run(score(args.questions, args.events, args.failures))


if __name__ == "__main__":
    sys.exit(main())
