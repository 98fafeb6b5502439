"""PNG files as their chunks: read with every CRC checked and the count bounded, and written
back (a character card is a PNG with its JSON in a ``tEXt`` chunk)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from personas.errors import PersonaFileError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNKS = 4096
"""A picture has a few dozen chunks; more than this is a broken or hostile file."""
TEXT_TYPES = (b"tEXt", b"zTXt", b"iTXt")
"""The chunk types that carry a keyword and text."""


@dataclass(frozen=True)
class Chunk:
    """One PNG chunk: its four-letter type and its data."""

    kind: bytes
    data: bytes

    @property
    def keyword(self) -> str:
        """A text chunk's keyword (what comes before its first NUL); empty for other chunks."""
        if self.kind not in TEXT_TYPES or b"\0" not in self.data:
            return ""
        return self.data.split(b"\0", 1)[0].decode("latin-1")


def read_chunks(data: bytes, source: str) -> list[Chunk]:
    """The chunks of a PNG file, from IHDR to IEND; refused on a bad signature, a bad CRC, a
    truncated file or too many chunks."""
    if not data.startswith(PNG_SIGNATURE):
        raise PersonaFileError(source, "not a PNG file (its signature is wrong)")
    chunks: list[Chunk] = []
    offset = len(PNG_SIGNATURE)
    while not chunks or chunks[-1].kind != b"IEND":
        if len(chunks) >= MAX_CHUNKS:
            raise PersonaFileError(source, f"the PNG has over {MAX_CHUNKS} chunks")
        if offset + 12 > len(data):
            raise PersonaFileError(source, "the PNG is truncated (it ends before its IEND chunk)")
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 8 + length
        if end + 4 > len(data):
            raise PersonaFileError(source, f"the PNG is truncated (in its {_name(kind)} chunk)")
        body = data[offset + 8 : end]
        (crc,) = struct.unpack(">I", data[end : end + 4])
        if crc != zlib.crc32(kind + body):
            raise PersonaFileError(source, f"the PNG's {_name(kind)} chunk is damaged (bad CRC)")
        chunks.append(Chunk(kind, body))
        offset = end + 4
    if chunks[0].kind != b"IHDR" or len(chunks[0].data) != 13:
        raise PersonaFileError(source, "the PNG does not start with an IHDR chunk")
    return chunks


def write_png(chunks: list[Chunk]) -> bytes:
    """A PNG file of the chunks, each with its length and CRC."""
    parts = [PNG_SIGNATURE]
    for chunk in chunks:
        parts.append(struct.pack(">I4s", len(chunk.data), chunk.kind))
        parts.append(chunk.data)
        parts.append(struct.pack(">I", zlib.crc32(chunk.kind + chunk.data)))
    return b"".join(parts)


def text_chunk(keyword: str, text: str) -> Chunk:
    """A ``tEXt`` chunk (Latin-1 keyword and text, as PNG defines it)."""
    return Chunk(b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode("latin-1"))


def text_of(chunk: Chunk) -> bytes:
    """A ``tEXt`` chunk's text (after the keyword), as bytes."""
    return chunk.data.split(b"\0", 1)[1]


def image_size(chunks: list[Chunk]) -> tuple[int, int]:
    """The width and height the IHDR chunk claims (nothing decoded)."""
    width, height = struct.unpack(">II", chunks[0].data[:8])
    return int(width), int(height)


def _name(kind: bytes) -> str:
    return kind.decode("latin-1", errors="replace")
