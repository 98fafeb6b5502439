"""Alembic's environment for kbchat: migrations run on the connection that
``chat.database.migrate`` holds (its lock and transaction), against the app's whole schema."""

from __future__ import annotations

from alembic import context

from chat.database.schema import app_metadata, compared_on, types_compared


def run_migrations() -> None:
    """Run the asked-for command's migrations on kbchat's connection."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "kbchat's migrations run through chat.database (upgrade_to_head), which passes "
            "the connection; there is no alembic.ini"
        )
    dialect = connection.dialect.name
    context.configure(
        connection=connection,
        target_metadata=app_metadata(dialect),
        include_object=compared_on(dialect),
        compare_type=types_compared(dialect),
        render_as_batch=dialect == "sqlite",  # SQLite alters most things by copying a table
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
