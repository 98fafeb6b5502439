"""Alembic owns the app database: a database of the last release before Alembic upgrades with
every row kept, a new one is built by the migrations, both end exactly as the models say, on
SQLite and PostgreSQL. Rows are read with plain SQL on an engine of the test's own."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from chat.accounts.errors import SessionEnded
from chat.accounts.users import Accounts, Role
from chat.database import (
    alembic_config,
    app_metadata,
    open_database,
    schema_differences,
    upgrade_to_head,
)
from chat.database.migrations.baseline import baseline_metadata
from knowledge.registry import Registry
from personas.store import PersonaStore
from scripts.make_release_fixture import PASSWORDS, REVOKED_TOKEN
from tests.postgres import load_dump

RELEASE = Path(__file__).parents[2] / "data" / "release-2026-12-06"
Rows = dict[str, list[tuple[Any, ...]]]


@pytest.fixture
def release_url(database_url: str) -> str:
    """The release's database, on a SQLite file or on a PostgreSQL database of its own."""
    if database_url.startswith("sqlite"):
        shutil.copyfile(RELEASE / "kbchat.sqlite3", database_url.removeprefix("sqlite:///"))
    else:
        load_dump(database_url, RELEASE / "kbchat.postgres.sql")
    return database_url


@pytest.fixture
def plain(release_url: str) -> Iterator[sa.Engine]:
    """An engine of the test's own on the same database, for reading rows independently."""
    engine = sa.create_engine(release_url, poolclass=sa.NullPool)
    yield engine
    engine.dispose()


def _rows(engine: sa.Engine, columns: dict[str, list[str]] | None = None) -> Rows:
    """Every row of every table (but Alembic's), of the given columns or all, sorted."""
    tables = sa.inspect(engine).get_table_names()
    names = columns or {
        table: [c["name"] for c in sa.inspect(engine).get_columns(table)] for table in tables
    }
    found: Rows = {}
    with engine.connect() as connection:
        for table, wanted in names.items():
            if table == "alembic_version":
                continue
            listed = ", ".join(f'"{column}"' for column in wanted)
            result = connection.execute(sa.text(f'SELECT {listed} FROM "{table}"'))
            found[table] = sorted((tuple(row) for row in result), key=repr)
    return found


def _columns(engine: sa.Engine) -> dict[str, list[str]]:
    inspector = sa.inspect(engine)
    return {t: [c["name"] for c in inspector.get_columns(t)] for t in inspector.get_table_names()}


def _version(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(sa.text("SELECT * FROM alembic_version"))]


def _head(engine: sa.Engine) -> str | None:
    from alembic.script import ScriptDirectory

    with engine.connect() as connection:
        return ScriptDirectory.from_config(alembic_config(connection)).get_current_head()


def test_the_release_fixture_has_rows_in_every_table(plain: sa.Engine) -> None:
    before = _rows(plain)
    wanted = set(baseline_metadata(plain.dialect.name).tables)  # the release's own tables
    assert set(before) == wanted and "alembic_version" not in sa.inspect(plain).get_table_names()
    assert all(before[table] for table in wanted), [t for t in wanted if not before[t]]


def test_a_release_database_upgrades_with_every_row_kept(
    release_url: str, plain: sa.Engine
) -> None:
    columns, before = _columns(plain), _rows(plain)
    engine = open_database(release_url)
    assert _rows(plain, columns) == before
    assert _version(plain) == [_head(plain)]
    with engine.connect() as connection:
        assert schema_differences(connection) == []
    upgrade_to_head(engine)  # a second start changes nothing
    assert _rows(plain, columns) == before and _version(plain) == [_head(plain)]
    with engine.connect() as connection:
        assert schema_differences(connection) == []


