"""Who may read, write and search what: the rules the web app, the API and offboarding share.

A user (or an API key, which acts as a user of its role) reads the organization's collections
and their own private one; admins read everything. Uploads go to the caller's private
collection; an admin's may also go to an organization collection. Each role is offered the
personas of its audiences.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from chat.accounts.users import Role
from knowledge import Document
from personas import Persona

PRIVATE_PREFIX = "u-"
"""Collections named so belong to one user; every other collection is the organization's."""

# Which persona audiences each role is offered: clinicians also use patient-facing personas
# with their patients; staff get the staff ones; admins see everything.
AUDIENCES: dict[Role, tuple[str, ...]] = {
    Role.STAFF: ("staff",),
    Role.CLINICIAN: ("staff", "clinician", "patient"),
    Role.ADMIN: ("staff", "clinician", "patient"),
}


def private_collection(username: str) -> str:
    """The collection a user's own uploads go to: readable name, unique by a hash suffix."""
    slug = re.sub(r"[^a-z0-9]+", "-", username.lower()).strip("-")[:40] or "user"
    return f"{PRIVATE_PREFIX}{slug}-{hashlib.sha256(username.encode()).hexdigest()[:8]}"


def is_private(collection: str) -> bool:
    """Whether a collection is one user's own uploads."""
    return collection.startswith(PRIVATE_PREFIX)


def writable(username: str, role: Role, existing: Iterable[str]) -> list[str]:
    """Where this user may upload: their private collection first; an admin also to each
    organization collection, ``default`` always among them (new ones are made on purpose,
    on the admin's documents page, never by a typo)."""
    mine = private_collection(username)
    if role != Role.ADMIN:
        return [mine]
    shared = [c for c in existing if not is_private(c)]
    return [mine, *sorted({*shared, "default"})]


def readable(username: str, role: Role, existing: Iterable[str]) -> list[str]:
    """The existing collections this user may read: every one for an admin; else the
    organization's and their own."""
    mine = private_collection(username)
    return [c for c in existing if role == Role.ADMIN or not is_private(c) or c == mine]


def searchable(persona: Persona, username: str, existing: list[str]) -> list[str]:
    """What a question may search: the persona's collections the user may read, and the
    user's own uploads when the persona searches every collection."""
    mine = private_collection(username)
    if "*" in persona.collections:
        shared = [c for c in existing if not is_private(c)]
        return [*shared, mine] if mine in existing else shared
    return [c for c in persona.collections if c in existing and not is_private(c)]


def may_read(document: Document, username: str, role: Role) -> bool:
    """Admins read everything; others read organization documents and their own uploads."""
    if role == Role.ADMIN:
        return True
    return not is_private(document.collection) or document.collection == private_collection(
        username
    )


def offered(personas: Iterable[Persona], role: Role, default: str) -> list[Persona]:
    """The personas (enabled ones, as given) a role is offered, the default persona first."""
    chosen = [p for p in personas if p.audience in AUDIENCES[role]]
    return sorted(chosen, key=lambda p: (p.id != default, p.id))
