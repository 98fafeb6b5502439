"""API keys: only hashes kept, refused once revoked or expired, audited; the keys CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session
from typer.testing import CliRunner

from chat.accounts.api_keys import ApiKey, ApiKeys, KeyRefused, parse_expiry
from chat.accounts.errors import AccountError
from chat.accounts.users import Accounts, Role
from chat.cli.main import app
from chat.database import open_database


@pytest.fixture
def keys(database_url: str) -> Iterator[ApiKeys]:
    engine = open_database(database_url)
    yield ApiKeys(engine)
    engine.dispose()


def test_a_key_is_shown_once_and_only_its_hash_is_kept(keys: ApiKeys) -> None:
    made = keys.add("portal", Role.STAFF, actor="boss", collections=["guidelines"])
    assert made.secret.startswith("kbc_") and len(made.secret) > 50
    with keys.engine.connect() as connection:
        stored = [tuple(r) for r in connection.execute(sa.text("SELECT * FROM api_key"))]
    assert stored and not any(made.secret in str(value) for value in stored[0])
    key = keys.check(made.secret)
    assert (key.name, key.role, key.collections) == ("portal", Role.STAFF, ["guidelines"])
    assert key.identity == f"key:portal:{key.key_id}"


@pytest.mark.parametrize(
    "presented",
    ["", "kbc_", "Bearer kbc_x", "kbc_000000000000_" + "A" * 43, "kbc_{id}_" + "B" * 43, "{key}x"],
)
def test_keys_that_are_not_a_made_key_are_refused_alike(keys: ApiKeys, presented: str) -> None:
    made = keys.add("portal", Role.ADMIN, actor="boss")
    token = presented.format(id=made.key.key_id, key=made.secret)
    with pytest.raises(KeyRefused, match="not valid") as refused:
        keys.check(token)
    assert refused.value.code == "invalid_key"


def test_a_revoked_key_is_refused_and_its_name_can_be_used_again(keys: ApiKeys) -> None:
    first = keys.add("sync", Role.ADMIN, actor="boss")
    with pytest.raises(AccountError, match="'sync' is in use"):
        keys.add("sync", Role.STAFF, actor="boss")
    keys.revoke("sync", actor="boss")
    with pytest.raises(KeyRefused, match="'sync' was revoked") as refused:
        keys.check(first.secret)
    assert refused.value.code == "key_revoked"
    with pytest.raises(AccountError, match="already revoked"):
        keys.revoke(first.key.key_id, actor="boss")
    second = keys.add("sync", Role.STAFF, actor="boss")
    assert keys.check(second.secret).identity != first.key.identity  # a new caller


def test_an_expired_key_is_refused(keys: ApiKeys) -> None:
    made = keys.add("temp", Role.STAFF, actor="boss", expires_at=datetime.now(UTC) + timedelta(1))
    with Session(keys.engine) as session:
        row = session.get(ApiKey, made.key.key_id)
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(row)
        session.commit()
    with pytest.raises(KeyRefused, match="'temp' has expired") as refused:
        keys.check(made.secret)
    assert refused.value.code == "key_expired"
    with pytest.raises(AccountError, match="would expire at once"):
        keys.add("late", Role.STAFF, actor="boss", expires_at=datetime.now(UTC))


@pytest.mark.parametrize(
    ("name", "collections", "reason"),
    [
        ("a b", [], "invalid key name"),
        ("x" * 41, [], "invalid key name"),
        ("ok", ["../etc"], "invalid collection name"),
    ],  # fmt: skip
)
def test_bad_names_are_refused(
    keys: ApiKeys, name: str, collections: list[str], reason: str
) -> None:
    with pytest.raises(AccountError, match=reason):
        keys.add(name, Role.STAFF, actor="boss", collections=collections)
    assert keys.list_keys() == []


def test_keys_made_revoked_and_used_are_in_the_audit_trail(keys: ApiKeys) -> None:
    made = keys.add("desk", Role.CLINICIAN, actor="boss")
    keys.record_use(made.key, "POST", "/api/v1/ask", 200, "10.0.0.7")
    keys.revoke("desk", actor="boss")
    trail = Accounts(keys.engine).events(made.key.identity)
    assert [(e.actor, e.action) for e in trail] == [
        ("boss", "key-added"), (made.key.identity, "api-request"), ("boss", "key-revoked"),
    ]  # fmt: skip
    assert json.loads(trail[1].detail_json) == {
        "method": "POST", "path": "/api/v1/ask", "status": 200, "address": "10.0.0.7",
    }  # fmt: skip
    assert keys.list_keys()[0].last_used_at is not None


def test_expiry_is_read_as_a_span_or_a_date() -> None:
    now = datetime(2026, 12, 6, 10, 30, tzinfo=UTC)
    assert parse_expiry("90d", now) == now + timedelta(days=90)
    assert parse_expiry("12h", now) == now + timedelta(hours=12)
    assert parse_expiry("2027-06-30", now) == datetime(2027, 7, 1, tzinfo=UTC)
    assert parse_expiry("", now) is None
    with pytest.raises(AccountError, match="unreadable expiry 'soon'"):
        parse_expiry("soon", now)


def test_the_keys_command_makes_lists_and_revokes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    cli = CliRunner()
    added = cli.invoke(app, ["keys", "add", "portal", "--role", "clinician",
                             "--collections", "a,b", "--expires", "30d"])  # fmt: skip
    assert added.exit_code == 0, added.output
    secret = added.stdout.strip()
    assert secret.startswith("kbc_") and "shown only now" in added.stderr
    listed = json.loads(cli.invoke(app, ["keys", "list", "--json"]).stdout)
    assert [(k["name"], k["role"], k["collections"], k["state"]) for k in listed] == [
        ("portal", "clinician", ["a", "b"], "active")
    ]
    assert secret not in json.dumps(listed)
    assert cli.invoke(app, ["keys", "revoke", "portal"]).exit_code == 0
    again = cli.invoke(app, ["keys", "revoke", "portal"])
    assert again.exit_code == 1 and "no key 'portal' in use" in again.stderr
    bad = cli.invoke(app, ["keys", "add", "x", "--expires", "tomorrow"])
    assert bad.exit_code == 1 and "unreadable expiry 'tomorrow'" in bad.stderr
