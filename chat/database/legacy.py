"""Adopting a database of the releases before Alembic (up to 2026-12-06).

Those releases built their schema at every start: ``create_all`` made the tables missing (only
those of the modules imported so far), ``_ADDED_COLUMNS`` added the login columns that older
``app_user`` tables lacked, and parsed Chainlit DDL made the history tables and added their
newer columns. Such a database has some or all of revision 0001's tables and no
``alembic_version``. ``adopt`` finishes that work once, against the frozen baseline, so the
database is exactly at revision 0001 and can be stamped there, every row kept.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Connection

from chat.database.migrations.baseline import baseline_metadata
from chat.database.schema import VERSION_TABLE

FILLED_WITH: dict[tuple[str, str], Any] = {
    ("app_user", "disabled"): sa.false(),
    ("app_user", "session_key"): "",
    ("app_user", "last_persona"): "",
    ("app_user", "ui_language"): "",
}
"""What the required columns added after the first release hold in older rows (as the
release that added each of them filled it)."""

UNREAD: frozenset[tuple[str, str]] = frozenset({("app_user", "sessions_valid_after")})
"""Columns of older releases that no release reads any more (its whole seconds let a token
issued in the second of a password change survive it: the session key replaced it)."""


class LegacySchemaError(ValueError):
    """A pre-Alembic database that is not one a kbchat release wrote; the message says why."""


def is_legacy(connection: Connection) -> bool:
    """Whether the database holds kbchat tables written before Alembic (no version table)."""
    names = set(sa.inspect(connection).get_table_names())
    ours = set(baseline_metadata(connection.dialect.name).tables)
    return VERSION_TABLE not in names and bool(names & ours)


def adopt(connection: Connection) -> None:
    """Bring a pre-Alembic database to revision 0001's schema, in the caller's transaction."""
    baseline = baseline_metadata(connection.dialect.name)
    baseline.create_all(connection)  # the tables that release had not made (yet)
    operations = Operations(MigrationContext.configure(connection))
    inspector = sa.inspect(connection)
    for table in baseline.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                operations.add_column(table.name, _addable(table.name, column))
        for name in sorted(present):
            if (table.name, name) in UNREAD:
                operations.drop_column(table.name, name)
    _give_session_keys(connection)
    # Elements stored before props were always written: Chainlit fails to read NULL.
    connection.execute(sa.text('UPDATE elements SET "props" = \'{}\' WHERE "props" IS NULL'))


def _addable(table: str, column: sa.Column[Any]) -> sa.Column[Any]:
    """The column to add to an older table: with the value its older rows get, if required."""
    if column.nullable:
        return sa.Column(column.name, column.type)
    if (table, column.name) not in FILLED_WITH:
        raise LegacySchemaError(
            f"its table {table} lacks the column {column.name}, which no kbchat release left out"
        )
    default = FILLED_WITH[(table, column.name)]
    return sa.Column(column.name, column.type, nullable=False, server_default=default)


def _give_session_keys(connection: Connection) -> None:
    """Each account without a session key gets its own (the older tokens end with it)."""
    keyless = connection.execute(sa.text("SELECT username FROM app_user WHERE session_key = ''"))
    for (username,) in keyless.all():
        connection.execute(
            sa.text("UPDATE app_user SET session_key = :key WHERE username = :name"),
            {"key": secrets.token_hex(16), "name": username},
        )
