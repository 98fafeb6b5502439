"""What the admin pages write, apart from a server: times in the site's zone, in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from chat.settings import Settings
from chat.web.admin import STATUS_LABELS, local_time
from chat.web.admin import pages as admin


def test_times_are_shown_in_the_site_s_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    class Site:
        settings = Settings(timezone="Asia/Taipei")

    monkeypatch.setattr(admin, "services", lambda: Site)
    stored = datetime(2026, 12, 1, 16, 30)  # stored times are UTC, without a zone
    assert local_time(stored) == "2026-12-02 00:30 CST"
    assert local_time(stored.replace(tzinfo=UTC), "%H:%M") == "00:30 CST"


def test_an_unknown_time_zone_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Taipei'"):
        Settings(timezone="Taipei")


def test_every_status_has_words_in_both_languages() -> None:
    from sharing.models import QAStatus

    assert set(STATUS_LABELS) == {str(s) for s in QAStatus}
    assert all(any("\u4e00" <= c <= "\u9fff" for c in label) for label in STATUS_LABELS.values())
