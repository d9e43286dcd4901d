"""The rest of a long answer behind its More button: taken once, forgotten in time."""

from __future__ import annotations

from bot.answering.answer import Answer
from bot.answering.continuations import Continuations, Rest

REST = Rest(Answer(question="q", kind="card"), ("part 4", "part 5"), 5)


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_taken_once():
    kept = Continuations()
    token = kept.keep(REST)
    assert kept.take(token) == REST
    assert kept.take(token) is None
    assert kept.take("00000000") is None


def test_forgotten_after_the_ttl_or_past_the_limit():
    clock = Clock()
    kept = Continuations(limit=2, ttl=60.0, clock=clock)
    old = kept.keep(REST)
    clock.now = 61.0
    assert kept.take(old) is None
    first, second, third = (kept.keep(REST) for _ in range(3))
    assert kept.take(first) is None  # the oldest went to make room
    assert kept.take(second) == REST and kept.take(third) == REST
