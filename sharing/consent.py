"""The consent texts a user agrees to before sharing, versioned files in the repository.

A consent record stores the version and the SHA-256 of the exact text shown, so what a
user agreed to can always be shown again, and a changed text is a new version.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sharing.errors import SharingError

CONSENT_DIR = Path(__file__).parent / "consent"
_FILE = re.compile(r"^(?P<locale>[A-Za-z-]+)-v(?P<version>\d+)\.md$")


@dataclass(frozen=True)
class ConsentText:
    """One version of the consent text in one language."""

    version: str
    locale: str
    text: str

    @property
    def sha256(self) -> str:
        """The hash stored with each consent, proving which text was shown."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _available(directory: Path) -> dict[tuple[str, int], Path]:
    found: dict[tuple[str, int], Path] = {}
    for path in directory.glob("*.md"):
        match = _FILE.match(path.name)
        if match:
            found[match["locale"], int(match["version"])] = path
    return found


def consent_text(
    locale: str, version: str | None = None, directory: Path = CONSENT_DIR
) -> ConsentText:
    """The consent text for a locale (English when it has none): a given or the latest version."""
    available = _available(directory)
    locales = {loc for loc, _ in available}
    chosen = locale if locale in locales else "en"
    versions = sorted(v for loc, v in available if loc == chosen)
    if not versions:
        raise SharingError(f"no consent text for {chosen!r} in {directory}")
    number = int(version.lstrip("v")) if version else versions[-1]
    path = available.get((chosen, number))
    if path is None:
        raise SharingError(f"no consent text version v{number} for {chosen!r}")
    return ConsentText(f"v{number}", chosen, path.read_text("utf-8"))
