"""The application context: the objects a command or a handler uses, built from one Settings
when first needed, and passed explicitly (the CLI's ``ctx.obj``; the web app's, installed
once when ``kbchat serve`` starts it). Nothing here is built at import time."""

from __future__ import annotations

import secrets
import threading
from functools import cached_property
from pathlib import Path

from chat.accounts.api_keys import ApiKeys
from chat.accounts.login_throttle import LoginThrottle
from chat.accounts.users import Accounts
from chat.answering.engine import AnswerEngine
from chat.answering.limits import IngestSlots, QuestionRate, UserLimits
from chat.background_embedder import BackgroundEmbedder
from chat.factory import (
    Sharing,
    build_accounts,
    build_api_keys,
    build_backend,
    build_embedder,
    build_engine,
    build_knowledge_base,
    build_login_throttle,
    build_models,
    build_persona_store,
    build_sharing,
    owner_only_secret,
)
from chat.models.registry import ConfiguredModels
from chat.settings import Settings
from knowledge import Embedder, IngestResult, KnowledgeBase, ProgressCallback
from personas import PersonaStore
from serving import ChatBackend


class AppContext:
    """Everything kbchat's commands and handlers use, each part built on first use.

    Tests hand in an embedder or a backend already loaded; otherwise the settings choose.
    Building is serialized: the web app's handlers reach the context from worker threads.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        backend: ChatBackend | None = None,
    ) -> None:
        self.settings = settings
        self._given_embedder = embedder
        self._given_backend = backend
        self._building = threading.RLock()

    @cached_property
    def embedder(self) -> Embedder:
        """The configured embedder (loaded once: ingesting and searching share it)."""
        with self._building:
            return self._given_embedder or build_embedder(self.settings)

    @cached_property
    def kb(self) -> KnowledgeBase:
        """The knowledge base, crash leftovers purged on opening."""
        with self._building:
            return build_knowledge_base(self.settings, embedder=self.embedder)

    @cached_property
    def embedding(self) -> BackgroundEmbedder:
        """The thread that embeds uploads after they are searchable by words (started on
        first wake)."""
        with self._building:
            return BackgroundEmbedder(lambda: self.kb)

    def knowledge_base_as_found(self) -> KnowledgeBase:
        """The knowledge base opened without purging anything (for doctor and restore)."""
        return build_knowledge_base(self.settings, recover=False, embedder=self.embedder)

    @cached_property
    def backend(self) -> ChatBackend:
        """The configured chat backend."""
        with self._building:
            return self._given_backend or build_backend(self.settings)

    @cached_property
    def models(self) -> ConfiguredModels:
        """The named models personas may name (the models file read once; each backend
        built on first use and kept)."""
        with self._building:
            return build_models(self.settings)

    @cached_property
    def engine(self) -> AnswerEngine:
        """The answer engine over the knowledge base, the backend and the named models."""
        with self._building:
            return build_engine(self.settings, self.kb, self.backend, self.models)

    @cached_property
    def personas(self) -> PersonaStore:
        """The persona database, the shipped library seeded."""
        with self._building:
            return build_persona_store(self.settings)

    @cached_property
    def sharing(self) -> Sharing:
        """The shared-QA services."""
        with self._building:
            return build_sharing(self.settings)

    @cached_property
    def accounts(self) -> Accounts:
        """The users of the web app."""
        with self._building:
            return build_accounts(self.settings)

    @cached_property
    def api_keys(self) -> ApiKeys:
        """The API keys (each acts as a user of its role)."""
        with self._building:
            return build_api_keys(self.accounts)

    @cached_property
    def logins(self) -> LoginThrottle:
        """Failed-login counts and lockouts."""
        with self._building:
            return build_login_throttle(self.settings, self.accounts)

    @cached_property
    def limits(self) -> UserLimits:
        """Per-user limits on questions and uploads (counted in this process)."""
        return UserLimits(
            QuestionRate(self.settings.questions_per_minute),
            IngestSlots(self.settings.max_ingests_per_user),
        )

    @cached_property
    def auth_secret(self) -> str:
        """The key that signs logins: ``KBCHAT_AUTH_SECRET``, else one generated on first
        run and kept (owner-only) in the data dir."""
        if self.settings.auth_secret:
            return self.settings.auth_secret.get_secret_value()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.settings.data_dir / "auth-secret"
        return owner_only_secret(path, lambda: secrets.token_urlsafe(48).encode()).decode().strip()

    def ingest_upload(
        self,
        path: Path,
        *,
        filename: str,
        collection: str,
        uploader: str,
        progress: ProgressCallback | None = None,
    ) -> IngestResult:
        """Add a document a user (or an API key) uploaded, within their uploads at a time:
        searchable by words when this returns, its vectors made by the background embedder
        (``LimitReached`` when their slots are taken, ``KnowledgeError`` when it is refused)."""
        with self.limits.ingests.hold(uploader):
            result = self.kb.ingest(path, collection=collection, uploaded_by=uploader,
                                    filename=filename, progress=progress, embed=False)  # fmt: skip
        self.embedding.wake()
        return result

    def ready_for_the_web(self) -> None:
        """Build every part the web app uses and load the models, before it serves."""
        for part in (self.models, self.personas, self.sharing, self.logins, self.limits,
                     self.api_keys, self.engine):  # fmt: skip
            assert part is not None
        self.kb.warm_up(self.kb.registry.collections())
        if self.kb.registry.pending_vectors():  # left by a stop or a crash: resume them
            self.embedding.wake()
