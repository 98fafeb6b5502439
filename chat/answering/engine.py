"""The answer engine: retrieve → gate → select evidence → assemble messages → stream (in
Taiwan usage for Chinese, stopped if it loops) → keep only the sources the answer rests on,
and mark what none of them supports."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace

from chat.answering.answers import (
    Answer,
    EngineOptions,
    Event,
    Prepared,
    QuestionRejected,
    SourcesGiven,
    Token,
)
from chat.answering.citations import resolve_citations
from chat.answering.evidence import evidence_for, term_weights
from chat.answering.followup import retrieval_query
from chat.answering.models import (
    AnsweringModel,
    NamedModels,
    NoNamedModels,
    said_as_the_named_model,
)
from chat.answering.places import place_label
from chat.answering.prompts import (
    LOOP_STOPPED,
    NOT_COVERED,
    PromptParts,
    assemble_messages,
)
from chat.answering.repetition import loop_start
from chat.answering.support import declines, mark_unsupported
from chat.answering.taiwan_usage import TaiwanUsageStream, to_taiwan_usage
from knowledge import KnowledgeBase, SearchHit, detect_language, relevance
from personas import Persona, default_user_name
from serving import ChatBackend, GenerationOptions, Message, QueueCallback, StreamPiece, Usage


class AnswerEngine:
    """Grounded, cited answers from a knowledge base and a chat backend: the default one, or
    the named model a persona names (``models``; none configured when not given)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        backend: ChatBackend,
        options: EngineOptions | None = None,
        *,
        models: NamedModels | None = None,
    ) -> None:
        self.kb = kb
        self.backend = backend
        self.options = options or EngineOptions()
        self.models = models or NoNamedModels()

    def model_for(self, persona: Persona) -> AnsweringModel:
        """The model that answers for the persona; ModelUnavailable when it names one that
        is not configured (the default model never answers in its place)."""
        if persona.model is None:
            return AnsweringModel(self.backend.model_name, self.backend)
        return self.models.named(persona.model)

    def check_question(self, question: str) -> str:
        """The stripped question, or QuestionRejected saying why not."""
        stripped = question.strip()
        if not stripped:
            raise QuestionRejected("the question is empty")
        limit = self.options.max_question_chars
        if len(stripped) > limit:
            raise QuestionRejected(
                f"the question is {len(stripped)} characters long, over the limit of {limit}",
                length=len(stripped),
                limit=limit,
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
        """Yield how many sources the model is given, the answer's tokens as they come,
        then the finished Answer."""
        model = self.model_for(persona)
        prepared = self.prepare(
            question, persona=persona, history=history, collections=collections, user_name=user_name
        )
        if prepared is None:
            text = NOT_COVERED[detect_language(question)]
            yield Answer(text, [], persona.id, model.name, False, persona_version=persona.version,
                         adapter=model.adapter)  # fmt: skip
            return
        written = _Written(prepared)
        yield SourcesGiven(len(prepared.sources))
        chunks = model.backend.stream(
            prepared.messages, prepared.generation, cancel=cancel, on_queue=on_queue
        )
        try:
            with said_as_the_named_model(model):
                first = next(chunks, None)  # a server that cannot be reached fails here
            for chunk in itertools.chain([] if first is None else [first], chunks):
                shown = written.take(chunk)
                if shown:
                    yield Token(shown)
                if written.looped:
                    break
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # ends the generation the loop stopped, and frees the model's turn
        tail = written.finish()
        if tail:
            yield Token(tail)
        yield self._finished(written, prepared, persona, model)

    def _finished(
        self, written: _Written, prepared: Prepared, persona: Persona, model: AnsweringModel
    ) -> Answer:
        """The Answer: sources it rests on, the rest as searched, unsupported claims marked."""
        text, citations, searched = resolve_citations(
            written.text, prepared.sources, prepared.evidence, prepared.not_given,
            prepared.question,
        )  # fmt: skip
        covered = not declines(text)
        if not covered:
            citations, searched = [], [*citations, *searched]
        unsupported: list[str] = []
        if covered and prepared.sources:
            pairs = zip(prepared.sources, prepared.evidence, strict=True)
            given = {hit.chunk_id: evidence for hit, evidence in pairs}
            support = [given[citation.chunk_id] for citation in citations]
            text, unsupported = mark_unsupported(
                text, support, prepared.language, prepared.question
            )
        if written.looped:
            text += LOOP_STOPPED[prepared.language]
        return Answer(
            text, citations, persona.id, model.name, covered, written.usage,
            "repetition" if written.looped else written.finish_reason,
            persona.version, searched, unsupported, model.adapter,
        )  # fmt: skip

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
        query = retrieval_query(question, history)
        language = detect_language(question)
        hits: list[SearchHit] = []
        if persona.searches_knowledge:
            searched = self.searched_collections(persona, collections)
            # An empty list means nothing may be searched (not "everything", as None does).
            hits = self.kb.search(query, searched, k=self.options.k) if searched != [] else []
        semantic = self.kb.embedder.reads(language)
        relevant = [relevance(hit, semantic) >= self.options.min_relevance for hit in hits]
        if persona.searches_knowledge and not any(relevant):
            if persona.grounding == "strict":
                return None
            hits = []
        # The retriever's best page stays source [1]; the others reach the model only when
        # relevant by the gate's own measure (a distracting page misleads a small model, and
        # every page read costs time before the first word). The rest are listed as searched.
        given = [hit for place, hit in enumerate(hits) if place == 0 or relevant[place]]
        not_given = [hit for hit in hits if hit not in given]
        weights = term_weights(query, [hit.text for hit in given])
        evidence = evidence_for(given, weights, self.options.evidence)
        parts = PromptParts(
            persona, question, evidence, history, user_name or default_user_name(persona.locale),
            language, [place_label(h.page, h.place, language) if h.place else "" for h in given],
        )  # fmt: skip
        generation = self.generation(persona)
        messages, used = self._fitted(parts, generation)
        taiwan = language == "zh-TW" or persona.locale.startswith("zh")
        not_given = given[used:] + not_given
        return Prepared(
            messages, given[:used], generation, evidence[:used], language, taiwan, not_given,
            question,
        )  # fmt: skip

    def _fitted(
        self, parts: PromptParts, generation: GenerationOptions
    ) -> tuple[list[Message], int]:
        """The messages within the answering model's context, and how many sources fit."""
        model = self.model_for(parts.persona)
        with said_as_the_named_model(model):  # llama.cpp loads its files to count tokens
            budget = model.backend.context_size - generation.max_tokens
            return assemble_messages(parts, count=model.backend.count_tokens, budget=budget)

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


class _Written:
    """The answer as it streams: converted to Taiwan usage when asked, watched for loops."""

    def __init__(self, prepared: Prepared) -> None:
        self._keep = "\n".join(hit.text for hit in prepared.sources)
        self._convert = TaiwanUsageStream(self._keep) if prepared.taiwan_usage else None
        self._raw: list[str] = []
        self._shown: list[str] = []
        self._loop_at: int | None = None
        self.usage: Usage | None = None
        self.finish_reason: str | None = None

    def take(self, chunk: StreamPiece) -> str:
        """The text of a chunk as it may be shown now (converted pieces may be held back)."""
        self.usage = chunk.usage or self.usage
        self.finish_reason = chunk.finish_reason or self.finish_reason
        if not chunk.text:
            return ""
        self._raw.append(chunk.text)
        self._loop_at = loop_start("".join(self._raw))
        if self.looped:
            return ""
        shown = self._convert.feed(chunk.text) if self._convert else chunk.text
        self._shown.append(shown)
        return shown

    def finish(self) -> str:
        """What was held back, at the end."""
        tail = self._convert.flush() if self._convert else ""
        self._shown.append(tail)
        return tail

    @property
    def looped(self) -> bool:
        """Whether the answer started repeating itself (and was stopped there)."""
        return self._loop_at is not None

    @property
    def text(self) -> str:
        """The whole answer, cut where it started repeating itself."""
        if self._loop_at is None:
            return "".join(self._shown)
        cut = "".join(self._raw)[: self._loop_at].rstrip()
        return to_taiwan_usage(cut, self._keep) if self._convert else cut
