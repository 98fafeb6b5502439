"""The persona schema: what a persona file may say, checked strictly (unknown keys refused)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Audience = Literal["staff", "clinician", "patient"]
Grounding = Literal["strict", "open"]

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
COLLECTION_PATTERN = r"^(\*|[a-z0-9][a-z0-9_-]{0,62})$"
LOCALE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
MODEL_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
"""A named model (``dr-wang-gi``): letters, digits, '-', '_' and '.', at most 64."""

# A line that starts a turn of example dialogue: "{{user}}: ..." or "{{char}}: ...".
TURN = re.compile(r"^\s*\{\{(user|char)\}\}\s*[:：]\s?", re.IGNORECASE | re.MULTILINE)
# Separators between example conversations in character cards.
START = re.compile(r"^\s*<START>\s*$", re.IGNORECASE | re.MULTILINE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class PersonaPrompt(_Strict):
    """The persona's instructions, in the context / task / constraints framework."""

    context: str = Field(min_length=1, description="Who the assistant is and for whom.")
    task: str = Field(default="", description="What it does in this conversation.")
    constraints: str = Field(default="", description="Rules it keeps: length, tone, limits.")


class Persona(_Strict):
    """One AI persona: its role, its prompt, its examples and the knowledge it may search."""

    id: str = Field(pattern=ID_PATTERN, description="Stable id: lowercase, digits, - and _.")
    name: str = Field(min_length=1, max_length=80)
    locale: str = Field(pattern=LOCALE_PATTERN, description="Language it speaks: zh-TW, en...")
    audience: Audience
    description: str = Field(
        min_length=1,
        max_length=20000,
        description="Who the persona is: a line or two, or an imported card's whole text.",
    )
    greeting: str = Field(min_length=1, description="The first message a user sees.")
    prompt: PersonaPrompt
    example_dialogue: str = Field(
        default="", description="Few-shot turns: lines starting '{{user}}:' and '{{char}}:'."
    )
    collections: list[str] = Field(
        default_factory=list,
        description="Collections it may search ('*' for all); empty for a plain chat persona.",
    )
    grounding: Grounding = Field(
        default="strict",
        description="strict: answer only from the sources, else say they do not cover it; "
        "open: use the sources when they help, general knowledge otherwise.",
    )
    starters: list[str] = Field(default_factory=list, max_length=6)
    model: str | None = Field(
        default=None,
        description="The named model that answers for it (such as a fine-tuned LoRA adapter, "
        "configured in the models file); the default model when unset.",
    )
    temperature: float = Field(default=0.3, ge=0.0, le=2.0)
    max_tokens: int = Field(default=512, ge=16, le=8192)
    version: int = Field(default=1, ge=1)
    extensions: dict[str, Any] = Field(
        default_factory=dict, description="Extension data of imported cards, kept for export."
    )
    card_fields: dict[str, Any] = Field(
        default_factory=dict,
        description="Fields of an imported character card that kbchat does not use, kept so "
        "that an export gives them back unchanged.",
    )

    @field_validator("collections")
    @classmethod
    def _collection_names(cls, names: list[str]) -> list[str]:
        for name in names:
            if not re.match(COLLECTION_PATTERN, name):
                raise ValueError(
                    f"{name!r} is not a collection name: use lowercase letters, digits, '-' "
                    "or '_', or '*' for every collection"
                )
        return list(dict.fromkeys(names))

    @field_validator("model")
    @classmethod
    def _model_name(cls, name: str | None) -> str | None:
        if not name:
            return None  # "model:" left empty is the default model
        if not re.match(MODEL_NAME_PATTERN, name):
            raise ValueError(
                f"{name!r} is not a model name: use letters, digits, '-', '_' or '.', at most "
                "64 characters, as the models file names it"
            )
        return name

    @field_validator("example_dialogue")
    @classmethod
    def _dialogue_has_turns(cls, dialogue: str) -> str:
        if not dialogue:
            return dialogue
        speakers = {match.group(1).lower() for match in TURN.finditer(dialogue)}
        if "char" not in speakers:
            raise ValueError(
                "the example dialogue has no '{{char}}:' turns; write each of the persona's "
                "lines as '{{char}}: ...' and each user line as '{{user}}: ...'"
            )
        first = START.sub("", dialogue).strip()
        if not TURN.match(first):
            raise ValueError(
                "the example dialogue must start with a '{{user}}:' or '{{char}}:' turn"
            )
        return dialogue

    @property
    def searches_knowledge(self) -> bool:
        """Whether the persona answers from knowledge collections (else plain chat)."""
        return bool(self.collections)
