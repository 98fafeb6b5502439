"""Fine-tuning runs: a curated export trained into a LoRA/QLoRA adapter by LLaMA-Factory
(``llamafactory-cli``, run as a program from an environment of its own), scored against its
base model on held-out examples, and registered with a manifest of everything it came from."""

from sharing.training.errors import RunNotFound, TrainingCancelled, TrainingError
from sharing.training.evaluation import Evaluation, Scored
from sharing.training.machine import detect_compute
from sharing.training.process import Progress
from sharing.training.runner import FineTuner, RunRequest, check_request
from sharing.training.runs import RunningRun, RunStore

__all__ = [
    "Evaluation",
    "FineTuner",
    "Progress",
    "RunNotFound",
    "RunRequest",
    "RunStore",
    "RunningRun",
    "Scored",
    "TrainingCancelled",
    "TrainingError",
    "check_request",
    "detect_compute",
]
