"""One engine per database in a process, and a database that cannot be migrated said in one
line, naming it and why."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from chat.database import DatabaseUnavailable, dispose_engines, open_database, shared_engine
from chat.factory import build_accounts, build_login_throttle, build_persona_store, build_sharing
from chat.settings import Settings
from knowledge.base import KnowledgeBase


def test_every_part_of_the_app_shares_one_engine(
    tmp_path: Path, make_kb: Callable[..., KnowledgeBase]
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    accounts = build_accounts(settings)
    engines = {
        id(engine)
        for engine in (
            accounts.engine,
            build_login_throttle(settings, accounts).engine,
            build_persona_store(settings).engine,
            build_sharing(settings).store.engine,
            make_kb(settings.data_dir).registry.engine,
            shared_engine(settings.resolved_database_url),
        )
    }
    assert len(engines) == 1
    assert shared_engine(f"sqlite:///{tmp_path / 'other.db'}") is not accounts.engine


def test_a_file_that_is_not_a_database_is_named_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "kbchat.db"
    path.write_bytes(b"not a database, just text " * 100)
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(f"sqlite:///{path}")
    message = str(caught.value)
    assert str(path) in message and "file is not a database" in message
    assert "\n" not in message


def test_a_database_of_a_newer_kbchat_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kbchat.db'}"
    open_database(url)
    with shared_engine(url).begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    dispose_engines()  # as if the app started again
    with pytest.raises(DatabaseUnavailable, match="9999.*a newer kbchat wrote it"):
        open_database(url)
    with shared_engine(url).connect() as connection:  # refused before anything changed
        assert connection.execute(sa.text("SELECT * FROM alembic_version")).all() == [("9999",)]


def test_the_command_line_says_it_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "kbchat.db"
    path.write_bytes(b"not a database, just text " * 100)
    env = {
        **os.environ,
        "KBCHAT_DATA_DIR": str(tmp_path),
        "KBCHAT_DATABASE_URL": f"sqlite:///{path}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "chat", "users", "list"], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: cannot bring the database sqlite:///{path} to kbchat's schema: "
        "file is not a database"
    ]
