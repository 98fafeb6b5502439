"""Errors raised by model backends; the edges (CLI, web app) turn them into messages."""

from __future__ import annotations

from pathlib import Path


class ServingError(Exception):
    """Base class of every error the serving package raises on purpose."""


class BackendUnavailable(ServingError):
    """The model cannot be reached or loaded right now; the app keeps running."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"the model at {where} is unavailable: {reason}")


class ModelFileError(ServingError):
    """A model file that is missing, unreadable, or not the file it claims to be."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class GenerationFailed(ServingError):
    """The model stopped with an error in the middle of an answer."""
