"""The model queue serves requests in arrival order and tells waiters their place."""

from __future__ import annotations

import threading
import time

import pytest

from serving.fair_queue import Cancelled, FairQueue


def _start(
    queue: FairQueue, name: str, log: list[str], hold: threading.Event, waits: dict[str, list[int]]
) -> threading.Thread:
    def run() -> None:
        with queue.turn(on_queue=lambda ahead: waits.setdefault(name, []).append(ahead)):
            log.append(name)
            hold.wait(timeout=10)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_requests_are_served_in_arrival_order_with_their_place_reported() -> None:
    queue, log, waits = FairQueue(), [], {}  # type: ignore[var-annotated]
    hold = threading.Event()
    threads = []
    for name in "abcd":
        threads.append(_start(queue, name, log, hold, waits))
        time.sleep(0.1)  # arrival order
    assert queue.waiting() == 4
    hold.set()
    for thread in threads:
        thread.join(timeout=10)
    assert log == ["a", "b", "c", "d"]
    assert "a" not in waits
    assert waits["b"][0] == 1 and waits["c"][0] == 2 and waits["d"][0] == 3
    assert waits["d"] == sorted(waits["d"], reverse=True)
    assert queue.waiting() == 0


def test_a_cancelled_waiter_leaves_the_queue_and_does_not_block_the_next() -> None:
    queue = FairQueue()
    release, cancel = threading.Event(), threading.Event()
    served: list[str] = []

    def first() -> None:
        with queue.turn():
            release.wait(timeout=10)

    def cancelled() -> None:
        with pytest.raises(Cancelled), queue.turn(cancel=cancel):
            served.append("cancelled")

    def third() -> None:
        with queue.turn():
            served.append("third")

    threads = [threading.Thread(target=f) for f in (first, cancelled, third)]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    cancel.set()
    time.sleep(0.5)
    release.set()
    for thread in threads:
        thread.join(timeout=10)
    assert served == ["third"]
    assert queue.waiting() == 0
