"""What can go wrong with an account or a login; the edges say it to the user."""

from __future__ import annotations


class AccountError(ValueError):
    """A user that cannot be created, found or changed; the message says why."""


class SessionEnded(AccountError):
    """A login token that no longer counts; the message says why (logged out, disabled...)."""
