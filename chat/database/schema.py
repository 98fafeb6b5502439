"""Every table kbchat keeps, as one metadata: the libraries' SQLModel tables, imported here by
name (so the schema never depends on which modules happen to be imported), and Chainlit's
history tables, which its SQLAlchemy data layer reads and writes but does not create.

Alembic compares this metadata with the database (``migrations/env.py``, and the migration
test): a change here needs a revision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from chat.accounts.api_keys import ApiKey
from chat.accounts.login_throttle import LoginFailure
from chat.accounts.users import AccountEvent, AppUser, RevokedToken
from chat.database.migrations.baseline import chainlit_tables
from knowledge import Chunk, CollectionState, Document, DocumentSection, MovedDocument
from personas import PersonaAvatar, PersonaRecord, PersonaVersion
from sharing import AuditEvent, ConsentRecord, QAEdit, SharedQA

MODELS: tuple[type[SQLModel], ...] = (
    Document, Chunk, DocumentSection, MovedDocument, CollectionState,
    AppUser, RevokedToken, AccountEvent, LoginFailure, ApiKey,
    PersonaRecord, PersonaVersion, PersonaAvatar,
    SharedQA, QAEdit, ConsentRecord, AuditEvent,
)  # fmt: skip
"""The libraries' tables, each read and written by the library that defines it."""

VERSION_TABLE = "alembic_version"
"""Alembic's record of a database's schema revision: each database's own, never copied."""
HISTORY_TABLES = ("users", "threads", "steps", "elements", "feedbacks", "deleted_threads")
"""Chainlit's tables (``deleted_threads`` is kbchat's: the ids of deleted threads)."""


def app_metadata(dialect: str) -> sa.MetaData:
    """Every table of the app database as the code wants it now, on ``dialect``'s databases.

    Chainlit's tables are still those revision 0001 made (Chainlit 2.12's, with SQLite's own
    types); a revision that changes them defines them here instead.
    """
    metadata = sa.MetaData(naming_convention=SQLModel.metadata.naming_convention)
    for model in MODELS:
        model.__table__.to_metadata(metadata)  # type: ignore[attr-defined]
    chainlit_tables(metadata, dialect)
    return metadata


def compared_on(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """Alembic's ``include_object`` hook: which schema items a comparison looks at. All but,
    on SQLite, an unnamed unique constraint: SQLite cannot read one back that was declared on
    its column, as Chainlit's DDL declared ``users.identifier``."""

    def compared(_item: Any, name: str | None, kind: str, reflected: bool, _other: Any) -> bool:
        unreadable = dialect == "sqlite" and kind == "unique_constraint" and name is None
        return not (unreadable and not reflected)

    return compared


def types_compared(dialect: str) -> Callable[..., bool | None]:
    """Alembic's ``compare_type`` hook: no difference between two string types on SQLite,
    which stores text whatever length a column declares (an enum there is such a string: a
    new, longer value changes only the declared length). Elsewhere Alembic's own comparison."""

    def differ(_context: Any, _inspected: Any, _wanted: Any, old: Any, new: Any) -> bool | None:
        if dialect == "sqlite" and isinstance(old, sa.String) and isinstance(new, sa.String):
            return False
        return None

    return differ
