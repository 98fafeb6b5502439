"""Search and cited answers over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from chat.answering.answers import Token
from chat.api.asking import Asked, prepared
from chat.api.bodies import json_body
from chat.api.callers import Keyed
from chat.api.errors import error_body
from chat.api.schemas import AnswerOut, Hits
from chat.api.streaming import (
    EVENT_STREAM,
    EventStream,
    answer_events,
    sse,
    stream_error,
    whole_answer,
)
from chat.web.bridge import Waiting
from chat.web.services import services

router = APIRouter(tags=["search and answers"], dependencies=[Depends(json_body)])


class SearchRequest(BaseModel):
    """A search: what to look for, how many hits, and where (every readable collection when
    not given)."""

    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(default=5, ge=1, le=100)
    collections: list[str] | None = None


class AskRequest(BaseModel):
    """A question: the persona answering (the site's default when not given), and the
    collections to search (the persona's, within what the key may read, when not given)."""

    question: str = Field(
        max_length=100_000,
        description="The server refuses one over its limit (KBCHAT_MAX_QUESTION_CHARS, 2000 by "
        "default) with question_too_long.",
    )
    persona: str | None = None
    collections: list[str] | None = None
    stream: bool = Field(
        default=False,
        description="Send the answer as server-sent events as it is written (as does "
        "`Accept: text/event-stream`).",
    )


@router.post("/search", response_model=Hits, response_model_exclude_none=True)
async def search(body: SearchRequest, who: Keyed) -> dict[str, Any]:
    """The pages or sections that best match, best first: file, page (or section), score,
    text and document id."""
    existing = await asyncio.to_thread(services().kb.registry.collections)
    collections = who.collections(body.collections, existing)
    if not collections:
        return {"hits": []}
    hits = await asyncio.to_thread(services().kb.search, body.query, collections, body.k)
    return {"hits": [hit.to_json() for hit in hits]}


_ASK_EVENTS: dict[int | str, dict[str, Any]] = {
    200: {
        "model": AnswerOut,
        "description": "The answer; streamed, the events `waiting` {ahead}, `token` {text}, "
        "then `answer` (the same JSON) or `error` {code, message}.",
        "content": {EVENT_STREAM: {}},
    }
}


@router.post("/ask", response_model=None, responses=_ASK_EVENTS)
async def ask(body: AskRequest, who: Keyed, request: Request) -> dict[str, Any] | EventStream:
    """A cited answer: ``answer``, ``citations`` (file, page or section, text, document id),
    ``covered`` (False when the knowledge base does not cover the question), ``unsupported``,
    ``persona``, ``model`` and ``adapter``. Streamed as server-sent events when asked
    (``"stream": true`` or ``Accept: text/event-stream``); its tokens' ``[n]`` markers are
    numbered as the final citations are."""
    asked = await prepared(who, body.question, body.persona, body.collections)
    if body.stream or EVENT_STREAM in request.headers.get("accept", ""):
        return EventStream(_ask_events(asked))
    return (await whole_answer(asked)).to_json()


async def _ask_events(asked: Asked) -> AsyncGenerator[str, None]:
    """The answer as events: ``waiting``, ``token``s, then ``answer`` or ``error``."""
    try:
        async with aclosing(answer_events(asked)) as events:
            async for event in events:
                if isinstance(event, Waiting):
                    yield sse({"ahead": event.ahead}, "waiting")
                elif isinstance(event, Token):
                    yield sse({"text": event.text}, "token")
                else:
                    yield sse(event.to_json(), "answer")
    except Exception as error:  # the stream has begun: the failure is its last event
        failed = stream_error(error)
        yield sse(error_body(failed.code, failed.message)["error"], "error")
