"""The fine-tuning loop (issue 18): a shared QA records the LoRA adapter its answer came from
(empty for a base model), and a pair can come from the model itself (``generated``: written
from a collection's passages, then curated like every other pair).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``shared_qa.adapter`` and the ``GENERATED`` source (PostgreSQL's enum type; SQLite
    stores the enum as text)."""
    op.add_column("shared_qa", sa.Column("adapter", sa.String(), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "postgresql":  # in a transaction: PostgreSQL 12 or newer
        op.execute("ALTER TYPE qasource ADD VALUE IF NOT EXISTS 'GENERATED'")


def downgrade() -> None:
    """Drop ``shared_qa.adapter`` and the generated pairs. PostgreSQL cannot drop an enum
    value: ``GENERATED`` stays in the type, unused."""
    op.execute("DELETE FROM shared_qa WHERE source = 'GENERATED'")
    op.drop_column("shared_qa", "adapter")
