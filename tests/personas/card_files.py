"""Character cards and PNG files made by the tests, and an independent PNG chunk reader (its
own struct/zlib code, not the one under test)."""

from __future__ import annotations

import base64
import copy
import io
import json
import struct
import zlib
from typing import Any

from PIL import Image

SIGNATURE = b"\x89PNG\r\n\x1a\n"

V2_CARD: dict[str, Any] = {
    "spec": "chara_card_v2",
    "spec_version": "2.0",
    "data": {
        "name": "Aiko",
        "description": "Aiko is a cheerful librarian.\nShe loves old maps.\n\nShe hums.",
        "personality": "curious, kind",
        "scenario": "A quiet library at closing time.",
        "first_mes": "Welcome! Looking for something?",
        "mes_example": "<START>\n{{user}}: Any maps?\n{{char}}: Plenty, follow me!",
        "creator_notes": "Made for testing.",
        "system_prompt": "",
        "post_history_instructions": "Stay in character.",
        "alternate_greetings": ["Hi there!", "Oh, a visitor."],
        "character_book": {
            "name": "Library lore",
            "entries": [{"keys": ["map"], "content": "Maps are upstairs.", "enabled": True}],
        },
        "tags": ["library", "maps"],
        "creator": "someone",
        "character_version": "7",
        "extensions": {"depth_prompt": {"depth": 4, "prompt": "Be brief."}, "x_unknown": [1, 2]},
    },
}


def v3_card() -> dict[str, Any]:
    """The V2 card as a V3 one, with V3's own fields."""
    card = copy.deepcopy(V2_CARD)
    card["spec"], card["spec_version"] = "chara_card_v3", "3.0"
    card["data"].update(
        nickname="Ai",
        group_only_greetings=["Hello, all of you."],
        assets=[{"type": "icon", "uri": "ccdefault:", "name": "main", "ext": "png"}],
    )
    return card


def v1_card() -> dict[str, Any]:
    """A V1 card: its six fields at the top, no spec."""
    data = V2_CARD["data"]
    keys = ("name", "description", "personality", "scenario", "first_mes", "mes_example")
    return {key: data[key] for key in keys}


def picture(size: tuple[int, int] = (24, 16)) -> bytes:
    """A small RGB PNG with a pattern, so that changed pixels would show."""
    image = Image.new("RGB", size)
    image.putdata([(x * 10 % 256, y * 15 % 256, (x + y) % 256) for y in range(size[1])
                   for x in range(size[0])])  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk with its length and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_text(png: bytes, keyword: str, text: bytes) -> bytes:
    """The PNG with a tEXt chunk inserted before its IEND (the last 12 bytes)."""
    return png[:-12] + chunk(b"tEXt", keyword.encode() + b"\0" + text) + png[-12:]


def card_png(card: dict[str, Any], keyword: str = "chara", png: bytes | None = None) -> bytes:
    """A PNG card as SillyTavern writes one: the card JSON, base64, in a tEXt chunk."""
    encoded = base64.b64encode(json.dumps(card).encode("utf-8"))
    return with_text(png or picture(), keyword, encoded)


def chunks_of(png: bytes) -> list[tuple[bytes, bytes]]:
    """Every chunk's type and data, each CRC checked."""
    assert png.startswith(SIGNATURE)
    offset, found = len(SIGNATURE), []
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind, data = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        found.append((kind, data))
        offset += 12 + length
    assert found[-1][0] == b"IEND"
    return found


def cards_in(png: bytes) -> dict[str, Any]:
    """The card JSON of each tEXt card chunk, by keyword."""
    texts = [data.split(b"\0", 1) for kind, data in chunks_of(png) if kind == b"tEXt"]
    return {k.decode(): json.loads(base64.b64decode(v)) for k, v in texts}


def pixels(png: bytes) -> bytes:
    """The decoded RGBA pixels of a PNG."""
    with Image.open(io.BytesIO(png)) as image:
        return image.convert("RGBA").tobytes()
