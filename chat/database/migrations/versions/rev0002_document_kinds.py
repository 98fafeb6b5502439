"""Documents of every kind, searchable before their vectors (issue 17): what each document
was read as; the sections of documents without pages (their heading path or sheet, and
paragraph or row range), which citations and the viewer show; and each document's vector
counts (chunks still to embed, chunks in a language the embedder does not read). Every
document already stored is a PDF, fully embedded (0 and 0).

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

_S = sa.String


def upgrade() -> None:
    """Add ``kb_document.kind`` (``pdf`` for the rows there), its vector counts and the
    ``kb_section`` table."""
    # A plain ADD COLUMN: a batch copy of kb_document would break kb_chunk's foreign key on
    # SQLite, and a NOT NULL column with a default is one SQLite can add in place.
    op.add_column("kb_document", sa.Column("kind", _S(8), nullable=False, server_default="pdf"))
    for name in ("vectors_pending", "vectors_skipped"):
        op.add_column(
            "kb_document",
            sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0")),
        )
    op.create_table(
        "kb_section",
        sa.Column("doc_id", _S(64), sa.ForeignKey("kb_document.doc_id"), primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True),
        sa.Column("unit", _S(16), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("heading", _S(), nullable=False),
        sa.Column("blocks", _S(), nullable=False),
    )


def downgrade() -> None:
    """Drop the sections, the vector counts and the kind column."""
    op.drop_table("kb_section")
    for name in ("vectors_skipped", "vectors_pending", "kind"):
        op.drop_column("kb_document", name)
