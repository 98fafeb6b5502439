"""Routes kbchat adds to Chainlit's server: cited PDFs behind the login, the password page,
and a guard that keeps the page from loading anything outside the host."""

from __future__ import annotations

import asyncio
import gzip
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

from chainlit.auth import create_jwt, get_current_user, set_auth_cookie
from chainlit.user import User
from fastapi import Depends, FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from chat.accounts.errors import AccountError
from chat.accounts.login_throttle import LoginRefused
from chat.accounts.users import Role
from chat.api import API_PREFIX, build_api
from chat.web.admin import router as admin_router
from chat.web.avatars import persona_avatar
from chat.web.body_limit import FORM_MAX_BYTES, MULTIPART_ALLOWANCE, BodyLimit
from chat.web.curation import PERSONA_IMPORT_FILES
from chat.web.error_pages import install_error_pages, plain_page
from chat.web.export_chat import export_chat, open_chat
from chat.web.form_token import LoginToken, check_form_token, token_for
from chat.web.guarded_routes import install_guarded_routes, one_attempt_at
from chat.web.headers import install_security_headers
from chat.web.origin import SameOriginGuard
from chat.web.services import role_of, services
from chat.web.sessions import LOGIN_ID, SESSION_KEY, install_session_check, read_claims
from chat.web.viewer import document, page_image, page_view, snippet
from personas import MAX_CARD_FILE_BYTES
from sharing import MAX_SHEET_BYTES

# <link> tags of Chainlit's page that point at Google Fonts or jsdelivr (Inter, KaTeX).
_EXTERNAL_LINK = re.compile(r"<link[^>]+href=\"https?://[^\"]+\"[^>]*>\s*", re.IGNORECASE)
_CLOSED = ("/docs", "/redoc", "/openapi.json")

CurrentUser = Annotated[User | None, Depends(get_current_user)]


def _required(user: User | None) -> User:
    if user is None:  # only when login is off, which kbchat never configures
        raise HTTPException(status_code=401, detail="log in first")
    return user


_ACCOUNT_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#555" '
    'stroke-width="2"><circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 4-6 8-6s8 2 8 6"/></svg>'
)


_STATIC = Path(__file__).parent / "static"


async def static_file(name: str) -> Response:
    """kbchat's style sheet, script, logo and login picture for Chainlit's page (config.toml)."""
    files = {"kbchat.css": "text/css", "logo.svg": "image/svg+xml", "login.svg": "image/svg+xml",
             "favicon.svg": "image/svg+xml", "language.svg": "image/svg+xml",
             "kbchat.js": "text/javascript", "admin.svg": "image/svg+xml"}  # fmt: skip
    if name not in files:
        raise HTTPException(status_code=404)
    return Response((_STATIC / name).read_text(encoding="utf-8"), media_type=files[name])


async def logo() -> Response:
    """kbchat's logo where Chainlit's page asks for its own (the login page, the header)."""
    return await static_file("logo.svg")


async def favicon() -> Response:
    """kbchat's icon for the browser's tab."""
    return await static_file("favicon.svg")


async def account_icon() -> Response:
    """The header link's icon (served here: nothing is loaded from outside the host)."""
    return Response(_ACCOUNT_ICON, media_type="image/svg+xml")


async def password_form(
    user: CurrentUser, login_token: LoginToken, changed: str = ""
) -> HTMLResponse:
    """The page where a user sets a new password (required after the first admin login);
    after a change it says so."""
    _required(user)
    return _password_page(login_token, changed=changed == "1")


_PASSWORD_TITLE = "設定新密碼 / New password"


def _password_page(
    login_token: str | None, *, error: str = "", changed: bool = False, status: int = 200
) -> HTMLResponse:
    return plain_page(
        "password.html",
        status=status,
        title=_PASSWORD_TITLE,
        token=token_for(login_token),
        error=error,
        changed=changed,
    )


