"""The bridge from the blocking engine to the async chat handlers."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from chat.web.bridge import Waiting, iterate_in_thread

T = TypeVar("T")


def test_answers_waiting_for_the_model_do_not_starve_other_work() -> None:
    """More waiting answers than the loop's executor has threads: other blocking calls
    (the session check, persona lookups) must still run at once."""
    gate = threading.Event()
    waiting = (os.cpu_count() or 1) + 8  # above asyncio's default of cpu_count + 4 threads

    def held(cancel: threading.Event, on_queue: Callable[[int], None]) -> Iterator[str]:
        on_queue(1)
        gate.wait(timeout=30)
        yield "done"

    async def consume() -> list[object]:
        return [item async for item in iterate_in_thread(held)]

    async def scenario() -> tuple[int, list[list[object]]]:
        answers = [asyncio.create_task(consume()) for _ in range(waiting)]
        await asyncio.sleep(0.2)
        other = await asyncio.wait_for(asyncio.to_thread(lambda: 42), timeout=5)
        gate.set()
        return other, await asyncio.gather(*answers)

    other, answers = _run(scenario())
    assert other == 42
    assert all(items == [Waiting(1), "done"] for items in answers)


def test_an_error_in_the_worker_reaches_the_handler() -> None:
    def failing(cancel: threading.Event, on_queue: Callable[[int], None]) -> Iterator[str]:
        yield "partial"
        raise RuntimeError("model server went away")

    async def scenario() -> tuple[list[object], str]:
        seen: list[object] = []
        try:
            async for item in iterate_in_thread(failing):
                seen.append(item)
        except RuntimeError as error:
            return seen, str(error)
        return seen, ""

    assert _run(scenario()) == (["partial"], "model server went away")


def _run(scenario: Coroutine[Any, Any, T]) -> T:
    """Run a scenario in a thread of its own: a browser test of the session may be running
    Playwright's event loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario).result()
