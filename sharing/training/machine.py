"""Which machine a run trains on, asked of the training environment's own PyTorch."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from sharing.train_config import Compute
from sharing.training.errors import TrainingError

_PROBE = (
    "import torch; gpu = torch.cuda.is_available(); "
    "print('bf16' if gpu and torch.cuda.is_bf16_supported() else 'fp16' if gpu else 'cpu')"
)


def environment_python(command: Sequence[str]) -> Path:
    """The Python beside the LLaMA-Factory CLI (its environment's)."""
    program = shutil.which(command[0]) or command[0]
    return Path(program).with_name("python")


def detect_compute(command: Sequence[str]) -> Compute:
    """bf16 on a CUDA GPU that has bfloat16, fp16 on an older one (V100, T4), else cpu."""
    python = environment_python(command)
    try:
        said = subprocess.run([str(python), "-c", _PROBE], capture_output=True, text=True,
                              timeout=300, check=True).stdout.split()  # fmt: skip
        return Compute(said[-1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError) as error:
        raise TrainingError(
            f"the training environment's Python ({python}) could not tell which machine this "
            f"is ({error}); is LLaMA-Factory installed (scripts/install-train)? Or pass --compute"
        ) from None
