"""Uploaded files on disk for the length of a request, in a private temporary folder, and
the library's messages about them told with the names they were sent under."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import BinaryIO

from fastapi import UploadFile

Kept = list[tuple[Path, str]]
"""Each uploaded file's path on disk, with the name it was sent under."""


@asynccontextmanager
async def saved(files: list[UploadFile], unnamed: str = "upload") -> AsyncIterator[Kept]:
    """The uploaded files on disk, each with the name it was sent under (only its last part:
    a name such as ``../../x`` names nothing outside the folder; a file sent with no name is
    called ``unnamed``); removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="kbchat-upload-"))
    try:
        kept = []
        for number, upload in enumerate(files):
            # Each in a folder of its own: two files of one name stay two, and a name such
            # as ".." cannot name the folder itself.
            name = Path((upload.filename or "").replace("\0", "")).name
            name = name if name not in ("", ".", "..") else unnamed
            path = folder / str(number) / on_disk(name)
            path.parent.mkdir()
            with path.open("wb") as out:
                await _copy(upload, out)
            kept.append((path, name))
        yield kept
    finally:
        shutil.rmtree(folder, ignore_errors=True)


MAX_NAME_BYTES = 200
"""A file name's longest form on disk (file systems allow 255 bytes; a Chinese title of 86
characters is already 258)."""


def on_disk(name: str) -> str:
    """A name the file system takes: the name sent, or its start cut to fit, with its kind's
    ending kept (what kind a file is, is told by its ending)."""
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    suffix = Path(name).suffix[:16]
    stem = name[: len(name) - len(Path(name).suffix)]
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return f"{cut}{suffix}"


async def _copy(upload: UploadFile, out: BinaryIO) -> None:
    while chunk := await upload.read(1024 * 1024):
        out.write(chunk)


def told(message: str, kept: Kept) -> str:
    """A message about saved files, naming each as it was sent, not by its temporary path."""
    for path, name in kept:
        message = message.replace(str(path), name)
    return message
