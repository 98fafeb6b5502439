"""API keys: a key acts as a user of its role, within its collections, until it expires or is
revoked. Only a key's SHA-256 is kept (a key is 256 random bits, so a fast hash is enough:
there is nothing to guess from it); the key itself is shown once, when it is made.

A key reads ``kbc_<id>_<secret>``: the id finds the row, the secret is compared with its
hash. Every key made, revoked or used is in the accounts' audit trail.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from chat.accounts.errors import AccountError
from chat.accounts.users import Role, record_event

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_COLLECTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
_KEY = re.compile(r"kbc_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
PREFIX = "kbc_"


class ApiKey(SQLModel, table=True):
    """One API key: what it may do and whether it still counts (never its secret)."""

    __tablename__ = "api_key"

    key_id: str = Field(primary_key=True, max_length=12)
    name: str = Field(index=True, max_length=40)
    role: Role
    collections_json: str = "[]"
    """The collections it is limited to (empty: every one its role may read)."""
    secret_sha256: str = Field(max_length=64)
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def collections(self) -> list[str]:
        """The collections it is limited to (empty: every one its role may read)."""
        return list(json.loads(self.collections_json))

    @property
    def identity(self) -> str:
        """Who the key acts as: named by the key's own id, so a new key of an old name is
        a new caller (its private collection and its counts are its own)."""
        return f"key:{self.name}:{self.key_id}"

    def state(self, now: datetime) -> str:
        """``active``, ``revoked`` or ``expired``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and _aware(self.expires_at) <= now:
            return "expired"
        return "active"


class KeyRefused(AccountError):
    """A request's key that does not count; ``code`` says why (``invalid_key``,
    ``key_revoked``, ``key_expired``)."""

    def __init__(self, code: str, message: str, key: ApiKey | None = None) -> None:
        super().__init__(message)
        self.code, self.key = code, key


@dataclass(frozen=True)
class NewKey:
    """A key just made: its row, and the key itself (shown this once)."""

    key: ApiKey
    secret: str


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


class ApiKeys:
    """Make, list, revoke and check API keys, in the app database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        name: str,
        role: Role,
        *,
        actor: str,
        collections: list[str] | None = None,
        expires_at: datetime | None = None,
    ) -> NewKey:
        """Make a key; its name must be free among the keys in use."""
        if not _NAME.fullmatch(name):
            raise AccountError(
                f"invalid key name {name!r}: use 1-40 letters, digits, '.', '_' or '-'"
            )
        wanted = list(dict.fromkeys(collections or []))
        bad = [c for c in wanted if not _COLLECTION.fullmatch(c)]
        if bad:
            raise AccountError(f"invalid collection name {bad[0]!r} for the key {name!r}")
        now = datetime.now(UTC)
        if expires_at is not None and _aware(expires_at) <= now:
            raise AccountError(f"the key {name!r} would expire at once: give a later date")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        token = f"{PREFIX}{key_id}_{secret}"
        key = ApiKey(
            key_id=key_id,
            name=name,
            role=role,
            collections_json=json.dumps(wanted),
            secret_sha256=_digest(token),
            created_by=actor,
            expires_at=expires_at,
        )
        with Session(self.engine, expire_on_commit=False) as session:
            if any(k.state(now) == "active" for k in _named(session, name)):
                raise AccountError(f"a key named {name!r} is in use; revoke it or pick a name")
            session.add(key)
            record_event(session, actor, "key-added", key.identity, role=str(role),
                         collections=wanted, expires_at=expires_at)  # fmt: skip
            session.commit()
        return NewKey(key, token)

    def list_keys(self) -> list[ApiKey]:
        """Every key, newest first (revoked and expired ones too, for the record)."""
        query = select(ApiKey).order_by(col(ApiKey.created_at).desc())
        with Session(self.engine) as session:
            return list(session.exec(query).all())

    def revoke(self, name_or_id: str, *, actor: str) -> ApiKey:
        """Revoke the key in use of this name (or id): refused from its next request on."""
        now = datetime.now(UTC)
        with Session(self.engine, expire_on_commit=False) as session:
            found = session.get(ApiKey, name_or_id) or next(
                (k for k in _named(session, name_or_id) if k.state(now) == "active"), None
            )
            if found is None:
                raise AccountError(f"no key {name_or_id!r} in use; `kbchat keys list` shows them")
            if found.revoked_at is not None:
                raise AccountError(f"the key {name_or_id!r} is already revoked")
            found.revoked_at = now
            session.add(found)
            record_event(session, actor, "key-revoked", found.identity)
            session.commit()
        return found

    def check(self, token: str) -> ApiKey:
        """The key a request presents, if it counts; ``KeyRefused`` says why not."""
        matched = _KEY.fullmatch(token.strip())
        refused = KeyRefused("invalid_key", "the API key is not valid")
        if matched is None:
            raise refused
        with Session(self.engine) as session:
            key = session.get(ApiKey, matched.group(1))
        if key is None or not secrets.compare_digest(key.secret_sha256, _digest(token.strip())):
            raise refused
        state = key.state(datetime.now(UTC))
        if state == "revoked":
            raise KeyRefused("key_revoked", f"the API key {key.name!r} was revoked", key)
        if state == "expired":
            raise KeyRefused("key_expired", f"the API key {key.name!r} has expired", key)
        return key

    def record_use(self, key: ApiKey, method: str, path: str, status: int, address: str) -> None:
        """Note one request made with the key, in the audit trail and its last use."""
        with Session(self.engine) as session:
            row = session.get(ApiKey, key.key_id)
            if row is not None:
                row.last_used_at = datetime.now(UTC)
                session.add(row)
            record_event(session, key.identity, "api-request", key.identity[:64],
                         method=method, path=path[:200], status=status,
                         address=address)  # fmt: skip
            session.commit()


def _named(session: Session, name: str) -> list[ApiKey]:
    return list(session.exec(select(ApiKey).where(ApiKey.name == name)).all())


_DURATION = re.compile(r"(\d{1,5})([dhw])")


def parse_expiry(text: str, now: datetime | None = None) -> datetime | None:
    """When a key given ``--expires`` ends: ``90d``, ``12h`` or ``4w`` from now, or a date
    (``2027-06-30``, the end of that day in UTC) or an ISO time; empty: never."""
    text, now = text.strip(), now or datetime.now(UTC)
    if not text:
        return None
    if duration := _DURATION.fullmatch(text):
        hours = int(duration.group(1)) * {"h": 1, "d": 24, "w": 24 * 7}[duration.group(2)]
        return (now + timedelta(hours=hours)).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise AccountError(
            f"unreadable expiry {text!r}: give a span such as 90d, 12h or 4w, or a date "
            "such as 2027-06-30"
        ) from None
    if len(text) == 10:  # a date alone: the key lasts through that day
        moment += timedelta(days=1)
    return _aware(moment)


def key_json(key: ApiKey, now: datetime | None = None) -> dict[str, object]:
    """A key as ``kbchat keys list --json`` and the admin page show it (never its secret)."""
    when = now or datetime.now(UTC)

    def iso(moment: datetime | None) -> str | None:
        return _aware(moment).replace(microsecond=0).isoformat() if moment else None

    return {
        "id": key.key_id, "name": key.name, "role": str(key.role),
        "collections": key.collections, "state": key.state(when),
        "created_by": key.created_by, "created_at": iso(key.created_at),
        "expires_at": iso(key.expires_at), "last_used_at": iso(key.last_used_at),
    }  # fmt: skip
