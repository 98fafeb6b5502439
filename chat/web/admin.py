"""The admin pages: personas, the shared-QA queue, users and documents (admin role only).

Server-rendered HTML (Jinja2, autoescaped) on the app's own login; every change goes
through the same services as the CLI, so the same validation messages and audit apply.
"""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from chainlit.auth import get_current_user
from chainlit.user import User
from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from chat.accounts.offboarding import remove_user
from chat.accounts.users import AccountError, Role
from chat.web.form_token import LoginToken, check_form_token, token_for
from chat.web.services import PASSWORD_FIRST, PRIVATE_PREFIX, password_pending, role_of, services
from knowledge import KnowledgeError
from personas.errors import PersonaError
from personas.files import parse_yaml, validate_persona
from personas.formats import ExportFormat, export_persona, persona_to_yaml
from personas.manager import import_files
from sharing.dataset import ExportFilters
from sharing.errors import SharingError
from sharing.exports import ExportFormat as DatasetFormat
from sharing.exports import ExportOptions
from sharing.models import QAStatus

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
PERSONA_IMPORT_FILES = 20
"""The most persona files one import takes (each at most personas' own size limit)."""
STATUS_LABELS = {"pending": "待審 pending", "approved": "已核准 approved",
                 "rejected": "已退回 rejected", "withdrawn": "已撤回 withdrawn"}  # fmt: skip
DONE = {"enable": "已啟用 Enabled", "disable": "已停用 Disabled", "delete": "已刪除 Deleted",
        "approve": "已核准 Approved", "reject": "已退回 Rejected", "edit": "已修改 Edited",
        "unlock": "已解鎖 Unlocked", "saved": "已儲存 Saved", "imported": "已匯入 Imported",
        "added": "已新增 Added", "moved": "已移動 Moved", "removed": "已移除 Removed"}  # fmt: skip
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


def _page(template: str, admin: AdminSession, status: int = 200, **values: Any) -> HTMLResponse:
    rendered = _templates.get_template(template).render(form_token=admin.form_token, **values)
    return HTMLResponse(rendered, status_code=status)


def _confirm(admin: AdminSession, action: str, question: str, verb: str, back: str) -> HTMLResponse:
    """Ask before a change that cannot be undone; the answer posts the same form again."""
    return _page("confirm.html", admin, title="請確認 Please confirm", action=action,
                 question=question, verb=verb, back=back)  # fmt: skip


def _back(path: str, message: str = "") -> RedirectResponse:
    target = f"{path}?{urlencode({'message': message})}" if message else path
    return RedirectResponse(target, status_code=303)


@router.get("")
async def home(admin: Admin) -> RedirectResponse:
    """The persona manager is the admin home."""
    return _back("/kbchat/admin/personas")


@router.get("/personas")
async def personas(admin: Admin, message: str = "", error: str = "") -> HTMLResponse:
    """Every persona with its state and actions."""
    stored = await asyncio.to_thread(services().personas.list_personas)
    return _page(
        "personas.html", admin, title="角色 Personas", personas=stored, message=message, error=error
    )


@router.post("/personas/{persona_id}/{action}")
async def persona_state(
    persona_id: str, action: str, admin: Admin, confirmed: Annotated[str, Form()] = ""
) -> Response:
    """Enable, disable or delete a persona (deleting is asked about first)."""
    store = services().personas
    if action == "delete" and confirmed != "yes":
        return _confirm(admin, f"/kbchat/admin/personas/{persona_id}/delete",
                        f"刪除角色 {persona_id}？它的歷次版本會一併刪除，無法復原。 / Delete the "
                        f"persona {persona_id} and its versions? This cannot be undone.",
                        "delete", "/kbchat/admin/personas")  # fmt: skip
    changes = {
        "enable": lambda: store.set_enabled(persona_id, True),
        "disable": lambda: store.set_enabled(persona_id, False),
        "delete": lambda: store.delete(persona_id),
    }
    if action not in changes:
        raise HTTPException(status_code=404)
    try:
        await asyncio.to_thread(changes[action])
    except PersonaError as error:
        return await personas(admin, error=str(error))
    return _back("/kbchat/admin/personas", f"{DONE[action]}: {persona_id}")


