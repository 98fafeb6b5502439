"""The API application: its routers under ``/api/v1``, its error shape, its OpenAPI schema
(served at ``/api/v1/openapi.json``, nothing loaded from elsewhere), and the audit record of
every request a key makes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from chat.api import documents, meta, openai_compat, personas, search, shared
from chat.api.callers import KEY_STATE
from chat.api.errors import install_error_handlers
from chat.api.schemas import ERRORS
from chat.web.services import services

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
DESCRIPTION = """kbchat's REST API: documents, search, cited answers, personas and shared QA,
with the same rules as the web app and the CLI. Every endpoint but `/health` needs an API key
(`kbchat keys add NAME --role staff|clinician|admin`), sent as `Authorization: Bearer <key>`
or `X-API-Key: <key>`. Errors are JSON: `{"error": {"code", "message", "type"}}`."""


async def _audited(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Record each request made with a key (a revoked or expired one too): method, path,
    status and address; a request that failed as a 500, before the failure goes on."""
    try:
        response = await call_next(request)
    except Exception:
        await _record(request, 500)
        raise
    await _record(request, response.status_code)
    return response


async def _record(request: Request, status: int) -> None:
    key = getattr(request.state, KEY_STATE, None)
    if key is None:
        return
    address = request.client.host if request.client else "unknown"
    path = request.url.path  # the whole path (a mounted app sees its prefix in it)
    try:
        await asyncio.to_thread(
            services().api_keys.record_use, key, request.method, path, status, address
        )
    except Exception:  # the answer stands; the log says the record failed
        logger.exception("could not record the API request %s %s", request.method, path)


def build_api() -> FastAPI:
    """The API as its own application, to be mounted at ``API_PREFIX``."""
    api = FastAPI(
        title="kbchat API",
        version=meta.version(),
        description=DESCRIPTION,
        docs_url=None,  # the interactive pages load from a CDN: the schema is served alone
        redoc_url=None,
        openapi_url="/openapi.json",
        servers=[{"url": API_PREFIX}],
        redirect_slashes=False,  # a redirect would name this host, wrong behind a proxy
    )
    api.include_router(meta.public)
    for module in (meta, documents, search, personas, shared, openai_compat):
        api.include_router(module.router, responses=ERRORS)
    install_error_handlers(api)
    api.middleware("http")(_audited)
    return api
