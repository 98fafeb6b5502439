"""The API's errors: JSON with a stable code and a message that names the thing and the
reason (the CLI's own messages), under the right HTTP status.

Every error body is ``{"error": {"code": ..., "message": ..., "type": ...}}`` (``type``
repeats the code, for OpenAI clients, which read ``error.message`` and ``error.type``).
Codes: ``missing_key``, ``invalid_key``, ``key_revoked``, ``key_expired`` (401);
``forbidden`` (403); ``not_found``, ``document_not_found``, ``collection_not_found``,
``persona_not_found``, ``qa_not_found`` (404); ``invalid_request``, ``question_too_long``
(400 or 422); ``conflict``, ``busy`` (409, ``busy`` with Retry-After); ``method_not_allowed``
(405); ``payload_too_large`` (413); ``unsupported_media_type``
(415); ``unreadable_file`` (422); ``rate_limited`` (429); ``model_unavailable``,
``backend_unavailable``, ``generation_failed`` (503); ``internal_error`` (500). A streamed
answer that fails once it has begun ends with the same JSON as its last event.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """A request the API refuses: its HTTP status, stable code and message."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    """The JSON of an error."""
    return {"error": {"code": code, "message": message, "type": code}}


def not_found(what: str, name: str) -> ApiError:
    """404 for something absent or not the caller's to see (alike, so ids cannot be probed)."""
    return ApiError(404, f"{what}_not_found", f"no {what.replace('_', ' ')} {name!r}")


# The libraries' messages name the CLI's way to go on; a caller of the API is told its own.
_SAID_FOR_THE_CLI = (
    ("; `kbchat personas list` shows the ids", "; GET /api/v1/personas lists them"),
    ("; `kbchat share list` shows them", "; GET /api/v1/shared lists them"),
    ("; `kbchat docs list` shows the ids", "; GET /api/v1/documents lists them"),
    ("import with --update", "import with update=true"),
    ("(--skip-bad imports", "(skip_bad=true imports"),
    ("give a reason for rejecting (--reason)", 'give a reason for rejecting ("reason")'),
)


def for_the_api(message: str) -> str:
    """A library's message as an API caller acts on it."""
    for said, meant in _SAID_FOR_THE_CLI:
        message = message.replace(said, meant)
    return message


_STATUS_CODES = {
    401: "missing_key",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _field(location: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in location if part != "body") or "body"


def install_error_handlers(api: FastAPI) -> None:
    """Make every error of the API answer in its JSON shape."""

    async def refused(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        body = error_body(error.code, for_the_api(error.message))
        return JSONResponse(body, status_code=error.status, headers=error.headers)

    async def invalid(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        problems = [
            f"the body is not valid JSON ({p['ctx'].get('error', 'unreadable')})"
            if p["type"] == "json_invalid"
            else f"{_field(tuple(p['loc']))}: {p['msg']}"
            for p in error.errors()[:5]
        ]
        body = error_body("invalid_request", "; ".join(problems) or "the request is not valid")
        return JSONResponse(body, status_code=422)

    async def http_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        code = _STATUS_CODES.get(error.status_code, "invalid_request")
        message = str(error.detail) if error.status_code != 404 else "no such API endpoint"
        return JSONResponse(error_body(code, message), status_code=error.status_code)

    async def crashed(request: Request, error: Exception) -> JSONResponse:
        logger.exception("API request %s %s failed", request.method, request.url.path)
        body = error_body("internal_error", "the server failed to answer; see its log")
        return JSONResponse(body, status_code=500)

    api.add_exception_handler(ApiError, refused)
    api.add_exception_handler(RequestValidationError, invalid)
    api.add_exception_handler(HTTPException, http_error)
    api.add_exception_handler(Exception, crashed)
