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


class DocumentBusy(KnowledgeError):
    """A document another request (an ingest, a move, its vectors being made) holds right
    now; trying again in a few seconds works."""


class IngestBusy(IngestError, DocumentBusy):
    """The same file is being ingested right now by another request."""


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


class BackupError(KnowledgeError):
    """A backup could not be written or read; nothing was changed."""


class StorageFull(KnowledgeError):
    """A file could not be written because the disk (or the file size limit) is full."""

    def __init__(self, path: Path | str, error: OSError) -> None:
        self.path = Path(path)
        super().__init__(
            f"could not write {self.path}: the disk is full or the file size limit was "
            f"reached ({error.strerror}); free some space and try again"
        )


class UnknownKind(KnowledgeError, ValueError):
    """A factory was asked for an implementation it does not have."""

    def __init__(self, family: str, kind: object, known: tuple[str, ...]) -> None:
        self.kind = kind
        super().__init__(
            f"unknown {family} kind {kind!r}; choose one of: {', '.join(repr(k) for k in known)}"
        )


class MissingPackage(KnowledgeError, ImportError):
    """The chosen implementation needs a package that is not installed."""

    def __init__(self, what: str, package: str) -> None:
        self.package = package
        super().__init__(
            f"{what} needs the package {package!r}, which is not installed; install it "
            f"(pip install {package}, or reinstall kbchat from requirements.lock) or choose "
            "another kind"
        )


def require_module(what: str, module: str, package: str) -> None:
    """Raise MissingPackage, naming what to install, when ``module`` cannot be imported."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise MissingPackage(what, package)
