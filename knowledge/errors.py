"""Errors raised by the knowledge base; the edges (CLI, web app) turn them into messages."""

from __future__ import annotations

from pathlib import Path


class KnowledgeError(Exception):
    """Base class of every error the knowledge package raises on purpose."""


class IngestError(KnowledgeError):
    """A file could not be ingested; the knowledge base was left as it was."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class DocumentNotFound(KnowledgeError):
    """No document with the given id (or id prefix) is in the registry."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        super().__init__(f"no document with id {doc_id!r}; `kbchat docs list` shows the ids")


class InvalidCollection(KnowledgeError):
    """A collection name that cannot be used."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"invalid collection name {name!r}: use 1-63 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )


class StoreUnavailable(KnowledgeError):
    """The vector store or registry database cannot be reached or opened."""


class StorageFull(KnowledgeError):
    """A file could not be written because the disk (or the file size limit) is full."""

    def __init__(self, path: Path | str, error: OSError) -> None:
        self.path = Path(path)
        super().__init__(
            f"could not write {self.path}: the disk is full or the file size limit was "
            f"reached ({error.strerror}); free some space and try again"
        )
