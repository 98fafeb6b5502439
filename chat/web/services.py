"""The web app's context (installed once by `kbchat serve`) and its access rules."""

from __future__ import annotations

from chainlit.user import User
from fastapi import FastAPI

from chat.access import offered, writable
from chat.accounts.users import Role
from chat.context import AppContext
from chat.web.answer_view import shown_markdown
from personas import Persona, StoredPersona

CONTEXT_KEY = "kbchat"
"""Where the web app keeps its context: an attribute of the FastAPI app's state."""


def services() -> AppContext:
    """The app's context, installed once when ``kbchat serve`` starts the web app
    (chat/web/run.py), never built here."""
    from chainlit.server import app

    context = getattr(app.state, CONTEXT_KEY, None)
    if not isinstance(context, AppContext):
        raise RuntimeError(
            "kbchat's web app runs only under `kbchat serve`, which gives its context"
        )
    return context


def install_context(app: FastAPI, context: AppContext) -> None:
    """Give the web app its context (once, before it serves)."""
    setattr(app.state, CONTEXT_KEY, context)


def role_of(user: User | None) -> Role:
    """A logged-in user's role, as the session check read it from the account (never from
    the token: chat/web/sessions.py); staff when unknown."""
    return Role((user.metadata or {}).get("role", Role.STAFF)) if user else Role.STAFF


def password_pending(user: User | None) -> bool:
    """Whether this login must first replace its password (generated, or set by an admin):
    until then it may do nothing else (chat/web/acting.py, the admin and document routes)."""
    return bool(user and (user.metadata or {}).get("must_change_password"))


PASSWORD_FIRST = "change your password first: /kbchat/account/password"


def writable_collections(user: User | None, existing: list[str]) -> list[str]:
    """Where this login may upload (``chat.access.writable``); nothing without a login."""
    return writable(user.identifier, role_of(user), existing) if user is not None else []


def offered_stored(role: Role) -> list[StoredPersona]:
    """The enabled personas a role is offered, default persona first, with their stored
    state (when they changed, their picture): read once for both."""
    stored = {s.persona.id: s for s in services().personas.list_personas(include_disabled=False)}
    chosen = offered(
        (s.persona for s in stored.values()), role, services().settings.default_persona
    )
    return [stored[persona.id] for persona in chosen]


def offered_personas(role: Role) -> list[Persona]:
    """The enabled personas a role is offered, default persona first."""
    return [s.persona for s in offered_stored(role)]


def inert(text: str) -> str:
    """Text from a model, a document or a user as this site may show it (links only to the
    app and the allowed hosts)."""
    return shown_markdown(text, services().settings.allowed_link_hosts)
