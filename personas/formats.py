"""Load a persona from any supported file, and write one in any export format."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from personas.cards import card_to_fields, persona_to_card, persona_to_tgw, tgw_to_fields
from personas.errors import PersonaFileError
from personas.files import YAML_SUFFIXES, parse_json, parse_yaml, read_text, validate_persona
from personas.schema import Persona


class PersonaFormat(StrEnum):
    """Where an exported persona is going: kbchat itself, text-generation-webui, or a card."""

    YAML = "yaml"
    TGW = "tgw"
    CARD_V2 = "card-v2"


def load_persona_file(path: Path) -> Persona:
    """A persona from kbchat YAML, a text-generation-webui YAML or a V2/V3 card JSON file."""
    source, text = str(path), read_text(path)
    if path.suffix.lower() == ".json":
        card = parse_json(text, source)
        if not isinstance(card, dict):
            raise PersonaFileError(source, "a character card must be a JSON object")
        return validate_persona(card_to_fields(card, source, path.stem), source)
    if path.suffix.lower() not in YAML_SUFFIXES:
        raise PersonaFileError(
            source, "unknown file type: personas are .yaml/.yml files, cards are .json files"
        )
    data, node = parse_yaml(text, source)
    if isinstance(data, dict) and "context" in data and "prompt" not in data:
        return validate_persona(tgw_to_fields(data, source, path.stem), source)
    return validate_persona(data, source, node)


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings as ``|`` blocks, so prompts stay readable in the file."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def to_yaml(data: Any) -> str:
    """YAML that keeps Chinese readable and field order as given."""
    return yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100)


def persona_to_yaml(persona: Persona) -> str:
    """kbchat's own persona YAML (the library format), empty extras left out."""
    data = persona.model_dump(mode="json")
    for key in ("extensions", "card_fields", "example_dialogue", "model"):
        if not data[key]:
            del data[key]
    return to_yaml(data)


def export_persona(persona: Persona, export_format: PersonaFormat) -> tuple[str, str]:
    """The file name and text of a persona in the given format."""
    if export_format is PersonaFormat.YAML:
        return f"{persona.id}.yaml", persona_to_yaml(persona)
    if export_format is PersonaFormat.TGW:
        return f"{persona.id}.tgw.yaml", to_yaml(persona_to_tgw(persona))
    card = json.dumps(persona_to_card(persona), ensure_ascii=False, indent=2)
    return f"{persona.id}.card.json", card + "\n"
