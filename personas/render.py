"""Turn a persona into chat messages: its system text and its example dialogue as few-shot turns.

Only the OpenAI-style message list is built here; the model's own chat template (ChatML,
Llama-2 ``[INST]``, Gemma...) is applied by the serving backend, never by the persona.
"""

from __future__ import annotations

import re
from typing import Literal, TypedDict

from personas.schema import START, TURN, Persona, PersonaPrompt

_PLACEHOLDER = re.compile(r"\{\{(user|char)\}\}|<(USER|BOT)>", re.IGNORECASE)

# The section labels of the context / task / constraints framework, per language.
_LABELS = {
    "zh": ("任務：", "限制："),
    "en": ("Task: ", "Constraints: "),
}


def default_user_name(locale: str) -> str:
    """What ``{{user}}`` becomes when the user's own name is not known."""
    return "使用者" if locale.startswith("zh") else "User"


class Turn(TypedDict):
    """One few-shot message, in the OpenAI shape the backends take."""

    role: Literal["user", "assistant"]
    content: str


def substitute(text: str, *, user: str, char: str) -> str:
    """Replace ``{{user}}``/``{{char}}`` (and text-generation-webui's ``<USER>``/``<BOT>``)."""

    def name(match: re.Match[str]) -> str:
        which = (match.group(1) or match.group(2)).lower()
        return user if which == "user" else char

    return _PLACEHOLDER.sub(name, text)


def render_prompt(prompt: PersonaPrompt, locale: str) -> str:
    """The prompt as one text: context, then the labelled task and constraints when present."""
    task_label, constraints_label = _LABELS["zh" if locale.startswith("zh") else "en"]
    parts = [prompt.context]
    if prompt.task:
        parts.append(f"{task_label}{prompt.task}")
    if prompt.constraints:
        parts.append(f"{constraints_label}{prompt.constraints}")
    return "\n\n".join(parts)


def system_text(persona: Persona, *, user: str) -> str:
    """The persona's system message, placeholders filled in."""
    return substitute(render_prompt(persona.prompt, persona.locale), user=user, char=persona.name)


def example_turns(persona: Persona, *, user: str) -> list[Turn]:
    """The example dialogue as alternating user/assistant turns (continuation lines joined)."""
    dialogue = START.sub("", persona.example_dialogue)
    turns: list[Turn] = []
    matches = list(TURN.finditer(dialogue))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(dialogue)
        text = substitute(dialogue[match.end() : end].strip(), user=user, char=persona.name)
        role: Literal["user", "assistant"] = (
            "user" if match.group(1).lower() == "user" else "assistant"
        )
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"] += "\n" + text
        elif text:
            turns.append({"role": role, "content": text})
    # A few-shot block must end on the persona's reply, so the real question follows it.
    while turns and turns[-1]["role"] != "assistant":
        turns.pop()
    return turns
