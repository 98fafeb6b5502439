"""Which model answers for a persona: the default one, or the named model the persona names
(a fine-tuned LoRA adapter, say), never the default in its place when that one fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from serving import BackendUnavailable, ChatBackend, ModelFileError


@dataclass(frozen=True)
class AnsweringModel:
    """A model that answers: the name answers record, the adapter it serves, its backend."""

    name: str
    backend: ChatBackend
    adapter: str = ""
    named: bool = False
    """Whether a persona named it (its failures are then said as the named model's)."""


class ModelUnavailable(Exception):
    """The model a persona names cannot answer: it is not configured, or it cannot be
    reached or loaded now. Nothing answers in its place."""

    def __init__(self, model: str, reason: str, *, configured: bool) -> None:
        self.model = model
        self.reason = reason
        self.configured = configured
        super().__init__(f"the model {model!r} cannot answer: {reason}")


class NamedModels(Protocol):
    """The named models an app configures, each built when first used."""

    def named(self, name: str) -> AnsweringModel:
        """The model of that name, or ModelUnavailable saying why there is none."""
        ...


class NoNamedModels:
    """No models file: every named model is missing."""

    def named(self, name: str) -> AnsweringModel:
        """Always ModelUnavailable: nothing is configured."""
        raise ModelUnavailable(name, "no named models are configured", configured=False)


@contextmanager
def said_as_the_named_model(model: AnsweringModel) -> Iterator[None]:
    """A named model's server that does not answer, or its files that do not load, are
    said as that model being unavailable (the default model's errors pass as they are)."""
    try:
        yield
    except (BackendUnavailable, ModelFileError) as error:
        if not model.named:
            raise
        reason = error.reason if isinstance(error, BackendUnavailable) else str(error)
        raise ModelUnavailable(model.name, reason, configured=True) from error
