"""Login sessions that really end: logging out, disabling or removing a user, a new password.

Chainlit's login token is a JWT that lasts until it expires, and its ``/logout`` only clears
the cookie. kbchat records ended tokens and users' session cut-offs in the app database, and
this guard treats a token that no longer counts as no token at all, on every HTTP request and
every Socket.IO connection: the page loads and asks to log in, the API answers 401.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

import jwt

logger = logging.getLogger(__name__)

TOKEN_COOKIE = "access_token"
"""Chainlit's cookie (and ``access_token_0``, ``_1``... when it is split into chunks)."""

_PUBLIC_ASSETS = "/assets/"
"""Chainlit's page bundle: served to anyone, so no database look-up per file is needed."""

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Refusal = Callable[[str, int, str], str | None]
"""``refusal(username, issued_at, token_digest)``: why the token no longer counts, or None."""


def token_digest(token: str) -> str:
    """What the database keeps of an ended token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def read_claims(token: str) -> dict[str, Any] | None:
    """The claims of a token signed with the app's secret and not expired; None otherwise."""
    secret = os.environ.get("CHAINLIT_AUTH_SECRET")
    if not secret:
        return None
    try:
        claims: dict[str, Any] = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    return claims


def why_refused(token: str | None, refusal: Refusal) -> str | None:
    """Why this signed token is refused now; None for a token that counts, or one that is not
    ours to judge (unsigned or expired tokens are refused by Chainlit itself)."""
    claims = read_claims(token) if token else None
    if token is None or claims is None or "identifier" not in claims:
        return None
    return refusal(str(claims["identifier"]), int(claims.get("iat", 0)), token_digest(token))


def _tokens(headers: list[tuple[bytes, bytes]]) -> tuple[str | None, str | None]:
    """The token from Chainlit's cookie (joined from chunks) and from an Authorization header."""
    cookie_token = bearer = None
    jar: SimpleCookie = SimpleCookie()
    for name, value in headers:
        if name == b"cookie":
            jar.load(value.decode("latin-1"))
        elif name == b"authorization":
            scheme, _, credential = value.decode("latin-1").partition(" ")
            bearer = credential.strip() if scheme.lower() == "bearer" else None
    if TOKEN_COOKIE in jar:
        cookie_token = jar[TOKEN_COOKIE].value
    else:
        chunks = sorted(
            (int(key.rsplit("_", 1)[1]), morsel.value)
            for key, morsel in jar.items()
            if key.startswith(f"{TOKEN_COOKIE}_") and key.rsplit("_", 1)[1].isdigit()
        )
        cookie_token = "".join(value for _, value in chunks) or None
    return cookie_token, bearer


def _without_tokens(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with the login cookies and the Authorization header taken out."""
    kept: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        if name == b"authorization":
            continue
        if name == b"cookie":
            parts = [
                p for p in value.split(b";") if not p.strip().startswith(TOKEN_COOKIE.encode())
            ]
            if not parts:
                continue
            value = b";".join(parts)
        kept.append((name, value))
    return kept


class SessionGuard:
    """ASGI middleware: a request whose login token has ended goes on as if logged out."""

    def __init__(self, app: ASGIApp, refusal: Callable[[], Refusal]) -> None:
        self.app = app
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strip an ended token (and clear its cookie on HTTP) before the app sees the request."""
        if scope["type"] not in ("http", "websocket") or scope.get("path", "").startswith(
            _PUBLIC_ASSETS
        ):
            await self.app(scope, receive, send)
            return
        headers = list(scope.get("headers", []))
        reasons = [
            await asyncio.to_thread(why_refused, token, self.refusal())
            for token in _tokens(headers)
            if token
        ]
        reason = next((r for r in reasons if r), None)
        if reason is None:
            await self.app(scope, receive, send)
            return
        logger.info("refused an ended login token on %s: %s", scope.get("path"), reason)
        scope = {**scope, "headers": _without_tokens(headers)}
        await self.app(scope, receive, _clearing_cookie(send) if scope["type"] == "http" else send)


def _clearing_cookie(send: Send) -> Send:
    """Wrap ``send`` so the response also tells the browser to drop the ended cookie."""

    async def sending(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            expired = f"{TOKEN_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=lax".encode()
            message = {
                **message,
                "headers": [*message.get("headers", []), (b"set-cookie", expired)],
            }
        await send(message)

    return sending
