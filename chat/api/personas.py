"""Personas over HTTP: those a key's role is offered (all of them, with their state, for an
admin key); importing persona files and exporting one in a character format take an admin
key, as the admin pages do."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Response, UploadFile

from chat.accounts.users import Role
from chat.api.asking import offered, persona_for
from chat.api.bodies import check_kind, form_body
from chat.api.callers import AdminKeyed, Keyed
from chat.api.errors import ApiError
from chat.shapes import persona_json, stored_persona_json
from chat.web.curation import import_persona_uploads
from chat.web.services import services
from personas import (
    PERSONA_SUFFIXES,
    PersonaError,
    PersonaExists,
    PersonaFileError,
    PersonaFormat,
    PersonaNotFound,
    export_persona,
    persona_to_yaml,
)

router = APIRouter(prefix="/personas", tags=["personas"])
LEFT_OUT_HEADER = "X-Kbchat-Left-Out"
"""The response header naming the persona's fields an export format cannot hold."""


def _refused(error: PersonaError) -> ApiError:
    """A persona error under its status: absent 404, taken 409, a bad file 422."""
    if isinstance(error, PersonaNotFound):
        return ApiError(404, "persona_not_found", str(error))
    if isinstance(error, PersonaExists):
        return ApiError(409, "conflict", str(error))
    if isinstance(error, PersonaFileError):
        return ApiError(422, "unreadable_file", str(error))
    return ApiError(422, "invalid_request", str(error))


@router.get("")
async def list_personas(who: Keyed) -> dict[str, Any]:
    """The enabled personas the key's role is offered, the default first; for an admin key,
    every stored persona with its state, what it searches and its model."""
    if who.role == Role.ADMIN:
        stored = await asyncio.to_thread(services().personas.list_personas)
        return {"personas": [stored_persona_json(s) for s in stored]}
    return {"personas": [persona_json(p) for p in await asyncio.to_thread(offered, who)]}


@router.get("/{persona_id}")
async def show_persona(persona_id: str, who: Keyed) -> dict[str, Any]:
    """One persona the key's role is offered (404 alike for a disabled, unknown or withheld
    one); for an admin key, any stored persona, with its full YAML."""
    if who.role == Role.ADMIN:
        try:
            stored = await asyncio.to_thread(services().personas.stored, persona_id)
        except PersonaError as error:
            raise _refused(error) from None
        return {**stored_persona_json(stored), "yaml": persona_to_yaml(stored.persona)}
    return persona_json(await asyncio.to_thread(persona_for, who, persona_id))


@router.post("", status_code=201, dependencies=[Depends(form_body)])
async def import_personas(
    who: AdminKeyed,
    files: list[UploadFile],
    update: Annotated[bool, Form(description="Existing ids: store as next versions.")] = False,
) -> dict[str, Any]:
    """Import persona files (kbchat YAML, Character Card V1/V2/V3 JSON or PNG,
    text-generation-webui YAML): all of them, or none when any file is refused. A PNG card's
    picture becomes the persona's."""
    for upload in files:
        check_kind(upload.filename or "persona", PERSONA_SUFFIXES, "persona files")
    try:
        saved = await import_persona_uploads(files, author=who.identity, update=update)
    except PersonaError as error:
        raise _refused(error) from None
    return {"imported": [{"id": p.id, "version": p.version} for p in saved]}


@router.get(
    "/{persona_id}/export",
    response_class=Response,
    responses={
        200: {
            "content": {"application/yaml": {}, "application/json": {}, "image/png": {}},
            "description": "The persona file (a card is JSON, or a PNG picture with the card "
            "inside); the header X-Kbchat-Left-Out names the fields the format cannot hold",
        }
    },
)
async def export(
    persona_id: str, who: AdminKeyed, format: PersonaFormat = PersonaFormat.YAML
) -> Response:
    """A persona as a file: kbchat YAML, text-generation-webui YAML, a Character Card V2 or a
    PNG card (the persona's picture, or a plain one, with the card inside)."""
    store = services().personas
    try:
        stored = await asyncio.to_thread(store.stored, persona_id)
        avatar = await asyncio.to_thread(store.avatar, persona_id)
    except PersonaError as error:
        raise _refused(error) from None
    exported = await asyncio.to_thread(export_persona, stored.persona, format, avatar)
    headers = {"Content-Disposition": f'attachment; filename="{exported.name}"'}
    if exported.left_out:
        headers[LEFT_OUT_HEADER] = ", ".join(exported.left_out)
    return Response(exported.data, media_type=exported.media_type, headers=headers)
