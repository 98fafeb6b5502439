"""What admins do with persona files: validate, import, export, and seed from the library."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from personas.errors import PersonaFileError
from personas.formats import PersonaFormat, export_persona, load_persona_file
from personas.schema import Persona
from personas.store import PersonaStore

LIBRARY_DIR = Path(__file__).parent / "library"
"""The personas kbchat ships, in zh-TW and English."""


def load_files(paths: Sequence[Path]) -> list[Persona]:
    """Every file's persona, or the first error; two files may not share an id."""
    personas: list[Persona] = []
    first_file: dict[str, Path] = {}
    for path in paths:
        persona = load_persona_file(path)
        if persona.id in first_file:
            raise PersonaFileError(
                str(path),
                f"the id {persona.id!r} is also used by {first_file[persona.id]}",
                field="id",
            )
        first_file[persona.id] = path
        personas.append(persona)
    return personas


def load_library(directory: Path = LIBRARY_DIR) -> list[Persona]:
    """The shipped personas; each file's name must be its persona's id."""
    paths = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
    personas = load_files(paths)
    for path, persona in zip(paths, personas, strict=True):
        if persona.id != path.stem:
            raise PersonaFileError(
                str(path), f"the id {persona.id!r} differs from the file name", field="id"
            )
    return personas


def import_files(
    store: PersonaStore, paths: Sequence[Path], *, author: str, update: bool = False
) -> list[Persona]:
    """Validate every file first, then store them all in one transaction (or none)."""
    personas = load_files(paths)
    return store.save_all(personas, author=author, origin="import", update=update)


def export_personas(
    store: PersonaStore, ids: Sequence[str], export_format: PersonaFormat, out_dir: Path
) -> list[Path]:
    """Write each persona's current version to ``out_dir``; each file appears whole or not."""
    personas = [store.get(persona_id) for persona_id in ids]  # every id checked first
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for persona in personas:
        name, text = export_persona(persona, export_format)
        target = out_dir / name
        handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, target)
        written.append(target)
    return written
