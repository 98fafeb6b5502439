"""A real `kbchat serve` on loopback, real users, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from chat.accounts.users import Role
from chat.factory import build_accounts
from chat.settings import Settings
from tests.servers import free_port, running_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERS = {
    "nurse.lin": ("nurse-password-1", Role.CLINICIAN),
    "clerk.wu": ("clerk-password-1", Role.STAFF),
    "boss": ("admin-password-1", Role.ADMIN),
}


@dataclass(frozen=True)
class WebApp:
    """The running app: its address and data dir."""

    url: str
    data_dir: Path


def make_data_dir(root: Path, bundled_model: Path, database_url: str | None = None) -> Path:
    """A data dir holding the bundled model (hard link), and the test users in its database
    (or in the one at ``database_url``)."""
    data_dir = root / "data"
    models = data_dir / "models"
    models.mkdir(parents=True)
    os.link(bundled_model, models / bundled_model.name)  # no second 491 MB copy
    accounts = build_accounts(Settings(data_dir=data_dir, database_url=database_url))
    for name, (password, role) in USERS.items():
        accounts.add(name, password, role)
    accounts.engine.dispose()
    return data_dir


def app_db_rows(data_dir: Path, sql: str, **params: object) -> list[tuple[object, ...]]:
    """The rows of one query on a running app's SQLite database (read beside the app)."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{data_dir / 'kbchat.db'}")
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


@contextmanager
def serving(data_dir: Path, settings: dict[str, str] | None = None) -> Iterator[WebApp]:
    """Run `kbchat serve` on a free loopback port until the block ends (with extra
    ``KBCHAT_*`` settings, if given)."""
    port = free_port()
    env = {
        **os.environ,
        "KBCHAT_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        **(settings or {}),
    }
    command = [sys.executable, "-m", "chat", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    log = data_dir / f"serve-{port}.log"
    with running_server(command, f"{url}/health", 240, env=env, log=log):
        yield WebApp(url, data_dir)


@pytest.fixture(scope="session")
def web_app(tmp_path_factory: pytest.TempPathFactory, bundled_model: Path) -> Iterator[WebApp]:
    """`kbchat serve` in a subprocess with three users, stopped after the session."""
    with serving(make_data_dir(tmp_path_factory.mktemp("web"), bundled_model)) as app:
        yield app


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (no `playwright install`); skipped, saying why, if missing."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed browser or HTTP test shows the end of its server's log, so a failure seen
    only in CI says what the app did (an exception, a refused request) and not just what
    the page showed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    app = getattr(item, "funcargs", {}).get("web_app") or getattr(item, "funcargs", {}).get("scene")
    if report.failed and app is not None:
        logs = sorted(Path(app.data_dir).glob("serve-*.log"), key=lambda p: p.stat().st_mtime)
        if logs:
            report.sections.append(("server log (end)", logs[-1].read_text()[-6000:]))


from tests.web.api_keys import api_keys  # noqa: E402,F401  (the API's keys on the scene)
from tests.web.scene import scene  # noqa: E402,F401  (a fixture the web tests share)
