"""Bad persona files: every error names the file, the line where YAML gives one, and the field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from personas.errors import PersonaFileError
from personas.formats import load_persona_file
from personas.manager import load_files

WriteYaml = Callable[..., Path]


def _error(path: Path) -> PersonaFileError:
    with pytest.raises(PersonaFileError) as caught:
        load_persona_file(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_a_good_file_loads(fields: dict[str, Any], write_yaml: WriteYaml) -> None:
    persona = load_persona_file(write_yaml(fields))
    assert persona.id == "triage-nurse" and persona.prompt.context.startswith("你是")


def test_malformed_yaml_names_the_line(write_yaml: WriteYaml) -> None:
    error = _error(write_yaml("id: a\nname: [unclosed\nlocale: en\n"))
    assert error.line == 3 and "malformed YAML" in error.reason


def test_a_missing_field_is_named(fields: dict[str, Any], write_yaml: WriteYaml) -> None:
    del fields["greeting"]
    error = _error(write_yaml(fields))
    assert error.field == "greeting" and "required" in error.reason


def test_an_unknown_field_is_named_with_its_line(
    fields: dict[str, Any], write_yaml: WriteYaml
) -> None:
    fields["prompt"]["mood"] = "calm"
    path = write_yaml(fields)
    error = _error(path)
    lines = path.read_text("utf-8").splitlines()
    assert error.field == "prompt.mood" and "unknown field" in error.reason
    assert error.line is not None and lines[error.line - 1].strip().startswith("mood:")


def test_a_wrong_type_is_named_with_its_line(fields: dict[str, Any], write_yaml: WriteYaml) -> None:
    fields["max_tokens"] = "many"
    path = write_yaml(fields)
    error = _error(path)
    assert error.field == "max_tokens"
    assert error.line is not None
    assert path.read_text("utf-8").splitlines()[error.line - 1].startswith("max_tokens:")


def test_a_key_given_twice_is_refused(write_yaml: WriteYaml) -> None:
    error = _error(write_yaml("id: a\nname: A\nid: b\n"))
    assert error.line == 3 and "given twice" in error.reason


def test_a_dialogue_without_persona_turns_is_refused(
    fields: dict[str, Any], write_yaml: WriteYaml
) -> None:
    fields["example_dialogue"] = "{{user}}: 你好\n{{user}}: 有人嗎？"
    error = _error(write_yaml(fields))
    assert error.field == "example_dialogue" and "{{char}}" in error.reason


def test_a_huge_file_is_refused_before_it_is_read(write_yaml: WriteYaml) -> None:
    error = _error(write_yaml("x: " + "a" * (5 * 1024 * 1024)))
    assert "5.0 MB" in error.reason and "limit" in error.reason


def test_not_a_mapping_and_not_utf8(tmp_path: Path, write_yaml: WriteYaml) -> None:
    assert "mapping" in _error(write_yaml("- a\n- b\n")).reason
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: caf\xe9".encode("latin-1"))
    assert "UTF-8" in _error(latin).reason


def test_a_card_of_another_spec_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"spec": "chara_card_v1", "data": {"name": "X"}}))
    error = _error(path)
    assert error.field == "spec" and "chara_card_v1" in error.reason
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps({"title": "X", "text": "neither a V1 card nor a V2 one"}))
    assert "no spec" in _error(flat).reason
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "spec": "chara_card_v2",\n  "data": {,}\n}')
    assert _error(broken).line == 3


def test_two_files_with_one_id_are_refused(fields: dict[str, Any], write_yaml: WriteYaml) -> None:
    first, second = write_yaml(fields, "a.yaml"), write_yaml(fields, "b.yaml")
    with pytest.raises(PersonaFileError) as caught:
        load_files([first, second])
    assert caught.value.source == str(second) and caught.value.field == "id"
    assert str(first) in caught.value.reason


def test_an_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "persona.txt"
    path.write_text("id: a")
    assert "unknown file type" in _error(path).reason
