"""Persona pictures (a character card's own image) behind the login: shown in the persona
picker, to users whose role is offered the persona (404 alike for one that does not exist,
one withheld from the role and one without a picture)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from chainlit.auth import get_current_user
from chainlit.user import User
from fastapi import Depends, HTTPException
from fastapi.responses import Response

from chat.accounts.users import Role
from chat.web.services import offered_personas, role_of, services
from personas import PersonaError

CurrentUser = Annotated[User | None, Depends(get_current_user)]


def avatar_url(persona_id: str, sha256: str) -> str | None:
    """Where a persona's picture is served (its hash in the address, so a new picture is a
    new address); None for a persona without one."""
    return f"/kbchat/personas/{persona_id}/avatar.png?v={sha256[:16]}" if sha256 else None


def _picture(persona_id: str, role: Role) -> bytes | None:
    if role != Role.ADMIN and persona_id not in {p.id for p in offered_personas(role)}:
        return None
    try:
        return services().personas.avatar(persona_id)
    except PersonaError:
        return None


async def persona_avatar(persona_id: str, user: CurrentUser) -> Response:
    """A persona's picture, as a PNG, for a user whose role is offered the persona."""
    if user is None:
        raise HTTPException(status_code=401, detail="log in first")
    picture = await asyncio.to_thread(_picture, persona_id, role_of(user))
    if picture is None:
        raise HTTPException(status_code=404, detail="no such picture")
    headers = {"Cache-Control": "private, max-age=86400", "Content-Disposition": "inline"}
    return Response(picture, media_type="image/png", headers=headers)
