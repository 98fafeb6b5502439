"""Who may log in, with which role: users in the app database, passwords hashed with Argon2id."""

from __future__ import annotations

import json
import os
import re
import secrets
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, col, delete, select

from chat.accounts.errors import AccountError, SessionEnded
from chat.accounts.passwords import check_password, dummy_hash, matches

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


class Role(StrEnum):
    """What a user may do: staff and clinicians chat; admins also manage the app."""

    STAFF = "staff"
    CLINICIAN = "clinician"
    ADMIN = "admin"


def _new_session_key() -> str:
    return secrets.token_hex(16)


UI_LANGUAGES = ("zh-TW", "en-US")
"""The languages of the app's own words."""


class AppUser(SQLModel, table=True):
    """A login of the web app."""

    __tablename__ = "app_user"

    username: str = Field(primary_key=True, max_length=64)
    password_hash: str
    role: Role
    must_change_password: bool = False
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    disabled: bool = False
    session_key: str = Field(default_factory=_new_session_key, max_length=32)
    """Named in every login token of this account: a new account (even under a removed
    user's name), a new password or disabling draws a new one, and every older token ends."""
    last_persona: str = Field(default="", max_length=64)
    """The persona the user last chatted with: the one a new chat starts with."""
    ui_language: str = Field(default="", max_length=8)
    """The language the user chose for the app's own words (empty: the browser's)."""


class RevokedToken(SQLModel, table=True):
    """A login token ended by logging out, kept until it would have expired anyway."""

    __tablename__ = "revoked_token"

    token_sha256: str = Field(primary_key=True, max_length=64)
    username: str = Field(index=True, max_length=64)
    expires_at: int = Field(index=True)


class AccountEvent(SQLModel, table=True):
    """The accounts' audit trail (append-only): lockouts after failed logins, unlocks."""

    __tablename__ = "account_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=lambda: datetime.now(UTC), index=True)
    actor: str = Field(max_length=64)
    action: str = Field(index=True, max_length=32)
    username: str = Field(index=True, max_length=64)
    detail_json: str = "{}"


def record_event(
    session: Session, actor: str, action: str, username: str, **detail: object
) -> None:
    """Add an audit event to the caller's transaction."""
    body = json.dumps(detail, ensure_ascii=False, default=str)
    session.add(AccountEvent(actor=actor, action=action, username=username, detail_json=body))