async def change_password(
    request: Request,
    user: CurrentUser,
    login_token: LoginToken,
    current_password: Annotated[str, Form(alias="current")],
    password: Annotated[str, Form()],
    again: Annotated[str, Form()],
) -> Response:
    """Set the new password, given the current one, and end the user's other sessions; this
    one gets a new token. Wrong current passwords count as failed logins (a stolen session
    cannot guess it any faster than the login page)."""
    current = _required(user)
    await check_form_token(request, login_token)
    error = await _wrong_current_password(request, current.identifier, current_password)
    if not error and password != again:
        error = "兩次輸入不同 / The two entries differ"
    if not error:
        try:
            key = await asyncio.to_thread(
                services().accounts.change_password, current.identifier, password
            )
        except AccountError as refused:
            error = str(refused)
    if error:
        return _password_page(login_token, error=error, status=400)
    response = RedirectResponse("/kbchat/account/password?changed=1", status_code=303)
    metadata = {SESSION_KEY: key, LOGIN_ID: secrets.token_hex(16)}
    renewed = User(
        identifier=current.identifier, display_name=current.identifier, metadata=metadata
    )
    set_auth_cookie(request, response, create_jwt(renewed))
    return response


async def _wrong_current_password(request: Request, username: str, password: str) -> str:
    """Why the current password given is not accepted (empty when it is right)."""
    logins, address = services().logins, request.client.host if request.client else "unknown"
    async with one_attempt_at(username):
        try:
            await asyncio.to_thread(logins.check, username, address)
        except LoginRefused as refused:
            return str(refused)
        if await asyncio.to_thread(services().accounts.verify, username, password) is None:
            await asyncio.to_thread(logins.failed, username, address)
            return "目前的密碼不對 / The current password is wrong"
    return ""


def ui_language(asked: str) -> str:
    """The UI language: the browser's when it is Chinese or English, else Traditional Chinese."""
    return asked if asked.lower().startswith(("zh", "en")) else "zh-TW"


async def translations(login_token: LoginToken, language: str = "zh-TW") -> Response:
    """Chainlit's UI strings in the language the user chose (the language page), else in
    ``ui_language`` of the browser's rather than Chainlit's English fallback."""
    from chainlit.server import project_translations

    chosen = await asyncio.to_thread(chosen_language, login_token)
    response: Response = await project_translations(language=chosen or ui_language(language))
    return response


def chosen_language(login_token: str | None) -> str:
    """The UI language the token's user chose; empty for none (or no valid token)."""
    claims = read_claims(login_token) if login_token else None
    name = claims.get("identifier") if claims else None
    account = services().accounts.get(name) if isinstance(name, str) else None
    return account.ui_language if account else ""


async def language_now(user: CurrentUser, browser: str = "") -> dict[str, str]:
    """The UI language the user chose (empty: none) and the one a page in a browser of
    language ``browser`` shows before a login (kbchat.js reloads a page that differs)."""
    account = await asyncio.to_thread(services().accounts.get, _required(user).identifier)
    return {"chosen": account.ui_language if account else "", "shown": ui_language(browser)}


async def my_links(user: CurrentUser) -> dict[str, bool]:
    """What the header offers this login beside Chainlit's own links: the admin pages, to
    admins (Chainlit's header links are the same for everyone; kbchat.js adds this one)."""
    return {"admin": role_of(_required(user)) == Role.ADMIN}


async def language_form(user: CurrentUser, login_token: LoginToken) -> HTMLResponse:
    """The page where a user chooses the UI language."""
    _required(user)
    return plain_page("language.html", title="介面語言 / Language", token=token_for(login_token))


async def choose_language(
    request: Request,
    user: CurrentUser,
    login_token: LoginToken,
    language: Annotated[str, Form()],
) -> Response:
    """Keep the chosen UI language and go back to the chat, now in it."""
    current = _required(user)
    await check_form_token(request, login_token)
    try:
        await asyncio.to_thread(services().accounts.choose_language, current.identifier, language)
    except AccountError as refused:
        raise HTTPException(status_code=400, detail=str(refused)) from None
    return RedirectResponse("/", status_code=303)


