"""An OpenAI-compatible chat API over the knowledge base: ``GET /models`` lists the personas
the key's role is offered, and ``POST /chat/completions`` answers with one, cited.

``model`` names a persona (``kbchat``: the site's default one). The last message is the
question; the user and assistant messages before it are the history; system messages are
ignored (the persona's prompt rules). The answer keeps its ``[n]`` markers, numbered as the
added ``citations`` field numbers them; the ``kbchat`` field says whether the knowledge base
covered the question, which persona and model answered, and the claims no source supports.
Streamed, the markers are renumbered as they come, and the final chunk carries the
citations and, in ``kbchat.answer``, the final text, which can differ from the streamed one
(a claim no source supports is marked; a marker after a full stop moves before it; with no
markers at all, the pages that support the answer's sentences are cited). A failure once
the stream has begun is its last ``data: {"error": ...}`` line, before ``data: [DONE]``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

from fastapi import APIRouter, Depends

from chat.answering.answers import Token
from chat.api.asking import Asked, prepared
from chat.api.bodies import json_body
from chat.api.callers import Caller, Keyed
from chat.api.errors import error_body
from chat.api.openai_shapes import (
    DEFAULT_MODEL,
    ChatRequest,
    Completion,
    conversation,
    model_json,
)
from chat.api.streaming import (
    EVENT_STREAM,
    EventStream,
    answer_events,
    sse,
    stream_error,
    whole_answer,
)
from chat.web.bridge import Waiting
from chat.web.services import offered_stored
from serving import Message

router = APIRouter(tags=["OpenAI-compatible chat"])

_CHUNKS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Streamed: chat.completion.chunk events, then [DONE].",
        "content": {EVENT_STREAM: {}},
    }
}


def _models(who: Caller) -> list[dict[str, object]]:
    """The offered personas as OpenAI models (``created``: when each was last changed)."""
    models = []
    for stored in offered_stored(who.role):
        p, changed = stored.persona, int(stored.updated_at.timestamp())
        models.append(model_json(p.id, changed, name=p.name, description=p.description,
                                 locale=p.locale))  # fmt: skip
    return models


@router.get("/models")
async def models(who: Keyed) -> dict[str, Any]:
    """The personas the key's role is offered, as models (the default persona first; the
    name ``kbchat`` also means it), with their ``name``, ``description`` and ``locale``."""
    return {"object": "list", "data": await asyncio.to_thread(_models, who)}


@router.post(
    "/chat/completions",
    response_model=None,
    responses=_CHUNKS,
    dependencies=[Depends(json_body)],
)
async def chat_completions(body: ChatRequest, who: Keyed) -> dict[str, Any] | EventStream:
    """A cited answer from the persona ``model`` names, as a ``chat.completion`` (or its
    chunks, streamed) with the added fields ``citations`` and ``kbchat``."""
    question, history = conversation(body.messages)
    persona = None if body.model == DEFAULT_MODEL else body.model
    asked = await prepared(who, question, persona, None)
    completion = Completion(body.model)
    if body.stream:
        return EventStream(_chunks(asked, history, completion))
    return completion.whole(await whole_answer(asked, history))


async def _chunks(
    asked: Asked, history: list[Message], completion: Completion
) -> AsyncGenerator[str, None]:
    """The answer as chunks: the role, the text as written, the end with the citations
    (or an error), then ``[DONE]``. Places in line are SSE comments, which clients skip."""
    yield sse(completion.chunk({"role": "assistant", "content": ""}))
    try:
        async with aclosing(answer_events(asked, history)) as events:
            async for event in events:
                if isinstance(event, Waiting):
                    yield f": waiting, {event.ahead} ahead\n\n"
                elif isinstance(event, Token):
                    yield sse(completion.chunk({"content": event.text}))
                else:
                    yield sse(completion.last_chunk(event))
    except Exception as error:  # the stream has begun: the failure is its last data
        failed = stream_error(error)
        yield sse(error_body(failed.code, failed.message))
    yield "data: [DONE]\n\n"
