"""The app the authorization tests run against: a real `kbchat serve` on loopback, with users
of every role, and an organization document, a private upload, a shared QA and a chat thread
that belong to ``clerk.wu``."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from chainlit.user import User

from chat.access import private_collection
from chat.accounts.users import Role
from chat.database import open_database
from chat.factory import build_accounts, build_sharing
from chat.settings import Settings
from chat.web.form_token import FIELD
from chat.web.history import HistoryDataLayer, async_url
from sharing.service import QADraft
from tests.datasets import DRCD
from tests.sharing.consenting import share_with_consent
from tests.web.chat_client import log_in, run_async
from tests.web.conftest import USERS, make_data_dir, serving

ORG_PDF, PRIVATE_PDF = DRCD / "drcd-dev-001.pdf", DRCD / "drcd-dev-002.pdf"
EXTRA_USERS = {
    "clerk.chen": ("chen-password-1", Role.STAFF),
    "temp.ho": ("temp-password-1", Role.STAFF),
    "temp.lee": ("temp-password-2", Role.STAFF),
}
PASSWORDS = {name: password for name, (password, _) in {**USERS, **EXTRA_USERS}.items()}
ROLES = ("anonymous", "owner", "staff", "clinician", "admin")
AS_USER = {"owner": "clerk.wu", "staff": "clerk.chen", "clinician": "nurse.lin", "admin": "boss"}
SESSION_HOURS = 8
LIMITS = {
    "KBCHAT_SESSION_HOURS": str(SESSION_HOURS),
    "KBCHAT_QUESTIONS_PER_MINUTE": "3",
    "KBCHAT_MAX_INGESTS_PER_USER": "1",
    "KBCHAT_MAX_UPLOAD_MB": "1",
    "KBCHAT_MAX_PAGES": "20",
    "KBCHAT_MAX_QUESTION_CHARS": "500",
    "KBCHAT_LOGIN_LOCKOUT_FAILURES": "5",
    # Every test logs in from 127.0.0.1: the address limit is tested on its own.
    "KBCHAT_LOGIN_ADDRESS_FREE_FAILURES": "1000",
}
"""Small limits, so the tests can reach each one."""


@dataclass(frozen=True)
class Scene:
    """The running app and the ids of what clerk.wu owns."""

    url: str
    data_dir: Path
    org_doc: str
    private_doc: str
    org_chunk: str
    private_chunk: str
    qa_id: int
    thread_id: str
    tokens: dict[str, str]


def _ingest(data_dir: Path, pdf: Path, collection: str) -> None:
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "chat", "ingest", str(pdf), "--collection", collection]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)


def _first_chunk(data_dir: Path, doc_id: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{data_dir / 'kbchat.db'}")
    with engine.connect() as connection:
        query = sa.text("SELECT chunk_id FROM kb_chunk WHERE doc_id = :d ORDER BY chunk_id LIMIT 1")
        chunk = connection.execute(query, {"d": doc_id}).scalar_one()
    engine.dispose()
    return str(chunk)


def _thread_of(data_dir: Path, username: str) -> str:
    """A chat thread of the user, written through Chainlit's own data layer."""
    url = Settings(data_dir=data_dir).resolved_database_url
    open_database(url)  # its tables, as the web app's start makes them

    async def write() -> str:
        layer = HistoryDataLayer(conninfo=async_url(url))
        user = await layer.create_user(User(identifier=username, metadata={"role": "staff"}))
        assert user is not None
        thread_id = str(uuid.uuid4())
        await layer.update_thread(thread_id, name="病歷討論（私人）", user_id=user.id)
        await layer.engine.dispose()
        return thread_id

    return run_async(write())


@pytest.fixture(scope="session")
def scene(tmp_path_factory: pytest.TempPathFactory, bundled_model: Path) -> Iterator[Scene]:
    """The app with clerk.wu's document, upload, shared QA and thread; everyone logged in."""
    data_dir = make_data_dir(tmp_path_factory.mktemp("authz"), bundled_model)
    settings = Settings(data_dir=data_dir)
    accounts = build_accounts(settings)
    for name, (password, role) in EXTRA_USERS.items():
        accounts.add(name, password, role)
    accounts.engine.dispose()
    _ingest(data_dir, ORG_PDF, "default")
    _ingest(data_dir, PRIVATE_PDF, private_collection("clerk.wu"))
    org, private = (hashlib.sha256(p.read_bytes()).hexdigest() for p in (ORG_PDF, PRIVATE_PDF))
    draft = QADraft("病歷號 A123 的檢查？", "見指引 [1]", "kb-assistant", 1, "qwen")
    qa_id = share_with_consent(build_sharing(settings).service, draft, user="clerk.wu")
    thread_id = _thread_of(data_dir, "clerk.wu")
    with serving(data_dir, LIMITS) as app:
        tokens = {role: run_async(log_in(app.url, u, PASSWORDS[u])) for role, u in AS_USER.items()}
        yield Scene(app.url, data_dir, org, private, _first_chunk(data_dir, org),
                    _first_chunk(data_dir, private), qa_id, thread_id, tokens)  # fmt: skip


def client_for(
    scene: Scene,
    role: str | None = None,
    *,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Client:
    """An HTTP client logged in as a role of the scene (anonymous when none)."""
    if role in scene.tokens:
        cookies = {"access_token": scene.tokens[str(role)]}
    return httpx.Client(
        base_url=scene.url, cookies=cookies, headers=headers, timeout=60, follow_redirects=False
    )


CONFIRMED = {"confirmed": "yes"}
"""The answer of the admin pages' confirmation step, for changes that cannot be undone."""


def post_form(
    client: httpx.Client,
    path: str,
    data: dict[str, str] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST one of kbchat's forms as its page does: with the form token of the login."""
    return client.post(path, data={**(data or {}), FIELD: form_token_of(client)}, headers=headers)


def form_token_of(client: httpx.Client) -> str:
    """The form token kbchat's pages give this client's login (the password page has one)."""
    page = client.get("/kbchat/account/password")
    found = re.search(rf'name="{FIELD}" value="([0-9a-f]+)"', page.text)
    assert found, f"no form token on the password page ({page.status_code})"
    return found.group(1)
