"""The admin's API keys page: make a key (shown once), see each key's role, collections,
state and last use, and revoke."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Form
from fastapi.responses import HTMLResponse, Response

from chat.accounts.api_keys import key_json, parse_expiry
from chat.accounts.errors import AccountError
from chat.accounts.users import Role
from chat.web.admin.pages import DONE, Admin, back, confirm, page, router
from chat.web.services import services


@router.get("/keys")
async def keys(admin: Admin, message: str = "", error: str = "") -> HTMLResponse:
    """Every key, newest first, with the form to make one."""
    return await _page(admin, message=message, error=error)


async def _page(
    admin: Admin,
    *,
    message: str = "",
    error: str = "",
    new_key: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    listed = await asyncio.to_thread(services().api_keys.list_keys)
    shown = page(
        "keys.html",
        admin,
        status=status,
        title="API 金鑰 API keys",
        keys=[
            {
                **key_json(key),
                "created": key.created_at,
                "expires": key.expires_at,
                "used": key.last_used_at,
            }
            for key in listed
        ],  # fmt: skip
        roles=list(Role),
        new_key=new_key,
        form=form or {},
        message=message,
        error=error,
    )
    shown.headers["Cache-Control"] = "no-store"  # a new key must not stay in any cache
    return shown


@router.post("/keys")
async def add_key(
    admin: Admin,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    collections: Annotated[str, Form()] = "",
    expires: Annotated[str, Form()] = "",
) -> Response:
    """Make a key and show it this once (the page is not kept: only its hash is stored)."""
    wanted = [c.strip() for c in collections.replace("\n", ",").split(",") if c.strip()]
    try:
        made = await asyncio.to_thread(
            lambda: services().api_keys.add(
                name, Role(role), actor=admin.name, collections=wanted,
                expires_at=parse_expiry(expires),
            )
        )  # fmt: skip
    except (AccountError, ValueError) as error:
        form = {"name": name, "role": role, "collections": collections, "expires": expires}
        return await _page(admin, error=str(error), status=400, form=form)
    return await _page(admin, message=f"{DONE['added']}: {name}", new_key=made.secret)


@router.post("/keys/{key_id}/revoke")
async def revoke_key(key_id: str, admin: Admin, confirmed: Annotated[str, Form()] = "") -> Response:
    """Revoke a key: refused from its next request on (asked about first: whatever uses the
    key stops working, and a revoked key never works again)."""
    if confirmed != "yes":
        return confirm(admin, f"/kbchat/admin/keys/{key_id}/revoke",
                       f"撤銷金鑰 {key_id}？使用它的程式會立即停止運作，且無法復原。 / Revoke the "
                       f"key {key_id}? Whatever uses it stops working at once; this cannot be "
                       "undone.", "revoke", "/kbchat/admin/keys")  # fmt: skip
    try:
        key = await asyncio.to_thread(services().api_keys.revoke, key_id, actor=admin.name)
    except AccountError as error:
        return await _page(admin, error=str(error), status=400)
    return back("/kbchat/admin/keys", f"{DONE['revoked']}: {key.name}")
