"""Alembic owns the app database's schema: ``upgrade_to_head`` brings a kbchat database, new,
written by a release before Alembic, or by an older revision, to the newest revision.

One process at a time migrates: SQLite's write lock (``BEGIN IMMEDIATE``) or a PostgreSQL
advisory lock is held for the whole upgrade, which runs in that one transaction, so a second
app starting beside the first waits and then finds the database current.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from chat.database.errors import DatabaseUnavailable, describe
from chat.database.legacy import LegacySchemaError, adopt, is_legacy
from chat.database.schema import app_metadata, compared_on, types_compared

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"
"""The revision of the schema of the last release before Alembic."""

_MIGRATION_LOCK = 0x6B6263686174  # "kbchat": the PostgreSQL advisory lock's key


def alembic_config(connection: Connection) -> Config:
    """Alembic's configuration for kbchat's migrations, run on this connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "rev%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database to the newest revision, adopting a pre-Alembic one first; every
    row is kept. ``DatabaseUnavailable`` names the database and says why it cannot be."""
    try:
        with engine.connect() as connection:
            _hold_migration_lock(connection)
            config = alembic_config(connection)
            if is_legacy(connection):
                adopt(connection)
                command.stamp(config, BASELINE)
            command.upgrade(config, "head")
            connection.commit()
    except (SQLAlchemyError, CommandError, LegacySchemaError) as error:
        raise DatabaseUnavailable(
            f"cannot bring the database {describe(engine)} to kbchat's schema: {_reason(error)}"
        ) from None


def _hold_migration_lock(connection: Connection) -> None:
    """Begin the migration's transaction holding the lock that keeps other migrations out."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})


def _reason(error: Exception) -> str:
    """The first line of what went wrong, without SQLAlchemy's statement and links."""
    orig = getattr(error, "orig", None)
    reason = str(orig if orig is not None else error).strip().splitlines()
    found = reason[0] if reason else type(error).__name__
    if isinstance(error, CommandError) and "Can't locate revision" in found:
        return f"{found} (a newer kbchat wrote it: run that version, or restore a backup)"
    return found


def schema_differences(connection: Connection) -> list[Any]:
    """Alembic's differences between the database and the schema the code wants (none when
    the migrations are complete)."""
    dialect = connection.dialect.name
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": types_compared(dialect), "include_object": compared_on(dialect)},
    )
    return list(compare_metadata(context, app_metadata(dialect)))
