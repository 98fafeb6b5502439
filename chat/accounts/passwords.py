"""Passwords: how long and how hard to guess they must be, and checking one against its
Argon2id hash (unknown names take as long as known ones)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from chat.accounts.errors import AccountError

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024
MIN_PASSWORD_SCORE = 3


def check_password(password: str, username: str = "") -> None:
    """Refuse a password that is too short, or too easy to guess (zxcvbn: common passwords,
    names, keyboard runs and repeats, the user's own name; a score under 3 of 4). The
    message is in both languages: the password pages are read by staff of either."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(
            f"密碼至少要 {MIN_PASSWORD_CHARS} 個字元 / "
            f"the password must have at least {MIN_PASSWORD_CHARS} characters"
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(
            f"密碼最多 {MAX_PASSWORD_CHARS} 個字元 / "
            f"the password must have at most {MAX_PASSWORD_CHARS} characters"
        )
    verdict = zxcvbn(password[:100], user_inputs=[username, "kbchat", "admin"])
    if verdict["score"] < MIN_PASSWORD_SCORE:
        advice = verdict["feedback"]
        hints = [advice.get("warning") or "", *advice.get("suggestions", [])]
        why = " ".join(hint.strip().rstrip(".") + "." for hint in hints if hint.strip())
        raise AccountError(
            "密碼太容易猜中，請用幾個不相關的詞或一句較長的話 / "
            "the password is too easy to guess; a few unrelated words or a longer phrase "
            "are better" + (f" ({why})" if why else "")
        )


def matches(hasher: PasswordHasher, stored: str, password: str) -> bool:
    """Whether the password is the one the stored hash was made from."""
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """A hash to verify against for unknown names, so they take as long as known ones."""
    return PasswordHasher().hash(secrets.token_urlsafe(16))
