"""Users of the web app: Argon2 hashes, roles, the first admin, and the users CLI."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chat.accounts.errors import AccountError
from chat.accounts.users import Accounts, Role
from chat.cli.main import app
from chat.database import open_database


@pytest.fixture
def accounts(database_url: str) -> Iterator[Accounts]:
    engine = open_database(database_url)
    yield Accounts(engine)
    engine.dispose()


def test_passwords_are_hashed_and_verified(accounts: Accounts) -> None:
    accounts.add("nurse.lin", "correct horse battery", Role.CLINICIAN)
    stored = accounts.get("nurse.lin")
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    assert "correct horse" not in stored.password_hash
    user = accounts.verify("nurse.lin", "correct horse battery")
    assert user is not None and user.role == Role.CLINICIAN
    assert accounts.verify("nurse.lin", "wrong password!!") is None
    assert accounts.verify("nobody", "correct horse battery") is None


def test_bad_names_short_passwords_and_duplicates_are_refused(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match="at least 10 characters"):
        accounts.add("amy", "short", Role.STAFF)
    with pytest.raises(AccountError, match="invalid user name"):
        accounts.add("a b", "long enough password", Role.STAFF)
    accounts.add("amy", "long enough password", Role.STAFF)
    with pytest.raises(AccountError, match="already exists"):
        accounts.add("amy", "another long password", Role.ADMIN)


def test_the_first_admin_is_created_once_with_an_owner_only_password_file(
    accounts: Accounts, tmp_path: Path
) -> None:
    password_file = tmp_path / "admin-password.txt"
    password = accounts.ensure_first_admin(password_file)
    assert password and password_file.read_text().split() == ["admin", password]
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    admin = accounts.verify("admin", password)
    assert admin is not None and admin.role == Role.ADMIN and admin.must_change_password
    assert accounts.ensure_first_admin(password_file) is None  # users exist: nothing happens
    with pytest.raises(AccountError, match="last admin"):
        accounts.remove("admin")
    accounts.change_password("admin", "a brand new password")
    changed = accounts.verify("admin", "a brand new password")
    assert changed is not None and not changed.must_change_password


def test_the_users_command_reads_the_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    cli = CliRunner()
    added = cli.invoke(
        app, ["users", "add", "dr.wang", "--role", "clinician"], input="s3cret-passw0rd\n"
    )
    assert added.exit_code == 0, added.output
    listed = json.loads(cli.invoke(app, ["users", "list", "--json"]).stdout)
    assert [(u["name"], u["role"]) for u in listed] == [("dr.wang", "clinician")]
    short = cli.invoke(app, ["users", "add", "amy"], input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.stderr
    assert cli.invoke(app, ["users", "remove", "dr.wang"]).exit_code == 0
    gone = cli.invoke(app, ["users", "remove", "dr.wang"])
    assert gone.exit_code == 1 and "no user 'dr.wang'" in gone.stderr


@pytest.mark.parametrize(
    ("password", "why"),
    [("aaaaaaaaaa", "too easy to guess"), ("password1234", "too easy to guess"),
     ("qwertyuiop", "too easy to guess"), ("nurse.lin.2026", "too easy to guess"),
     ("x" * 2000, "at most 1024")],
)  # fmt: skip
def test_weak_and_common_passwords_are_refused(accounts: Accounts, password: str, why: str) -> None:
    with pytest.raises(AccountError, match=why):
        accounts.add("nurse.lin", password, Role.CLINICIAN)
    assert accounts.get("nurse.lin") is None


def test_every_new_session_key_ends_the_older_logins(accounts: Accounts) -> None:
    from chat.accounts.errors import SessionEnded

    first = accounts.add("clerk.wu", "teal-otter-lantern", Role.STAFF)
    assert accounts.check_session("clerk.wu", first.session_key, "d1").role == Role.STAFF
    renewed = accounts.change_password("clerk.wu", "amber-heron-compass")
    with pytest.raises(SessionEnded, match="new password"):
        accounts.check_session("clerk.wu", first.session_key, "d1")
    assert accounts.check_session("clerk.wu", renewed, "d1").username == "clerk.wu"
    accounts.add("boss", "violet-walrus-harbor", Role.ADMIN)  # so clerk.wu is not the last admin
    accounts.remove("clerk.wu")
    again = accounts.add("clerk.wu", "teal-otter-lantern", Role.STAFF)
    assert again.session_key not in (first.session_key, renewed)
    with pytest.raises(SessionEnded):
        accounts.check_session("clerk.wu", renewed, "d1")  # a re-created name starts afresh


def test_only_a_known_ui_language_is_kept(accounts: Accounts) -> None:
    accounts.add("lang.nurse", "quiet-maple-harbor-42", Role.STAFF)
    accounts.choose_language("lang.nurse", "en-US")
    with pytest.raises(AccountError, match="unknown language 'fr-FR'"):
        accounts.choose_language("lang.nurse", "fr-FR")
    with pytest.raises(AccountError, match="no user 'nobody'"):
        accounts.choose_language("nobody", "zh-TW")
    kept = accounts.get("lang.nurse")
    assert kept is not None and kept.ui_language == "en-US"  # the refused one changed nothing
