"""Shared QA: consent-tracked sharing, curation, experts' QA sheets, pairs the model generates
from the knowledge base's passages, fine-tuning dataset export (LLaMA-Factory and the common
chat formats) and fine-tuning runs (``training``). The app imports only these names."""

from sharing.consent import ConsentText, consent_text
from sharing.curation import Curator
from sharing.dataset import Dataset, ExportFilters
from sharing.errors import (
    ExportError,
    NotYours,
    SharedQANotFound,
    SharingError,
    SheetError,
    SheetRejected,
    TransitionRefused,
)
from sharing.export_leftovers import ExportLeftover, clean_export_leftover, find_export_leftovers
from sharing.export_rows import DatasetFormat, ExportOptions
from sharing.generation import (
    GENERATOR_USER,
    MAX_COUNT,
    GenerationRequest,
    Outcome,
    QAGenerator,
)
from sharing.generation_prompt import LANGUAGES, Passage, PromptMessage
from sharing.models import AuditEvent, ConsentRecord, QAEdit, QASource, QAStatus, SharedQA
from sharing.pii import PIIScrubber
from sharing.service import QADraft, SharePreview, SharingService
from sharing.sheets import MAX_SHEET_BYTES, SHEET_SUFFIXES
from sharing.store import SharingStore
from sharing.train_config import Compute, Training
from sharing.training import (
    Evaluation,
    FineTuner,
    RunningRun,
    RunNotFound,
    RunRequest,
    RunStore,
    Scored,
    TrainingCancelled,
    TrainingError,
    check_request,
    detect_compute,
)
from sharing.training import Progress as TrainingProgress

__all__ = [
    "GENERATOR_USER",
    "LANGUAGES",
    "MAX_COUNT",
    "MAX_SHEET_BYTES",
    "SHEET_SUFFIXES",
    "AuditEvent",
    "Compute",
    "ConsentRecord",
    "ConsentText",
    "Curator",
    "Dataset",
    "DatasetFormat",
    "Evaluation",
    "ExportError",
    "ExportFilters",
    "ExportLeftover",
    "ExportOptions",
    "FineTuner",
    "GenerationRequest",
    "NotYours",
    "Outcome",
    "PIIScrubber",
    "Passage",
    "PromptMessage",
    "QAGenerator",
    "QADraft",
    "QAEdit",
    "QASource",
    "QAStatus",
    "RunNotFound",
    "RunRequest",
    "RunStore",
    "RunningRun",
    "Scored",
    "SharePreview",
    "SharedQA",
    "SharedQANotFound",
    "SharingError",
    "SharingService",
    "SharingStore",
    "SheetError",
    "SheetRejected",
    "Training",
    "TrainingCancelled",
    "TrainingError",
    "TrainingProgress",
    "TransitionRefused",
    "clean_export_leftover",
    "check_request",
    "consent_text",
    "detect_compute",
    "find_export_leftovers",
]
