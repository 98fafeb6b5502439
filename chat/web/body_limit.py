"""A cap on every request body, applied before the app reads it.

Chainlit reads a whole upload into memory before it checks the size, and reads JSON bodies
before it checks the login, so one request could fill the server's memory. This middleware
refuses a body over its path's cap (413, with the limit in the message): at once when its
Content-Length says so, and as soon as the bytes read pass the cap when it is sent in
chunks. Only the upload route takes a PDF's size; every other request gets a form's
(a second probe filled 1 GB with one anonymous 190 MB JSON body while all had the upload's).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

MULTIPART_ALLOWANCE = 1024 * 1024
"""Room for a form's other fields and boundaries around the largest file accepted."""


FORM_MAX_BYTES = 1024 * 1024
"""Any body but an upload's: forms, JSON, the chat socket's polling (questions are short)."""


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: HTTP request bodies of at most ``max_bytes(path)`` bytes."""

    def __init__(self, app: ASGIApp, max_bytes: Callable[[str], int]) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on while its body stays under the cap; else answer 413."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes(str(scope.get("path", "")))
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(scope, receive, send, limit)
            return
        seen = 0
        over = started = False

        async def counting_receive() -> ASGIMessage:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise _TooLarge
            return message

        async def checked_send(message: ASGIMessage) -> None:
            # The app may catch the error while parsing a form and answer 400 itself: what
            # it answers after the cap was passed is replaced by the 413.
            nonlocal started
            if over:
                if not started:
                    started = True
                    await _too_large(scope, receive, send, limit)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, checked_send)
        except _TooLarge:
            if not started:
                await _too_large(scope, receive, send, limit)


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    # An upload's cap is its largest file and the form around it: the file's limit is said.
    files = limit - MULTIPART_ALLOWANCE if limit > FORM_MAX_BYTES else limit
    megabytes = round(files / (1024 * 1024), 1)
    detail = f"the request is too large: at most {megabytes:g} MB is accepted here"
    # ``detail`` as Chainlit's own errors say it; ``error`` as the REST API's (chat/api/errors).
    error = {"code": "payload_too_large", "message": detail, "type": "payload_too_large"}
    body = {"detail": detail, "error": error}
    response = JSONResponse(body, status_code=413, headers={"connection": "close"})
    await response(scope, receive, send)
