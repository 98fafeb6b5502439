"""TEMPORARY, to be merged by hand into revision 0002: kb_document's vector counts
(``vectors_pending``, ``vectors_skipped``) for embedding after a document is searchable.

Rows already there read as fully embedded (both 0), which they are.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add kb_document.vectors_pending and kb_document.vectors_skipped."""
    # A plain ADD COLUMN (a batch would copy kb_document, which kb_chunk's key refers to).
    for name in ("vectors_pending", "vectors_skipped"):
        op.add_column(
            "kb_document",
            sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0")),
        )


def downgrade() -> None:
    """Undo: drop kb_document's vector counts."""
    op.drop_column("kb_document", "vectors_skipped")
    op.drop_column("kb_document", "vectors_pending")
