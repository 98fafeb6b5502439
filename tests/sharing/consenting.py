"""A user who reads the current consent text and agrees: the share flow the web app runs."""

from __future__ import annotations

from sharing.consent import consent_text
from sharing.service import QADraft, SharingService


def share_with_consent(
    service: SharingService, draft: QADraft, *, user: str, locale: str = "zh-TW"
) -> int:
    """Share the draft after consenting to the current text in the locale; return its id."""
    consent = consent_text(locale)
    qa = service.share(
        draft,
        user_id=user,
        locale=locale,
        consent_version=consent.version,
        consent_sha256=consent.sha256,
        method="web-button",
    )
    assert qa.id is not None
    return qa.id
