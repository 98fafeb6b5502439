"""Model backends behind one protocol: in-process llama.cpp (the CPU default) and any
OpenAI-compatible server (vLLM, llama.cpp's server). The app imports only these names."""

from serving.backend import (
    ChatBackend,
    GenerationOptions,
    Message,
    QueueCallback,
    StreamPiece,
    Usage,
)
from serving.bundled import BUNDLED_MODELS, BundledModel, bundled_model, is_bundled
from serving.errors import BackendUnavailable, GenerationFailed, ModelFileError, ServingError
from serving.factory import (
    BackendConfig,
    BackendKind,
    backend_location,
    make_backend,
    probe_backend,
)
from serving.fair_queue import Cancelled, FairQueue
from serving.llamacpp import LlamaCppBackend
from serving.openai_compat import OpenAICompatibleBackend

__all__ = [
    "BUNDLED_MODELS",
    "BackendConfig",
    "BackendKind",
    "BackendUnavailable",
    "BundledModel",
    "Cancelled",
    "ChatBackend",
    "FairQueue",
    "GenerationFailed",
    "GenerationOptions",
    "LlamaCppBackend",
    "Message",
    "ModelFileError",
    "OpenAICompatibleBackend",
    "QueueCallback",
    "ServingError",
    "StreamPiece",
    "Usage",
    "backend_location",
    "bundled_model",
    "is_bundled",
    "make_backend",
    "probe_backend",
]
