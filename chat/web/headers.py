"""Security headers on every HTTP response of the web app, above all a Content-Security-Policy
that keeps the page from contacting anything but its own host.

Even if model output slipped past the Markdown sanitizer, the browser would refuse to load an
image from, connect to, or post a form to another host, and would run no injected script.
Pure ASGI (no body buffering except for HTML pages, whose inline scripts get hashes).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from collections.abc import Callable

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

# Inline <script> elements without src: Chainlit's page has two, fixed by its build and config.
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")

STATIC_HEADERS = {
    "x-content-type-options": "nosniff",
    # Nothing to other hosts; to this one, so a form's Origin names the page (no-referrer
    # made browsers send Origin: null, which the same-origin guard must refuse).
    "referrer-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",
    "cross-origin-opener-policy": "same-origin",
}


def content_security_policy(host: str | None, script_hashes: list[str]) -> str:
    """The policy: everything from this host only; no plugins, no foreign frames or forms."""
    # Socket.IO's websocket: older browsers do not count ws(s) to the same host as 'self'.
    sockets = f" ws://{host} wss://{host}" if host and _HOST.match(host) else ""
    scripts = "".join(f" 'sha256-{digest}'" for digest in script_hashes)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{scripts}",
            # React and the UI kit set style attributes and inject <style> at run time.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "media-src 'self' blob:",
            f"connect-src 'self'{sockets}",
            "frame-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def inline_script_hashes(html: bytes) -> list[str]:
    """The CSP sha256 sources of a page's inline scripts, so none needs 'unsafe-inline'."""
    return [
        base64.b64encode(hashlib.sha256(body).digest()).decode()
        for body in _INLINE_SCRIPT.findall(html)
    ]


class SecurityHeaders:
    """ASGI middleware that adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, https: Callable[[], bool] = lambda: False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass websockets and lifespan through; give HTTP responses the headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        https = self.https()
        start: ASGIMessage | None = None
        body: list[bytes] = []

        async def send_with_headers(message: ASGIMessage) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message  # held back until the page is read and hashed
                    return
                await send(_with_headers(message, host, [], https))
            elif start is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await _send_page(send, start, b"".join(body), host, https)
            else:
                await send(message)

        await self.app(scope, receive, send_with_headers)


async def _send_page(send: Send, start: ASGIMessage, page: bytes, host: str, https: bool) -> None:
    """Send a held-back HTML page with a policy that allows exactly its inline scripts."""
    encodings = {k.lower(): v for k, v in start.get("headers", [])}
    plain = gzip.decompress(page) if encodings.get(b"content-encoding") == b"gzip" else page
    await send(_with_headers(start, host, inline_script_hashes(plain), https))
    await send({"type": "http.response.body", "body": page, "more_body": False})


def _with_headers(
    start: ASGIMessage, host: str, script_hashes: list[str], https: bool = False
) -> ASGIMessage:
    """The response start message with our headers set (replacing any of the same name);
    behind HTTPS, with HSTS and every cookie marked Secure (Chainlit marks its login cookie
    Secure only with SameSite=none)."""
    ours = {
        **STATIC_HEADERS,
        "content-security-policy": content_security_policy(host, script_hashes),
    }
    if https:
        ours["strict-transport-security"] = HSTS
    kept = [(k, v) for k, v in start.get("headers", []) if k.decode("latin-1").lower() not in ours]
    if https:
        kept = [(k, _secure(v) if k.lower() == b"set-cookie" else v) for k, v in kept]
    added = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in ours.items()]
    return {**start, "headers": kept + added}


HSTS = "max-age=31536000"


def _secure(cookie: bytes) -> bytes:
    """A Set-Cookie value with the Secure attribute."""
    attributes = {part.strip().lower() for part in cookie.split(b";")[1:]}
    return cookie if b"secure" in attributes else cookie + b"; Secure"


def install_security_headers(app: FastAPI, https: Callable[[], bool]) -> None:
    """Wrap the app in SecurityHeaders (outermost, so every response gets them)."""
    app.add_middleware(SecurityHeaders, https=https)
