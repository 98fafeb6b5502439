"""What every admin page shares: the admin check, the router, templates and wording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from chainlit.auth import get_current_user
from chainlit.user import User
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from chat.accounts.users import Role
from chat.web.form_token import LoginToken, check_form_token, token_for
from chat.web.services import PASSWORD_FIRST, password_pending, role_of, services

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parents[1] / "templates"),
    autoescape=select_autoescape(["html"]),
)
STATUS_LABELS = {"pending": "待審 pending", "approved": "已核准 approved",
                 "rejected": "已退回 rejected", "withdrawn": "已撤回 withdrawn"}  # fmt: skip
SOURCE_LABELS = {"chat": "對話 chat", "sheet": "問答表 sheet",
                 "generated": "模型生成 generated"}  # fmt: skip
"""Where a shared pair came from, in both languages: a generated pair is no user's share."""
DONE = {"enable": "已啟用 Enabled", "disable": "已停用 Disabled", "delete": "已刪除 Deleted",
        "approve": "已核准 Approved", "reject": "已退回 Rejected", "edit": "已修改 Edited",
        "unlock": "已解鎖 Unlocked", "saved": "已儲存 Saved", "imported": "已匯入 Imported",
        "added": "已新增 Added", "moved": "已移動 Moved", "removed": "已移除 Removed",
        "revoked": "已撤銷 Revoked"}  # fmt: skip
"""What the admin pages say a change did, in both languages."""


def local_time(moment: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time (UTC) in the site's time zone (``KBCHAT_TIMEZONE``, else the server's),
    with the zone's name."""
    zone = services().settings.timezone
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    shown = aware.astimezone(ZoneInfo(zone)) if zone else aware.astimezone()
    return f"{shown.strftime(pattern)} {shown.tzname() or ''}".strip()


_templates.filters["local"] = local_time
_templates.filters["status"] = lambda status: STATUS_LABELS.get(str(status), str(status))
_templates.filters["source"] = lambda source: SOURCE_LABELS.get(str(source), str(source))


@dataclass(frozen=True)
class AdminSession:
    """The admin acting, and the form token of their login (in every form a page renders)."""

    name: str
    form_token: str


async def require_admin(
    request: Request,
    user: Annotated[User | None, Depends(get_current_user)],
    login_token: LoginToken,
) -> AdminSession:
    """The admin acting; 403 for anyone else (401 without login comes from Chainlit), and
    for a form posted without this login's form token."""
    if user is None or role_of(user) != Role.ADMIN:
        raise HTTPException(status_code=403, detail="admins only")
    if password_pending(user):
        raise HTTPException(status_code=403, detail=PASSWORD_FIRST)
    await check_form_token(request, login_token)
    return AdminSession(user.identifier, token_for(login_token))


Admin = Annotated[AdminSession, Depends(require_admin)]
router = APIRouter(prefix="/kbchat/admin")


def page(template: str, admin: AdminSession, status: int = 200, **values: Any) -> HTMLResponse:
    """An admin page rendered with this login's form token in its forms."""
    rendered = _templates.get_template(template).render(form_token=admin.form_token, **values)
    return HTMLResponse(rendered, status_code=status)


def confirm(admin: AdminSession, action: str, question: str, verb: str, back: str) -> HTMLResponse:
    """Ask before a change that cannot be undone; the answer posts the same form again."""
    return page("confirm.html", admin, title="請確認 Please confirm", action=action,
                 question=question, verb=verb, back=back)  # fmt: skip


def back(path: str, message: str = "") -> RedirectResponse:
    """Back to a page after a change, with what the change did."""
    target = f"{path}?{urlencode({'message': message})}" if message else path
    return RedirectResponse(target, status_code=303)