@router.get("/personas/{persona_id}")
async def persona_form(persona_id: str, admin: Admin) -> HTMLResponse:
    """The YAML editor of a persona (or an empty template for a new one)."""
    store = services().personas
    if persona_id == "new":
        body = persona_to_yaml(store.get(services().settings.default_persona)).replace(
            f"id: {services().settings.default_persona}", "id: new-persona", 1
        )
        return _page(
            "persona_edit.html", admin, title="新增角色 New persona", body=body, history=[]
        )
    try:
        persona = await asyncio.to_thread(store.get, persona_id)
        history = await asyncio.to_thread(store.history, persona_id)
    except PersonaError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return _page(
        "persona_edit.html",
        admin,
        title=persona.name,
        body=persona_to_yaml(persona),
        history=history,
    )


@router.post("/personas/{persona_id}")
async def persona_save(persona_id: str, admin: Admin, body: Annotated[str, Form()]) -> Response:
    """Validate the YAML and store it as a new persona or the next version."""
    store = services().personas
    try:
        data, node = parse_yaml(body, "editor")
        persona = validate_persona(data, "editor", node)
        if persona_id == "new":
            await asyncio.to_thread(store.create, persona, author=admin.name)
        elif persona.id != persona_id:
            raise PersonaError(f"the id must stay {persona_id!r} (create a new persona instead)")
        else:
            await asyncio.to_thread(store.update, persona, author=admin.name)
    except PersonaError as error:
        title = "新增角色 New persona" if persona_id == "new" else persona_id
        return _page(
            "persona_edit.html",
            admin,
            status=400,
            title=title,
            body=body,
            history=[],
            error=str(error),
        )
    return _back("/kbchat/admin/personas", f"{DONE['saved']}: {persona.id} v{persona.version}+")


@router.post("/persona-import")
async def persona_import(
    admin: Admin, files: list[UploadFile], update: Annotated[str, Form()] = ""
) -> Response:
    """Import uploaded persona files: all of them, or none on any error."""
    if len(files) > PERSONA_IMPORT_FILES:
        error = f"{len(files)} files: import at most {PERSONA_IMPORT_FILES} at a time"
        return await personas(admin, error=error)
    folder = Path(tempfile.mkdtemp(prefix="kbchat-import-"))
    try:
        paths = []
        for number, upload in enumerate(files):
            # Each in a folder of its own: two files of one name stay two, and a name such
            # as ".." (only its last part is kept) cannot name the folder itself.
            name = Path(upload.filename or "").name
            path = folder / str(number) / (name if name not in ("", ".", "..") else "persona.yaml")
            path.parent.mkdir()
            path.write_bytes(await upload.read())
            paths.append(path)
        saved = await asyncio.to_thread(
            import_files, services().personas, paths, author=admin.name, update=bool(update)
        )
    except PersonaError as error:
        said = re.sub(re.escape(str(folder)) + r"/\d+/", "", str(error))
        return await personas(admin, error=said)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _back("/kbchat/admin/personas", f"{DONE['imported']}: " + ", ".join(p.id for p in saved))


