"""No cross-site actions: a state-changing request, or a Socket.IO connection, from a page of
another origin is refused before the app sees it.

Browsers say where a request comes from in ``Sec-Fetch-Site``, which no page can set
(``same-origin`` passes; ``same-site`` and ``cross-site`` are refused), and name the page
in ``Origin`` (every cross-site POST, every WebSocket) or else ``Referer``, by which older
browsers are judged. (A form posted from a page with ``Referrer-Policy: no-referrer`` says
``Origin: null``, so kbchat's pages send ``same-origin``: chat/web/headers.py.)
kbchat's login cookie is ``SameSite=lax``, which a sibling port or subdomain does not count
as another site, so this check is what keeps such a page from posting kbchat's forms as the
logged-in user or opening a chat socket as them. A request that names no page at all (the
CLI, curl, a script) carries no browser's cookies by accident and is let through; the login
decides what it may do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SOCKET_PATH = "/ws/socket.io"
_DEFAULT_PORT = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def parse_origin(value: str) -> Origin | None:
    """``(scheme, host, port)`` of an origin or URL; None for ``null`` or anything unreadable."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    if scheme not in _DEFAULT_PORT or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORT[scheme]


def own_origin(scope: Scope, https: bool = False) -> Origin | None:
    """The origin this request was addressed to: its scheme (https when the app is served
    over HTTPS by a proxy in front) and its ``Host`` header."""
    host = Headers(scope=scope).get("host")
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme"))
    return parse_origin(f"{'https' if https else scheme}://{host}") if host else None


def _checked(scope: Scope) -> bool:
    if scope["type"] == "websocket":
        return True
    if scope["type"] != "http":
        return False
    return scope["method"] not in SAFE_METHODS or scope.get("path", "").startswith(SOCKET_PATH)


class SameOriginGuard:
    """ASGI middleware: refuse a checked request whose page is of another origin (403)."""

    def __init__(
        self,
        app: ASGIApp,
        trusted: Callable[[], Iterable[str]] = tuple,
        https: Callable[[], bool] = lambda: False,
    ) -> None:
        self.app = app
        self.trusted = trusted
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it with the reason."""
        if not _checked(scope):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        fetched_from = headers.get("sec-fetch-site")  # the browser's own word
        stated = headers.get("origin") or headers.get("referer")
        if fetched_from in ("same-origin", "none") or (fetched_from is None and stated is None):
            await self.app(scope, receive, send)
            return
        if fetched_from in ("same-site", "cross-site"):
            reason = f"cross-site request refused: the browser says a {fetched_from} page sent it"
        else:
            page = parse_origin(stated or "")
            own = {own_origin(scope), own_origin(scope, https=True) if self.https() else None}
            allowed = {*own, *(parse_origin(t) for t in self.trusted())} - {None}
            if page is not None and page in allowed:
                await self.app(scope, receive, send)
                return
            reason = f"cross-site request refused: {str(stated)[:100]!r} is not this app's origin"
        logger.warning("%s (%s %s)", reason, scope.get("method", "WS"), scope.get("path"))
        await _refuse(scope, receive, send, reason)


async def _refuse(scope: Scope, receive: Receive, send: Send, reason: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": reason[:120]})
        return
    await JSONResponse({"detail": reason}, status_code=403)(scope, receive, send)
