"""Sharing with consent, PII scrubbing before storage, and withdrawal with an audit trail."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sharing.consent import consent_text
from sharing.errors import NotYours, SharingError
from sharing.models import QAStatus
from sharing.service import QADraft, SharingService
from sharing.store import SharingStore
from tests.sharing.consenting import share_with_consent


def _share(service: SharingService, draft: QADraft, user: str = "nurse.lin") -> int:
    return share_with_consent(service, draft, user=user)


def test_the_preview_is_exactly_what_is_stored(
    service: SharingService, store: SharingStore, draft: QADraft
) -> None:
    preview = service.preview(draft, "zh-TW")
    assert "A123456789" not in preview.question and "0912-345-678" not in preview.question
    assert preview.masked["national_id"] == 1 and preview.masked["phone"] == 1
    assert preview.consent.locale == "zh-TW" and "撤回" in preview.consent.text
    stored = store.get(_share(service, draft))
    assert (stored.question, stored.answer) == (preview.question, preview.answer)
    assert stored.status == QAStatus.PENDING and stored.persona_version == 2
    assert stored.citations[0]["page"] == 1 and stored.tags == ["persona:kb-assistant"]


def test_the_model_and_adapter_an_answer_came_from_are_stored(
    service: SharingService, store: SharingStore, draft: QADraft
) -> None:
    tuned = replace(draft, model="dr-wang-gi", adapter="run-2026-12-01")
    stored = store.get(_share(service, tuned))
    assert (stored.model, stored.adapter) == ("dr-wang-gi", "run-2026-12-01")
    assert store.get(_share(service, replace(draft, answer="另一個回答。"))).adapter == ""


def test_consent_records_the_exact_text_shown(
    service: SharingService, store: SharingStore, draft: QADraft
) -> None:
    qa_id = _share(service, draft)
    (record,) = store.consents(qa_id)
    text = consent_text("zh-TW", record.consent_version)
    assert record.consent_sha256 == text.sha256 and record.user_id == "nurse.lin"
    assert record.method == "web-button" and record.withdrawn_at is None
    with pytest.raises(SharingError, match="has changed since it was shown"):
        service.share(
            draft,
            user_id="nurse.lin",
            locale="zh-TW",
            consent_version=text.version,
            consent_sha256="0" * 64,
            method="web-button",
        )


def test_an_english_user_gets_the_english_text_and_unknown_locales_fall_back() -> None:
    assert consent_text("en").text.startswith("# Share this QA")
    assert consent_text("ja").locale == "en"


def test_withdrawal_is_recorded_and_only_the_sharer_may_withdraw(
    service: SharingService, store: SharingStore, draft: QADraft
) -> None:
    qa_id = _share(service, draft)
    with pytest.raises(NotYours):
        service.withdraw(qa_id, user_id="someone.else")
    assert service.withdraw(qa_id, user_id="nurse.lin").status == QAStatus.WITHDRAWN
    (record,) = store.consents(qa_id)
    assert record.withdrawn_at is not None
    actions = [(e.actor, e.action) for e in store.audit_trail(qa_id)]
    assert actions == [("nurse.lin", "share"), ("nurse.lin", "withdraw")]


def test_a_second_share_of_the_same_pair_is_marked_as_a_duplicate(
    service: SharingService, store: SharingStore, draft: QADraft
) -> None:
    first = _share(service, draft)
    second = _share(service, draft, user="dr.wang")
    assert store.get(second).duplicate_of == first
    service.withdraw(first, user_id="nurse.lin")
    third = _share(service, draft, user="dr.chen")
    assert store.get(third).duplicate_of == second  # withdrawn pairs are not originals
