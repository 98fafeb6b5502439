"""The admin's users page: add users, reset passwords, disable, unlock and remove."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Form, HTTPException
from fastapi.responses import HTMLResponse, Response

from chat.accounts.errors import AccountError
from chat.accounts.offboarding import remove_user
from chat.accounts.users import Role
from chat.web.admin.pages import DONE, Admin, back, confirm, page, router
from chat.web.services import services
from knowledge import KnowledgeError


@router.get("/users")
async def users(admin: Admin, message: str = "", error: str = "") -> HTMLResponse:
    """Who may log in."""
    listed = await asyncio.to_thread(services().accounts.list_users)
    locked = await asyncio.to_thread(services().logins.locked_accounts)
    return page(
        "users.html",
        admin,
        title="使用者 Users",
        users=listed,
        locked={name: datetime.fromtimestamp(until, UTC) for name, until in locked.items()},
        roles=list(Role),
        error=error,
        message=message,
    )


@router.post("/users")
async def add_user(
    admin: Admin,
    username: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    """Add a user, who must replace the admin-chosen password at first login."""
    try:
        await asyncio.to_thread(
            lambda: services().accounts.add(
                username, password, Role(role), must_change_password=True
            )
        )
    except (AccountError, ValueError) as error:
        return await users(admin, error=str(error))
    return back("/kbchat/admin/users", f"{DONE['added']}: {username}")


@router.post("/users/{username}/{action}")
async def change_user(
    username: str, action: str, admin: Admin, confirmed: Annotated[str, Form()] = ""
) -> Response:
    """Remove, disable, enable or unlock a user (never the last admin, and never oneself:
    another admin may); sessions end at once on removing or disabling, and unlocking lifts
    a lockout after failed logins. Removing is asked about first."""
    accounts, logins = services().accounts, services().logins
    if action in ("remove", "disable") and username == admin.name:
        return await users(admin, error=f"您不能{'移除' if action == 'remove' else '停用'}自己；"
                           f"請另一位管理員操作。 / You cannot {action} yourself; ask another "
                           "admin.")  # fmt: skip
    if action == "remove" and confirmed != "yes":
        return confirm(admin, f"/kbchat/admin/users/{username}/remove",
                        f"移除使用者 {username}？其私人文件與對話會刪除，分享的問答保留。 / Remove "
                        f"{username}? Their private uploads and chats are deleted; their shared "
                        "QA is kept.", "remove", "/kbchat/admin/users")  # fmt: skip
    if action == "remove":
        try:
            removal = await asyncio.to_thread(
                remove_user, username, accounts=accounts, kb=services().kb,
                sharing=services().sharing, actor=admin.name,
            )  # fmt: skip
        except (AccountError, KnowledgeError) as error:
            return await users(admin, error=str(error))
        return back("/kbchat/admin/users", f"{DONE['removed']}: {removal.summary()}")
    changes = {
        "disable": lambda: accounts.set_disabled(username, True),
        "enable": lambda: accounts.set_disabled(username, False),
        "unlock": lambda: logins.unlock(username, admin.name),
    }
    if action not in changes:
        raise HTTPException(status_code=404, detail=f"no user action {action!r}")
    try:
        await asyncio.to_thread(changes[action])
    except AccountError as error:
        return await users(admin, error=str(error))
    return back("/kbchat/admin/users", f"{DONE[action]}: {username}")
