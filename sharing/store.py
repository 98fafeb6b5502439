"""Data access for the shared-QA tables: one transaction per change, each with its audit event."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from sharing.errors import SharedQANotFound
from sharing.models import (
    AuditEvent,
    ConsentRecord,
    QAEdit,
    QASource,
    QAStatus,
    SharedQA,
)


class SharingStore:
    """Reads of the shared-QA tables, and the pieces every write is made of. The engine's
    database has the tables already (the app's migrations make them)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed at the end of the block, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session
            session.commit()

    def add(self, session: Session, qa: SharedQA) -> SharedQA:
        """Insert a pair, pointing it at the earliest live pair with the same content."""
        qa.duplicate_of = self.live_duplicate(session, qa.content_hash)
        session.add(qa)
        session.flush()
        return qa

    def live_duplicate(self, session: Session, content_hash: str) -> int | None:
        """The earliest pair with this content that was not withdrawn, if any."""
        return session.exec(
            select(SharedQA.id)
            .where(SharedQA.content_hash == content_hash)
            .where(SharedQA.status != QAStatus.WITHDRAWN)
            .order_by(col(SharedQA.id))
        ).first()

    def get(self, qa_id: int) -> SharedQA:
        """One shared pair."""
        with Session(self.engine) as session:
            return self.load(session, qa_id)

    def load(self, session: Session, qa_id: int) -> SharedQA:
        """A pair inside a transaction, or SharedQANotFound."""
        qa = session.get(SharedQA, qa_id)
        if qa is None:
            raise SharedQANotFound(qa_id)
        return qa

    def list_qa(
        self,
        *,
        status: QAStatus | None = None,
        source: QASource | None = None,
        user_id: str | None = None,
        tag: str | None = None,
    ) -> list[SharedQA]:
        """Shared pairs, oldest first, filtered by status, source, sharer or tag."""
        query = select(SharedQA).order_by(col(SharedQA.id))
        if status:
            query = query.where(SharedQA.status == status)
        if source:
            query = query.where(SharedQA.source == source)
        if user_id:
            query = query.where(SharedQA.user_id == user_id)
        with Session(self.engine) as session:
            rows = list(session.exec(query).all())
        return [qa for qa in rows if tag is None or tag in qa.tags]

    def edits(self, qa_id: int) -> list[QAEdit]:
        """A pair's edit history, oldest first."""
        with Session(self.engine) as session:
            self.load(session, qa_id)
            query = select(QAEdit).where(QAEdit.qa_id == qa_id).order_by(col(QAEdit.id))
            return list(session.exec(query).all())

    def audit_trail(self, qa_id: int | None = None) -> list[AuditEvent]:
        """Audit events, oldest first (of one pair, or all)."""
        query = select(AuditEvent).order_by(col(AuditEvent.id))
        if qa_id is not None:
            query = query.where(AuditEvent.qa_id == qa_id)
        with Session(self.engine) as session:
            return list(session.exec(query).all())

    def consents(self, qa_id: int) -> list[ConsentRecord]:
        """The consent records of a pair."""
        with Session(self.engine) as session:
            query = select(ConsentRecord).where(ConsentRecord.qa_id == qa_id)
            return list(session.exec(query).all())

    def audit(
        self, session: Session, actor: str, action: str, qa_id: int | None, **detail: object
    ) -> None:
        """Add an audit event to the transaction (details that are None are left out)."""
        body = json.dumps({k: v for k, v in detail.items() if v is not None}, ensure_ascii=False)
        session.add(AuditEvent(actor=actor, action=action, qa_id=qa_id, detail_json=body))
