"""What admins do with shared QA: approve, reject, edit with history, and tag."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sharing.errors import SharingError, TransitionRefused
from sharing.models import QAEdit, QAStatus, SharedQA, utc_now
from sharing.pii import PIIScrubber
from sharing.service import content_hash
from sharing.store import SharingStore


class Curator:
    """Admin curation of the shared-QA queue; every step lands in the audit trail."""

    def __init__(self, store: SharingStore, scrubber: PIIScrubber) -> None:
        self.store = store
        self.scrubber = scrubber

    def approve(self, qa_id: int, *, curator: str) -> SharedQA:
        """Accept a pair into the dataset; a withdrawn pair can never be approved."""
        return self._move(qa_id, curator, QAStatus.APPROVED, "approve")

    def reject(self, qa_id: int, *, curator: str, reason: str) -> SharedQA:
        """Keep a pair out of the dataset, saying why."""
        if not reason.strip():
            raise SharingError("give a reason for rejecting (--reason)")
        return self._move(qa_id, curator, QAStatus.REJECTED, "reject", reason=reason.strip())

    def _move(
        self, qa_id: int, curator: str, status: QAStatus, action: str, reason: str = ""
    ) -> SharedQA:
        with self.store.transaction() as session:
            qa = self.store.load(session, qa_id)
            if qa.status == QAStatus.WITHDRAWN:
                raise TransitionRefused(
                    qa_id, qa.status, action, "its sharer withdrew consent, so it stays out"
                )
            qa.status, qa.reject_reason, qa.updated_at = status, reason, utc_now()
            session.add(qa)
            self.store.audit(session, curator, action, qa_id, reason=reason or None)
        return qa

    def edit(
        self, qa_id: int, *, curator: str, question: str | None = None, answer: str | None = None
    ) -> SharedQA:
        """Change a pair's text (scrubbed again); the text before is kept in its history."""
        with self.store.transaction() as session:
            qa = self.store.load(session, qa_id)
            if qa.status == QAStatus.WITHDRAWN:
                raise TransitionRefused(qa_id, qa.status, "edit", "its sharer withdrew consent")
            new_question = self.scrubber.scrub(question).text if question else qa.question
            new_answer = self.scrubber.scrub(answer).text if answer else qa.answer
            if not new_question.strip() or not new_answer.strip():
                raise SharingError("a question and an answer cannot be empty")
            session.add(
                QAEdit(
                    qa_id=qa_id,
                    editor=curator,
                    question_before=qa.question,
                    answer_before=qa.answer,
                    question_after=new_question,
                    answer_after=new_answer,
                )
            )
            qa.question, qa.answer, qa.updated_at = new_question, new_answer, utc_now()
            qa.content_hash = content_hash(new_question, new_answer)
            session.add(qa)
            self.store.audit(session, curator, "edit", qa_id)
        return qa

    def tag(
        self, qa_id: int, tags: Sequence[str], *, curator: str, remove: bool = False
    ) -> SharedQA:
        """Add (or remove) curation tags such as a topic or a persona."""
        with self.store.transaction() as session:
            qa = self.store.load(session, qa_id)
            current = qa.tags
            if remove:
                current = [t for t in current if t not in tags]
            else:
                current += [t for t in tags if t not in current]
            qa.tags_json, qa.updated_at = json.dumps(current, ensure_ascii=False), utc_now()
            session.add(qa)
            self.store.audit(session, curator, "untag" if remove else "tag", qa_id, tags=list(tags))
        return qa
