"""No guessing passwords: growing delays after failed logins, then a lockout an admin lifts.

Counted per account and per client address, in the app database, so every app process
behind a load balancer sees the same counts and a restart forgets nothing. After a few free
failures each further one makes that account (or address) wait twice as long as the last,
up to a minute; at the lockout count the account is locked for a quarter of an hour, or
until an admin unlocks it. While a wait or a lockout lasts, the password is not even
checked: the right one is refused too. Locks and unlocks go to the accounts' audit trail.
The web app takes the attempts at one account one at a time (``chat/web/guarded_routes``),
so a burst of simultaneous guesses cannot all pass the check before the first one counts.

(`limits` and `slowapi` count requests in memory or Redis; neither keeps a lockout an admin
can lift, and kbchat has no Redis. The counts here are one small table: docs/decisions.md.)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, col, delete, select

from chat.accounts.users import record_event


class LoginFailure(SQLModel, table=True):
    """Recent failed logins of one account or one client address."""

    __tablename__ = "login_failure"

    key: str = Field(primary_key=True, max_length=200)
    """``account:<name>`` or ``address:<ip>``."""
    failures: int = 0
    last_failure: int = 0
    blocked_until: int = 0
    """No login is tried for this key before this Unix time."""
    locked: bool = False
    """An account lockout: lifted when it runs out or by an admin (``kbchat users unlock``)."""


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, when an account locks, for how long, and when failures
    are forgotten."""

    free_failures: int = 3
    lockout_failures: int = 10
    lockout_s: int = 15 * 60
    address_free_failures: int = 20
    max_delay_s: int = 60
    forget_after_s: int = 60 * 60


class LoginRefused(Exception):
    """A login not tried: ``wait_s`` seconds must pass first (``locked``: a lockout)."""

    def __init__(self, subject: str, wait_s: int, locked: bool, what: str = "logins") -> None:
        self.wait_s, self.locked = wait_s, locked
        why = f"is locked after too many failed {what}" if locked else f"had too many failed {what}"
        zh = "登入失敗太多次，已暫時鎖定" if locked else "登入失敗太多次"
        super().__init__(f"{zh}，請 {wait_s} 秒後再試 / {subject} {why}; try again in {wait_s} s")


def _account(username: str) -> str:
    return f"account:{username[:64]}"


def _address(address: str) -> str:
    return f"address:{address[:64]}"


class LoginThrottle:
    """Decide whether a login may be tried now, and count how it went."""

    def __init__(
        self,
        engine: Engine,
        policy: ThrottlePolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.policy = policy or ThrottlePolicy()
        self._clock = clock

    def _now(self) -> int:
        return int(self._clock())

    def check(self, username: str, address: str) -> None:
        """Raise ``LoginRefused`` while the account or the address must wait."""
        self._check([(_account(username), f"the user {username!r}"),
                     (_address(address), f"the address {address}")])  # fmt: skip

    def check_address(self, address: str) -> None:
        """Raise ``LoginRefused`` while the address must wait (an API key's request: a key
        is not an account a guesser could lock)."""
        self._check([(_address(address), f"the address {address}")], "logins or wrong API keys")

    def _check(self, subjects: list[tuple[str, str]], what: str = "logins") -> None:
        now = self._now()
        with Session(self.engine) as session:
            for key, subject in subjects:
                row = session.get(LoginFailure, key)
                if row is not None and row.blocked_until > now:
                    raise LoginRefused(subject, row.blocked_until - now, row.locked, what)

    def failed(self, username: str, address: str) -> None:
        """Count a wrong password (or an unknown name): the wait grows, the account may lock."""
        policy = self.policy
        self._failed(username, address, [(_account(username), policy.free_failures, True),
                                         (_address(address), policy.address_free_failures,
                                          False)])  # fmt: skip

    def failed_address(self, address: str) -> None:
        """Count a wrong API key from an address: its wait grows as for wrong passwords."""
        self._failed("", address, [(_address(address), self.policy.address_free_failures, False)])

    def _failed(self, username: str, address: str, counted: list[tuple[str, int, bool]]) -> None:
        now, policy = self._now(), self.policy
        with Session(self.engine) as session:
            stale = now - policy.forget_after_s
            session.exec(
                delete(LoginFailure).where(
                    col(LoginFailure.last_failure) < stale, col(LoginFailure.blocked_until) < now
                )
            )
            for key, free, lockable in counted:
                row = session.get(LoginFailure, key) or LoginFailure(key=key)
                row.failures += 1
                row.last_failure = now
                over = row.failures - free
                if lockable and row.failures >= policy.lockout_failures:
                    if not (row.locked and row.blocked_until > now):  # newly locked
                        record_event(session, "kbchat", "login-locked", username[:64],
                                     failures=row.failures, address=address)  # fmt: skip
                    row.locked, row.blocked_until = True, now + policy.lockout_s
                elif over > 0:
                    # From the next whole second: a wait of 1 s is never cut to a fraction.
                    wait = min(2 ** (over - 1), policy.max_delay_s)
                    row.blocked_until = math.ceil(self._clock()) + wait
                session.add(row)
            session.commit()

    def succeeded(self, username: str) -> None:
        """A right password: the account's failures are forgotten. The address's are not
        (they fade after ``forget_after_s``): else anyone with an account could reset the
        address's count between guesses at other accounts by logging in as themself."""
        with Session(self.engine) as session:
            row = session.get(LoginFailure, _account(username))
            if row is not None:
                session.delete(row)
                session.commit()

    def unlock(self, username: str, actor: str) -> bool:
        """Lift an account's lockout and forget its failures; False when it had none."""
        with Session(self.engine) as session:
            row = session.get(LoginFailure, _account(username))
            if row is None:
                return False
            session.delete(row)
            record_event(session, actor, "login-unlocked", username, failures=row.failures)
            session.commit()
        return True

    def locked_accounts(self) -> dict[str, int]:
        """The accounts locked now, with the Unix time each lockout ends."""
        now = self._now()
        query = select(LoginFailure).where(
            col(LoginFailure.locked).is_(True), col(LoginFailure.blocked_until) > now
        )
        with Session(self.engine) as session:
            rows = session.exec(query).all()
        return {row.key.removeprefix("account:"): row.blocked_until for row in rows}
