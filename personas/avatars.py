"""A persona's picture: a character card's image, checked before it is kept, or a plain one
drawn for a persona that has none."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from personas.errors import PersonaFileError
from personas.png_chunks import Chunk, image_size, write_png

MAX_AVATAR_BYTES = 4 * 1024 * 1024
"""The largest picture kept (SillyTavern's own sample cards are about 0.5 MB)."""
MAX_AVATAR_PIXELS = 4096 * 4096
"""The most pixels a picture may claim; checked from its header before anything is decoded."""
CARD_KEYWORDS = ("chara", "ccv3")
"""The text chunks a character card keeps its JSON in (V2 and V3)."""
GENERATED_SIZE = (400, 600)


def checked_avatar(chunks: list[Chunk], source: str) -> bytes:
    """The card's picture without its card text (the bytes bound applies to that), once it is
    within the bounds and decodes as a whole image; refused otherwise (a decompression bomb is
    refused by its header)."""
    kept = write_png([c for c in chunks if c.keyword.lower() not in CARD_KEYWORDS])
    if len(kept) > MAX_AVATAR_BYTES:
        raise PersonaFileError(
            source,
            f"the picture is {len(kept) / 1024 / 1024:.1f} MB, over the "
            f"{MAX_AVATAR_BYTES // 1024 // 1024} MB limit for a persona's picture",
        )
    width, height = image_size(chunks)
    if width * height > MAX_AVATAR_PIXELS:
        raise PersonaFileError(
            source,
            f"the picture claims {width}x{height} pixels, over the limit of {MAX_AVATAR_PIXELS} "
            "(4096x4096)",
        )
    _decode(kept, source)
    return kept


def _decode(png: bytes, source: str) -> None:
    """Decode the whole image once, so a damaged one is refused now, not when shown. (Its
    pixels were counted from its header first, well under Pillow's own bomb limit, so no
    process-wide warning filter is needed: imports run in the web app's worker threads.)"""
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            image.verify()
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            if image.width * image.height > MAX_AVATAR_PIXELS:
                raise PersonaFileError(source, "the picture has too many pixels")
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise PersonaFileError(source, f"the picture does not decode ({error})") from error


def generated_avatar(persona_id: str) -> bytes:
    """A plain picture for a persona without one: one colour taken from its id."""
    digest = hashlib.sha256(persona_id.encode("utf-8")).digest()
    colour = (64 + digest[0] % 160, 64 + digest[1] % 160, 64 + digest[2] % 160)
    buffer = io.BytesIO()
    Image.new("RGB", GENERATED_SIZE, colour).save(buffer, format="PNG")
    return buffer.getvalue()
