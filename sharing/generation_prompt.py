"""The visible prompt of generated QA (``prompts/generate_qa.yaml``): self-instruct's seed
tasks, one passage per call, and the strict reading of the model's JSON reply."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sharing.errors import SharingError

PROMPT_FILE = Path(__file__).parent / "prompts" / "generate_qa.yaml"
LANGUAGES = ("zh-TW", "en")
MAX_QUESTION_CHARS = 500
MAX_ANSWER_CHARS = 4000
_FENCED = re.compile(r"```(?:json)?\s*(.*?)\s*```", re.DOTALL)
_SLOT = re.compile(r"\{(\w+)\}")


class PromptMessage(TypedDict):
    """One chat message in the OpenAI shape, as the completion callable receives it."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Passage:
    """A piece of one page of a document: what a generated pair rests on and cites."""

    text: str
    file: str
    page: int
    doc_id: str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    """One text in each language generation writes."""

    zh_tw: str = Field(alias="zh-TW", min_length=1)
    en: str = Field(min_length=1)

    def text(self, language: str) -> str:
        """The text in ``language`` (``zh-TW`` or ``en``)."""
        return self.zh_tw if language == "zh-TW" else self.en


class TaskText(_Strict):
    """A seed task as the model reads it: the kind of question, and an example."""

    task: str = Field(min_length=1)
    example: str = Field(min_length=1)


class SeedTask(_Strict):
    """One of self-instruct's seed tasks: a verb and a kind of question, in both languages."""

    id: str = Field(pattern=r"^[a-z][a-z-]*$")
    zh_tw: TaskText = Field(alias="zh-TW")
    en: TaskText

    def text(self, language: str) -> TaskText:
        """The task in ``language``."""
        return self.zh_tw if language == "zh-TW" else self.en


class GenerationPrompt(_Strict):
    """The system prompt, the per-passage instruction, the persona line and the seed tasks."""

    system: Localized
    instruction: Localized
    persona: Localized
    tasks: list[SeedTask] = Field(min_length=1)

    def messages(
        self, passage: Passage, task: SeedTask, language: str, persona: str = ""
    ) -> list[PromptMessage]:
        """The two messages of one call: the system prompt, then the passage and the task."""
        chosen = task.text(language)
        persona_line = _fill(self.persona.text(language), {"persona": persona}) if persona else ""
        slots = {
            "file": passage.file,
            "page": str(passage.page),
            "passage": passage.text.strip(),
            "task": chosen.task,
            "example": chosen.example,
            "persona": persona_line,
        }
        return [
            {"role": "system", "content": self.system.text(language)},
            {"role": "user", "content": _fill(self.instruction.text(language), slots)},
        ]


def _fill(template: str, slots: dict[str, str]) -> str:
    """Fill ``{name}`` slots in one pass (a passage's own braces are never read as slots)."""
    return _SLOT.sub(lambda match: slots.get(match[1], match[0]), template)


def load_prompt(path: Path = PROMPT_FILE) -> GenerationPrompt:
    """The generation prompt from its YAML file; a broken file is named with what is wrong."""
    try:
        return GenerationPrompt.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as error:
        raise SharingError(f"{path}: cannot read the generation prompt: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        )
        raise SharingError(f"{path}: not a generation prompt: {problems}") from None


class MalformedReply(SharingError):
    """A model reply that is not the one JSON object asked for; ``reason`` says how."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def parse_pair(reply: str) -> tuple[str, str]:
    """The question and answer of a reply that is exactly ``{"question": ..., "answer": ...}``
    (alone, or alone in one fenced code block); anything else is a MalformedReply."""
    text = reply.strip()
    fenced = _FENCED.fullmatch(text)
    if fenced:
        text = fenced[1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedReply(f"not JSON ({error.msg} at character {error.pos})") from None
    if not isinstance(data, dict) or set(data) != {"question", "answer"}:
        keys = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise MalformedReply(f"not an object of exactly question and answer (got {keys})")
    question, answer = data["question"], data["answer"]
    if not isinstance(question, str) or not isinstance(answer, str):
        raise MalformedReply("question and answer must be strings")
    question, answer = question.strip(), answer.strip()
    if not question or not answer:
        raise MalformedReply("empty question or answer")
    if len(question) > MAX_QUESTION_CHARS or len(answer) > MAX_ANSWER_CHARS:
        raise MalformedReply(
            f"too long (question {len(question)} characters, at most {MAX_QUESTION_CHARS}; "
            f"answer {len(answer)}, at most {MAX_ANSWER_CHARS})"
        )
    return question, answer
