"""Character cards as PNG pictures: the card JSON, base64, in a ``tEXt`` chunk named
``chara`` (V2) or ``ccv3`` (V3), as SillyTavern reads and writes them."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from personas.avatars import CARD_KEYWORDS, checked_avatar
from personas.errors import PersonaFileError
from personas.png_chunks import Chunk, read_chunks, text_chunk, text_of, write_png


def card_from_png(data: bytes, source: str, max_text_bytes: int) -> tuple[dict[str, Any], bytes]:
    """The card a PNG holds (V3 when it has both) and its picture without the card text."""
    chunks = read_chunks(data, source)
    found = {c.keyword: c for c in chunks if c.kind == b"tEXt" and c.keyword in CARD_KEYWORDS}
    keyword = "ccv3" if "ccv3" in found else "chara" if "chara" in found else ""
    if not keyword:
        raise PersonaFileError(
            source, "the PNG holds no character card (no 'chara' or 'ccv3' text chunk)"
        )
    card = _decoded(text_of(found[keyword]), source, keyword, max_text_bytes)
    return card, checked_avatar(chunks, source)


def _decoded(text: bytes, source: str, keyword: str, max_text_bytes: int) -> dict[str, Any]:
    """The card JSON of a chunk's base64 text."""
    try:
        raw = base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise PersonaFileError(source, f"the '{keyword}' chunk is not base64") from error
    if len(raw) > max_text_bytes:
        raise PersonaFileError(
            source,
            f"the card text is {len(raw) // 1024} KB, over the {max_text_bytes // 1024} KB "
            "limit for a persona",
        )
    try:
        card = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PersonaFileError(source, f"the '{keyword}' chunk is not card JSON") from error
    if not isinstance(card, dict):
        raise PersonaFileError(source, f"the '{keyword}' chunk is not a card (a JSON object)")
    return card


def png_with_card(png: bytes, cards: dict[str, dict[str, Any]]) -> bytes:
    """The picture with the cards (by keyword: ``chara``, ``ccv3``) in ``tEXt`` chunks before
    its end, any card text it had replaced."""
    chunks = [c for c in read_chunks(png, "picture") if c.keyword not in CARD_KEYWORDS]
    added = [text_chunk(keyword, _encoded(card)) for keyword, card in cards.items()]
    kept: list[Chunk] = chunks[:-1] + added + chunks[-1:]
    return write_png(kept)


def _encoded(card: dict[str, Any]) -> str:
    text = json.dumps(card, ensure_ascii=False)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")
