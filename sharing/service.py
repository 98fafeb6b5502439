"""Sharing: consent-tracked shares and their withdrawal.

Every change is one transaction that also writes an AuditEvent, so the trail always matches
the data. Text is scrubbed of personal data before it is stored, and the user is shown the
scrubbed text (``preview``) before they consent.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import select

from sharing.consent import ConsentText, consent_text
from sharing.errors import NotYours, SharingError
from sharing.models import (
    ConsentRecord,
    QASource,
    QAStatus,
    SharedQA,
    utc_now,
)
from sharing.pii import PIIScrubber
from sharing.store import SharingStore


@dataclass(frozen=True)
class QADraft:
    """An answer the user may share, as the chat produced it."""

    question: str
    answer: str
    persona_id: str
    persona_version: int
    model: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    rating: int | None = None
    adapter: str = ""
    """The LoRA adapter (a fine-tuning run's id or folder) of the model that answered."""


@dataclass(frozen=True)
class SharePreview:
    """What will be stored if the user consents, and the text they consent to."""

    question: str
    answer: str
    masked: dict[str, int]
    consent: ConsentText


def content_hash(question: str, answer: str) -> str:
    """Equal for pairs that differ only in width, case or whitespace: duplicate detection."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", text).lower().split())

    return hashlib.sha256(f"{norm(question)}\0{norm(answer)}".encode()).hexdigest()


class SharingService:
    """What users do: preview a share, share with consent, and withdraw."""

    def __init__(self, store: SharingStore, scrubber: PIIScrubber) -> None:
        self.store = store
        self.scrubber = scrubber

    def preview(self, draft: QADraft, locale: str) -> SharePreview:
        """The scrubbed pair and the current consent text, shown before the user agrees."""
        question, answer = self.scrubber.scrub(draft.question), self.scrubber.scrub(draft.answer)
        masked = dict(question.found)
        for kind, count in answer.found.items():
            masked[kind] = masked.get(kind, 0) + count
        return SharePreview(question.text, answer.text, masked, consent_text(locale))

    def share(
        self,
        draft: QADraft,
        *,
        user_id: str,
        locale: str,
        consent_version: str,
        consent_sha256: str,
        method: str,
    ) -> SharedQA:
        """Store a scrubbed pair with the user's consent to the exact text they were shown."""
        consent = consent_text(locale, consent_version)
        if consent.sha256 != consent_sha256:
            raise SharingError(
                f"the consent text {consent.locale} {consent.version} has changed since it was "
                "shown; show it again and ask for consent to the current text"
            )
        preview = self.preview(draft, locale)
        with self.store.transaction() as session:
            qa = self.store.add(
                session,
                SharedQA(
                    question=preview.question,
                    answer=preview.answer,
                    persona_id=draft.persona_id,
                    persona_version=draft.persona_version,
                    citations_json=json.dumps(draft.citations, ensure_ascii=False),
                    model=draft.model,
                    adapter=draft.adapter,
                    source=QASource.CHAT,
                    user_id=user_id,
                    rating=draft.rating,
                    tags_json=json.dumps([f"persona:{draft.persona_id}"], ensure_ascii=False),
                    content_hash=content_hash(preview.question, preview.answer),
                ),
            )
            assert qa.id is not None
            session.add(
                ConsentRecord(
                    qa_id=qa.id,
                    user_id=user_id,
                    consent_version=consent.version,
                    consent_sha256=consent.sha256,
                    locale=consent.locale,
                    method=method,
                )
            )
            self.store.audit(session, user_id, "share", qa.id, masked=preview.masked, method=method)
        return qa

    def retire_sharer(self, user_id: str, retired_as: str, *, actor: str) -> int:
        """A sharer's account is removed: their pairs stay (their consent stands until
        withdrawn, and the consent records keep who gave it) but now belong to
        ``retired_as``, so a new account under the same name neither sees nor withdraws
        them. Returns how many pairs were handed over; each is in the audit trail."""
        with self.store.transaction() as session:
            pairs = session.exec(select(SharedQA).where(SharedQA.user_id == user_id)).all()
            for qa in pairs:
                qa.user_id, qa.updated_at = retired_as, utc_now()
                session.add(qa)
                self.store.audit(session, actor, "retire-sharer", qa.id, sharer=user_id,
                                 retired_as=retired_as)  # fmt: skip
        return len(pairs)

    def withdraw(self, qa_id: int, *, user_id: str) -> SharedQA:
        """The sharer takes a pair back: it leaves every later export; the trail shows it."""
        with self.store.transaction() as session:
            qa = self.store.load(session, qa_id)
            if qa.user_id != user_id:
                raise NotYours(qa_id)
            if qa.status == QAStatus.WITHDRAWN:
                return qa
            now = utc_now()
            qa.status, qa.updated_at = QAStatus.WITHDRAWN, now
            for record in session.exec(
                select(ConsentRecord).where(ConsentRecord.qa_id == qa_id)
            ).all():
                record.withdrawn_at = record.withdrawn_at or now
                session.add(record)
            session.add(qa)
            self.store.audit(session, user_id, "withdraw", qa_id)
        return qa
