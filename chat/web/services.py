"""The web app's long-lived objects, built once per process from Settings, and its access rules."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from chainlit.user import User

from chat.accounts.login_throttle import LoginThrottle
from chat.accounts.users import Accounts, Role
from chat.answering.engine import AnswerEngine
from chat.answering.limits import IngestSlots, QuestionRate, UserLimits
from chat.factory import (
    Sharing,
    build_accounts,
    build_backend,
    build_engine,
    build_knowledge_base,
    build_login_throttle,
    build_persona_store,
    build_sharing,
)
from chat.settings import Settings
from knowledge import Document, KnowledgeBase
from personas.schema import Persona
from personas.store import PersonaStore

PRIVATE_PREFIX = "u-"
"""Collections named so belong to one user; every other collection is the organization's."""

# Which persona audiences each role is offered: clinicians also use patient-facing personas
# with their patients; staff get the staff ones; admins see everything.
AUDIENCES: dict[Role, tuple[str, ...]] = {
    Role.STAFF: ("staff",),
    Role.CLINICIAN: ("staff", "clinician", "patient"),
    Role.ADMIN: ("staff", "clinician", "patient"),
}


@dataclass(frozen=True)
class WebServices:
    """Everything the handlers and routes use."""

    settings: Settings
    kb: KnowledgeBase
    engine: AnswerEngine
    personas: PersonaStore
    sharing: Sharing
    accounts: Accounts
    logins: LoginThrottle
    limits: UserLimits


@cache
def services() -> WebServices:
    """Build the app's objects on first use (never at import time); one set per process."""
    settings = Settings()
    kb = build_knowledge_base(settings)
    accounts = build_accounts(settings)
    return WebServices(
        settings=settings,
        kb=kb,
        engine=build_engine(settings, kb, build_backend(settings)),
        personas=build_persona_store(settings),
        sharing=build_sharing(settings),
        accounts=accounts,
        logins=build_login_throttle(settings, accounts),
        limits=UserLimits(
            QuestionRate(settings.questions_per_minute),
            IngestSlots(settings.max_ingests_per_user),
        ),
    )


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
