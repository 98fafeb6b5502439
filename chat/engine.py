"""The answer engine: retrieve → assemble messages → stream → cite."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from chat.citations import Citation, resolve_citations
from chat.prompts import (
    KB_ASSISTANT,
    NOT_COVERED,
    AssistantPrompt,
    format_source,
    question_language,
    user_turn,
)
from knowledge.base import KnowledgeBase
from knowledge.retrieval import SearchHit
from serving.backend import ChatBackend, GenerationOptions, Message, QueueCallback, Usage

# Tokens kept free for the chat template's role markers and rounding.
_TEMPLATE_MARGIN = 48


class QuestionRejected(ValueError):
    """A question the engine will not send to the model (empty, too long)."""


@dataclass(frozen=True)
class EngineOptions:
    """How many pages to retrieve and how much evidence counts as relevant."""

    k: int = 4
    min_coverage: float = 0.2
    max_question_chars: int = 2000
    generation: GenerationOptions = field(default_factory=GenerationOptions)


@dataclass(frozen=True)
class Answer:
    """A finished answer with its citations; ``covered`` is False for a refusal."""

    text: str
    citations: list[Citation]
    persona: str
    model: str
    covered: bool
    usage: Usage | None = None
    finish_reason: str | None = None

    def to_json(self) -> dict[str, object]:
        """The public JSON shape of ``kbchat ask --json``."""
        return {
            "answer": self.text,
            "citations": [citation.to_json() for citation in self.citations],
            "persona": self.persona,
            "model": self.model,
        }


@dataclass(frozen=True)
class Token:
    """A piece of the answer as the model writes it (markers not yet renumbered)."""

    text: str


Event = Token | Answer


class AnswerEngine:
    """Grounded, cited answers from a knowledge base and a chat backend."""

    def __init__(
        self, kb: KnowledgeBase, backend: ChatBackend, options: EngineOptions | None = None
    ) -> None:
        self.kb = kb
        self.backend = backend
        self.options = options or EngineOptions()

    def check_question(self, question: str) -> str:
        """The stripped question, or QuestionRejected saying why not."""
        stripped = question.strip()
        if not stripped:
            raise QuestionRejected("the question is empty")
        limit = self.options.max_question_chars
        if len(stripped) > limit:
            raise QuestionRejected(
                f"the question is {len(stripped)} characters long, over the limit of {limit}"
            )
        return stripped

    def stream(
        self,
        question: str,
        *,
        history: Sequence[Message] = (),
        collections: Sequence[str] | None = None,
        prompt: AssistantPrompt = KB_ASSISTANT,
        cancel: threading.Event | None = None,
        on_queue: QueueCallback | None = None,
    ) -> Iterator[Event]:
        """Yield the answer's tokens as they come, then the finished Answer."""
        prepared = self.prepare(question, history=history, collections=collections, prompt=prompt)
        if prepared is None:
            language = question_language(question)
            yield Answer(NOT_COVERED[language], [], prompt.id, self.backend.model_name, False)
            return
        messages, used = prepared
        parts: list[str] = []
        usage: Usage | None = None
        finish: str | None = None
        options = self.options.generation
        for chunk in self.backend.stream(messages, options, cancel=cancel, on_queue=on_queue):
            if chunk.text:
                parts.append(chunk.text)
                yield Token(chunk.text)
            usage, finish = chunk.usage or usage, chunk.finish_reason or finish
        text, citations = resolve_citations("".join(parts), used)
        yield Answer(text, citations, prompt.id, self.backend.model_name, True, usage, finish)

    def prepare(
        self,
        question: str,
        *,
        history: Sequence[Message] = (),
        collections: Sequence[str] | None = None,
        prompt: AssistantPrompt = KB_ASSISTANT,
    ) -> tuple[list[Message], list[SearchHit]] | None:
        """Retrieve and assemble the messages for a question; None when nothing is relevant."""
        question = self.check_question(question)
        hits = self.kb.search(question, collections, k=self.options.k)
        # The gate decides whether to answer at all; it never reorders or drops single pages,
        # so the retriever's best page stays source [1].
        if not any(hit.coverage >= self.options.min_coverage for hit in hits):
            return None
        language = question_language(question)
        return self.assemble_messages(question, hits, history, prompt, language)

    def answer(
        self,
        question: str,
        *,
        history: Sequence[Message] = (),
        collections: Sequence[str] | None = None,
        prompt: AssistantPrompt = KB_ASSISTANT,
    ) -> Answer:
        """The finished answer, without streaming."""
        events = self.stream(question, history=history, collections=collections, prompt=prompt)
        return next(event for event in events if isinstance(event, Answer))

    def assemble_messages(
        self,
        question: str,
        hits: Sequence[SearchHit],
        history: Sequence[Message],
        prompt: AssistantPrompt,
        language: str,
    ) -> tuple[list[Message], list[SearchHit]]:
        """System prompt, as much history and as many sources as fit, then the question.

        Sources win over history: they are added first, best first, the last one cut to fit;
        then the most recent turns of history that still fit. Returns the messages and the
        sources that made it in (their numbers are the positions in that list).
        """
        count = self.backend.count_tokens
        system: Message = {"role": "system", "content": prompt.system[language]}
        budget = self.backend.context_size - self.options.generation.max_tokens - _TEMPLATE_MARGIN
        budget -= count(system["content"]) + count(user_turn(question, [], language))
        sources: list[str] = []
        used: list[SearchHit] = []
        for hit in hits:
            block = format_source(len(used) + 1, hit.text)
            cost = count(block) + 2
            if cost > budget:
                block = _cut_to_fit(block, budget, count)
                if not block:
                    break
                cost = count(block) + 2
            sources.append(block)
            used.append(hit)
            budget -= cost
        kept: list[Message] = []
        for turn in reversed(history):
            cost = count(turn["content"]) + 8
            if cost > budget:
                break
            kept.insert(0, turn)
            budget -= cost
        last: Message = {"role": "user", "content": user_turn(question, sources, language)}
        return [system, *kept, last], used


def _cut_to_fit(block: str, budget: int, count: Callable[[str], int]) -> str:
    """The longest prefix of a source block that fits the budget; empty when little room is left."""
    if budget < 32:
        return ""
    low, high = 0, len(block)
    while low < high:
        middle = (low + high + 1) // 2
        if count(block[:middle]) <= budget:
            low = middle
        else:
            high = middle - 1
    return block[:low]