@router.get("/personas/{persona_id}/export")
async def persona_export(persona_id: str, admin: Admin, format: str = "yaml") -> Response:
    """Download a persona as kbchat YAML, tgw YAML or a Character Card V2."""
    try:
        name, text = export_persona(services().personas.get(persona_id), ExportFormat(format))
    except (PersonaError, ValueError) as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return Response(
        text,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/shared")
async def shared(admin: Admin, status: str = "pending", message: str = "") -> HTMLResponse:
    """The curation queue."""
    chosen = QAStatus(status) if status in QAStatus.__members__.values() else None
    pairs = await asyncio.to_thread(services().sharing.store.list_qa, status=chosen)
    return _page(
        "shared.html",
        admin,
        title="分享問答 Shared QA",
        pairs=pairs,
        statuses=list(QAStatus),
        formats=[f.value for f in DatasetFormat],
        message=message,
    )


@router.post("/shared/{qa_id}/{action}")
async def curate(
    qa_id: int,
    action: str,
    admin: Admin,
    reason: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
) -> Response:
    """Approve, reject (with a reason) or edit a shared pair."""
    curator = services().sharing.curator
    steps = {
        "approve": lambda: curator.approve(qa_id, curator=admin.name),
        "reject": lambda: curator.reject(qa_id, curator=admin.name, reason=reason),
        "edit": lambda: curator.edit(qa_id, curator=admin.name, question=question, answer=answer),
    }
    if action not in steps:
        raise HTTPException(status_code=404)
    try:
        await asyncio.to_thread(steps[action])
    except SharingError as error:
        return _back("/kbchat/admin/shared", f"#{qa_id}: {error}")
    return _back("/kbchat/admin/shared", f"{DONE[action]}: #{qa_id}")


@router.get("/shared/export")
async def export(admin: Admin, format: str = "llamafactory", with_context: str = "") -> Response:
    """Download the approved pairs in a dataset format, as a zip with its manifest."""
    folder = Path(tempfile.mkdtemp(prefix="kbchat-export-"))
    try:
        options = ExportOptions(include_retrieved=bool(with_context))
        await asyncio.to_thread(
            services().sharing.dataset.export,
            DatasetFormat(format),
            folder / "dataset",
            actor=admin.name,
            options=options,
            filters=ExportFilters(),
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted((folder / "dataset").iterdir()):
                archive.write(path, path.name)
    except (SharingError, ValueError) as error:
        return _back("/kbchat/admin/shared", str(error))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    disposition = f'attachment; filename="kbchat-{format}.zip"'
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": disposition},
    )


@router.get("/users")
async def users(admin: Admin, message: str = "", error: str = "") -> HTMLResponse:
    """Who may log in."""
    listed = await asyncio.to_thread(services().accounts.list_users)
    locked = await asyncio.to_thread(services().logins.locked_accounts)
    return _page(
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
    return _back("/kbchat/admin/users", f"{DONE['added']}: {username}")


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
        return _confirm(admin, f"/kbchat/admin/users/{username}/remove",
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
        return _back("/kbchat/admin/users", f"{DONE['removed']}: {removal.summary()}")
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
    return _back("/kbchat/admin/users", f"{DONE[action]}: {username}")


@router.get("/documents")
async def documents(admin: Admin, message: str = "", error: str = "") -> HTMLResponse:
    """Every document in every collection."""
    listed = await asyncio.to_thread(services().kb.documents)
    existing = await asyncio.to_thread(services().kb.registry.collections)
    return _page(
        "documents.html",
        admin,
        title="文件 Documents",
        documents=listed,
        shared_collections=[c for c in existing if not c.startswith(PRIVATE_PREFIX)] or ["default"],
        error=error,
        message=message,
    )


@router.post("/documents/{doc_id}/move")
async def move_document(
    doc_id: str,
    admin: Admin,
    collection: Annotated[str, Form()] = "",
    new_collection: Annotated[str, Form()] = "",
) -> Response:
    """Move a document to an organization collection (an existing one, or a new one named
    on purpose): indexed there, then removed from where it was."""
    target = new_collection.strip() or collection.strip()
    if not target or target.startswith(PRIVATE_PREFIX):
        return await documents(admin, error="choose an organization collection to move it to")
    try:
        moved = await asyncio.to_thread(services().kb.move, doc_id, target)
    except KnowledgeError as error:
        return await documents(admin, error=str(error))
    return _back("/kbchat/admin/documents", f"{DONE['moved']}: {moved.file} → {moved.collection}")


@router.post("/documents/{doc_id}/remove")
async def remove_document(
    doc_id: str, admin: Admin, confirmed: Annotated[str, Form()] = ""
) -> Response:
    """Remove a document's vectors, lexical entries, file and row (asked about first)."""
    if confirmed != "yes":
        listed = await asyncio.to_thread(services().kb.documents)
        name = next((d.filename for d in listed if d.doc_id == doc_id), doc_id[:12])
        return _confirm(admin, f"/kbchat/admin/documents/{doc_id}/remove",
                        f"移除文件 {name}？它的頁面不會再被搜尋或引用。 / Remove {name}? Its "
                        "pages are no longer searched or cited.",
                        "remove", "/kbchat/admin/documents")  # fmt: skip
    try:
        removed = await asyncio.to_thread(services().kb.remove, doc_id)
    except KnowledgeError as error:
        return await documents(admin, error=str(error))
    return _back("/kbchat/admin/documents", f"{DONE['removed']}: {removed.filename}")
