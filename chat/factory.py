"""Build the app's objects from Settings; the only place that knows which implementation is used."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chat.accounts.api_keys import ApiKeys
from chat.accounts.login_throttle import LoginThrottle, ThrottlePolicy
from chat.accounts.users import Accounts
from chat.answering.answers import EngineOptions
from chat.answering.engine import AnswerEngine
from chat.answering.models import NamedModels
from chat.database import open_database
from chat.models.config import load_models_file
from chat.models.registry import ConfiguredModels
from chat.settings import BUNDLED_EMBEDDING_MODEL, Settings
from knowledge import (
    ChunkingOptions,
    Embedder,
    EmbedderConfig,
    KnowledgeBase,
    ParseLimits,
    RetrievalOptions,
    VectorStoreConfig,
    make_embedder,
    open_knowledge_base,
)
from personas import PersonaStore, load_library
from serving import BackendConfig, ChatBackend, GenerationOptions, bundled_model, make_backend
from sharing import (
    Curator,
    Dataset,
    FineTuner,
    PIIScrubber,
    RunStore,
    SharingError,
    SharingService,
    SharingStore,
)


def embedder_config(settings: Settings) -> EmbedderConfig:
    """The embedder the settings name: the bundled MiniLM by default."""
    if settings.embedding_model in (BUNDLED_EMBEDDING_MODEL, "all-MiniLM-L6-v2"):
        return EmbedderConfig(
            "bundled-minilm",
            device=settings.embedding_device,
            precision=settings.embedding_precision,
        )
    return EmbedderConfig(
        "sentence-transformers",
        model=settings.embedding_model,
        device=settings.embedding_device,
        precision=settings.embedding_precision,
        offline=settings.offline,
    )


def build_embedder(settings: Settings) -> Embedder:
    """The configured sentence-transformers embedder; the bundled MiniLM by default."""
    return make_embedder(embedder_config(settings))


def vector_store_config(settings: Settings) -> VectorStoreConfig:
    """A Chroma server when ``KBCHAT_CHROMA_URL`` is set, else Chroma in the data dir."""
    if settings.chroma_url:
        return VectorStoreConfig("chroma-server", url=settings.chroma_url)
    return VectorStoreConfig("chroma-embedded")


def build_knowledge_base(
    settings: Settings, *, recover: bool = True, embedder: Embedder | None = None
) -> KnowledgeBase:
    """Open (creating if needed) the knowledge base under the data dir, purging crash leftovers."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    kb = open_knowledge_base(
        settings.data_dir,
        engine=open_database(settings.resolved_database_url),
        embedder=embedder or build_embedder(settings),
        vectors=vector_store_config(settings),
        parse_limits=ParseLimits(
            max_bytes=settings.max_upload_mb * 1024 * 1024,
            max_pages=settings.max_pages,
            timeout_s=settings.parse_timeout_s,
            memory_bytes=settings.parse_memory_mb * 1024 * 1024,
        ),
        chunking=ChunkingOptions(settings.chunk_max_tokens, settings.chunk_overlap_tokens),
        retrieval=RetrievalOptions(settings.lexical_weight, settings.search_candidates),
    )
    if recover:
        kb.recover()
    return kb


def backend_config(settings: Settings) -> BackendConfig:
    """The chat backend the settings name: the bundled model in process when nothing is set."""
    if settings.llm_backend == "openai":
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return BackendConfig(
            "openai",
            base_url=settings.openai_base_url,
            model=settings.openai_model,
            api_key=key,
            context_size=settings.openai_context_size,
            timeout_s=settings.openai_timeout_s,
        )
    if settings.llm_model_path is None:
        # path() has just checked the SHA-256; no need to hash it twice.
        bundled = bundled_model(settings.llm_bundled_model)
        path, sha256, name = bundled.path(settings.models_dir), None, bundled.name
    else:
        path, sha256, name = settings.llm_model_path, settings.llm_model_sha256, None
    return BackendConfig(
        "llamacpp",
        model_path=path,
        model_name=name,
        expected_sha256=sha256,
        context_size=settings.llm_context_size,
        threads=settings.llm_threads,
    )


