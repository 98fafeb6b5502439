"""Per-user limits that keep one user from crowding out the rest (OWASP LLM10).

Both limits live in one app process; with several processes behind a load balancer, each
enforces them for the sessions it holds (sticky sessions keep a user on one process).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class LimitReached(Exception):
    """A user went over a limit; ``kind`` names it, ``limit`` and ``wait_s`` say by how much."""

    def __init__(self, kind: str, limit: int, wait_s: int = 0) -> None:
        self.kind, self.limit, self.wait_s = kind, limit, wait_s
        if kind == "rate_limited":
            message = f"too many questions: at most {limit} a minute; try again in {wait_s} s"
        else:
            message = f"{limit} uploads are already being indexed for you; wait for them to finish"
        super().__init__(message)


class QuestionRate:
    """At most ``per_minute`` questions from one user in any 60-second window."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._asked: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, user: str) -> None:
        """Count a question, or raise LimitReached saying how long to wait."""
        now = self._clock()
        with self._lock:
            asked = self._asked.setdefault(user, deque())
            while asked and now - asked[0] >= 60:
                asked.popleft()
            if len(asked) >= self.per_minute:
                raise LimitReached(
                    "rate_limited", self.per_minute, math.ceil(60 - (now - asked[0]))
                )
            asked.append(now)


class IngestSlots:
    """At most ``per_user`` uploads of one user being indexed at the same time."""

    def __init__(self, per_user: int) -> None:
        self.per_user = per_user
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, user: str) -> Iterator[None]:
        """Hold a slot while indexing, or raise LimitReached when all are taken."""
        with self._lock:
            if self._running.get(user, 0) >= self.per_user:
                raise LimitReached("ingest_busy", self.per_user)
            self._running[user] = self._running.get(user, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._running[user] -= 1


@dataclass(frozen=True)
class UserLimits:
    """The limits the web app enforces per user."""

    questions: QuestionRate
    ingests: IngestSlots
