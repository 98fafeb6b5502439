"""Interoperability: text-generation-webui YAML and Character Card V2/V3 round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from personas.formats import PersonaFormat, export_persona, load_persona_file
from personas.schema import Persona

FOREIGN_CARD = {
    "spec": "chara_card_v2",
    "spec_version": "2.0",
    "data": {
        "name": "Aiko",
        "description": "Aiko is a cheerful librarian.\nShe loves old maps.",
        "personality": "curious, kind",
        "scenario": "A quiet library at closing time.",
        "first_mes": "Welcome! Looking for something?  ",
        "mes_example": "<START>\n{{user}}: Any maps?\n{{char}}: Plenty, follow me!",
        "creator_notes": "Made for testing.",
        "system_prompt": "",
        "post_history_instructions": "Stay in character.",
        "alternate_greetings": ["Hi there!"],
        "character_book": {"entries": [{"keys": ["map"], "content": "Maps are upstairs."}]},
        "tags": ["library", "maps"],
        "creator": "someone",
        "character_version": "7",
        "extensions": {"depth_prompt": {"depth": 4, "prompt": "Be brief."}, "fav": True},
    },
}


def _export_and_reload(persona: Persona, fmt: PersonaFormat, tmp_path: Path) -> Persona:
    exported = export_persona(persona, fmt)
    path = tmp_path / exported.name
    path.write_bytes(exported.data)
    return load_persona_file(path)


def test_a_foreign_card_round_trips_every_field(tmp_path: Path) -> None:
    path = tmp_path / "aiko.json"
    path.write_text(json.dumps(FOREIGN_CARD))
    persona = load_persona_file(path)
    assert persona.id == "aiko" and persona.locale == "en"
    assert "curious, kind" in persona.prompt.context  # the card's character text drives it
    exported = json.loads(export_persona(persona, PersonaFormat.CARD_V2).data)
    assert exported["spec"] == "chara_card_v2"
    for key, value in FOREIGN_CARD["data"].items():
        if key == "extensions":
            continue
        assert exported["data"][key] == value, key
    extensions = exported["data"]["extensions"]
    assert {k: extensions[k] for k in ("depth_prompt", "fav")} == FOREIGN_CARD["data"]["extensions"]
    assert extensions["kbchat"]["id"] == "aiko"  # our fields ride along under extensions


def test_a_kbchat_persona_survives_card_and_tgw_round_trips(
    fields: dict[str, Any], tmp_path: Path
) -> None:
    persona = Persona.model_validate(fields)
    for fmt in PersonaFormat:
        again = _export_and_reload(persona, fmt, tmp_path)
        assert again.model_dump(exclude={"card_fields"}) == persona.model_dump(
            exclude={"card_fields"}
        ), fmt


def test_an_edited_card_persona_exports_the_edit(tmp_path: Path) -> None:
    path = tmp_path / "aiko.json"
    path.write_text(json.dumps(FOREIGN_CARD))
    persona = load_persona_file(path)
    edited = persona.model_copy(
        update={
            "greeting": "Hello from kbchat.",
            "prompt": persona.prompt.model_copy(update={"context": "You are Aiko, a guide."}),
        }
    )
    data = json.loads(export_persona(edited, PersonaFormat.CARD_V2).data)["data"]
    assert data["first_mes"] == "Hello from kbchat."
    assert data["system_prompt"] == "You are Aiko, a guide."


def test_a_v3_card_is_read_and_written_back_as_v3(tmp_path: Path) -> None:
    card = {
        "spec": "chara_card_v3",
        "spec_version": "3.0",
        "data": {
            **FOREIGN_CARD["data"],
            "nickname": "Ai",
            "group_only_greetings": [],
            "assets": [{"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"}],
        },
    }
    path = tmp_path / "aiko3.json"
    path.write_text(json.dumps(card))
    exported = json.loads(export_persona(load_persona_file(path), PersonaFormat.CARD_V2).data)
    assert exported["spec"] == "chara_card_v3" and exported["data"]["nickname"] == "Ai"
    assert exported["data"]["assets"] == card["data"]["assets"]


def test_a_tgw_character_is_split_into_prompt_and_dialogue(tmp_path: Path) -> None:
    path = tmp_path / "Chiharu Yamada.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "Chiharu",
                "greeting": "*waves* Hi!",
                "context": "Chiharu is a friendly programmer.\n\n"
                "{{user}}: How did you start?\n{{char}}: With a calculator!",
            }
        )
    )
    persona = load_persona_file(path)
    assert persona.id == "chiharu-yamada"
    assert persona.prompt.context == "Chiharu is a friendly programmer."
    assert persona.example_dialogue.startswith("{{user}}: How did you start?")
    exported = yaml.safe_load(export_persona(persona, PersonaFormat.TGW).data)
    assert exported["context"].endswith("{{char}}: With a calculator!")
    assert exported["greeting"] == "*waves* Hi!"
