"""Who calls the API: the key a request presents (``Authorization: Bearer <key>`` or
``X-API-Key``), acting as a user of its role within its collections, never more.

A request with a wrong key counts as a failed login of its address (the same throttle as the
login page); while the address must wait, even a right key is refused (429). Each request a
key makes is recorded in the audit trail (``chat/api/app.py``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from chat import access
from chat.accounts.api_keys import ApiKey, KeyRefused
from chat.accounts.login_throttle import LoginRefused
from chat.accounts.users import Role
from chat.api.errors import ApiError, not_found
from chat.web.services import services
from knowledge import Document

KEY_STATE = "kbchat_api_key"
"""Where a request keeps the key it was made with (for the audit trail)."""

_bearer = HTTPBearer(auto_error=False, description="An API key: `kbchat keys add NAME`.")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same key.")


@dataclass(frozen=True)
class Caller:
    """The key a request was made with, and what it may reach."""

    key: ApiKey

    @property
    def identity(self) -> str:
        """The user the key acts as (its uploads, its question rate)."""
        return self.key.identity

    @property
    def role(self) -> Role:
        """The key's role."""
        return Role(self.key.role)

    def _within(self, collections: list[str]) -> list[str]:
        limits, mine = self.key.collections, access.private_collection(self.identity)
        return [c for c in collections if not limits or c in limits or c == mine]

    def readable(self, existing: list[str]) -> list[str]:
        """The existing collections the key may read."""
        return self._within(access.readable(self.identity, self.role, existing))

    def writable(self, existing: list[str]) -> list[str]:
        """The collections the key may upload to and remove from: its own first."""
        return self._within(access.writable(self.identity, self.role, existing))

    def may_create(self, collection: str) -> bool:
        """Whether the key may make this organization collection (admins, within limits)."""
        return (self.role == Role.ADMIN and not access.is_private(collection)
                and bool(self._within([collection])))  # fmt: skip

    def may_read(self, document: Document) -> bool:
        """Whether the key may see this document."""
        allowed = access.may_read(document, self.identity, self.role)
        return allowed and bool(self._within([document.collection]))

    def collections(self, requested: list[str] | None, existing: list[str]) -> list[str]:
        """The collections a search or question of the key reaches: those requested (each
        one readable, else 404 as for none), or every readable one."""
        allowed = self.readable(existing)
        for name in requested or []:
            if name not in allowed:
                raise not_found("collection", name)
        return list(requested) if requested is not None else allowed


async def caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> Caller:
    """The key of this request, if it counts; 401 or 429 otherwise."""
    token = _one_key(request, bearer, header)
    if not token:
        raise ApiError(
            401,
            "missing_key",
            "give an API key: Authorization: Bearer <key>",
            {"WWW-Authenticate": "Bearer"},
        )
    address = request.client.host if request.client else "unknown"
    logins = services().logins
    try:
        await asyncio.to_thread(logins.check_address, address)
        key = await asyncio.to_thread(services().api_keys.check, token)
    except LoginRefused as refused:
        headers = {"Retry-After": str(refused.wait_s)}
        raise ApiError(429, "rate_limited", str(refused), headers) from None
    except KeyRefused as refused:
        if refused.key is not None:  # a key once made: its use after the end is audited
            setattr(request.state, KEY_STATE, refused.key)
        await asyncio.to_thread(logins.failed_address, address)
        raise ApiError(401, refused.code, str(refused), {"WWW-Authenticate": "Bearer"}) from None
    setattr(request.state, KEY_STATE, key)
    return Caller(key)


def _one_key(
    request: Request, bearer: HTTPAuthorizationCredentials | None, header: str | None
) -> str:
    """The key the request presents; 400 when it presents two that differ (a proxy adding
    its own, say): which one counts must never be a guess."""
    given = {bearer.credentials if bearer else "", header or ""} - {""}
    if len(request.headers.getlist("authorization")) > 1 or len(given) > 1:
        raise ApiError(400, "invalid_request", "the request carries more than one API key")
    return given.pop() if given else ""


def admin(who: Annotated[Caller, Depends(caller)]) -> Caller:
    """The caller, when its key is an admin's; 403 otherwise."""
    if who.role != Role.ADMIN:
        raise ApiError(403, "forbidden", f"this needs an admin key; {who.key.name!r} is {who.role}")
    return who


Keyed = Annotated[Caller, Depends(caller)]
AdminKeyed = Annotated[Caller, Depends(admin)]
