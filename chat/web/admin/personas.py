"""The admin's persona pages: list, enable or disable, edit, import and export."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Form, HTTPException, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chat.web.admin.pages import DONE, Admin, back, confirm, page, router
from chat.web.curation import import_persona_uploads
from chat.web.services import services
from personas import (
    PersonaError,
    PersonaFormat,
    export_persona,
    parse_yaml,
    persona_to_yaml,
    validate_persona,
)


@router.get("")
async def home(admin: Admin) -> RedirectResponse:
    """The persona manager is the admin home."""
    return back("/kbchat/admin/personas")


@router.get("/personas")
async def personas(admin: Admin, message: str = "", error: str = "") -> HTMLResponse:
    """Every persona with its state and actions; a persona naming a model that is not
    configured is flagged."""
    stored = await asyncio.to_thread(services().personas.list_personas)
    return page(
        "personas.html",
        admin,
        title="角色 Personas",
        personas=stored,
        models=services().models.names,
        message=message,
        error=error,
    )


@router.post("/personas/{persona_id}/{action}")
async def persona_state(
    persona_id: str, action: str, admin: Admin, confirmed: Annotated[str, Form()] = ""
) -> Response:
    """Enable, disable or delete a persona (deleting is asked about first)."""
    store = services().personas
    if action == "delete" and confirmed != "yes":
        return confirm(admin, f"/kbchat/admin/personas/{persona_id}/delete",
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
    return back("/kbchat/admin/personas", f"{DONE[action]}: {persona_id}")


@router.get("/personas/{persona_id}")
async def persona_form(persona_id: str, admin: Admin) -> HTMLResponse:
    """The YAML editor of a persona (or an empty template for a new one)."""
    store = services().personas
    if persona_id == "new":
        body = persona_to_yaml(store.get(services().settings.default_persona)).replace(
            f"id: {services().settings.default_persona}", "id: new-persona", 1
        )
        return page("persona_edit.html", admin, title="新增角色 New persona", body=body, history=[])
    try:
        persona = await asyncio.to_thread(store.get, persona_id)
        history = await asyncio.to_thread(store.history, persona_id)
    except PersonaError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return page(
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
        return page(
            "persona_edit.html",
            admin,
            status=400,
            title=title,
            body=body,
            history=[],
            error=str(error),
        )
    return back("/kbchat/admin/personas", f"{DONE['saved']}: {persona.id} v{persona.version}+")


@router.post("/persona-import")
async def persona_import(
    admin: Admin, files: list[UploadFile], update: Annotated[str, Form()] = ""
) -> Response:
    """Import uploaded persona files: all of them, or none on any error."""
    try:
        saved = await import_persona_uploads(files, author=admin.name, update=bool(update))
    except PersonaError as error:
        return await personas(admin, error=str(error))
    return back("/kbchat/admin/personas", f"{DONE['imported']}: " + ", ".join(p.id for p in saved))


@router.get("/personas/{persona_id}/export")
async def persona_export(persona_id: str, admin: Admin, format: str = "yaml") -> Response:
    """Download a persona as kbchat YAML, tgw YAML, a Character Card V2 or a PNG card."""
    store = services().personas
    try:
        export_format = PersonaFormat(format)
        persona = await asyncio.to_thread(store.get, persona_id)
        avatar = await asyncio.to_thread(store.avatar, persona_id)
        exported = await asyncio.to_thread(export_persona, persona, export_format, avatar)
    except (PersonaError, ValueError) as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return Response(
        exported.data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{exported.name}"'},
    )
