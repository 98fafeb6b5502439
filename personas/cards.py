"""Character formats of other apps: text-generation-webui YAML and Character Card V2/V3 JSON.

kbchat's own fields (id, locale, audience, collections, the structured prompt...) travel
under ``extensions.kbchat`` in a card and under a ``kbchat`` key in a tgw file, so a round
trip through either format gives the same persona back. Card fields and extension keys kbchat
does not use are kept verbatim and written back on export.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from personas.errors import PersonaFileError
from personas.render import render_prompt
from personas.schema import TURN, Persona, PersonaPrompt

CARD_SPECS = ("chara_card_v2", "chara_card_v3")
V1_FIELDS = ("name", "description", "personality", "scenario", "first_mes", "mes_example")
"""A V1 card's fields, which V2 and V3 cards repeat at their top for older readers."""
OUR_KEY = "kbchat"
_OURS = (
    "id",
    "locale",
    "audience",
    "description",
    "prompt",
    "collections",
    "grounding",
    "starters",
    "temperature",
    "max_tokens",
    "version",
    "model",
)
_VERSIONS = {"chara_card_v2": "2.0", "chara_card_v3": "3.0"}
_EMPTY: tuple[Any, ...] = ("", None, [], {})
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _guess_locale(text: str) -> str:
    return "zh-TW" if len(_CJK.findall(text)) * 3 >= len(re.findall(r"\w", text)) > 0 else "en"


def _guess_id(stem: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:63]
    return slug or "persona-" + hashlib.sha256(name.encode()).hexdigest()[:8]


def _ours(container: dict[str, Any], source: str) -> dict[str, Any]:
    value = container.get(OUR_KEY, {})
    if not isinstance(value, dict):
        raise PersonaFileError(source, "must be a mapping of kbchat fields", field=OUR_KEY)
    return {key: value[key] for key in _OURS if key in value}


def split_context(context: str) -> tuple[str, str]:
    """A tgw context cut into its description and the example dialogue that follows it."""
    first = TURN.search(context)
    start = re.search(r"^\s*<START>\s*$", context, re.IGNORECASE | re.MULTILINE)
    cut = min(m.start() for m in (first, start) if m) if first or start else len(context)
    return context[:cut].strip(), context[cut:].strip()


