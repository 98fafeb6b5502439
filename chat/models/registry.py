"""The configured named models, each backend built when first used and then kept: the app
context owns one of these, so a model is loaded (or its client made) once per process."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from chat.answering.models import AnsweringModel, ModelUnavailable
from chat.models.config import LlamaCppModel, OpenAIModel, backend_config
from serving import BackendConfig, ChatBackend, ServingError, make_backend

Entry = OpenAIModel | LlamaCppModel


class ConfiguredModels:
    """The named models of a models file, built lazily and once each."""

    def __init__(
        self,
        entries: Mapping[str, Entry],
        *,
        source: Path,
        environ: Mapping[str, str],
        build: Callable[[BackendConfig], ChatBackend] = make_backend,
    ) -> None:
        self.entries = dict(entries)
        self.source = source
        self._environ = environ
        self._build = build
        self._built: dict[str, ChatBackend] = {}
        self._lock = threading.Lock()

    @property
    def names(self) -> list[str]:
        """The configured names, in the file's order."""
        return list(self.entries)

    def config(self, name: str) -> BackendConfig:
        """What the named model's backend is built from."""
        return backend_config(self.entries[name], self._environ)

    def named(self, name: str) -> AnsweringModel:
        """The named model with its backend (built on first use), or ModelUnavailable when
        the file has no such entry or its backend cannot be built."""
        entry = self.entries.get(name)
        if entry is None:
            configured = ", ".join(self.entries) or "none"
            reason = f"it is not in the models file {self.source} (configured: {configured})"
            raise ModelUnavailable(name, reason, configured=False)
        with self._lock:
            backend = self._built.get(name)
            if backend is None:
                try:
                    backend = self._build(self.config(name))
                except ServingError as error:
                    raise ModelUnavailable(name, str(error), configured=True) from error
                self._built[name] = backend
        return AnsweringModel(name, backend, adapter=entry.adapter, named=True)
