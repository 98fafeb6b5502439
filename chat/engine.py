"""The answer engine: retrieve → assemble messages → stream → cite."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from chat.citations import Citation, resolve_citations
from chat.prompts import (
    GROUNDING_RULES,
    NOT_COVERED,
    format_source,
    question_language,
    strip_delimiters,
    user_turn,
)
from knowledge.base import KnowledgeBase
from knowledge.retrieval import SearchHit
from personas.render import default_user_name, example_turns, system_text
from personas.schema import Persona
from serving.backend import ChatBackend, GenerationOptions, Message, QueueCallback, Usage

# Tokens kept free for the chat template's role markers and rounding.
_TEMPLATE_MARGIN = 48


class QuestionRejected(ValueError):
    """A question the engine will not send to the model (empty, too long, wrong collection)."""


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
    persona_version: int = 1

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


@dataclass(frozen=True)
class Prepared:
    """The messages for the model, and the retrieved pages their sources are numbered after."""

    messages: list[Message]
    sources: list[SearchHit]
    generation: GenerationOptions


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
        persona: Persona,
        history: Sequence[Message] = (),
        collections: Sequence[str] | None = None,
        user_name: str | None = None,
        cancel: threading.Event | None = None,
        on_queue: QueueCallback | None = None,
    ) -> Iterator[Event]:
        """Yield the answer's tokens as they come, then the finished Answer."""
        prepared = self.prepare(
            question, persona=persona, history=history, collections=collections, user_name=user_name
        )
        model = self.backend.model_name
        if prepared is None:
            text = NOT_COVERED[question_language(question)]
            yield Answer(text, [], persona.id, model, False, persona_version=persona.version)
            return
        parts: list[str] = []
        usage: Usage | None = None
        finish: str | None = None
        chunks = self.backend.stream(
            prepared.messages, prepared.generation, cancel=cancel, on_queue=on_queue
        )
        for chunk in chunks:
            if chunk.text:
                parts.append(chunk.text)
                yield Token(chunk.text)
            usage, finish = chunk.usage or usage, chunk.finish_reason or finish
        text, citations = resolve_citations("".join(parts), prepared.sources)
        yield Answer(text, citations, persona.id, model, True, usage, finish, persona.version)

    def prepare(
        self,
        question: str,
        *,
        persona: Persona,
        history: Sequence[Message] = (),
        collections: Sequence[str] | None = None,
        user_name: str | None = None,
    ) -> Prepared | None:
        """Retrieve and assemble the messages for a question.

        None when a strictly grounded persona finds nothing relevant: the answer is then
        the "not covered" message, and the model is not called.
        """
        question = self.check_question(question)
        hits: list[SearchHit] = []
        if persona.searches_knowledge:
            searched = self.searched_collections(persona, collections)
            # An empty list means nothing may be searched (not "everything", as None does).
            hits = self.kb.search(question, searched, k=self.options.k) if searched != [] else []
            # The gate decides whether to answer at all; it never reorders or drops single
            # pages, so the retriever's best page stays source [1].
            if not any(hit.coverage >= self.options.min_coverage for hit in hits):
                if persona.grounding == "strict":
                    return None
                hits = []
        language = question_language(question)
        user = user_name or default_user_name(persona.locale)
        messages, used = self.assemble_messages(question, hits, history, persona, user, language)
        return Prepared(messages, used, self.generation(persona))

    def generation(self, persona: Persona) -> GenerationOptions:
        """Sampling settings: the persona's temperature and length, within the app's cap."""
        cap = self.options.generation.max_tokens
        return replace(
            self.options.generation,
            temperature=persona.temperature,
            max_tokens=min(persona.max_tokens, cap),
        )

    def searched_collections(
        self, persona: Persona, requested: Sequence[str] | None
    ) -> list[str] | None:
        """The collections a question searches: the persona's, narrowed to those requested."""
        allowed = None if "*" in persona.collections else persona.collections
        if requested is None:
            return allowed
        refused = [name for name in requested if allowed is not None and name not in allowed]
        if refused:
            raise QuestionRejected(
                f"the persona {persona.id!r} may not search the collection {refused[0]!r}; "
                f"it searches {', '.join(persona.collections)}"
            )
        return list(requested)

    def answer(
        self,
        question: str,
        *,
        persona: Persona,
        history: Sequence[Message] = (),
        collections: Sequence[str] | None = None,
    ) -> Answer:
        """The finished answer, without streaming."""
        events = self.stream(question, persona=persona, history=history, collections=collections)
        return next(event for event in events if isinstance(event, Answer))

    def assemble_messages(
        self,
        question: str,
        hits: Sequence[SearchHit],
        history: Sequence[Message],
        persona: Persona,
        user: str,
        language: str,
    ) -> tuple[list[Message], list[SearchHit]]:
        """System prompt, examples, history and sources as far as they fit, then the question.

        The persona's prompt (plus the grounding rules when sources go with it) and the
        question always go in. Then sources, best first, the last one cut to fit; then the
        persona's example dialogue, whole or not at all; then the most recent turns of
        history that still fit. Returns the messages and the sources that made it in (their
        numbers are the positions in that list).
        """
        count = self.backend.count_tokens
        grounded = persona.searches_knowledge and bool(hits)
        # Every untrusted text is cleaned of forged delimiters: sources and the question in
        # user_turn, earlier turns (a past answer may quote a document) and the user's name.
        history = [{"role": t["role"], "content": strip_delimiters(t["content"])} for t in history]
        content = system_text(persona, user=strip_delimiters(user))
        if grounded:
            content += "\n\n" + GROUNDING_RULES[persona.grounding, language]
        bare_question = user_turn(question, [] if grounded else None, language)
        budget = self.backend.context_size - self.generation(persona).max_tokens
        budget -= _TEMPLATE_MARGIN + count(content) + count(bare_question)
        sources, used, budget = _fit_sources(hits, budget, count)
        examples: list[Message] = [
            {"role": turn["role"], "content": turn["content"]}
            for turn in example_turns(persona, user=user)
        ]
        examples, budget = _fit_turns(examples, budget, count, whole=True)
        kept, _ = _fit_turns(history, budget, count, whole=False)
        last: Message = {
            "role": "user",
            "content": user_turn(question, sources if grounded else None, language),
        }
        return [{"role": "system", "content": content}, *examples, *kept, last], used


def _fit_sources(
    hits: Sequence[SearchHit], budget: int, count: Callable[[str], int]
) -> tuple[list[str], list[SearchHit], int]:
    """Numbered source blocks, best first, while they fit (the last one cut to fit)."""
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
    return sources, used, budget


def _fit_turns(
    turns: Sequence[Message], budget: int, count: Callable[[str], int], *, whole: bool
) -> tuple[list[Message], int]:
    """The latest turns that fit the budget; with ``whole``, all of them or none."""
    kept: list[Message] = []
    for turn in reversed(turns):
        cost = count(turn["content"]) + 8
        if cost > budget:
            if whole:
                return [], budget + sum(count(t["content"]) + 8 for t in kept)
            break
        kept.insert(0, turn)
        budget -= cost
    return kept, budget


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
