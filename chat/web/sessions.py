"""Login sessions that really end, decided in one place from the very token Chainlit uses.

Chainlit's login token is a JWT that lasts until it expires, and its ``/logout`` only clears
the cookie. kbchat ends tokens for good (logging out, disabling or removing a user, a new
password, a new account under an old name) by wrapping Chainlit's own token check,
``chainlit.auth.authenticate_user``: every HTTP route that needs a login (Chainlit's and
kbchat's) and every Socket.IO connection reaches the user through it, with the token
Chainlit itself read from the request. kbchat never parses cookies or headers for a token
of its own, so no request can be read one way here and another way by Chainlit.

The wrapper also gives the user the role and password state of the kbchat account as it
is now; nothing a token says about them is believed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
from chainlit.user import PersistedUser, User
from fastapi import HTTPException

from chat.accounts.errors import SessionEnded
from chat.accounts.users import AppUser
from chat.web.services import services

logger = logging.getLogger(__name__)

SessionCheck = Callable[[str, str, str], AppUser]
"""``check(username, session_key, login_digest)``: the account now, or ``SessionEnded``."""
SESSION_KEY = "session"
"""The token metadata entry that names the account's session key (``AppUser.session_key``)."""

_Authenticate = Callable[[str], Awaitable[User | PersistedUser]]


LOGIN_ID = "login"
"""The token metadata entry with the random id of one login (one per password entered)."""


def login_digest(claims: dict[str, Any]) -> str:
    """What the database keeps of an ended login: the SHA-256 of the user and the login's
    id. Not of the token's text: the same signed token can be written in more than one way
    (base64 padding after the signature), and each way would have had a digest of its own."""
    # A token without a login id (none is issued) is named by its claims as signed.
    named = _metadata_entry(claims, LOGIN_ID) or json.dumps(claims, sort_keys=True)
    return hashlib.sha256(f"{claims.get('identifier')}\0{named}".encode()).hexdigest()


def _metadata_entry(claims: dict[str, Any], name: str) -> str:
    """A text entry of the token's metadata; empty when it has none."""
    metadata = claims.get("metadata")
    entry = metadata.get(name) if isinstance(metadata, dict) else None
    return entry if isinstance(entry, str) else ""


def read_claims(token: str) -> dict[str, Any] | None:
    """The claims of a token signed with the app's secret and not expired; None otherwise."""
    secret = services().auth_secret
    try:
        claims: dict[str, Any] = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    return claims


def account_of(token: str, check: SessionCheck) -> AppUser | None:
    """The account a signed, unexpired token speaks for; None for a token that is not one
    (Chainlit refuses those itself). Raises ``SessionEnded`` when the login has ended."""
    claims = read_claims(token)
    if claims is None or not isinstance(claims.get("identifier"), str):
        return None
    key = _metadata_entry(claims, SESSION_KEY)
    return check(claims["identifier"], key, login_digest(claims))


def why_ended(token: str | None, check: SessionCheck) -> str | None:
    """Why this session's token no longer counts (for an open chat socket); None if it does."""
    if not token:
        return None
    try:
        account_of(token, check)
    except SessionEnded as ended:
        return str(ended)
    return None


def install_session_check(check: Callable[[], SessionCheck]) -> None:
    """Make Chainlit's token check refuse ended logins and take roles from kbchat's accounts.

    Installed once per process (installing again replaces the check, not wraps it twice).
    """
    import chainlit.auth as auth

    original: _Authenticate = getattr(auth.authenticate_user, "__wrapped__", auth.authenticate_user)

    async def authenticate_user(token: str) -> User | PersistedUser:
        account = None
        if token:
            try:
                account = await asyncio.to_thread(account_of, token, check())
            except SessionEnded as ended:
                logger.info("refused an ended login token: %s", ended)
                raise HTTPException(status_code=401, detail=f"login ended: {ended}") from None
        user = await original(token)  # Chainlit's own decoding and its users table
        if account is None:  # unreachable: a token Chainlit accepts is one account_of reads
            raise HTTPException(status_code=401, detail="Invalid authentication token")
        user.metadata = {
            **(user.metadata or {}),
            "role": str(account.role),
            "must_change_password": account.must_change_password,
        }
        return user

    authenticate_user.__wrapped__ = original  # type: ignore[attr-defined]
    auth.authenticate_user = authenticate_user  # type: ignore[assignment]
