"""First-come, first-served access to a model that can run one completion at a time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from serving.backend import QueueCallback


class Cancelled(Exception):
    """The request was cancelled while it waited for its turn."""


class FairQueue:
    """A ticket lock: requests get the model in arrival order, and waiters learn their place."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._next_ticket = 0
        self._now_serving = 0
        self._abandoned: set[int] = set()

    def waiting(self) -> int:
        """Requests holding or waiting for the model right now."""
        with self._condition:
            return self._next_ticket - self._now_serving - len(self._abandoned)

    @contextmanager
    def turn(
        self, *, cancel: threading.Event | None = None, on_queue: QueueCallback | None = None
    ) -> Iterator[None]:
        """Wait for this request's turn, reporting how many are ahead; Cancelled if cancelled."""
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            last_reported = -1
            while ticket != self._now_serving:
                ahead = ticket - self._now_serving - sum(1 for t in self._abandoned if t < ticket)
                if on_queue and ahead != last_reported:
                    on_queue(ahead)
                    last_reported = ahead
                if cancel is not None and cancel.is_set():
                    self._abandoned.add(ticket)
                    raise Cancelled
                self._condition.wait(timeout=0.25)
        try:
            yield
        finally:
            with self._condition:
                self._now_serving += 1
                while self._now_serving in self._abandoned:
                    self._abandoned.discard(self._now_serving)
                    self._now_serving += 1
                self._condition.notify_all()