def test_the_app_works_on_the_upgraded_release(release_url: str) -> None:
    engine = open_database(release_url)
    accounts = Accounts(engine)
    for name, password in PASSWORDS.items():
        assert accounts.verify(name, password) is not None, name
    nurse = accounts.get("nurse.lin")
    assert nurse is not None and (nurse.ui_language, nurse.last_persona) == (
        "en-US",
        "kb-assistant",
    )
    logged_out = hashlib.sha256(REVOKED_TOKEN.encode()).hexdigest()
    with pytest.raises(SessionEnded, match="logged out"):
        accounts.check_session("nurse.lin", nurse.session_key, logged_out)
    assert accounts.check_session("nurse.lin", nurse.session_key, "another token") == nurse
    registry = Registry(engine)
    by_name = {d.filename: d for d in registry.documents()}
    assert {(n, d.collection, d.kind) for n, d in by_name.items()} == {
        ("clinic-guide.pdf", "general", "pdf"), ("ward-rules.pdf", "wards", "pdf")}  # fmt: skip
    with engine.connect() as connection:
        (old_id,) = connection.execute(sa.text("SELECT old_id FROM kb_moved_document")).one()
    moved = registry.moved_to(old_id)
    assert moved is not None and moved.filename == "ward-rules.pdf"
    personas = PersonaStore(engine)
    assert [v for v, _, _ in personas.history("ward-nurse")] == [1, 2]
    assert not personas.stored("film-critic").enabled
    accounts.add("new.user", "orchid-lantern-harbor-19", Role.STAFF)  # the table takes rows
    assert accounts.verify("new.user", "orchid-lantern-harbor-19") is not None


def test_a_new_database_is_built_by_the_migrations(database_url: str) -> None:
    engine = open_database(database_url)
    tables = set(sa.inspect(engine).get_table_names())
    assert tables == set(app_metadata(engine.dialect.name).tables) | {"alembic_version"}
    assert _version(engine) == [_head(engine)]
    with engine.connect() as connection:
        assert schema_differences(connection) == []
    upgrade_to_head(engine)
    with engine.connect() as connection:
        assert schema_differences(connection) == []


# What an older release's database lacked, or kept, that the 2026-12-06 one did not: login
# columns (added by _ADDED_COLUMNS), newer Chainlit columns, whole tables, an unread column.
_OLDER = [
    "ALTER TABLE app_user DROP COLUMN ui_language",
    "ALTER TABLE app_user DROP COLUMN last_persona",
    "ALTER TABLE app_user ADD COLUMN sessions_valid_after BIGINT NOT NULL DEFAULT 0",
    'ALTER TABLE steps DROP COLUMN "modes"',
    'ALTER TABLE steps DROP COLUMN "autoCollapse"',
    "UPDATE app_user SET session_key = '' WHERE username = 'clerk.wu'",
    'UPDATE elements SET "props" = NULL',
    "DROP TABLE login_failure",
    "DROP TABLE deleted_threads",
]


def test_an_older_release_database_is_completed_then_upgraded(
    release_url: str, plain: sa.Engine
) -> None:
    with plain.begin() as connection:
        for statement in _OLDER:
            connection.execute(sa.text(statement))
    columns, changed = _columns(plain), ("sessions_valid_after", "session_key", "props")
    columns = {t: [c for c in names if c not in changed] for t, names in columns.items()}
    before = _rows(plain, columns)
    engine = open_database(release_url)
    assert _rows(plain, columns) == before
    with engine.connect() as connection:
        assert schema_differences(connection) == []
        users = dict(
            connection.execute(sa.text("SELECT username, session_key FROM app_user")).all()
        )
        props = connection.execute(sa.text('SELECT "props" FROM elements')).scalars().all()
    assert set(users) == set(PASSWORDS) and all(len(key) == 32 for key in users.values())
    assert props and all(p in ("{}", {}) for p in props)  # Chainlit cannot read NULL props
    nurse = Accounts(engine).get("nurse.lin")
    assert nurse is not None and (nurse.ui_language, nurse.last_persona) == ("", "")


def test_an_upgraded_release_keeps_generated_pairs_and_their_adapter(release_url: str) -> None:
    from sqlmodel import Session, select

    from sharing import QASource, SharedQA

    engine = open_database(release_url)
    with Session(engine) as session:
        session.add(SharedQA(question="問", answer="答", user_id="kbchat", content_hash="h",
                             source=QASource.GENERATED, adapter="run-20261206"))  # fmt: skip
        session.commit()
    with Session(engine) as session:
        pairs = session.exec(select(SharedQA).where(SharedQA.source == QASource.GENERATED))
        assert [(qa.question, qa.adapter) for qa in pairs] == [("問", "run-20261206")]
    engine.dispose()
