"""Read persona files safely and strictly, with errors that name the file, line and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from personas.avatars import MAX_AVATAR_BYTES
from personas.errors import PersonaFileError
from personas.schema import Persona

MAX_FILE_BYTES = 256 * 1024
"""Persona files are a few KB; anything this big is a mistake or an attack."""

MAX_CARD_FILE_BYTES = MAX_FILE_BYTES + MAX_AVATAR_BYTES
"""The largest persona file read: a PNG card holds its picture besides the card's text."""

YAML_SUFFIXES = (".yaml", ".yml")
PERSONA_SUFFIXES = (*YAML_SUFFIXES, ".json", ".png")
"""The kinds of persona file read, by ending: kbchat or tgw YAML, character cards (JSON or
PNG)."""


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses a key given twice instead of keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, refused when missing or over ``limit`` (checked before reading)."""
    source = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            data = file.read(limit + 1) if size <= limit else b""
    except OSError as error:
        raise PersonaFileError(source, f"cannot read the file ({error.strerror})") from error
    if size > limit or len(data) > limit:
        raise PersonaFileError(
            source,
            f"the file is {max(size, len(data)) / 1024 / 1024:.1f} MB, over the "
            f"{limit // 1024} KB limit for a persona",
        )
    return data


def read_text(path: Path) -> str:
    """The file's text, refused when missing, too big or not UTF-8."""
    try:
        return read_bytes(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PersonaFileError(str(path), "the file is not UTF-8 text") from error


def parse_yaml(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    """The YAML document and its node tree (for line numbers), loaded with the safe loader."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = f"malformed YAML: {error.problem or error.context}"
        raise PersonaFileError(source, reason, line=mark.line + 1 if mark else None) from error
    except yaml.YAMLError as error:
        raise PersonaFileError(source, f"malformed YAML: {error}") from error
    finally:
        loader.dispose()
    return data, node


def parse_json(text: str, source: str) -> Any:
    """The JSON document, or an error with the line where it breaks."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PersonaFileError(source, f"malformed JSON: {error.msg}", line=error.lineno) from error


def line_of(node: yaml.Node | None, location: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the deepest node the location reaches in the YAML tree."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in location:
        if isinstance(node, yaml.MappingNode):
            found = next((pair for pair in node.value if pair[0].value == part), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def validate_persona(data: Any, source: str, node: yaml.Node | None = None) -> Persona:
    """A Persona from plain data, or an error naming the file, line and first bad field."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise PersonaFileError(source, f"a persona must be a mapping of fields, not {kind}")
    try:
        return Persona.model_validate(data)
    except ValidationError as error:
        problems = error.errors()
        first = problems[0]
        location = tuple(first["loc"])
        field = ".".join(str(part) for part in location)
        reason = _reason(first)
        if len(problems) > 1:
            others = ", ".join(".".join(str(p) for p in e["loc"]) or "?" for e in problems[1:])
            reason += f" (also: {others})"
        raise PersonaFileError(
            source, reason, line=line_of(node, location), field=field or None
        ) from error


def _reason(problem: Any) -> str:
    kind = problem["type"]
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        allowed = ", ".join(Persona.model_fields)
        return f"unknown field (a persona has: {allowed})"
    message = str(problem["msg"])
    return message[len("Value error, ") :] if message.startswith("Value error, ") else message
