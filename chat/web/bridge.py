"""Run the blocking answer engine and ingestion in worker threads, feeding an async handler."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

Item = TypeVar("Item")


@dataclass(frozen=True)
class Waiting:
    """The request is queued for the model behind ``ahead`` others."""

    ahead: int


_DONE = object()


async def iterate_in_thread(
    make: Callable[[threading.Event, Callable[[int], None]], Iterator[Item]],
) -> AsyncGenerator[Item | Waiting, None]:
    """Yield what a blocking generator yields, from a worker thread, as it comes.

    ``make(cancel, on_queue)`` builds the generator; ``on_queue`` reports places in line.
    When the consumer stops early (the user left), the worker is told to cancel.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[object] = asyncio.Queue()
    cancel = threading.Event()

    def put(value: object) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, value)

    def work() -> None:
        try:
            for item in make(cancel, lambda ahead: put(Waiting(ahead))):
                put(item)
        except BaseException as error:  # handed to the handler, which reports it
            put(error)
        finally:
            put(_DONE)

    # A thread of its own, not the loop's shared executor: an answer may wait minutes for
    # the model, and twenty waiting answers would otherwise hold every executor thread and
    # stall every other request that needs one (logins, uploads, the session check).
    worker = threading.Thread(target=work, name="kbchat-answer", daemon=True)
    worker.start()
    try:
        while (value := await queue.get()) is not _DONE:
            if isinstance(value, BaseException):
                raise value
            yield value  # type: ignore[misc]
    finally:
        cancel.set()
        await asyncio.to_thread(worker.join)
