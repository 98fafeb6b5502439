"""Search and cited answers over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from chat.answering.answers import QuestionRejected
from chat.answering.models import ModelUnavailable
from chat.api.asking import prepared
from chat.api.bodies import json_body
from chat.api.callers import Keyed
from chat.api.errors import ApiError
from chat.web.services import services
from serving import ServingError

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

    question: str = Field(max_length=100_000)
    persona: str | None = None
    collections: list[str] | None = None


@router.post("/search")
async def search(body: SearchRequest, who: Keyed) -> dict[str, Any]:
    """The pages or sections that best match, best first: file, page (or section), score,
    text and document id."""
    existing = await asyncio.to_thread(services().kb.registry.collections)
    collections = who.collections(body.collections, existing)
    if not collections:
        return {"hits": []}
    hits = await asyncio.to_thread(services().kb.search, body.query, collections, body.k)
    return {"hits": [hit.to_json() for hit in hits]}


@router.post("/ask")
async def ask(body: AskRequest, who: Keyed) -> dict[str, Any]:
    """A cited answer: ``answer``, ``citations`` (file, page or section, text, document id),
    ``covered`` (False when the knowledge base does not cover the question), ``persona`` and
    ``model``."""
    asked = await prepared(who, body.question, body.persona, body.collections)
    engine = services().engine
    try:
        answer = await asyncio.to_thread(
            engine.answer, asked.question, persona=asked.persona, collections=asked.collections
        )
    except ModelUnavailable as error:
        raise ApiError(503, "model_unavailable", str(error)) from None
    except ServingError as error:
        raise ApiError(503, "backend_unavailable", str(error)) from None
    except QuestionRejected as error:
        raise ApiError(400, "invalid_request", str(error)) from None
    return answer.to_json()
