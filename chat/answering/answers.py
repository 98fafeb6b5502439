"""What the answer engine takes and gives: its options, the question refused, the prepared
prompt, and the answer (streamed as tokens, then whole)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chat.answering.citations import Citation
from chat.answering.evidence import EvidenceLimits
from knowledge import SearchHit
from serving import GenerationOptions, Message, Usage


class QuestionRejected(ValueError):
    """A question the engine will not send to the model (empty, too long, wrong collection).
    A question too long carries its ``length`` and the ``limit``, for the edges to say."""

    def __init__(self, message: str, *, length: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.length, self.limit = length, limit


@dataclass(frozen=True)
class EngineOptions:
    """How many pages to retrieve and how much evidence counts as relevant."""

    k: int = 4
    min_relevance: float = 0.78
    max_question_chars: int = 2000
    generation: GenerationOptions = field(default_factory=GenerationOptions)
    evidence: EvidenceLimits = field(default_factory=EvidenceLimits)


@dataclass(frozen=True)
class Answer:
    """A finished answer: its sources, the pages searched but not used, and the claims no
    source supports (marked in the text); ``covered`` is False for a refusal."""

    text: str
    citations: list[Citation]
    persona: str
    model: str
    covered: bool
    usage: Usage | None = None
    finish_reason: str | None = None
    persona_version: int = 1
    searched: list[Citation] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    adapter: str = ""
    """The LoRA adapter of the named model that answered (empty for a base model)."""

    def to_json(self) -> dict[str, object]:
        """The public JSON shape of ``kbchat ask --json``."""
        return {
            "answer": self.text,
            "citations": [citation.to_json() for citation in self.citations],
            "covered": self.covered,
            "unsupported": self.unsupported,
            "persona": self.persona,
            "model": self.model,
            "adapter": self.adapter,
        }


@dataclass(frozen=True)
class Token:
    """A piece of the answer as the model writes it (markers not yet renumbered)."""

    text: str


@dataclass(frozen=True)
class SourcesGiven:
    """How many numbered sources the model was given (its markers may name ``[1]`` to
    ``[count]``); yielded before the answer's first token, for renumbering as it streams."""

    count: int


Event = SourcesGiven | Token | Answer


@dataclass(frozen=True)
class Prepared:
    """The messages for the model, the retrieved pages their sources are numbered after, and
    the evidence of each that the model was given."""

    messages: list[Message]
    sources: list[SearchHit]
    generation: GenerationOptions
    evidence: list[str] = field(default_factory=list)
    language: str = "en"
    taiwan_usage: bool = False
    not_given: list[SearchHit] = field(default_factory=list)
    """Pages retrieved but left out of the prompt (less relevant than the gate asks)."""
    question: str = ""
    """The question as asked: what an answer repeats of it needs no source."""
