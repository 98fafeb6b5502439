"""A persona may name the model that answers for it (``model: dr-wang-gi``): checked, and kept
through every file format and the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from personas import PersonaFileError, PersonaFormat, PersonaStore, persona_to_yaml
from personas.formats import export_persona, load_persona_file
from personas.schema import Persona


@pytest.mark.parametrize("name", ["dr-wang-gi", "Qwen2.5-7B_lora.v2", "a" * 64, "7b"])
def test_a_model_name_of_letters_digits_dashes_dots_is_taken(
    fields: dict[str, Any], name: str
) -> None:
    assert Persona.model_validate({**fields, "model": name}).model == name


@pytest.mark.parametrize("name", ["dr wang", "a" * 65, "-lead", "模型", "x/y", "../adapters"])
def test_a_model_name_that_a_models_file_could_not_hold_is_refused(
    fields: dict[str, Any], write_yaml: Callable[..., Path], name: str
) -> None:
    path = write_yaml({**fields, "model": name})
    with pytest.raises(PersonaFileError) as caught:
        load_persona_file(path)
    assert caught.value.field == "model"
    assert "is not a model name" in caught.value.reason and caught.value.line is not None


def test_no_model_is_the_default_model_and_is_not_written(fields: dict[str, Any]) -> None:
    assert Persona.model_validate(fields).model is None
    assert Persona.model_validate({**fields, "model": ""}).model is None
    text = persona_to_yaml(Persona.model_validate(fields))
    assert "model" not in yaml.safe_load(text)


@pytest.mark.parametrize("export_format", list(PersonaFormat))
def test_the_model_survives_each_export_and_import(
    fields: dict[str, Any], tmp_path: Path, export_format: PersonaFormat
) -> None:
    persona = Persona.model_validate({**fields, "model": "dr-wang-gi"})
    exported = export_persona(persona, export_format)
    path = tmp_path / exported.name
    path.write_bytes(exported.data)
    assert load_persona_file(path).model == "dr-wang-gi"


def test_the_store_keeps_the_model_across_versions(
    fields: dict[str, Any], store: PersonaStore
) -> None:
    store.create(Persona.model_validate({**fields, "model": "dr-wang-gi"}), author="amy")
    assert store.get("triage-nurse").model == "dr-wang-gi"
    store.update(Persona.model_validate(fields), author="amy")  # back to the default model
    assert store.get("triage-nurse").model is None
    assert store.get("triage-nurse", 1).model == "dr-wang-gi"
