"""What admins do with persona files: validate, import, export, and seed from the library."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from personas.errors import PersonaFileError
from personas.formats import (
    ExportedFile,
    LoadedPersona,
    PersonaFormat,
    export_persona,
    load_persona,
)
from personas.schema import Persona
from personas.store import PersonaStore

LIBRARY_DIR = Path(__file__).parent / "library"
"""The personas kbchat ships, in zh-TW and English."""


def load_files(paths: Sequence[Path]) -> list[Persona]:
    """Every file's persona, or the first error; two files may not share an id."""
    return [loaded.persona for loaded in load_all(paths)]


def load_all(paths: Sequence[Path]) -> list[LoadedPersona]:
    """Every file's persona with its picture, or the first error; two files may not share an
    id."""
    loaded: list[LoadedPersona] = []
    first_file: dict[str, Path] = {}
    for path in paths:
        one = load_persona(path)
        if one.persona.id in first_file:
            raise PersonaFileError(
                str(path),
                f"the id {one.persona.id!r} is also used by {first_file[one.persona.id]}",
                field="id",
            )
        first_file[one.persona.id] = path
        loaded.append(one)
    return loaded


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
    """Validate every file first, then store them all, with the pictures of PNG cards, in one
    transaction (or none)."""
    loaded = load_all(paths)
    avatars = {one.persona.id: one.avatar for one in loaded if one.avatar}
    personas = [one.persona for one in loaded]
    return store.save_all(personas, author=author, origin="import", update=update, avatars=avatars)


def export_personas(
    store: PersonaStore, ids: Sequence[str], export_format: PersonaFormat, out_dir: Path
) -> list[tuple[Path, ExportedFile]]:
    """Write each persona's current version (a PNG card into its picture) to ``out_dir``; each
    file appears whole or not. Gives each file's path and what its format left out."""
    personas = [store.get(persona_id) for persona_id in ids]  # every id checked first
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, ExportedFile]] = []
    for persona in personas:
        avatar = store.avatar(persona.id) if export_format is PersonaFormat.CARD_PNG else None
        exported = export_persona(persona, export_format, avatar)
        target = out_dir / exported.name
        handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{exported.name}.")
        with os.fdopen(handle, "wb") as file:
            file.write(exported.data)
        os.replace(temporary, target)
        written.append((target, exported))
    return written
