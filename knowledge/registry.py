"""The document registry: which documents the knowledge base holds, and their chunk texts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, case
from sqlmodel import Session, col, delete, func, select, update

from knowledge.errors import DocumentNotFound
from knowledge.tables import (
    Chunk,
    CollectionState,
    Document,
    DocumentSection,
    DocumentStatus,
    MovedDocument,
)


class Registry:
    """CRUD over documents and chunks; every write is one transaction. The engine's database
    has the tables already (the app's migrations make them)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        """Give back the engine's pooled connections."""
        self.engine.dispose()

    def _session(self) -> Session:
        # Rows are handed out after commit, so keep their loaded values.
        return Session(self.engine, expire_on_commit=False)

    def get(self, doc_id: str) -> Document | None:
        """The document with exactly this id, if any."""
        with self._session() as session:
            return session.get(Document, doc_id)

    def resolve(self, id_or_prefix: str) -> Document:
        """The one document whose id starts with the given prefix (at least 6 characters)."""
        with self._session() as session:
            exact = session.get(Document, id_or_prefix)
            if exact is not None:
                return exact
            if len(id_or_prefix) >= 6:
                found = session.exec(
                    select(Document)
                    # autoescape: a prefix's % or _ is a character, not a LIKE wildcard
                    .where(col(Document.doc_id).startswith(id_or_prefix, autoescape=True))
                    .limit(2)
                ).all()
                if len(found) == 1:
                    return found[0]
        raise DocumentNotFound(id_or_prefix)

    def record_move(self, old_id: str, new_id: str) -> None:
        """Remember that a document now has another id; earlier ids of it follow along."""
        with self._session() as session:
            pointing = select(MovedDocument).where(MovedDocument.new_id == old_id)
            for earlier in session.exec(pointing).all():
                earlier.new_id = new_id
                session.add(earlier)
            session.merge(MovedDocument(old_id=old_id, new_id=new_id))
            back = session.get(MovedDocument, new_id)  # moved back: that id is itself again
            if back is not None:
                session.delete(back)
            session.commit()

    def moved_to(self, old_id: str) -> Document | None:
        """The document an old id moved to, if it still exists."""
        with self._session() as session:
            moved = session.get(MovedDocument, old_id)
            return session.get(Document, moved.new_id) if moved is not None else None

    def documents(
        self, collection: str | None = None, status: DocumentStatus | None = None
    ) -> list[Document]:
        """Documents, newest first, optionally of one collection or status."""
        query = select(Document).order_by(col(Document.created_at).desc())
        if collection is not None:
            query = query.where(Document.collection == collection)
        if status is not None:
            query = query.where(Document.status == status)
        with self._session() as session:
            return list(session.exec(query).all())

    def collections(self) -> list[str]:
        """Names of collections that hold at least one ready document."""
        with self._session() as session:
            query = (
                select(Document.collection)
                .where(Document.status == DocumentStatus.READY)
                .distinct()
            )
            return sorted(session.exec(query).all())

    def add_indexing(
        self,
        document: Document,
        chunks: Sequence[Chunk],
        sections: Sequence[DocumentSection] = (),
    ) -> None:
        """Record a document being indexed, with its chunks and sections, in one transaction."""
        with self._session() as session:
            session.add(document)
            session.flush()
            session.add_all(sections)
            session.add_all(chunks)
            session.commit()

    def sections_of(
        self, doc_id: str, numbers: Iterable[int] | None = None
    ) -> dict[int, DocumentSection]:
        """A document's stored sections by number (all, or the given numbers)."""
        query = select(DocumentSection).where(DocumentSection.doc_id == doc_id)
        if numbers is not None:
            query = query.where(col(DocumentSection.number).in_(list(numbers)))
        with self._session() as session:
            return {s.number: s for s in session.exec(query).all()}

    def mark_ready(self, doc_id: str) -> None:
        """Make a fully indexed document searchable."""
        self._set_status(doc_id, DocumentStatus.READY)

    def mark_removing(self, doc_id: str) -> None:
        """Hide a document from search before its parts are deleted."""
        self._set_status(doc_id, DocumentStatus.REMOVING)

    def _set_status(self, doc_id: str, status: DocumentStatus) -> None:
        """Change a document's status and bump its collection's generation, in one transaction."""
        with self._session() as session:
            document = session.get(Document, doc_id)
            if document is None:
                raise DocumentNotFound(doc_id)
            document.status = status
            session.add(document)
            self._bump(session, document.collection)
            session.commit()

    def record_embedded(self, doc_id: str, count: int) -> None:
        """Count ``count`` more of a document's chunks as embedded (no generation bump: the
        lexical index does not change)."""
        remaining = col(Document.vectors_pending) - count
        query = (
            update(Document)
            .where(col(Document.doc_id) == doc_id)
            .values(vectors_pending=case((remaining < 0, 0), else_=remaining))
        )
        with self._session() as session:
            session.exec(query)
            session.commit()

    def reset_vectors(self, doc_id: str, pending: int, skipped: int) -> None:
        """Set a document's vector counts anew (before it is embedded again from scratch)."""
        query = (
            update(Document)
            .where(col(Document.doc_id) == doc_id)
            .values(vectors_pending=pending, vectors_skipped=skipped)
        )
        with self._session() as session:
            session.exec(query)
            session.commit()

    def pending_vectors(self) -> list[Document]:
        """Ready documents whose vectors are not all stored yet, oldest first."""
        query = (
            select(Document)
            .where(Document.status == DocumentStatus.READY, col(Document.vectors_pending) > 0)
            .order_by(col(Document.created_at))
        )
        with self._session() as session:
            return list(session.exec(query).all())

    def unfinished(self) -> list[Document]:
        """Documents left half-ingested or half-removed (by a crash, or by a live writer)."""
        query = select(Document).where(Document.status != DocumentStatus.READY)
        with self._session() as session:
            return list(session.exec(query).all())

    def delete(self, doc_id: str) -> None:
        """Delete a document row and its chunks in one transaction."""
        with self._session() as session:
            document = session.get(Document, doc_id)
            if document is None:
                return
            session.exec(delete(Chunk).where(col(Chunk.doc_id) == doc_id))
            session.exec(delete(DocumentSection).where(col(DocumentSection.doc_id) == doc_id))
            session.delete(document)
            self._bump(session, document.collection)
            session.commit()

    def generation(self, collection: str) -> int:
        """The collection's change counter (0 for a collection never written)."""
        with self._session() as session:
            state = session.get(CollectionState, collection)
            return state.generation if state else 0

    def ready_chunks(self, collection: str) -> list[tuple[str, str]]:
        """(chunk id, text) of each chunk of the collection's ready documents, in stable order."""
        query = (
            select(Chunk.chunk_id, Chunk.text)
            .join(Document, col(Document.doc_id) == col(Chunk.doc_id))
            .where(Chunk.collection == collection, Document.status == DocumentStatus.READY)
            .order_by(col(Chunk.chunk_id))
        )
        with self._session() as session:
            return [(chunk_id, text) for chunk_id, text in session.exec(query).all()]

    def chunks_with_documents(self, chunk_ids: Iterable[str]) -> dict[str, tuple[Chunk, Document]]:
        """Ready chunks by id, each with its document, for turning hits into citations."""
        ids = list(chunk_ids)
        if not ids:
            return {}
        query = (
            select(Chunk, Document)
            .join(Document, col(Document.doc_id) == col(Chunk.doc_id))
            .where(col(Chunk.chunk_id).in_(ids), Document.status == DocumentStatus.READY)
        )
        with self._session() as session:
            return {
                chunk.chunk_id: (chunk, document) for chunk, document in session.exec(query).all()
            }

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """A document's chunk rows, in chunk-id order."""
        query = select(Chunk).where(Chunk.doc_id == doc_id).order_by(col(Chunk.chunk_id))
        with self._session() as session:
            return list(session.exec(query).all())

    def chunk_counts(self) -> dict[str, int]:
        """How many chunk rows each document has."""
        query = select(Chunk.doc_id, func.count()).group_by(col(Chunk.doc_id))
        with self._session() as session:
            return {doc_id: int(count) for doc_id, count in session.exec(query).all()}

    def generations(self) -> dict[str, int]:
        """Every collection's change counter, including collections now empty."""
        with self._session() as session:
            return {s.collection: s.generation for s in session.exec(select(CollectionState))}

    @staticmethod
    def _bump(session: Session, collection: str) -> None:
        state = session.get(CollectionState, collection) or CollectionState(collection=collection)
        state.generation += 1
        session.add(state)