async def _offline(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Close the API docs pages (they load from a CDN); in HTML, strip external links and
    give the page its language."""
    if request.url.path in _CLOSED:
        return Response(status_code=404)
    response = await call_next(request)
    if not response.headers.get("content-type", "").startswith("text/html"):
        return response
    body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
    if response.headers.get("content-encoding") == "gzip":  # Chainlit's GZip middleware ran
        body = gzip.decompress(body)
    cleaned = _EXTERNAL_LINK.sub("", body.decode("utf-8"))
    # Chainlit's page says lang="en" whatever it shows: say the language the UI is in.
    asked = request.headers.get("accept-language", "").split(",")[0].strip()
    token = request.cookies.get("access_token")
    chosen = await asyncio.to_thread(chosen_language, token) if token else ""
    lang = "en" if (chosen or ui_language(asked)).lower().startswith("en") else "zh-Hant"
    cleaned = cleaned.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    dropped = ("content-length", "content-encoding")
    headers = {k: v for k, v in response.headers.items() if k.lower() not in dropped}
    return HTMLResponse(cleaned, status_code=response.status_code, headers=headers)


def _body_cap(path: str) -> int:
    """The largest request body for a path: an upload's is the largest document accepted and the
    form around it, a persona import's its files, a QA sheet's the largest sheet, any other a
    form's."""
    if path in ("/project/file", f"{API_PREFIX}/documents"):
        return services().settings.max_upload_mb * 1024 * 1024 + MULTIPART_ALLOWANCE
    if path in ("/kbchat/admin/persona-import", f"{API_PREFIX}/personas"):
        return PERSONA_IMPORT_FILES * MAX_CARD_FILE_BYTES + MULTIPART_ALLOWANCE
    if path == f"{API_PREFIX}/shared/sheets":
        return MAX_SHEET_BYTES + MULTIPART_ALLOWANCE
    return FORM_MAX_BYTES


def install_routes(app: FastAPI) -> None:
    """Add kbchat's routes ahead of Chainlit's (whose catch-all page route would shadow them),
    and the offline guard."""
    before = list(app.router.routes)
    install_guarded_routes(app)
    app.add_api_route("/project/translations", translations, methods=["GET"])
    app.add_api_route("/kbchat/documents/{doc_id}", document, methods=["GET"])
    app.add_api_route("/kbchat/snippets/{chunk_id}", snippet, methods=["GET"])
    app.add_api_route("/kbchat/view/{doc_id}/{page}", page_view, methods=["GET"])
    app.add_api_route("/kbchat/pages/{doc_id}/{page}", page_image, methods=["GET"])
    app.add_api_route("/kbchat/threads/{thread_id}/export", export_chat, methods=["GET"])
    app.add_api_route("/kbchat/threads/{thread_id}", open_chat, methods=["GET"])
    app.add_api_route("/kbchat/account/icon.svg", account_icon, methods=["GET"])
    app.add_api_route("/kbchat/personas/{persona_id}/avatar.png", persona_avatar, methods=["GET"])
    app.add_api_route("/kbchat/static/{name}", static_file, methods=["GET"])
    app.add_api_route("/logo", logo, methods=["GET"])
    app.add_api_route("/favicon", favicon, methods=["GET"])
    app.add_api_route("/kbchat/account/password", password_form, methods=["GET"])
    app.add_api_route("/kbchat/account/password", change_password, methods=["POST"])
    app.add_api_route("/kbchat/account/language", language_form, methods=["GET"])
    app.add_api_route("/kbchat/account/language.json", language_now, methods=["GET"])
    app.add_api_route("/kbchat/account/links.json", my_links, methods=["GET"])
    app.add_api_route("/kbchat/account/language", choose_language, methods=["POST"])
    app.include_router(admin_router)
    app.mount(API_PREFIX, build_api())
    install_error_pages(app)
    ours = [route for route in app.router.routes if route not in before]
    app.router.routes[:] = ours + before
    app.middleware("http")(_offline)
    install_session_check(lambda: services().accounts.check_session)
    app.add_middleware(
        SameOriginGuard,
        trusted=lambda: services().settings.trusted_origins,
        https=lambda: services().settings.https,
    )
    app.add_middleware(BodyLimit, max_bytes=_body_cap)
    install_security_headers(
        app, https=lambda: services().settings.https
    )  # last, so outermost: every response gets the headers
