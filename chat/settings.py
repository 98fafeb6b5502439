"""All configuration, from ``KBCHAT_*`` environment variables or a ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.embedding import Precision

BUNDLED_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


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

    @property
    def resolved_database_url(self) -> str:
        """The configured database URL, or the SQLite file in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'kbchat.db'}"
