"""The persona schema: strict fields, dialogue and collection checks."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from personas.schema import Persona


def test_a_complete_persona_validates(fields: dict[str, Any]) -> None:
    persona = Persona.model_validate(fields)
    assert persona.prompt.task == "詢問症狀並建議就診科別。"
    assert persona.searches_knowledge


def test_unknown_keys_are_refused_at_every_level(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="extra"):
        Persona.model_validate({**fields, "colour": "blue"})
    with pytest.raises(ValidationError, match="extra"):
        Persona.model_validate({**fields, "prompt": {**fields["prompt"], "mood": "calm"}})


def test_a_plain_chat_persona_searches_nothing(fields: dict[str, Any]) -> None:
    assert not Persona.model_validate({**fields, "collections": []}).searches_knowledge


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "Has Spaces"),
        ("audience", "everyone"),
        ("locale", "Chinese"),
        ("temperature", 3.5),
        ("max_tokens", 0),
        ("collections", ["Bad Name"]),
        ("grounding", "loose"),
    ],
)
def test_bad_values_are_refused(fields: dict[str, Any], field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Persona.model_validate({**fields, field: value})
    assert caught.value.errors()[0]["loc"][0] == field


def test_example_dialogue_needs_turns_of_the_persona(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match=r"no '\{\{char\}\}:' turns"):
        Persona.model_validate({**fields, "example_dialogue": "{{user}}: 你好\n{{user}}: 在嗎"})
    with pytest.raises(ValidationError, match="must start with"):
        Persona.model_validate({**fields, "example_dialogue": "前言\n{{char}}: 你好"})
