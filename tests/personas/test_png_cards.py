"""Character cards as people download them: V1/V2/V3, as JSON and as PNG pictures."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from personas.errors import PersonaFileError
from personas.formats import PersonaFormat, export_persona, load_persona
from personas.manager import export_personas, import_files
from personas.png_chunks import read_chunks, write_png
from personas.schema import Persona
from personas.store import PersonaStore
from tests.personas.card_files import (
    SIGNATURE,
    V2_CARD,
    card_png,
    cards_in,
    chunk,
    chunks_of,
    picture,
    pixels,
    v1_card,
    v3_card,
    with_text,
)

CARDS = {"v1": v1_card, "v2": lambda: json.loads(json.dumps(V2_CARD)), "v3": v3_card}


def _card_fields(card: dict[str, Any]) -> dict[str, Any]:
    """A card's own fields (V1 ones at the top), our extension left aside."""
    data = dict(card.get("data", card))
    data["extensions"] = {k: v for k, v in data.get("extensions", {}).items() if k != "kbchat"}
    return data


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _exported_and_reloaded(persona: Persona, fmt: PersonaFormat, tmp_path: Path) -> Any:
    exported = export_persona(persona, fmt)
    return load_persona(_write(tmp_path / "again", exported.name, exported.data))


@pytest.mark.parametrize("kind", CARDS)
@pytest.mark.parametrize("container", ["json", "png"])
def test_every_card_field_survives_import_export_import(
    kind: str, container: str, tmp_path: Path
) -> None:
    card = CARDS[kind]()
    (tmp_path / "again").mkdir()
    keyword = "ccv3" if kind == "v3" else "chara"
    data = json.dumps(card).encode() if container == "json" else card_png(card, keyword)
    loaded = load_persona(_write(tmp_path, f"aiko.{container}", data))
    assert loaded.persona.name == "Aiko" and loaded.persona.id == "aiko"
    assert loaded.persona.description == V2_CARD["data"]["description"]  # kept whole
    assert (loaded.avatar is not None) == (container == "png")
    for fmt in (PersonaFormat.CARD_V2, PersonaFormat.CARD_PNG):
        again = _exported_and_reloaded(loaded.persona, fmt, tmp_path)
        exported = json.loads(export_persona(again.persona, PersonaFormat.CARD_V2).data)
        fields = _card_fields(exported)
        for key, value in _card_fields(card).items():
            assert fields[key] == value, (kind, container, fmt, key)


def test_a_png_card_prefers_its_v3_text(tmp_path: Path) -> None:
    v3 = v3_card()
    v3["data"]["name"] = "Aiko Three"
    both = card_png(v3, "ccv3", card_png(V2_CARD, "chara"))
    loaded = load_persona(_write(tmp_path, "both.png", both))
    assert loaded.persona.name == "Aiko Three"
    assert loaded.persona.card_fields["spec"] == "chara_card_v3"


def test_a_png_written_by_kbchat_holds_both_cards_and_the_same_pixels(tmp_path: Path) -> None:
    original = picture((30, 20))
    loaded = load_persona(_write(tmp_path, "aiko.png", card_png(V2_CARD, png=original)))
    assert loaded.avatar is not None and "chara" not in cards_in(loaded.avatar)
    exported = export_persona(loaded.persona, PersonaFormat.CARD_PNG, loaded.avatar)
    assert exported.media_type == "image/png" and exported.name == "aiko.card.png"
    cards = cards_in(exported.data)  # read with the test's own chunk reader
    assert set(cards) == {"chara", "ccv3"}
    assert cards["chara"]["spec"] == "chara_card_v2" and cards["chara"]["spec_version"] == "2.0"
    assert cards["ccv3"]["spec"] == "chara_card_v3" and cards["ccv3"]["spec_version"] == "3.0"
    for card in cards.values():
        assert card["data"]["character_book"] == V2_CARD["data"]["character_book"]
        assert card["name"] == "Aiko" and card["description"] == V2_CARD["data"]["description"]
        assert card["first_mes"] == V2_CARD["data"]["first_mes"]
    assert pixels(exported.data) == pixels(original)
    kinds = [kind for kind, _ in chunks_of(exported.data)]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and kinds.count(b"tEXt") == 2


def test_a_persona_without_a_picture_gets_a_plain_one(fields: dict[str, Any]) -> None:
    persona = Persona.model_validate(fields)
    first = export_persona(persona, PersonaFormat.CARD_PNG).data
    other = export_persona(
        persona.model_copy(update={"id": "someone-else"}), PersonaFormat.CARD_PNG
    )
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == (400, 600)
    assert pixels(first) != pixels(other.data)  # a colour of its own
    assert cards_in(first)["ccv3"]["data"]["extensions"]["kbchat"]["id"] == "triage-nurse"


def test_exported_cards_repeat_the_v1_fields_at_the_top(fields: dict[str, Any]) -> None:
    card = json.loads(export_persona(Persona.model_validate(fields), PersonaFormat.CARD_V2).data)
    for key in ("name", "description", "personality", "scenario", "first_mes", "mes_example"):
        assert card[key] == card["data"][key], key
    assert card["first_mes"] == fields["greeting"]