class Accounts:
    """Add, list, remove and check users, and decide whether a login token still counts."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.hasher = PasswordHasher()

    def add(
        self, username: str, password: str, role: Role, *, must_change_password: bool = False
    ) -> AppUser:
        """Create a user; the name must be free and the password long enough."""
        if not _NAME.fullmatch(username):
            raise AccountError(
                f"invalid user name {username!r}: use 1-64 letters, digits, '.', '_', '@' or '-'"
            )
        check_password(password, username)
        user = AppUser(
            username=username,
            password_hash=self.hasher.hash(password),
            role=role,
            must_change_password=must_change_password,
        )
        with Session(self.engine, expire_on_commit=False) as session:
            if session.get(AppUser, username) is not None:
                raise AccountError(f"the user {username!r} already exists")
            session.add(user)
            session.commit()
        return user

    def list_users(self) -> list[AppUser]:
        """Every user, by name."""
        with Session(self.engine) as session:
            return list(session.exec(select(AppUser).order_by(col(AppUser.username))).all())

    def get(self, username: str) -> AppUser | None:
        """The user with this name, if any."""
        with Session(self.engine) as session:
            return session.get(AppUser, username)

    def choose_language(self, username: str, language: str) -> None:
        """Keep the UI language a user chose (``zh-TW`` or ``en-US``)."""
        if language not in UI_LANGUAGES:
            raise AccountError(f"unknown language {language!r}: choose one of {UI_LANGUAGES}")
        with Session(self.engine) as session:
            user = session.get(AppUser, username)
            if user is None:
                raise AccountError(f"no user {username!r}; `kbchat users list` shows them")
            user.ui_language = language
            session.add(user)
            session.commit()

    def remember_persona(self, username: str, persona_id: str) -> None:
        """Keep the persona a user chats with, for their next chat (unknown users: nothing)."""
        with Session(self.engine) as session:
            user = session.get(AppUser, username)
            if user is not None and user.last_persona != persona_id:
                user.last_persona = persona_id
                session.add(user)
                session.commit()

    def remove(self, username: str) -> None:
        """Delete a user; refused for the last admin, so the app can always be managed."""
        with Session(self.engine) as session:
            session.delete(_removable(session, username))
            session.commit()

    def check_removable(self, username: str) -> AppUser:
        """The user, if they exist and are not the last admin (AccountError otherwise)."""
        with Session(self.engine) as session:
            return _removable(session, username)

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable a user (every session ends at once) or enable them again."""
        with Session(self.engine) as session:
            user = session.get(AppUser, username)
            if user is None:
                raise AccountError(f"no user {username!r}; `kbchat users list` shows them")
            if disabled:
                _refuse_last_admin(session, user)
                user.session_key = _new_session_key()
            user.disabled = disabled
            session.add(user)
            session.commit()

    def revoke_token(self, digest: str, username: str, expires_at: int) -> None:
        """Refuse one login token from now on (logout); forget tokens that have expired."""
        with Session(self.engine) as session:
            session.exec(delete(RevokedToken).where(col(RevokedToken.expires_at) < _now_s()))
            if session.get(RevokedToken, digest) is None:
                session.add(
                    RevokedToken(token_sha256=digest, username=username, expires_at=expires_at)
                )
            session.commit()

    def check_session(self, username: str, session_key: str, digest: str) -> AppUser:
        """The account a signed login token speaks for, as it is now (its role, whether the
        password must change); ``SessionEnded`` says why the token no longer counts."""
        with Session(self.engine) as session:
            user = session.get(AppUser, username)
            if user is None:
                raise SessionEnded("the user was removed")
            if user.disabled:
                raise SessionEnded("the user is disabled")
            if not secrets.compare_digest(session_key, user.session_key):
                raise SessionEnded(
                    "the session was ended (new password, user disabled, or a new account)"
                )
            if session.get(RevokedToken, digest) is not None:
                raise SessionEnded("the session was logged out")
        return user

    def events(self, username: str | None = None) -> list[AccountEvent]:
        """The accounts' audit trail, oldest first (of one user, or all)."""
        query = select(AccountEvent).order_by(col(AccountEvent.id))
        if username is not None:
            query = query.where(AccountEvent.username == username)
        with Session(self.engine) as session:
            return list(session.exec(query).all())

    def verify(self, username: str, password: str) -> AppUser | None:
        """The user when the password is right; None otherwise (same time for unknown names)."""
        user = self.get(username)
        if not matches(self.hasher, user.password_hash if user else dummy_hash(), password):
            return None
        return None if user is None or user.disabled else user

    def change_password(self, username: str, password: str) -> str:
        """Set a new password and clear the must-change flag; every login of the user ends.
        Returns the new session key, for the caller's renewed token."""
        check_password(password, username)
        with Session(self.engine) as session:
            user = session.get(AppUser, username)
            if user is None:
                raise AccountError(f"no user {username!r}")
            if matches(self.hasher, user.password_hash, password):
                raise AccountError(
                    "新密碼不能和目前的相同 / the new password must differ from the current one"
                )
            user.password_hash = self.hasher.hash(password)
            user.must_change_password = False
            user.session_key = key = _new_session_key()
            session.add(user)
            session.commit()
        return key

    def ensure_first_admin(self, password_file: Path) -> str | None:
        """On first run (no users at all), create ``admin`` with a generated password.

        The password is written to an owner-only file and returned once, so it can be shown
        on the console; the admin must change it at first login. None when users exist.
        """
        if self.list_users():
            return None
        password = secrets.token_urlsafe(15)
        self.add("admin", password, Role.ADMIN, must_change_password=True)
        descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(f"admin\n{password}\n")
        return password


def _removable(session: Session, username: str) -> AppUser:
    user = session.get(AppUser, username)
    if user is None:
        raise AccountError(f"no user {username!r}; `kbchat users list` shows them")
    _refuse_last_admin(session, user)
    return user


def _refuse_last_admin(session: Session, user: AppUser) -> None:
    """Keep at least one enabled admin, so the app can always be managed."""
    if user.role != Role.ADMIN:
        return
    query = select(AppUser).where(AppUser.role == Role.ADMIN, col(AppUser.disabled).is_(False))
    if [admin.username for admin in session.exec(query).all()] == [user.username]:
        raise AccountError(f"{user.username!r} is the last admin; add another admin first")


def _now_s() -> int:
    return int(datetime.now(UTC).timestamp())
