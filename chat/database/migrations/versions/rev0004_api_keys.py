"""API keys (issue 19): each key's name, role, collections, dates and the SHA-256 of the key
(never the key itself).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_S = sa.String


def upgrade() -> None:
    """Add the ``api_key`` table (its role is the users' ``role`` type)."""
    roles = ("STAFF", "CLINICIAN", "ADMIN")
    role = (
        postgresql.ENUM(*roles, name="role", create_type=False)
        if op.get_bind().dialect.name == "postgresql"
        else sa.Enum(*roles, name="role")
    )
    op.create_table(
        "api_key",
        sa.Column("key_id", _S(12), primary_key=True),
        sa.Column("name", _S(40), nullable=False),
        sa.Column("role", role, nullable=False),
        sa.Column("collections_json", _S(), nullable=False),
        sa.Column("secret_sha256", _S(64), nullable=False),
        sa.Column("created_by", _S(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_api_key_name", "api_key", ["name"])


def downgrade() -> None:
    """Drop the keys."""
    op.drop_index("ix_api_key_name", table_name="api_key")
    op.drop_table("api_key")
