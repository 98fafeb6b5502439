"""Errors as a browser user sees them: a page that says what happened and where to go,
instead of ``{"detail": "admins only"}``; an ended or missing login goes to the login page.
Requests that do not ask for HTML (the app's own API calls, scripts) keep the JSON answer."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
_SAID = {
    403: ("沒有權限 Not allowed", "這個頁面需要另一種權限，例如管理員；或者您得先設定新密碼。 / "
          "This page needs other rights, such as an admin's, or you must first set a new "
          "password."),
    404: ("找不到 Not found", "沒有這個頁面或文件，或者您沒有讀取它的權限。 / There is no such "
          "page or document, or you may not read it."),
    413: ("檔案太大 Too large", "送出的內容超過上限。 / What was sent is over the limit."),
    429: ("請稍候 Please wait", "嘗試太多次了，請稍後再試。 / Too many tries; please try again "
          "later."),
}  # fmt: skip


def plain_page(template: str, *, status: int = 200, **context: object) -> HTMLResponse:
    """One of kbchat's own plain pages (errors, the account's), in one style."""
    return HTMLResponse(_templates.get_template(template).render(**context), status_code=status)


def wants_page(request: Request) -> bool:
    """A browser opening one of kbchat's pages (not an API call of the app's)."""
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/kbchat/") and "text/html" in accept


async def error_page(request: Request, error: Exception) -> Response:
    """The page for an HTTP error of one of kbchat's pages; JSON for everything else."""
    assert isinstance(error, HTTPException)
    if not wants_page(request):
        return await http_exception_handler(request, error)
    if error.status_code == 401:
        return RedirectResponse("/login", status_code=303)
    title, explanation = _SAID.get(error.status_code, ("發生錯誤 Something went wrong", ""))
    page = plain_page(
        "error.html",
        status=error.status_code,
        title=title,
        explanation=explanation,
        detail=str(error.detail),
    )
    page.init_headers(error.headers)
    return page


# Chainlit's bare ValueErrors that are the request's fault, answered 500 by Chainlit: the
# status and words they get instead. Any other ValueError stays the server error it is.
_CHAINLIT_REFUSALS = {
    "Session not found": (404, "no such chat session: reload the page"),
    "Either path or content must be provided to persist a file": (
        400, "the file is empty: 0 bytes were uploaded (檔案是空的)"),
}  # fmt: skip


async def chainlit_refusal(request: Request, error: Exception) -> Response:
    """Chainlit's routes raise a bare ValueError for an unknown chat session (actions,
    elements) or an empty upload: answer them as the refusals they are."""
    if str(error) not in _CHAINLIT_REFUSALS:
        raise error
    status, detail = _CHAINLIT_REFUSALS[str(error)]
    return await http_exception_handler(request, HTTPException(status, detail=detail))


def install_error_pages(app: FastAPI) -> None:
    """Answer kbchat's page errors with pages, and Chainlit's refusals as refusals."""
    app.add_exception_handler(HTTPException, error_page)
    app.add_exception_handler(ValueError, chainlit_refusal)