def build_backend(settings: Settings) -> ChatBackend:
    """The configured chat backend."""
    return make_backend(backend_config(settings))


def build_models(settings: Settings) -> ConfiguredModels:
    """The named models of the models file (none when it is absent); ModelsFileError, naming
    the file, the entry and the reason, when it cannot be used. Nothing is loaded yet."""
    path = settings.resolved_models_file
    return ConfiguredModels(load_models_file(path), source=path, environ=os.environ)


def build_persona_store(settings: Settings) -> PersonaStore:
    """The persona database, with the shipped library added or upgraded where untouched."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = PersonaStore(open_database(settings.resolved_database_url))
    store.seed(load_library())
    return store


@dataclass(frozen=True)
class Sharing:
    """The shared-QA services, on one store."""

    store: SharingStore
    service: SharingService
    curator: Curator
    dataset: Dataset


def build_sharing(settings: Settings) -> Sharing:
    """The shared-QA services on the app's database, scrubbing with the configured patterns."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        scrubber = PIIScrubber(settings.mrn_pattern)
    except ValueError as error:
        raise SharingError(f"KBCHAT_MRN_PATTERN: {error}") from None
    store = SharingStore(open_database(settings.resolved_database_url))
    return Sharing(
        store,
        SharingService(store, scrubber),
        Curator(store, scrubber),
        Dataset(store, scrubber, _secret_key(settings)),
    )


def _secret_key(settings: Settings) -> bytes:
    """The configured key, or one generated once and kept (0600) in the data dir."""
    if settings.secret_key:
        return settings.secret_key.get_secret_value().encode("utf-8")
    return owner_only_secret(settings.data_dir / "secret.key", lambda: secrets.token_bytes(32))


def owner_only_secret(path: Path, make: Callable[[], bytes]) -> bytes:
    """The content of an owner-only (0600) file, created with ``make()`` on first use."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    value = make()
    with os.fdopen(descriptor, "wb") as file:
        file.write(value)
    return value


def build_accounts(settings: Settings) -> Accounts:
    """The web app's users, in the app database."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Accounts(open_database(settings.resolved_database_url))


def build_api_keys(accounts: Accounts) -> ApiKeys:
    """The API keys, beside the accounts in the app database."""
    return ApiKeys(accounts.engine)


def build_login_throttle(settings: Settings, accounts: Accounts) -> LoginThrottle:
    """Failed-login counts and lockouts, beside the accounts in the app database."""
    policy = ThrottlePolicy(
        free_failures=settings.login_free_failures,
        lockout_failures=settings.login_lockout_failures,
        lockout_s=round(settings.login_lockout_minutes * 60),
        address_free_failures=settings.login_address_free_failures,
    )
    return LoginThrottle(accounts.engine, policy)


def build_engine(
    settings: Settings,
    kb: KnowledgeBase,
    backend: ChatBackend,
    models: NamedModels | None = None,
) -> AnswerEngine:
    """The answer engine with the configured retrieval and generation options, answering
    with the default backend or the named model a persona names."""
    options = EngineOptions(
        k=settings.answer_sources,
        min_relevance=settings.answer_min_relevance,
        max_question_chars=settings.max_question_chars,
        generation=GenerationOptions(max_tokens=settings.llm_max_tokens),
    )
    return AnswerEngine(kb, backend, options, models=models)


def llamafactory_command(settings: Settings) -> list[str]:
    """How LLaMA-Factory's CLI is started: the configured program, else the one on PATH,
    else the training environment beside kbchat's own (scripts/install-train)."""
    if settings.llamafactory_cli:
        return [settings.llamafactory_cli]
    beside = Path(sys.prefix).parent / ".venv-train" / "bin" / "llamafactory-cli"
    return [shutil.which("llamafactory-cli") or str(beside)]


def build_run_store(settings: Settings) -> RunStore:
    """The fine-tuning runs, in the data dir's ``finetune`` folder."""
    return RunStore(settings.finetune_dir)


def build_fine_tuner(settings: Settings) -> FineTuner:
    """The fine-tuning runner on the data dir's runs."""
    return FineTuner(build_run_store(settings), llamafactory_command(settings))
