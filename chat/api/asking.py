"""What a question over the API needs before the engine runs: the persona (one the key's
role is offered), the collections it searches (the persona's, within what the key may read),
and a turn within the key's rate of questions. Shared by ``/ask`` and the OpenAI-compatible
``/chat/completions``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from chat import access
from chat.answering.answers import QuestionRejected
from chat.answering.limits import LimitReached
from chat.answering.models import ModelUnavailable
from chat.api.callers import Caller
from chat.api.errors import ApiError, not_found
from chat.web.services import offered_personas, services
from personas import Persona


@dataclass(frozen=True)
class Asked:
    """A question ready for the engine."""

    question: str
    persona: Persona
    collections: list[str]


def offered(who: Caller) -> list[Persona]:
    """The enabled personas the key's role is offered, the default first."""
    return offered_personas(who.role)


def persona_for(who: Caller, persona_id: str | None) -> Persona:
    """The persona asked for (the site's default when none), if the key's role is offered
    it; 404 otherwise, alike for a disabled, unknown or withheld one."""
    wanted = persona_id or services().settings.default_persona
    found = next((p for p in offered(who) if p.id == wanted), None)
    if found is None:
        raise not_found("persona", wanted)
    return found


async def prepared(
    who: Caller, question: str, persona_id: str | None, requested: list[str] | None
) -> Asked:
    """Check the question, the persona, its model and the collections, then take one of the
    key's questions for this minute (a refusal is an error before any answer streams)."""
    try:
        question = services().engine.check_question(question)
    except QuestionRejected as refused:
        code = "question_too_long" if refused.limit else "invalid_request"
        raise ApiError(400, code, str(refused)) from None
    persona = await asyncio.to_thread(persona_for, who, persona_id)
    existing = await asyncio.to_thread(services().kb.registry.collections)
    reachable = who.collections(requested, existing)
    searchable = access.searchable(persona, who.identity, existing)
    if requested is not None:
        outside = [name for name in requested if name not in searchable]
        if outside:
            raise ApiError(
                400,
                "invalid_request",
                f"the persona {persona.id!r} does not search the collection {outside[0]!r}",
            )
    collections = [c for c in searchable if c in reachable]
    try:  # a model not configured, or one that cannot be built, is said before streaming
        await asyncio.to_thread(services().engine.model_for, persona)
    except ModelUnavailable as error:
        raise ApiError(503, "model_unavailable", str(error)) from None
    try:
        services().limits.questions.take(who.identity)
    except LimitReached as refused:
        raise ApiError(
            429, "rate_limited", str(refused), {"Retry-After": str(max(refused.wait_s, 1))}
        ) from None
    return Asked(question, persona, collections)
