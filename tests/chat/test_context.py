"""The application context: built from the settings when a part is first needed, handed to
the commands and the web app explicitly; nothing built or written at import time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chat.cli.main import app
from chat.context import AppContext
from chat.settings import Settings
from chat.web.serve import prepare


def test_parts_are_built_once_on_first_use(tmp_path: Path) -> None:
    context = AppContext(Settings(data_dir=tmp_path))
    assert "accounts" not in vars(context)  # nothing built until asked
    assert context.accounts is context.accounts
    assert context.logins.engine is context.accounts.engine  # one database, one engine


def test_a_wrong_setting_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KBCHAT_QUESTIONS_PER_MINUTE", "many")
    result = CliRunner().invoke(app, ["users", "list"])
    assert result.exit_code == 2
    assert "KBCHAT_QUESTIONS_PER_MINUTE" in result.output and "Traceback" not in result.output


def test_preparing_the_web_app_writes_no_environment(tmp_path: Path) -> None:
    before = dict(os.environ)
    said: list[str] = []
    environment = prepare(AppContext(Settings(data_dir=tmp_path)), said.append)
    assert dict(os.environ) == before
    assert environment["CHAINLIT_APP_ROOT"] == str(tmp_path / "web")
    assert environment["CHAINLIT_AUTH_SECRET"] == (tmp_path / "auth-secret").read_text().strip()
    assert said and "admin" in said[0]  # the first admin, created once
    again = prepare(AppContext(Settings(data_dir=tmp_path)), said.append)
    assert again == environment and len(said) == 1


def test_importing_the_web_app_installs_nothing() -> None:
    """Chainlit's decorators register the handlers; kbchat's routes and its changes to
    Chainlit come only when ``kbchat serve`` starts the app (chat/web/run.py)."""
    code = (
        "from chainlit.server import app\n"
        "before = [getattr(r, 'path', '') for r in app.router.routes]\n"
        "import chat.web.app\n"
        "after = [getattr(r, 'path', '') for r in app.router.routes]\n"
        "assert before == after, set(after) - set(before)\n"
        "assert not any(p.startswith('/kbchat') for p in after)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
