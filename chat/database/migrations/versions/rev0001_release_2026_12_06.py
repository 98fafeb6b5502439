"""The schema of the last release before Alembic (2026-12-06): every table kbchat keeps.

A new database gets it here, from the frozen ``baseline``. A database that release (or an
older one) wrote has these tables already and no ``alembic_version``: it is never run through
this revision. ``chat.database.legacy.adopt`` makes the tables and columns it lacks (what that
release's ``create_all``, ``_ADDED_COLUMNS`` and Chainlit DDL did at every start) and the
database is stamped at 0001 instead.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

from chat.database.migrations.baseline import baseline_metadata

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create every table of the 2026-12-06 release."""
    bind = op.get_bind()
    baseline_metadata(bind.dialect.name).create_all(bind, checkfirst=False)


def downgrade() -> None:
    """Drop every table (and PostgreSQL enum type) of the 2026-12-06 release."""
    bind = op.get_bind()
    baseline_metadata(bind.dialect.name).drop_all(bind, checkfirst=False)
