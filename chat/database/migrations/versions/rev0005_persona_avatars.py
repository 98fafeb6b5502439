"""Character cards as pictures (issue 20): a persona version's picture, kept once by its hash
however many versions show it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the ``persona_avatar`` table and ``persona_version.avatar_sha256`` (empty for the
    versions there: none had a picture)."""
    op.create_table(
        "persona_avatar",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column(
        "persona_version",
        sa.Column("avatar_sha256", sa.String(64), nullable=False, server_default=""),
    )


def downgrade() -> None:
    """Drop the pictures."""
    op.drop_column("persona_version", "avatar_sha256")
    op.drop_table("persona_avatar")
