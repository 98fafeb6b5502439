"""What an export is made of: the rows, the formats, and the options of a fine-tuning set."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sharing.train_config import Training


@dataclass(frozen=True)
class ExportRow:
    """One approved QA pair as the exporters see it: plain data, user already pseudonymized."""

    qa_id: int
    question: str
    answer: str
    context: str
    retrieved: list[str]
    system: str
    history: list[list[str]]
    source: str
    persona_id: str
    persona_version: int
    citations: list[dict[str, object]]
    user: str
    rating: int | None
    consent_version: str
    tags: list[str]
    rejected: str = ""
    """The answer as first shared, when a curator has since changed it: with ``answer`` (the
    edited text) a preference pair for DPO; empty when the answer was never changed."""


class DatasetFormat(StrEnum):
    """The formats ``write_export`` writes."""

    ALPACA = "alpaca"
    SHAREGPT = "sharegpt"
    OPENAI_JSONL = "openai-jsonl"
    CSV = "csv"
    XLSX = "xlsx"
    LLAMAFACTORY = "llamafactory"


@dataclass(frozen=True)
class ExportOptions:
    """How rows become training examples, and what the LLaMA-Factory configs train."""

    include_retrieved: bool = False
    """Put the cited pages' text into ``input`` so the model learns to answer from context."""
    base_model: str = "Qwen/Qwen2.5-7B-Instruct"
    template: str = "qwen"
    dataset_name: str = "kbchat"
    training: Training = Training()
    """The configs' hyper-parameters and the machine they are written for."""
