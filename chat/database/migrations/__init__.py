"""Alembic's migrations of the app database: its environment, the frozen baseline, the revisions."""
