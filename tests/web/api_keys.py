"""API keys on the authorization scene's `kbchat serve`: one per role, one limited to a
collection, one expired and one revoked, each made with `kbchat keys add` as an admin would."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from chat.accounts.api_keys import ApiKeys
from chat.accounts.users import Role
from tests.web.scene import Scene

KEY_ROLES = ("staff", "clinician", "admin")


@dataclass(frozen=True)
class Keys:
    """The scene's keys by name: ``staff``, ``clinician``, ``admin``, ``limited`` (staff, the
    ``default`` collection only), ``expired`` and ``revoked`` (both admin keys)."""

    url: str
    keys: dict[str, str]
    data_dir: Path | None = None

    def fresh(self) -> Keys:
        """The same keys, but new ones for the valid roles (each with a question rate of its
        own: the scene allows three questions a minute), made as `kbchat keys add` would."""
        assert self.data_dir is not None
        engine = sa.create_engine(f"sqlite:///{self.data_dir / 'kbchat.db'}")
        made = ApiKeys(engine)
        tag = secrets.token_hex(3)
        renewed = {
            name: made.add(f"{name}-{tag}", Role(role), actor="tests", collections=limits).secret
            for name, role, limits in (("staff", "staff", []), ("clinician", "clinician", []),
                                       ("admin", "admin", []), ("limited", "staff", ["default"]))
        }  # fmt: skip
        engine.dispose()
        return Keys(self.url, {**self.keys, **renewed}, self.data_dir)

    def client(self, name: str | None, **headers: str) -> httpx.Client:
        """An HTTP client of the API that presents the named key (none when ``name`` is None)."""
        sent = {"Authorization": f"Bearer {self.keys[name]}"} if name else {}
        return httpx.Client(base_url=f"{self.url}/api/v1", headers={**sent, **headers}, timeout=300)


def kbchat(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the `kbchat` command on a data dir."""
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "chat", *args]
    return subprocess.run(command, env=env, input=stdin, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def _made(data_dir: Path, name: str, role: str, *more: str) -> str:
    done = kbchat(data_dir, "keys", "add", name, "--role", role, *more)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="session")
def api_keys(scene: Scene) -> Keys:
    """The keys, made on the running scene's database."""
    keys = {role: _made(scene.data_dir, f"{role}-key", role) for role in KEY_ROLES}
    keys["limited"] = _made(scene.data_dir, "limited-key", "staff", "--collections", "default")
    keys["expired"] = _made(scene.data_dir, "expired-key", "admin", "--expires", "1h")
    keys["revoked"] = _made(scene.data_dir, "revoked-key", "admin")
    revoked = kbchat(scene.data_dir, "keys", "revoke", "revoked-key")
    assert revoked.returncode == 0, revoked.stderr
    engine = sa.create_engine(f"sqlite:///{scene.data_dir / 'kbchat.db'}")
    with engine.begin() as connection:  # an hour has passed
        connection.execute(
            sa.text("UPDATE api_key SET expires_at = '2026-01-01 00:00:00' WHERE name = :n"),
            {"n": "expired-key"},
        )
    engine.dispose()
    return Keys(scene.url, keys, scene.data_dir)
