"""Load a persona from any supported file, and write one in any export format."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from personas.avatars import generated_avatar
from personas.cards import (
    card_to_fields,
    persona_to_card,
    persona_to_tgw,
    tgw_left_out,
    tgw_to_fields,
)
from personas.errors import PersonaFileError
from personas.files import (
    MAX_CARD_FILE_BYTES,
    MAX_FILE_BYTES,
    YAML_SUFFIXES,
    parse_json,
    parse_yaml,
    read_bytes,
    read_text,
    validate_persona,
)
from personas.png_cards import card_from_png, png_with_card
from personas.schema import Persona


class PersonaFormat(StrEnum):
    """Where an exported persona is going: kbchat itself, text-generation-webui, or a card
    (JSON, or a PNG picture with the card inside)."""

    YAML = "yaml"
    TGW = "tgw"
    CARD_V2 = "card-v2"
    CARD_PNG = "card-png"


@dataclass(frozen=True)
class LoadedPersona:
    """A persona read from a file, and its picture (a PNG card's image; None for none)."""

    persona: Persona
    avatar: bytes | None = None


@dataclass(frozen=True)
class ExportedFile:
    """A persona written in an export format: its file name, bytes and media type, and the
    fields of this persona the format cannot hold (left out)."""

    name: str
    data: bytes
    media_type: str
    left_out: list[str] = field(default_factory=list)


def load_persona(path: Path) -> LoadedPersona:
    """A persona from kbchat YAML, a text-generation-webui YAML, a card JSON file (V1, V2 or
    V3) or a PNG card, with the PNG card's picture."""
    source, suffix = str(path), path.suffix.lower()
    if suffix == ".png":
        card, avatar = card_from_png(read_bytes(path, MAX_CARD_FILE_BYTES), source, MAX_FILE_BYTES)
        return LoadedPersona(_from_card(card, source, path.stem), avatar)
    if suffix == ".json":
        return LoadedPersona(_from_card(parse_json(read_text(path), source), source, path.stem))
    if suffix not in YAML_SUFFIXES:
        raise PersonaFileError(
            source,
            "unknown file type: personas are .yaml/.yml files, cards are .json or .png files",
        )
    data, node = parse_yaml(read_text(path), source)
    if isinstance(data, dict) and "context" in data and "prompt" not in data:
        return LoadedPersona(validate_persona(tgw_to_fields(data, source, path.stem), source))
    return LoadedPersona(validate_persona(data, source, node))


def load_persona_file(path: Path) -> Persona:
    """The persona of any persona file (``load_persona`` without the picture)."""
    return load_persona(path).persona


def _from_card(card: Any, source: str, stem: str) -> Persona:
    if not isinstance(card, dict):
        raise PersonaFileError(source, "a character card must be a JSON object")
    return validate_persona(card_to_fields(card, source, stem), source)


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


def export_persona(
    persona: Persona, export_format: PersonaFormat, avatar: bytes | None = None
) -> ExportedFile:
    """The persona as a file in the given format; a PNG card is written into ``avatar`` (the
    persona's picture) or, without one, into a plain picture drawn for it."""
    if export_format is PersonaFormat.YAML:
        text, name = persona_to_yaml(persona), f"{persona.id}.yaml"
        return ExportedFile(name, text.encode("utf-8"), "application/yaml")
    if export_format is PersonaFormat.TGW:
        text, name = to_yaml(persona_to_tgw(persona)), f"{persona.id}.tgw.yaml"
        return ExportedFile(name, text.encode("utf-8"), "application/yaml", tgw_left_out(persona))
    if export_format is PersonaFormat.CARD_PNG:
        cards = {
            "chara": persona_to_card(persona, "chara_card_v2"),
            "ccv3": persona_to_card(persona, "chara_card_v3"),
        }
        png = png_with_card(avatar or generated_avatar(persona.id), cards)
        return ExportedFile(f"{persona.id}.card.png", png, "image/png")
    card = json.dumps(persona_to_card(persona), ensure_ascii=False, indent=2) + "\n"
    return ExportedFile(f"{persona.id}.card.json", card.encode("utf-8"), "application/json")
