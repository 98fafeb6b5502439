"""The app database: one engine (one connection pool) per process, and Alembic owning every
table, the libraries' and Chainlit's (``docs/decisions.md``, "Why Alembic")."""

from chat.database.engine import dispose_engines, open_database, shared_engine
from chat.database.errors import DatabaseUnavailable
from chat.database.migrate import BASELINE, alembic_config, schema_differences, upgrade_to_head
from chat.database.schema import HISTORY_TABLES, VERSION_TABLE, app_metadata

__all__ = [
    "BASELINE",
    "HISTORY_TABLES",
    "VERSION_TABLE",
    "DatabaseUnavailable",
    "alembic_config",
    "app_metadata",
    "dispose_engines",
    "open_database",
    "schema_differences",
    "shared_engine",
    "upgrade_to_head",
]
