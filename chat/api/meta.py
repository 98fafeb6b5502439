"""Health, version, and who a key is."""

from __future__ import annotations

import asyncio
import importlib.metadata
from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from chat.accounts.api_keys import key_json
from chat.api.callers import Keyed
from chat.api.errors import ApiError
from chat.web.services import services

router = APIRouter(tags=["service"])
public = APIRouter(tags=["service"])
"""What answers without a key."""


def version() -> str:
    """kbchat's version, as installed."""
    try:
        return importlib.metadata.version("kbchat")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout not installed
        return "0+unknown"


def _database_answers() -> None:
    with services().accounts.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


@public.get("/health")
async def health() -> dict[str, str]:
    """Whether the app answers and its database does (no key needed; says nothing more)."""
    try:
        await asyncio.to_thread(_database_answers)
    except Exception:  # noqa: BLE001  (any failure means: not healthy)
        raise ApiError(503, "unhealthy", "the app database does not answer") from None
    return {"status": "ok"}


@router.get("/version")
async def show_version(who: Keyed) -> dict[str, str]:
    """kbchat's version and the API's."""
    return {"kbchat": version(), "api": "v1"}


@router.get("/me")
async def me(who: Keyed) -> dict[str, Any]:
    """The key making the request: its name, role, collections and dates."""
    return key_json(who.key)
