"""All configuration, from ``KBCHAT_*`` environment variables or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge import BUNDLED_EMBEDDER_ID, Precision

BUNDLED_EMBEDDING_MODEL = BUNDLED_EMBEDDER_ID
"""The default embedder: the bundled MiniLM (knowledge names its id once)."""


class Settings(BaseSettings):
    """Typed settings; only ``chat/`` reads them and passes values down to the libraries."""

    model_config = SettingsConfigDict(env_prefix="KBCHAT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("kbchat-data"),
        description="Directory for every file the app writes: database, vectors, indexes, PDFs.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the registry database; SQLite in the data dir when unset.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (e.g. http://chroma:8000); embedded Chroma when unset.",
    )
    embedding_model: str = Field(
        default=BUNDLED_EMBEDDING_MODEL,
        description="sentence-transformers model name or local path; the default is bundled.",
    )
    embedding_device: str | None = Field(
        default=None,
        description="Torch device for embeddings (cpu, cuda); auto-detected when unset.",
    )
    embedding_precision: Precision = Field(
        default="auto",
        description="auto: bfloat16 on CPUs with native bf16 (2x faster, same vectors to 1e-4), "
        "else float32.",
    )
    offline: bool = Field(
        default=True,
        description="Never contact a model hub (air-gapped sites); set false to allow downloads.",
    )
    default_collection: str = Field(
        default="default", description="Collection used when none is given."
    )
    max_upload_mb: int = Field(default=200, description="Largest PDF accepted, in megabytes.")
    max_pages: int = Field(default=2000, description="Most pages accepted in one PDF.")
    parse_timeout_s: float = Field(
        default=120.0, description="Wall-clock limit for parsing one PDF."
    )
    parse_memory_mb: int = Field(
        default=2048, description="Memory limit of the PDF parsing process."
    )
    chunk_max_tokens: int = Field(
        default=240, description="Largest chunk, in estimated subword tokens."
    )
    chunk_overlap_tokens: int = Field(
        default=30, description="Overlap between neighbouring chunks."
    )
    lexical_weight: float = Field(
        default=0.8,
        ge=0.0,
        le=1.0,
        description="Weight of lexical (BM25) scores in hybrid search; dense gets the rest.",
    )
    search_candidates: int = Field(
        default=100, ge=10, le=1000, description="Candidates taken from each side."
    )

    llm_backend: Literal["llamacpp", "openai"] = Field(
        default="llamacpp",
        description="llamacpp: a GGUF in this process (CPU); openai: an OpenAI-compatible server.",
    )
    llm_bundled_model: Literal["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"] = Field(
        default="qwen2.5-coder-1.5b",
        description="Which bundled GGUF llamacpp runs when no model path is set: the 1.5B "
        "(right more often) or the 0.5B (first word sooner); see docs/decisions.md.",
    )
    llm_model_path: Path | None = Field(
        default=None, description="GGUF file for llamacpp; the bundled model when unset."
    )
    llm_model_sha256: str | None = Field(
        default=None, description="If set, the GGUF must have this SHA-256 or it is refused."
    )
    llm_context_size: int = Field(default=4096, ge=512, description="llama.cpp context (n_ctx).")
    llm_threads: int | None = Field(default=None, ge=1, description="llama.cpp CPU threads.")
    llm_max_tokens: int = Field(
        default=1024, ge=16, description="Cap on an answer's length, in tokens (personas set less)."
    )
    default_persona: str = Field(
        default="kb-assistant", description="Persona used when none is chosen."
    )
    openai_base_url: str | None = Field(
        default=None, description="OpenAI-compatible server, e.g. http://gpu-host:8000/v1 (vLLM)."
    )
    openai_model: str | None = Field(default=None, description="Served model name on that server.")
    openai_api_key: SecretStr | None = Field(default=None, description="API key, if it needs one.")
    openai_context_size: int = Field(default=8192, ge=512, description="The served context size.")
    openai_timeout_s: float = Field(default=120.0, gt=0, description="Read timeout per request.")
    llamafactory_cli: str | None = Field(
        default=None,
        description="LLaMA-Factory's llamafactory-cli, in an environment of its own (fine-tuning); "
        "unset: the one on PATH, else .venv-train/bin/llamafactory-cli beside kbchat's "
        "environment (scripts/install-train makes it).",
    )
    finetune_base_model: Path | None = Field(
        default=None,
        description="The local Hugging Face model folder `kbchat finetune run` trains from "
        "when --base-model is not given.",
    )
    models_file: Path | None = Field(
        default=None,
        description="YAML file of named models that personas may name (fine-tuned LoRA "
        "adapters served by vLLM, GGUF files with a LoRA); <data dir>/models.yaml when unset; "
        "no file, no named models.",
    )
    answer_sources: int = Field(default=4, ge=1, le=20, description="Pages retrieved per answer.")
    answer_min_relevance: float = Field(
        default=0.78,
        ge=0.0,
        le=2.0,
        description="How relevant a page must be to answer from it: the share of the "
        "question's words it holds, weighted by rarity (IDF), plus the embedder's similarity "
        "of question and page (the share again where the embedder does not read the "
        "question's language); 0 to 2. Below it on every page, the question is refused.",
    )
    max_question_chars: int = Field(default=2000, ge=10, description="Longest question accepted.")
    questions_per_minute: int = Field(
        default=12, ge=1, description="Most questions one user may ask in a minute (web app)."
    )
    max_ingests_per_user: int = Field(
        default=2, ge=1, description="Most uploads of one user being indexed at the same time."
    )
    session_hours: float = Field(
        default=12.0,
        gt=0,
        le=24 * 15,
        description="How long a web login lasts before the user must log in again.",
    )
    login_free_failures: int = Field(
        default=3, ge=1, description="Failed logins of one account before each next must wait."
    )
    login_lockout_failures: int = Field(
        default=10, ge=2, description="Failed logins that lock an account (an admin unlocks it)."
    )
    login_address_free_failures: int = Field(
        default=30,
        ge=1,
        description="Failed logins from one client address in an hour before each next must "
        "wait (raise it for many users behind one NAT address).",
    )
    login_lockout_minutes: float = Field(
        default=15.0, gt=0, description="How long a locked account stays locked on its own."
    )
    mrn_pattern: str | None = Field(
        default=None,
        description="Regex of your medical record numbers, masked before a QA is shared "
        "(a group named 'mrn' masks only that part); by default numbers after 病歷號/MRN.",
    )
    auth_secret: SecretStr | None = Field(
        default=None,
        description="Secret that signs login tokens; generated and kept in the data dir if unset.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key for pseudonyms in exports; a random key is kept in the data dir if unset.",
    )

    allowed_link_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts (comma list, e.g. intranet.hospital.tw) that links in answers may "
        "point to; any other link is shown as inert text. Links within the app always work.",
    )

    trusted_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins besides the one each request is addressed to (comma list, e.g. "
        "https://kbchat.hospital.tw) whose pages may post forms and open chats: set it when "
        "a proxy in front rewrites the Host header.",
    )
    https: bool = Field(
        default=False,
        description="Served to browsers over HTTPS (a TLS proxy in front): login cookies get "
        "Secure and responses get HSTS.",
    )
    timezone: str = Field(
        default="",
        description="Time zone the admin pages show times in (e.g. Asia/Taipei); the "
        "server's own when unset.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """A time zone the system knows, named as in the tz database."""
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(f"unknown time zone {value!r} (use e.g. Asia/Taipei)") from error
        return value

    @field_validator("trusted_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Read the env var as a comma list, not JSON."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("allowed_link_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        """Read the env var as a comma list, not JSON."""
        if isinstance(value, str):
            return [host.strip().lower() for host in value.split(",") if host.strip()]
        return value

    @property
    def finetune_dir(self) -> Path:
        """Where fine-tuning runs, their adapters and their exports are kept."""
        return self.data_dir / "finetune"

    @property
    def models_dir(self) -> Path:
        """Where the bundled model is assembled."""
        return self.data_dir / "models"

    @property
    def resolved_models_file(self) -> Path:
        """The configured models file, or models.yaml in the data dir."""
        return self.models_file or self.data_dir / "models.yaml"

    @property
    def resolved_database_url(self) -> str:
        """The configured database URL, or the SQLite file in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'kbchat.db'}"
