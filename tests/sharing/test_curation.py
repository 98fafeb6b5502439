"""Admin curation: approve, reject with a reason, edit with history, tags, and refusals."""

from __future__ import annotations

import pytest

from sharing.curation import Curator
from sharing.errors import SharedQANotFound, SharingError, TransitionRefused
from sharing.models import QAStatus
from sharing.service import QADraft, SharingService
from sharing.store import SharingStore
from tests.sharing.consenting import share_with_consent


@pytest.fixture
def qa_id(service: SharingService, draft: QADraft) -> int:
    return share_with_consent(service, draft, user="nurse.lin", locale="en")


def test_approve_and_reject_are_audited(curator: Curator, store: SharingStore, qa_id: int) -> None:
    assert curator.approve(qa_id, curator="admin").status == QAStatus.APPROVED
    rejected = curator.reject(qa_id, curator="admin", reason="off topic")
    assert rejected.status == QAStatus.REJECTED and rejected.reject_reason == "off topic"
    assert [e.action for e in store.audit_trail(qa_id)] == ["share", "approve", "reject"]
    with pytest.raises(SharingError, match="reason"):
        curator.reject(qa_id, curator="admin", reason="  ")


def test_a_withdrawn_pair_cannot_be_approved_edited_or_rejected(
    curator: Curator, service: SharingService, store: SharingStore, qa_id: int
) -> None:
    service.withdraw(qa_id, user_id="nurse.lin")
    with pytest.raises(TransitionRefused, match="withdrew consent"):
        curator.approve(qa_id, curator="admin")
    with pytest.raises(TransitionRefused):
        curator.edit(qa_id, curator="admin", answer="改過")
    with pytest.raises(TransitionRefused):
        curator.reject(qa_id, curator="admin", reason="x")
    assert store.get(qa_id).status == QAStatus.WITHDRAWN


def test_edits_keep_history_and_are_scrubbed(
    curator: Curator, store: SharingStore, qa_id: int
) -> None:
    before = store.get(qa_id)
    curator.edit(qa_id, curator="admin", answer="請來電 02-2345-6789 詢問門診時間。")
    after = store.get(qa_id)
    assert "02-2345-6789" not in after.answer and after.question == before.question
    (edit,) = store.edits(qa_id)
    assert edit.answer_before == before.answer and edit.answer_after == after.answer
    assert edit.editor == "admin"
    with pytest.raises(SharingError, match="cannot be empty"):
        curator.edit(qa_id, curator="admin", answer="   ")


def test_tags_filter_the_queue(curator: Curator, store: SharingStore, qa_id: int) -> None:
    curator.tag(qa_id, ["topic:門診", "persona:kb-assistant"], curator="admin")
    assert store.get(qa_id).tags == ["persona:kb-assistant", "topic:門診"]
    assert [qa.id for qa in store.list_qa(tag="topic:門診")] == [qa_id]
    curator.tag(qa_id, ["topic:門診"], curator="admin", remove=True)
    assert store.list_qa(tag="topic:門診") == []
    with pytest.raises(SharedQANotFound, match="999"):
        curator.approve(999, curator="admin")
