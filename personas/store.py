"""The persona database: every persona's versions, its state, and seeding from the library.

A stored persona never changes in place: an edit adds a version, so a shared QA that
recorded ``(persona_id, version)`` can always show the persona exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from personas.errors import PersonaExists, PersonaNotFound
from personas.schema import Persona


def _now() -> datetime:
    return datetime.now(UTC)


class PersonaRecord(SQLModel, table=True):
    """A persona's current state; its content lives in its versions."""

    __tablename__ = "persona"

    persona_id: str = Field(primary_key=True, max_length=63)
    current_version: int
    enabled: bool = True
    deleted: bool = Field(default=False, index=True)
    origin: str = Field(description="library, import or admin")
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class PersonaVersion(SQLModel, table=True):
    """One saved version of a persona, as JSON of the validated schema, and its picture."""

    __tablename__ = "persona_version"

    persona_id: str = Field(primary_key=True, foreign_key="persona.persona_id")
    version: int = Field(primary_key=True)
    body: str
    author: str
    created_at: datetime = Field(default_factory=_now)
    avatar_sha256: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    """The version's picture (``PersonaAvatar``); empty for none."""


class PersonaAvatar(SQLModel, table=True):
    """A persona's picture, a PNG (a character card's own image), kept once however many
    versions show it."""

    __tablename__ = "persona_avatar"

    sha256: str = Field(primary_key=True, max_length=64)
    png: bytes
    created_at: datetime = Field(default_factory=_now)


@dataclass(frozen=True)
class StoredPersona:
    """A persona with its database state."""

    persona: Persona
    enabled: bool
    origin: str
    updated_at: datetime
    avatar: str = ""
    """The SHA-256 of its current picture (empty: none)."""


