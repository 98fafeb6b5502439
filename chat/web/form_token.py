"""A token in every form kbchat serves (the admin pages and the password page), checked on
every form it accepts: a page on another site cannot know it, so it cannot post the form.

This is the HMAC token pattern of OWASP's CSRF cheat sheet, bound to the login: the token is
an HMAC, under the app's secret, of the login's digest (``sessions.login_digest``). So it is
the same in every tab of one login (a second tab does not spoil the first one's forms), it
ends when the login ends, and another login's token is refused. It comes on top of the
Origin and Fetch Metadata check (``origin.SameOriginGuard``), which covers Chainlit's routes
too. Why not ``starlette-csrf`` or ``fastapi-csrf-protect``: the first reads its token from
a header only, which an HTML form cannot send; the second issues a fresh random cookie with
each page, so a form in an older tab fails after a newer tab loads (docs/decisions.md).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from chainlit.auth import reuseable_oauth
from fastapi import Depends, HTTPException, Request

from chat.web.services import services
from chat.web.sessions import login_digest, read_claims

FIELD = "form_token"
"""The name of the hidden input that carries the token."""
STALE_FORM = (
    "這個表單已失效或來自別的網站：請重新載入頁面後再送出 / "
    "This form has expired or came from another site: reload the page and submit it again"
)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token_for(login_token: str | None) -> str:
    """The form token of the login that ``login_token`` (Chainlit's JWT) speaks for; empty
    for no valid login (then no form of ours is served anyway)."""
    claims = read_claims(login_token) if login_token else None
    secret = services().auth_secret
    if claims is None:
        return ""
    message = f"kbchat-form\0{login_digest(claims)}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


async def check_form_token(request: Request, login_token: str | None) -> None:
    """Refuse (403) a form posted without the token of the login it came with; requests of
    the safe methods pass. Called once the login and the role are known to be good."""
    if request.method in _SAFE_METHODS:
        return
    expected = token_for(login_token)
    given = (await request.form()).get(FIELD)
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a 500).
    if (
        not expected
        or not isinstance(given, str)
        or not hmac.compare_digest(given.encode(errors="replace"), expected.encode())
    ):
        raise HTTPException(status_code=403, detail=STALE_FORM)


LoginToken = Annotated[str | None, Depends(reuseable_oauth)]
"""The login token exactly as Chainlit reads it from the request (cookie, then header)."""
