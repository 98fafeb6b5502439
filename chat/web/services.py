"""The web app's context (installed once by `kbchat serve`) and its access rules."""

from __future__ import annotations

import hashlib
import re

from chainlit.user import User
from fastapi import FastAPI

from chat.accounts.users import Role
from chat.context import AppContext
from chat.web.answer_view import shown_markdown
from knowledge import Document
from personas import Persona

CONTEXT_KEY = "kbchat"
"""Where the web app keeps its context: an attribute of the FastAPI app's state."""
PRIVATE_PREFIX = "u-"
"""Collections named so belong to one user; every other collection is the organization's."""

# Which persona audiences each role is offered: clinicians also use patient-facing personas
# with their patients; staff get the staff ones; admins see everything.
AUDIENCES: dict[Role, tuple[str, ...]] = {
    Role.STAFF: ("staff",),
    Role.CLINICIAN: ("staff", "clinician", "patient"),
    Role.ADMIN: ("staff", "clinician", "patient"),
}


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


def private_collection(username: str) -> str:
    """The collection a user's own uploads go to: readable name, unique by a hash suffix."""
    slug = re.sub(r"[^a-z0-9]+", "-", username.lower()).strip("-")[:40] or "user"
    return f"{PRIVATE_PREFIX}{slug}-{hashlib.sha256(username.encode()).hexdigest()[:8]}"


def writable_collections(user: User | None, existing: list[str]) -> list[str]:
    """Where this user may upload: their private collection first; an admin also to each
    organization collection, ``default`` always among them (new ones are made on purpose,
    on the admin's documents page, never by a typo in the chat)."""
    if user is None:
        return []
    mine = private_collection(user.identifier)
    if role_of(user) != Role.ADMIN:
        return [mine]
    shared = [c for c in existing if not c.startswith(PRIVATE_PREFIX)]
    return [mine, *sorted({*shared, "default"})]


def searchable_collections(persona: Persona, username: str, existing: list[str]) -> list[str]:
    """What a question may search: the persona's collections the user may read, and the
    user's own uploads when the persona searches every collection."""
    mine = private_collection(username)
    if "*" in persona.collections:
        shared = [c for c in existing if not c.startswith(PRIVATE_PREFIX)]
        return [*shared, mine] if mine in existing else shared
    return [c for c in persona.collections if c in existing and not c.startswith(PRIVATE_PREFIX)]


def may_read(document: Document, username: str, role: Role) -> bool:
    """Admins read everything; others read organization documents and their own uploads."""
    if role == Role.ADMIN:
        return True
    collection = document.collection
    return not collection.startswith(PRIVATE_PREFIX) or collection == private_collection(username)


def offered_personas(role: Role) -> list[Persona]:
    """The enabled personas a role is offered, default persona first."""
    default = services().settings.default_persona
    stored = services().personas.list_personas(include_disabled=False)
    personas = [s.persona for s in stored if s.persona.audience in AUDIENCES[role]]
    return sorted(personas, key=lambda p: (p.id != default, p.id))


def inert(text: str) -> str:
    """Text from a model, a document or a user as this site may show it (links only to the
    app and the allowed hosts)."""
    return shown_markdown(text, services().settings.allowed_link_hosts)
