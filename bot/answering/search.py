"""Statements found by their words: the figures asked about, and FTS5 (bm25) over what was
said, kept only when most of the asked words are there. The last rows of the route table."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from bot.answering.cues import NOISE_STEMS
from bot.records.model import Statement
from bot.text import MIN_STEM

if TYPE_CHECKING:
    from bot.answering.engine import AnswerEngine

FTS_LIMIT = 20


def figure_for(engine: AnswerEngine, content: list[str], cues: set[str]) -> list[Statement]:
    """For "how many / how long" questions: the statements with figures that say most of
    the asked words, in any inflection ("Талқылау неше күнге созылды?")."""
    if not cues & {"how_many", "how_long"}:
        return []
    index = engine.index
    asked = {w for w in content if w not in NOISE_STEMS}
    counts = Counter(key for w in asked for key in index.saying(w) & index.figure_keys)
    if not counts:
        return []
    best = max(counts.values())
    chosen = [index.statement_by_key[key] for key, n in counts.items() if n == best]
    return sorted(chosen, key=lambda s: (s.event_id, s.position))


def with_figures(engine: AnswerEngine, numbers: list[str]) -> list[Statement]:
    """Statements whose figures are the numbers asked about ("what does 2060 mean?")."""
    return [s for n in numbers for s in engine.index.figure_statements.get(n, ())][:3]


async def search_statements(engine: AnswerEngine, content: list[str]) -> list[Statement]:
    """FTS5 (bm25) over statements; kept only when most of the asked words are there."""
    index = engine.index
    # One or two letters ("ok", "aaaa" folded to "a") would match half the record; short
    # words and numbers match whole ("col" is not "collective"), stems also as a prefix.
    words = [w for w in dict.fromkeys(content) if w.isalnum() and (len(w) > 2 or w.isdigit())]
    if not words:
        return []
    prefix = {w for w in words if len(w) >= MIN_STEM and not w.isdigit()}
    total = max(1, len(index.statements))
    weights = {w: max(0.1, 1 - index.statement_df.get(w, 0) / total) for w in words}
    # Each word in any form of its root ("economic issues": "The economy needs ...").
    forms = {w: [w, *index.said_kin(w)] if w in prefix else [w] for w in words}
    # Only words some statement has can be hits; when they cannot pass the filter below,
    # don't ask SQLite to rank a large archive for nothing.
    present = [w for w in words if any(index.in_statements(f, w in prefix) for f in forms[w])]
    if (len(present) < min(2, len(words))
            or sum(weights[w] for w in present) < 0.5 * sum(weights.values())):
        return []
    query = " OR ".join(f'"{f}"*' if w in prefix else f'"{f}"' for w in present for f in forms[w])
    sql = ("SELECT event_id, ref, body FROM search WHERE search MATCH ? "
           "AND kind = 'statement' ORDER BY bm25(search) LIMIT ?")
    async with engine.db.execute(sql, (f"body: ({query})", FTS_LIMIT)) as cursor:
        rows = await cursor.fetchall()
    found = []
    for row in rows:
        statement = index.statements.get((row["event_id"], row["ref"]))
        if statement is None:
            continue
        said = set(row["body"].split())  # the statement's stems, as loaded
        hit = [w for w in words if any(
            f in said or (w in prefix and any(s.startswith(f) for s in said)) for f in forms[w])]
        coverage = sum(weights[w] for w in hit) / sum(weights.values())
        if coverage >= 0.5 and len(hit) >= min(2, len(words)):
            found.append((coverage, statement))
    if not found:
        return []
    best = max(c for c, _ in found)
    return [s for c, s in found if c >= best - 0.05][:3]
