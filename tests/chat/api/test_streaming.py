"""A streamed answer stops its generation when the client leaves, and says a failure once
it has begun as its last event."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncGenerator, Callable, Iterator

import pytest
from starlette.requests import ClientDisconnect

from chat.answering.models import ModelUnavailable
from chat.api.streaming import EventStream, sse, stream_error
from chat.web.bridge import iterate_in_thread
from serving import GenerationFailed
from tests.web.chat_client import run_async


def _endless(stopped: threading.Event) -> Callable[..., Iterator[str]]:
    """A generation that writes until it is cancelled, and says when it was."""

    def make(cancel: threading.Event, _on_queue: Callable[[int], None]) -> Iterator[str]:
        while not cancel.wait(0.01):
            yield "piece"
        stopped.set()

    return make


async def _leave_after_the_first_event(spec: str, stopped: threading.Event) -> list[bytes]:
    """Serve an endless answer to a client that goes after its first event: said by an
    ``http.disconnect`` (ASGI before 2.4) or by the next send failing (2.4 on)."""

    async def events() -> AsyncGenerator[str, None]:
        async for piece in iterate_in_thread(_endless(stopped)):
            yield sse({"text": piece}, "token")

    sent: list[bytes] = []
    first = asyncio.Event()

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            if sent and spec == "2.4":
                raise OSError("the client has gone")
            sent.append(message["body"])  # type: ignore[arg-type]
            first.set()

    async def receive() -> dict[str, object]:
        await first.wait()  # the client reads one event, then goes
        return {"type": "http.disconnect"}

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": spec}, "headers": []}
    response = EventStream(events())  # kept, as a server may keep it: not collected early
    with contextlib.suppress(ClientDisconnect):
        await response(scope, receive, send)  # type: ignore[arg-type]
    assert await asyncio.to_thread(stopped.wait, 10), "the generation went on"
    assert response.status_code == 200
    return sent


@pytest.mark.parametrize("spec", ["2.3", "2.4"])
def test_the_generation_stops_when_the_client_leaves(spec: str) -> None:
    stopped = threading.Event()
    # In a thread of its own: a browser test before this one leaves Playwright's loop running.
    sent = run_async(_leave_after_the_first_event(spec, stopped))
    assert sent[0].startswith(b'event: token\ndata: {"text": "piece"}')


def test_a_failure_mid_stream_is_said_with_its_code() -> None:
    failed = stream_error(GenerationFailed("llama.cpp stopped"))
    assert (failed.code, failed.status) == ("generation_failed", 503)
    assert "llama.cpp stopped" in failed.message
    missing = ModelUnavailable("tuned", "not in the models file", configured=False)
    assert stream_error(missing).code == "model_unavailable"
    assert stream_error(KeyError("x")).code == "internal_error"


def test_an_event_is_one_line_of_json() -> None:
    assert sse({"text": "第一\n行"}, "token") == 'event: token\ndata: {"text": "第一\\n行"}\n\n'
    assert sse({"a": 1}) == 'data: {"a": 1}\n\n'
