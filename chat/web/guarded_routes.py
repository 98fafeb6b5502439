"""Chainlit routes kbchat closes or puts an owner check in front of.

- ``POST /auth/jwt`` swaps any accepted token for a fresh one, which would let a login be
  extended for ever and a copy outlive its logout: closed (kbchat logs in only by password).
- Thread sharing (``PUT /project/thread/share``, ``GET /project/share/{id}``) works in
  Chainlit 2.12 even with ``allow_thread_sharing = false``: closed, a thread can hold a
  private document's answers.
- Feedback (``PUT`` and ``DELETE /feedback``) checks no ownership in Chainlit: here only the
  owner of a message's thread may rate it or take the rating back.
- ``POST /login`` answers as fast as passwords can be hashed: here it waits behind the
  failed-login throttle.
"""

from __future__ import annotations

import asyncio
import zlib
from typing import Annotated, Any

from chainlit.auth import get_current_user
from chainlit.data import get_data_layer
from chainlit.server import delete_feedback as chainlit_delete_feedback
from chainlit.server import login as chainlit_login
from chainlit.server import update_feedback as chainlit_update_feedback
from chainlit.types import DeleteFeedbackRequest, UpdateFeedbackRequest
from chainlit.user import User
from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from chat.accounts.login_throttle import LoginRefused
from chat.web.history import HistoryDataLayer
from chat.web.services import services

CLOSED = {
    ("POST", "/auth/jwt"): "kbchat logs in by password only; token exchange is closed",
    ("PUT", "/project/thread/share"): "sharing threads is turned off on this server",
    ("GET", "/project/share/{thread_id}"): "sharing threads is turned off on this server",
}

CurrentUser = Annotated[User, Depends(get_current_user)]


def _closed(reason: str) -> Any:
    async def refuse() -> JSONResponse:
        return JSONResponse({"detail": reason}, status_code=403)

    return refuse


def _history() -> HistoryDataLayer:
    layer = get_data_layer()
    if not isinstance(layer, HistoryDataLayer):  # kbchat always configures its own layer
        raise HTTPException(status_code=503, detail="chat history is not available")
    return layer


def _owned(found: tuple[str, str] | None, user: User, what: str) -> str:
    """The thread id when ``user`` owns it; 404 alike for another's and for none, so ids
    cannot be probed."""
    if found is None or found[1] != user.identifier:
        raise HTTPException(status_code=404, detail=f"no such {what}")
    return found[0]


_ATTEMPT_LOCKS = [asyncio.Lock() for _ in range(64)]


def one_attempt_at(username: str) -> asyncio.Lock:
    """The lock that takes password attempts at this account one at a time in this process
    (accounts share 64 locks by hash): a burst of simultaneous guesses is checked, tried and
    counted in turn, so none passes the throttle before the one ahead of it has counted."""
    return _ATTEMPT_LOCKS[zlib.crc32(username.encode("utf-8", "replace")) % len(_ATTEMPT_LOCKS)]


async def _login(
    request: Request, response: Response, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Any:
    """Chainlit's password login, behind the failed-login throttle (accounts/login_throttle.py):
    while the account or the address must wait, 429 and the password is not checked."""
    logins = services().logins
    address = request.client.host if request.client else "unknown"
    async with one_attempt_at(form.username):
        try:
            await asyncio.to_thread(logins.check, form.username, address)
        except LoginRefused as refused:
            headers = {"Retry-After": str(refused.wait_s)}
            raise HTTPException(status_code=429, detail=str(refused), headers=headers) from None
        try:
            answer = await chainlit_login(request, response, form)
        except HTTPException as failed:
            if failed.status_code == 401:
                await asyncio.to_thread(logins.failed, form.username, address)
            raise
        await asyncio.to_thread(logins.succeeded, form.username)
    return answer


def install_guarded_routes(app: FastAPI) -> None:
    """Add kbchat's handlers for the closed and guarded Chainlit routes (the caller puts
    them ahead of Chainlit's, so they are the ones that answer)."""
    for (method, path), reason in CLOSED.items():
        app.add_api_route(path, _closed(reason), methods=[method], include_in_schema=False)
    app.add_api_route("/login", _login, methods=["POST"], include_in_schema=False)

    async def update_feedback(
        request: Request, body: UpdateFeedbackRequest, user: CurrentUser
    ) -> Any:
        feedback = body.feedback
        thread = _owned(await _history().step_thread(feedback.forId), user, "message")
        if feedback.id is not None:
            existing = await _history().feedback_thread(feedback.id)
            if existing is not None and _owned(existing, user, "feedback") != thread:
                raise HTTPException(status_code=404, detail="no such feedback")
        feedback.threadId = thread  # the message's own thread, not what the request says
        return await chainlit_update_feedback(request, body, user)

    async def delete_feedback(
        request: Request, body: DeleteFeedbackRequest, user: CurrentUser
    ) -> Any:
        _owned(await _history().feedback_thread(body.feedbackId), user, "feedback")
        return await chainlit_delete_feedback(request, body, user)

    app.add_api_route("/feedback", update_feedback, methods=["PUT"], include_in_schema=False)
    app.add_api_route("/feedback", delete_feedback, methods=["DELETE"], include_in_schema=False)
