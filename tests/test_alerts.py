"""Which errors reach the admins: each kind once per period."""

from __future__ import annotations

from bot.alerts import AlertThrottle, error_kind


def test_each_kind_once_per_period():
    now = [0.0]
    throttle = AlertThrottle(every=3600.0, clock=lambda: now[0])
    assert throttle.due("KeyError at engine.py:1")
    assert not throttle.due("KeyError at engine.py:1")
    assert throttle.due("ValueError at cards.py:9")
    now[0] = 3601.0
    assert throttle.due("KeyError at engine.py:1")


def test_the_kind_names_the_type_and_where():
    try:
        {}["missing"]
    except KeyError as error:
        kind = error_kind(error)
    assert kind.startswith("KeyError at test_alerts.py:")