def test_tgw_export_says_what_it_left_out(tmp_path: Path, fields: dict[str, Any]) -> None:
    loaded = load_persona(_write(tmp_path, "aiko.json", json.dumps(V2_CARD).encode()))
    exported = export_persona(loaded.persona, PersonaFormat.TGW)
    assert set(exported.left_out) == {
        "creator_notes",
        "post_history_instructions",
        "alternate_greetings",
        "character_book",
        "tags",
        "creator",
        "character_version",
        "extensions.depth_prompt",
        "extensions.x_unknown",
    }
    assert export_persona(loaded.persona, PersonaFormat.CARD_V2).left_out == []
    assert export_persona(Persona.model_validate(fields), PersonaFormat.TGW).left_out == []


def _bomb() -> bytes:
    """A PNG whose header claims 100000x100000 pixels, with a tiny IDAT."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    body = (
        chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    )
    return card_png(V2_CARD, png=SIGNATURE + body)


def _bad_crc() -> bytes:
    good = card_png(V2_CARD)
    return good[:50] + bytes([good[50] ^ 0xFF]) + good[51:]  # inside the IDAT data


def _big_picture() -> bytes:
    padding = chunk(b"zzPd", os.urandom(4 * 1024 * 1024 + 10))  # an ancillary chunk
    png = picture()
    return card_png(V2_CARD, png=png[:-12] + padding + png[-12:])


BAD_PNGS: dict[str, tuple[Callable[[], bytes], str]] = {
    "no card": (lambda: picture(), "holds no character card"),
    "bad crc": (_bad_crc, "bad CRC"),
    "truncated": (lambda: card_png(V2_CARD)[:-20], "truncated"),
    "not base64": (lambda: with_text(picture(), "chara", b"not base64 at all!"), "not base64"),
    "not json": (
        lambda: with_text(picture(), "chara", base64.b64encode(b"{oops")),
        "not card JSON",
    ),
    "bomb": (_bomb, "100000x100000 pixels"),
    "too many bytes": (_big_picture, "MB limit for a persona's picture"),
    "not an image": (
        lambda: card_png(
            V2_CARD, png=picture()[:33] + chunk(b"IDAT", b"junk") + chunk(b"IEND", b"")
        ),
        "does not decode",
    ),
}


@pytest.mark.parametrize("case", BAD_PNGS)
def test_a_bad_png_is_refused_in_one_line_and_nothing_is_stored(
    case: str, store: PersonaStore, tmp_path: Path
) -> None:
    make, reason = BAD_PNGS[case]
    before = {s.persona.id for s in store.list_personas()}
    good = _write(tmp_path, "good.json", json.dumps(V2_CARD).encode())
    bad = _write(tmp_path, "bad.png", make())
    with pytest.raises(PersonaFileError) as caught:
        import_files(store, [good, bad], author="amy")
    message = str(caught.value)
    assert message.startswith(f"{bad}: ") and reason in message and "\n" not in message
    assert {s.persona.id for s in store.list_personas()} == before


def test_the_picture_is_stored_with_its_version_and_kept_by_the_next(
    store: PersonaStore, tmp_path: Path
) -> None:
    original = picture((20, 30))
    png = _write(tmp_path, "aiko.png", card_png(V2_CARD, png=original))
    [saved] = import_files(store, [png], author="amy")
    avatar = store.avatar("aiko")
    assert saved.version == 1 and avatar is not None
    assert pixels(avatar) == pixels(original) and cards_in(avatar) == {}  # card text removed
    assert store.stored("aiko").avatar == hashlib.sha256(avatar).hexdigest()
    edited = {**V2_CARD, "data": {**V2_CARD["data"], "first_mes": "Hello again."}}
    card = _write(tmp_path, "aiko.json", json.dumps(edited).encode())
    [again] = import_files(store, [card], author="amy", update=True)
    assert again.version == 2 and again.greeting == "Hello again."
    assert store.avatar("aiko") == avatar == store.avatar("aiko", 1)
    exported = export_personas(store, ["aiko"], PersonaFormat.CARD_PNG, tmp_path / "out")
    [(path, _)] = exported
    assert pixels(path.read_bytes()) == pixels(original)
    assert cards_in(path.read_bytes())["ccv3"]["data"]["first_mes"] == "Hello again."


def test_the_png_chunk_writer_reads_back_and_checks_crcs() -> None:
    png = card_png(V2_CARD)
    chunks = read_chunks(png, "x.png")
    assert write_png(chunks) == png  # byte for byte
    assert [c.kind for c in chunks] == [kind for kind, _ in chunks_of(png)]
    assert [c.keyword for c in chunks if c.kind == b"tEXt"] == ["chara"]
    with pytest.raises(PersonaFileError, match="signature"):
        read_chunks(b"GIF89a" + png[6:], "x.png")