class PersonaStore:
    """Create, edit, disable and delete personas; every write is one transaction. The engine's
    database has the tables already (the app's migrations make them)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def list_personas(self, *, include_disabled: bool = True) -> list[StoredPersona]:
        """Every persona that is not deleted, by id."""
        with self._session() as session:
            query = select(PersonaRecord).where(col(PersonaRecord.deleted).is_(False))
            if not include_disabled:
                query = query.where(col(PersonaRecord.enabled).is_(True))
            records = session.exec(query.order_by(col(PersonaRecord.persona_id))).all()
            return [self._stored(session, record) for record in records]

    def get(self, persona_id: str, version: int | None = None) -> Persona:
        """The current version of a live persona, or any past version of any persona."""
        with self._session() as session:
            record = session.get(PersonaRecord, persona_id)
            if record is None or (version is None and record.deleted):
                raise PersonaNotFound(persona_id)
            row = session.get(PersonaVersion, (persona_id, version or record.current_version))
            if row is None:
                raise PersonaNotFound(persona_id, version)
            return Persona.model_validate_json(row.body)

    def stored(self, persona_id: str) -> StoredPersona:
        """A live persona with its state."""
        with self._session() as session:
            record = session.get(PersonaRecord, persona_id)
            if record is None or record.deleted:
                raise PersonaNotFound(persona_id)
            return self._stored(session, record)

    def history(self, persona_id: str) -> list[tuple[int, str, datetime]]:
        """(version, author, saved at) of every version, oldest first."""
        with self._session() as session:
            rows = session.exec(
                select(PersonaVersion)
                .where(PersonaVersion.persona_id == persona_id)
                .order_by(col(PersonaVersion.version))
            ).all()
        if not rows:
            raise PersonaNotFound(persona_id)
        return [(row.version, row.author, row.created_at) for row in rows]

    def create(
        self, persona: Persona, *, author: str, origin: str = "admin", avatar: bytes | None = None
    ) -> Persona:
        """Store a new persona; its id must be free (a deleted one's id may be reused)."""
        avatars = {persona.id: avatar} if avatar else {}
        return self.save_all([persona], author=author, origin=origin, update=False,
                             avatars=avatars)[0]  # fmt: skip

    def update(self, persona: Persona, *, author: str, avatar: bytes | None = None) -> Persona:
        """Store an edit as the persona's next version (its picture kept, unless a new one is
        given); returns it with its version number."""
        self.stored(persona.id)
        avatars = {persona.id: avatar} if avatar else {}
        return self.save_all([persona], author=author, origin="admin", update=True,
                             avatars=avatars)[0]  # fmt: skip

    def save_all(
        self,
        personas: Iterable[Persona],
        *,
        author: str,
        origin: str,
        update: bool,
        avatars: Mapping[str, bytes] | None = None,
    ) -> list[Persona]:
        """Store several personas in one transaction: all of them, or none on any error.
        ``avatars`` gives a persona (by id) a new picture (checked by the caller: a PNG within
        ``avatars.py``'s bounds); a new version of one given none keeps its last picture."""
        saved: list[Persona] = []
        with self._session() as session:
            for persona in personas:
                picture = (avatars or {}).get(persona.id)
                saved.append(self._save(session, persona, author, origin, update, picture))
            session.commit()
        return saved

    def avatar(self, persona_id: str, version: int | None = None) -> bytes | None:
        """The PNG of a persona's picture (its current version's, or a past one's); None
        when it has none."""
        with self._session() as session:
            record = session.get(PersonaRecord, persona_id)
            if record is None:
                raise PersonaNotFound(persona_id)
            row = session.get(PersonaVersion, (persona_id, version or record.current_version))
            picture = session.get(PersonaAvatar, row.avatar_sha256) if row else None
            return picture.png if picture is not None else None

    def _save(
        self,
        session: Session,
        persona: Persona,
        author: str,
        origin: str,
        update: bool,
        avatar: bytes | None = None,
    ) -> Persona:
        record = session.get(PersonaRecord, persona.id)
        if record is not None and not record.deleted and not update:
            raise PersonaExists(persona.id)
        version = max(persona.version, record.current_version + 1 if record else 1)
        persona = persona.model_copy(update={"version": version})
        if record is None:
            record = PersonaRecord(persona_id=persona.id, current_version=version, origin=origin)
        else:
            record.current_version, record.updated_at = version, _now()
            record.deleted = False
        body = persona.model_dump_json()
        picture = _kept_avatar(session, persona.id, version - 1 if update else 0, avatar)
        session.add(record)
        session.add(PersonaVersion(persona_id=persona.id, version=version, body=body,
                                   author=author, avatar_sha256=picture))  # fmt: skip
        session.flush()
        return persona

    def set_enabled(self, persona_id: str, enabled: bool) -> None:
        """Offer the persona to users, or hide it from them without losing it."""
        self._change(persona_id, enabled=enabled)

    def delete(self, persona_id: str) -> None:
        """Remove a persona from every list; its versions stay for the QA that recorded them."""
        self._change(persona_id, deleted=True)

    def _change(self, persona_id: str, **values: bool) -> None:
        with self._session() as session:
            record = session.get(PersonaRecord, persona_id)
            if record is None or record.deleted:
                raise PersonaNotFound(persona_id)
            for name, value in values.items():
                setattr(record, name, value)
            record.updated_at = _now()
            session.add(record)
            session.commit()

    def seed(self, personas: Iterable[Persona]) -> list[str]:
        """Add shipped personas that are missing, and upgrade ones no admin has edited.

        A persona an admin edited or deleted is left alone. Returns the ids written.
        """
        written: list[str] = []
        with self._session() as session:
            for persona in personas:
                record = session.get(PersonaRecord, persona.id)
                if record is not None:
                    untouched = record.origin == "library" and not record.deleted
                    latest = session.get(PersonaVersion, (persona.id, record.current_version))
                    if not untouched or latest is None or latest.author != "library":
                        continue
                    if persona.version <= record.current_version:
                        continue
                self._save(session, persona, "library", "library", update=True)
                written.append(persona.id)
            session.commit()
        return written

    def _stored(self, session: Session, record: PersonaRecord) -> StoredPersona:
        row = session.get(PersonaVersion, (record.persona_id, record.current_version))
        assert row is not None, "a persona record always has its current version"
        return StoredPersona(
            persona=Persona.model_validate(json.loads(row.body)),
            enabled=record.enabled,
            origin=record.origin,
            updated_at=record.updated_at,
            avatar=row.avatar_sha256,
        )


def _kept_avatar(session: Session, persona_id: str, previous: int, avatar: bytes | None) -> str:
    """The picture a new version shows: the one given (stored once by its hash), else the
    previous version's."""
    if avatar is None:
        before = session.get(PersonaVersion, (persona_id, previous)) if previous else None
        return before.avatar_sha256 if before is not None else ""
    digest = hashlib.sha256(avatar).hexdigest()
    if session.get(PersonaAvatar, digest) is None:
        session.add(PersonaAvatar(sha256=digest, png=avatar))
    return digest
