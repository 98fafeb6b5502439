"""The failed-login throttle on a real database: growing waits, the lockout, the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from chat.accounts.login_throttle import LoginRefused, LoginThrottle, ThrottlePolicy
from chat.accounts.users import Accounts
from chat.database import open_database


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def throttle(tmp_path: Path) -> tuple[LoginThrottle, Accounts, Clock]:
    engine = open_database(f"sqlite:///{tmp_path / 'app.db'}")
    accounts = Accounts(engine)
    clock = Clock()
    policy = ThrottlePolicy(free_failures=3, lockout_failures=6, lockout_s=900)
    return LoginThrottle(engine, policy, clock=clock), accounts, clock


def test_free_failures_then_each_wait_twice_the_last(
    throttle: tuple[LoginThrottle, Accounts, Clock],
) -> None:
    logins, _, clock = throttle
    for _ in range(3):
        logins.check("nurse.lin", "10.0.0.5")
        logins.failed("nurse.lin", "10.0.0.5")
    logins.check("nurse.lin", "10.0.0.5")  # three are free
    waits = []
    for _ in range(2):
        logins.failed("nurse.lin", "10.0.0.5")
        with pytest.raises(LoginRefused) as refused:
            logins.check("nurse.lin", "10.0.0.5")
        waits.append(refused.value.wait_s)
        clock.now += refused.value.wait_s
    assert waits == [1, 2]
    logins.check("nurse.lin", "10.0.0.5")  # the wait is over
    logins.check("clerk.wu", "10.0.0.6")  # another account from another address is not held


def test_the_lockout_holds_the_right_password_until_an_admin_lifts_it(
    throttle: tuple[LoginThrottle, Accounts, Clock],
) -> None:
    logins, accounts, clock = throttle
    for _ in range(6):
        clock.now += 120
        logins.failed("boss", "10.0.0.7")
    with pytest.raises(LoginRefused) as refused:
        logins.check("boss", "10.0.0.8")  # from anywhere
    assert refused.value.locked and refused.value.wait_s == 900
    assert "locked" in str(refused.value) and "'boss'" in str(refused.value)
    assert list(logins.locked_accounts()) == ["boss"]
    assert logins.unlock("boss", "it.admin")
    logins.check("boss", "10.0.0.8")
    assert [(e.actor, e.action, e.username) for e in accounts.events("boss")] == [
        ("kbchat", "login-locked", "boss"),
        ("it.admin", "login-unlocked", "boss"),
    ]


def test_a_right_password_forgets_the_failures(
    throttle: tuple[LoginThrottle, Accounts, Clock],
) -> None:
    logins, _, clock = throttle
    for _ in range(3):
        logins.failed("clerk.wu", "10.0.0.9")
    logins.succeeded("clerk.wu")
    logins.failed("clerk.wu", "10.0.0.9")
    logins.check("clerk.wu", "10.0.0.9")  # counting starts again: one failure is free
    clock.now += 2 * 3600
    assert logins.locked_accounts() == {}


def test_logging_in_as_oneself_does_not_reset_the_addresss_count(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'app.db'}")
    Accounts(engine)
    logins = LoginThrottle(engine, ThrottlePolicy(address_free_failures=5), clock=Clock())
    for round_ in range(2):  # guesses at other accounts, and the sprayer's own login between
        for name in range(3):
            logins.check(f"victim{round_}{name}", "10.0.0.66")
            logins.failed(f"victim{round_}{name}", "10.0.0.66")
        logins.succeeded("sprayer")
    with pytest.raises(LoginRefused, match="the address 10.0.0.66"):
        logins.check("victim9", "10.0.0.66")


def test_a_lockout_is_written_to_the_trail_once(
    throttle: tuple[LoginThrottle, Accounts, Clock],
) -> None:
    logins, accounts, _ = throttle
    for _ in range(9):
        logins.failed("boss", "10.0.0.7")  # failures still counted while locked (a race)
    assert [e.action for e in accounts.events("boss")] == ["login-locked"]


def test_wrong_api_keys_slow_their_address_and_lock_no_account(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'app.db'}")
    clock = Clock()
    logins = LoginThrottle(engine, ThrottlePolicy(address_free_failures=2), clock=clock)
    for _ in range(2):
        logins.check_address("10.0.0.9")
        logins.failed_address("10.0.0.9")
    logins.check_address("10.0.0.9")  # two are free
    logins.failed_address("10.0.0.9")
    with pytest.raises(LoginRefused, match="the address 10.0.0.9") as refused:
        logins.check_address("10.0.0.9")
    assert refused.value.wait_s == 1 and not refused.value.locked
    logins.check_address("10.0.0.10")  # another address is not slowed
    assert logins.locked_accounts() == {}
    clock.now += 1
    logins.check_address("10.0.0.9")