def tgw_to_fields(data: dict[str, Any], source: str, stem: str) -> dict[str, Any]:
    """Persona fields from a text-generation-webui character (``name``, ``greeting``,
    ``context``)."""
    for key in ("name", "context"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise PersonaFileError(source, "a text-generation-webui character needs it", field=key)
    name, greeting = data["name"].strip(), str(data.get("greeting") or "").strip()
    description, dialogue = split_context(data["context"])
    fields: dict[str, Any] = {
        "id": _guess_id(stem, name),
        "name": name,
        "locale": _guess_locale(data["context"] + greeting),
        "audience": "staff",
        "description": description or name,
        "greeting": greeting or name,
        "prompt": {"context": description or name},
        "example_dialogue": dialogue,
    }
    fields.update(_ours(data, source))
    extra = {k: v for k, v in data.items() if k not in ("name", "greeting", "context", OUR_KEY)}
    if extra:
        fields["card_fields"] = extra
    return fields


def persona_to_tgw(persona: Persona) -> dict[str, Any]:
    """A text-generation-webui character: the rendered prompt and example dialogue as context."""
    context = render_prompt(persona.prompt, persona.locale)
    if persona.example_dialogue:
        context += "\n\n" + persona.example_dialogue
    # Extra keys of an imported tgw file go back; a card's fields mean nothing to tgw.
    extra = {} if "spec" in persona.card_fields else persona.card_fields
    return {
        **extra,
        "name": persona.name,
        "greeting": persona.greeting,
        "context": context,
        OUR_KEY: _our_extension(persona),
    }


def tgw_left_out(persona: Persona) -> list[str]:
    """The fields of this persona a tgw export cannot hold: a card's own fields other than
    those its context takes in, and extension data."""
    held = {*V1_FIELDS, "system_prompt", "spec", "spec_version"}
    fields = persona.card_fields if "spec" in persona.card_fields else {}
    dropped = [key for key, value in fields.items() if key not in held and value not in _EMPTY]
    dropped += [f"extensions.{key}" for key in persona.extensions]
    return dropped


def prompt_from_card(card: dict[str, Any]) -> PersonaPrompt:
    """The prompt a foreign card implies: its system prompt and character text as context."""
    parts = [
        str(card.get(key) or "").strip()
        for key in ("system_prompt", "description", "personality", "scenario")
    ]
    return PersonaPrompt(context="\n\n".join(p for p in parts if p) or str(card.get("name")))


def is_v1_card(card: dict[str, Any]) -> bool:
    """Whether the object is a V1 card: no spec, a name and character fields at the top."""
    return (
        "spec" not in card
        and isinstance(card.get("name"), str)
        and any(isinstance(card.get(key), str) for key in V1_FIELDS[1:])
    )


def card_to_fields(card: dict[str, Any], source: str, stem: str) -> dict[str, Any]:
    """Persona fields from a Character Card V1 (its fields at the top), V2 or V3
    (``{"spec": ..., "data": {...}}``); a V1 card is written back as a V2."""
    if is_v1_card(card):
        card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": card}
    spec = card.get("spec")
    if spec not in CARD_SPECS:
        found = f"{spec!r}" if spec else "no spec and no V1 card's name and description"
        raise PersonaFileError(
            source,
            f"kbchat reads V1, {' and '.join(CARD_SPECS)} cards; this one has {found}",
            field="spec",
        )
    data = card.get("data")
    if not isinstance(data, dict):
        raise PersonaFileError(source, "a card's data must be an object", field="data")
    name = str(data.get("name") or "").strip()
    if not name:
        raise PersonaFileError(source, "the card has no name", field="data.name")
    extensions = data.get("extensions") or {}
    if not isinstance(extensions, dict):
        raise PersonaFileError(source, "must be an object", field="data.extensions")
    text = " ".join(str(data.get(k) or "") for k in ("description", "first_mes", "system_prompt"))
    description = str(data.get("description") or "").strip()
    # Every card field is kept as it was; an export writes an edited value instead (below).
    card_fields = {k: v for k, v in data.items() if k != "extensions"}
    if card_fields.get("character_version") == str(_ours(extensions, source).get("version")):
        del card_fields["character_version"]  # our own version number, written anew each time
    card_fields["spec"], card_fields["spec_version"] = spec, card.get("spec_version", "")
    fields: dict[str, Any] = {
        "id": _guess_id(stem, name),
        "name": name,
        "locale": _guess_locale(text),
        "audience": "staff",
        "description": description or name,
        "greeting": str(data.get("first_mes") or "").strip() or name,
        "prompt": prompt_from_card(data).model_dump(),
        "example_dialogue": str(data.get("mes_example") or "").strip(),
        "extensions": {k: v for k, v in extensions.items() if k != OUR_KEY},
        "card_fields": card_fields,
    }
    fields.update(_ours(extensions, source))
    return fields


def persona_to_card(persona: Persona, spec: str | None = None) -> dict[str, Any]:
    """A Character Card V2 (or V3, when the persona came from one, or ``spec`` asks for it)
    holding every field, with the V1 fields repeated at its top as SillyTavern writes them.

    Fields of an imported card go back exactly as they came, unless the persona was edited
    since: then the edited value is written.
    """
    kept = dict(persona.card_fields)
    own_spec = kept.pop("spec", "chara_card_v2")
    own_version = kept.pop("spec_version", "")
    spec = spec or own_spec
    spec_version = own_version if spec == own_spec and own_version else _VERSIONS[spec]
    data: dict[str, Any] = {
        "name": persona.name,
        "description": persona.description,
        "personality": "",
        "scenario": "",
        "first_mes": persona.greeting,
        "mes_example": persona.example_dialogue,
        "creator_notes": "",
        "system_prompt": render_prompt(persona.prompt, persona.locale),
        "post_history_instructions": "",
        "alternate_greetings": [],
        "tags": [],
        "creator": "kbchat",
        "character_version": str(persona.version),
    }
    for key, value in kept.items():
        if key in ("name", "description", "first_mes", "mes_example"):
            if isinstance(value, str) and value.strip() == data[key]:
                data[key] = value
        elif key == "system_prompt":
            if persona.prompt == prompt_from_card({**kept, "name": persona.name}):
                data[key] = value
        else:
            data[key] = value
    data["extensions"] = {**persona.extensions, OUR_KEY: _our_extension(persona)}
    mirror = {key: data[key] for key in V1_FIELDS}
    return {**mirror, "spec": spec, "spec_version": spec_version, "data": data}


def _our_extension(persona: Persona) -> dict[str, Any]:
    dumped = persona.model_dump(mode="json")
    # No model is the default model: left out, so that such an export reads as before.
    return {key: dumped[key] for key in _OURS if key != "model" or dumped[key]}
