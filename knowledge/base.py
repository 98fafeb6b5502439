"""The knowledge base: ingest documents, remove them, and search them by meaning and by words."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from knowledge.chunking import plan_document
from knowledge.embedders.base import Embedder
from knowledge.embedding import embed_pending, plan_vectors, store_vectors
from knowledge.errors import (
    DocumentBusy,
    DocumentNotFound,
    IngestBusy,
    IngestError,
    KnowledgeError,
)
from knowledge.fileio import sha256_file
from knowledge.formats.kinds import ParseLimits, check_file, require_kind
from knowledge.formats.parse import parse_document
from knowledge.layout import DataLayout
from knowledge.lexical.base import LexicalStore
from knowledge.locks import DocumentLocks
from knowledge.options import (
    ChunkingOptions,
    IngestResult,
    ProgressCallback,
    RetrievalOptions,
    check_collection,
)
from knowledge.protocols import DocumentRegistry, FileStorage
from knowledge.searching import Searching
from knowledge.tables import Chunk, Document, DocumentSection, DocumentStatus
from knowledge.vector_stores.base import VectorStore

logger = logging.getLogger(__name__)


class KnowledgeBase(Searching):
    """Documents in, cited pages and sections out. Every collaborator is passed in; nothing
    is global."""

    def __init__(
        self,
        *,
        layout: DataLayout,
        registry: DocumentRegistry,
        vectors: VectorStore,
        lexical: LexicalStore,
        embedder: Embedder,
        files: FileStorage,
        locks: DocumentLocks,
        parse_limits: ParseLimits | None = None,
        chunking: ChunkingOptions | None = None,
        retrieval: RetrievalOptions | None = None,
    ) -> None:
        self.layout = layout
        self.registry = registry
        self.vectors = vectors
        self.lexical = lexical
        self.embedder = embedder
        self.files = files
        self.locks = locks
        self.parse_limits = parse_limits or ParseLimits()
        self.chunking = chunking or ChunkingOptions()
        self.retrieval = retrieval or RetrievalOptions()

    def close(self) -> None:
        """Give back the vector store's lock and the registry's database connections."""
        self.vectors.close()
        self.registry.close()

    def recover(self) -> list[str]:
        """Purge documents a crashed writer left half-done (not ready); return their ids."""
        purged = []
        for document in self.registry.unfinished():
            with self.locks.hold(document.doc_id) as taken:
                if taken:
                    logger.warning(
                        "removing half-%s document %s (%s)",
                        document.status,
                        document.doc_id,
                        document.filename,
                    )
                    self._purge(document)
                    purged.append(document.doc_id)
        return purged

    def _purge(self, document: Document) -> None:
        self.vectors.delete_document(self.space(document.collection), document.doc_id)
        self.files.remove(document.doc_id, document.kind)
        self.registry.delete(document.doc_id)

    def ingest(
        self,
        path: Path,
        *,
        collection: str = "default",
        uploaded_by: str = "cli",
        filename: str | None = None,
        progress: ProgressCallback | None = None,
        embed: bool = True,
    ) -> IngestResult:
        """Add one document (its kind told by ``filename``, else by the path); the same bytes
        twice is a no-op. On any error nothing is left behind. Searchable by words once
        stored; embedded now with ``embed``, else by embed_pending."""
        check_collection(collection)
        filename = filename or path.name
        check_file(path, require_kind(path, filename), self.parse_limits)
        doc_id = self.document_id(sha256_file(path), collection)
        # Already stored: unchanged, even while its vectors are being made (which holds it).
        if (unchanged := self._unchanged(doc_id, filename)) is not None:
            return unchanged
        with self.locks.hold(doc_id) as taken:
            if not taken:
                raise IngestBusy(
                    path, "the same file is being ingested right now by another request"
                )
            if (unchanged := self._unchanged(doc_id, filename)) is not None:
                return unchanged
            existing = self.registry.get(doc_id)
            if existing is not None:
                self._purge(existing)
            size = path.stat().st_size
            document = Document(doc_id=doc_id, filename=filename, collection=collection,
                                pages=0, size_bytes=size, uploaded_by=uploaded_by)  # fmt: skip
            rows, sections = self._read(path, document, progress)
            self._store(path, document, rows, sections, progress, embed)
        return IngestResult(filename, doc_id, collection, document.pages, len(rows), "added")

    def _unchanged(self, doc_id: str, filename: str) -> IngestResult | None:
        """The outcome of ingesting a document already stored and searchable; else None."""
        existing = self.registry.get(doc_id)
        if existing is None or existing.status != DocumentStatus.READY:
            return None
        return IngestResult(filename, doc_id, existing.collection, existing.pages,
                            existing.chunks, "unchanged")  # fmt: skip

    def _read(
        self, path: Path, document: Document, progress: ProgressCallback | None
    ) -> tuple[list[Chunk], list[DocumentSection]]:
        """Parse the file (passing on its progress) and plan the document's rows."""
        parsed = parse_document(
            path,
            self.parse_limits,
            name=document.filename,
            progress=(lambda done, total: progress("read", done, total)) if progress else None,
            ocr_progress=(lambda done, total: progress("ocr", done, total)) if progress else None,
        )
        if progress:
            progress("parse", len(parsed.sections), len(parsed.sections))
        document.kind, document.pages = parsed.kind, len(parsed.sections)
        return plan_document(document, parsed, self.chunking)

    def _store(
        self,
        path: Path,
        document: Document,
        rows: list[Chunk],
        sections: list[DocumentSection],
        progress: ProgressCallback | None,
        embed: bool,
    ) -> None:
        """Keep the file and its rows and make it searchable by words, then (``embed``) store
        its vectors too; all or nothing. Unembedded, its vectors are left to embed_pending."""
        wanted = plan_vectors(self.embedder, document, rows)
        try:
            # The file first: it is the largest write, so a full disk fails before any row.
            self.files.put(document.doc_id, document.kind, path)
            self.registry.add_indexing(document, rows, sections)
            self.registry.mark_ready(document.doc_id)
            if embed:
                self.embed_chunks(document, wanted, progress)
        except BaseException as error:
            self._purge(document)
            if isinstance(error, Exception) and not isinstance(error, IngestError):
                raise IngestError(
                    path, f"could not store it ({error}); nothing was kept"
                ) from error
            raise

    def document_id(self, content_sha256: str, collection: str) -> str:
        """The id of a file in a collection: the SHA-256 of its bytes, unless those bytes are
        already a document of another collection (two users uploading the same form to their
        private collections); then a digest of the collection and the bytes."""
        derived = hashlib.sha256(f"{collection}\n{content_sha256}".encode()).hexdigest()
        existing = self.registry.get(content_sha256)
        if existing is None or existing.collection == collection:
            return derived if self.registry.get(derived) is not None else content_sha256
        return derived

    def embed_chunks(
        self, document: Document, rows: Sequence[Chunk], progress: ProgressCallback | None
    ) -> None:
        """Embed chunk rows into the document's space, counting them off its pending vectors."""
        store_vectors(self, document, rows, progress)

    def embed_pending(self, progress: ProgressCallback | None = None) -> int:
        """Embed the rest of every ready document with pending vectors; how many completed."""
        return embed_pending(self, progress)

    def remove(self, id_or_prefix: str) -> Document:
        """Remove a document's vectors, lexical entries, file and row; return what was removed."""
        document = self.registry.resolve(id_or_prefix)
        with self.locks.hold(document.doc_id) as taken:
            if not taken:
                raise DocumentBusy(
                    f"{document.filename} is being ingested right now; try again when it is done"
                )
            self.registry.mark_removing(document.doc_id)
            self._purge(document)
        return document

    def move(self, doc_id: str, collection: str) -> IngestResult:
        """Move a document to another collection: indexed there from its stored PDF, then
        removed from where it was (if indexing fails, it stays where it was). Its id may
        change (the same bytes in two collections are two documents); the old id then
        leads to the new one (``registry.moved_to``)."""
        check_collection(collection)
        document = self.registry.resolve(doc_id)
        if document.doc_id != doc_id:
            raise DocumentNotFound(doc_id)
        if document.collection == collection:
            raise KnowledgeError(f"{document.filename} is already in the collection {collection}")
        # A copy: the document's own file goes when it is removed from its old place.
        with tempfile.TemporaryDirectory(prefix="kbchat-move-") as folder:
            source = Path(folder) / f"{doc_id}.{document.kind}"
            shutil.copyfile(self.files.path(doc_id, document.kind), source)
            moved = self.ingest(
                source,
                collection=collection,
                uploaded_by=document.uploaded_by,
                filename=document.filename,
            )
        self.remove(doc_id)
        if moved.doc_id != doc_id:  # links to the old id (past answers' citations) follow it
            self.registry.record_move(doc_id, moved.doc_id)
        return replace(moved, status="moved")

    def documents(self, collection: str | None = None) -> list[Document]:
        """Searchable documents, newest first."""
        return self.registry.documents(collection=collection, status=DocumentStatus.READY)

    def warm_up(self, collections: Sequence[str]) -> None:
        """Load the embedding model and the lexical indexes ahead of the first query."""
        self.embedder.embed_query("warm up")
        for collection in collections:
            self.lexical_index(collection)
