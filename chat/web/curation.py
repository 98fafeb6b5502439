"""What the admin pages and the REST API do alike when curating: import uploaded persona
files, import an expert's QA sheet, and build the fine-tuning dataset's zip."""

from __future__ import annotations

import asyncio
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from fastapi import UploadFile

from chat.web.received import saved, told
from chat.web.services import services
from personas import Persona, PersonaError, import_files
from sharing import (
    DatasetFormat,
    ExportFilters,
    ExportOptions,
    SharedQA,
    SharingError,
    SheetRejected,
)

PERSONA_IMPORT_FILES = 20
"""The most persona files one import takes (each at most personas' own size limit)."""


async def import_persona_uploads(
    files: list[UploadFile], *, author: str, update: bool
) -> list[Persona]:
    """Import uploaded persona files: all of them, or none on any error (a ``PersonaError``
    whose message names the files as they were sent)."""
    if len(files) > PERSONA_IMPORT_FILES:
        raise PersonaError(f"{len(files)} files: import at most {PERSONA_IMPORT_FILES} at a time")
    async with saved(files, unnamed="persona.yaml") as kept:
        paths = [path for path, _ in kept]
        try:
            return await asyncio.to_thread(
                import_files, services().personas, paths, author=author, update=update
            )
        except PersonaError as error:
            # The same error, so callers still tell its kind, with the names sent.
            error.args = (told(str(error), kept),)
            raise


async def import_sheet_upload(
    file: UploadFile, *, uploader: str, skip_bad: bool
) -> tuple[list[SharedQA], list[str]]:
    """Import an uploaded QA sheet as pending pairs, and the problems of the rows skipped.

    Raises ``SheetError`` (the file as a whole unusable), ``SheetRejected`` (bad rows, and
    nothing stored) or ``SharingError``, each message naming the file as it was sent (and a
    rejected sheet's problems too)."""
    async with saved([file]) as kept:
        [(path, _)] = kept
        try:
            result = await asyncio.to_thread(
                services().sharing.dataset.import_sheet, path, uploader=uploader, skip_bad=skip_bad
            )
        except SharingError as error:
            error.args = (told(str(error), kept),)
            if isinstance(error, SheetRejected):
                for problem in error.problems:
                    problem.args = (told(str(problem), kept),)
            raise
    return result.imported, [told(str(problem), kept) for problem in result.skipped]


async def dataset_zip(
    export_format: DatasetFormat, *, actor: str, with_context: bool
) -> tuple[str, bytes]:
    """The approved pairs in a dataset format, as a zip with its manifest: its file name and
    bytes. Raises ``SharingError`` when there is nothing to export."""
    folder = Path(tempfile.mkdtemp(prefix="kbchat-export-"))
    try:
        await asyncio.to_thread(
            services().sharing.dataset.export,
            export_format,
            folder / "dataset",
            actor=actor,
            options=ExportOptions(include_retrieved=with_context),
            filters=ExportFilters(),
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted((folder / "dataset").iterdir()):
                archive.write(path, path.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return f"kbchat-{export_format}.zip", buffer.getvalue()
