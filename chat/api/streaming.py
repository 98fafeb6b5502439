"""Answers as they are written, for ``/ask`` and ``/chat/completions``: the engine run in a
thread of its own (cancelled when the client leaves), its ``[n]`` markers renumbered as they
come (so they agree with the final citations), sent as server-sent events; and the engine's
failures as the API's errors."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from chat.answering.answers import Answer, QuestionRejected, SourcesGiven, Token
from chat.answering.models import ModelUnavailable
from chat.answering.stream_markers import StreamedMarkers
from chat.api.asking import Asked
from chat.api.errors import ApiError
from chat.web.bridge import Waiting, iterate_in_thread
from chat.web.services import services
from serving import GenerationFailed, Message, ServingError

logger = logging.getLogger(__name__)

EVENT_STREAM = "text/event-stream"
_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # no proxy may hold it


class EventStream(StreamingResponse):
    """A ``text/event-stream`` response (never gzipped: Starlette's GZip middleware leaves
    event streams alone) that closes its events however it ends, the client leaving
    included, so that the answer's generation stops."""

    def __init__(self, events: AsyncGenerator[str, None]) -> None:
        super().__init__(events, media_type=EVENT_STREAM, headers=_HEADERS)
        self._events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the events; close them at the end, whatever ended the response."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._events.aclose()


def sse(data: object, event: str | None = None) -> str:
    """One server-sent event: its name, if any, and its data as JSON on one line."""
    named = f"event: {event}\n" if event else ""
    return f"{named}data: {json.dumps(data, ensure_ascii=False)}\n\n"


def engine_error(error: Exception) -> ApiError | None:
    """The API error for a failure of the engine or its model (None for any other)."""
    if isinstance(error, ModelUnavailable):
        return ApiError(503, "model_unavailable", str(error))
    if isinstance(error, GenerationFailed):
        message = f"the model stopped before the answer was finished: {error}"
        return ApiError(503, "generation_failed", message)
    if isinstance(error, ServingError):
        return ApiError(503, "backend_unavailable", str(error))
    if isinstance(error, QuestionRejected):
        return ApiError(400, "invalid_request", str(error))
    return None


def stream_error(error: Exception) -> ApiError:
    """What a stream says of a failure once it has begun (logged when unforeseen)."""
    known = engine_error(error)
    if known is not None:
        return known
    logger.error("an API answer failed as it streamed", exc_info=error)
    return ApiError(500, "internal_error", "the server failed to finish the answer; see its log")


async def whole_answer(asked: Asked, history: Sequence[Message] = ()) -> Answer:
    """The finished answer, not streamed; the engine's failures as the API's errors. Run in
    a thread of its own, as a streamed one (chat/web/bridge.py): answers waiting for the
    model must not hold the threads every other request needs."""
    try:
        async with aclosing(answer_events(asked, history)) as events:
            async for event in events:
                if isinstance(event, Answer):
                    return event
    except Exception as error:
        refused = engine_error(error)
        if refused is None:
            raise
        raise refused from None
    raise RuntimeError("the engine's stream ended without its answer")


async def answer_events(
    asked: Asked, history: Sequence[Message] = ()
) -> AsyncGenerator[Waiting | Token | Answer, None]:
    """The places in line, the answer's tokens (markers renumbered), then the Answer."""
    engine = services().engine
    markers = StreamedMarkers(0)
    events = iterate_in_thread(
        lambda cancel, on_queue: engine.stream(
            asked.question,
            persona=asked.persona,
            history=history,
            collections=asked.collections,
            cancel=cancel,
            on_queue=on_queue,
        )
    )
    async with aclosing(events):
        async for event in events:
            if isinstance(event, SourcesGiven):
                markers = StreamedMarkers(event.count)
            elif isinstance(event, Token):
                if shown := markers.feed(event.text):
                    yield Token(shown)
            elif isinstance(event, Answer):
                if tail := markers.finish():
                    yield Token(tail)
                yield event
            else:
                yield event
