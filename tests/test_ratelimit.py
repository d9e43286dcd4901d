"""The reply pacer: slots under Telegram's limits, and a 429 that holds back only its chat."""

from __future__ import annotations

import itertools

from handlers.ratelimit import SlotBook, is_paced


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_messages_are_spaced_evenly_overall():
    book = SlotBook(per_second=29.0, clock=Clock())
    slots = [book.book(chat) for chat in range(1, 301)]  # 300 private chats at once
    gaps = [later - earlier for earlier, later in itertools.pairwise(slots)]
    assert min(gaps) >= 1 / 29.0 - 1e-9
    # No sliding one-second window holds more than 29 (Telegram's limit is 30).
    assert max(sum(1 for s in slots if start <= s < start + 1.0) for start in slots) <= 29


def test_a_private_chat_bursts_three_then_one_a_second():
    clock = Clock()
    book = SlotBook(private_interval=1.0, private_burst=3, clock=clock)
    slots = [book.book(7) - clock.now for _ in range(6)]
    assert slots[2] < 0.2  # a reply in three parts goes at once
    assert [round(s) for s in slots[3:]] == [1, 2, 3]


def test_a_group_gets_at_most_19_a_minute():
    clock = Clock()
    book = SlotBook(group_per_window=19, group_window=61.0, clock=clock)
    slots = [book.book(-100) - clock.now for _ in range(40)]
    assert max(slots[:19]) < 1.0
    assert slots[19] >= 61.0 and slots[38] >= 122.0


def test_a_429_holds_back_its_chat_only():
    clock = Clock()
    book = SlotBook(clock=clock)
    book.hold(-5, 30.0)
    assert book.book(-5) >= clock.now + 30.0
    assert book.book(6) < clock.now + 1.0  # other chats go on
    assert book.ready_at(6) <= clock.now


def test_429s_for_two_chats_at_once_hold_back_everyone():
    clock = Clock()
    book = SlotBook(clock=clock)
    book.hold(-5, 10.0)
    clock.now += 0.2
    book.hold(8, 10.0)
    assert book.ready_at(9) >= clock.now + 9.0
    assert book.book(9) >= clock.now + 9.0


def test_what_is_paced():
    assert is_paced("sendMessage") and is_paced("editMessageText") and is_paced("sendDocument")
    assert not is_paced("answerCallbackQuery") and not is_paced("getUpdates")
    assert not is_paced("sendChatAction")


def test_late_starts_never_bunch_past_the_sliding_second():
    """Slots that all came due during a stall still start at most window_limit a second."""
    clock = Clock()
    book = SlotBook(per_second=29.0, clock=clock)
    for chat in range(1, 60):
        book.book(chat)
    clock.now += 5.0  # the event loop stalled; every slot is due
    starts = 0
    while book.start_delay() == 0:
        starts += 1
    assert starts == book.window_limit == 28
    clock.now += book.start_delay()
    assert book.start_delay() == 0
