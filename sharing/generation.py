"""Generated QA: the chat model writes question-answer pairs from a collection's passages, in
the style of self-instruct (a few seed tasks, one passage a call).

A pair is kept only when its reply parses, its answer rests on its passage and it is new;
it then enters the curation queue as ``generated``, pending, by ``kbchat-generator``, citing
its page and naming the model. No consent is recorded: no user shared it. Each pair is
stored in a transaction of its own, so an interrupted batch leaves only whole pairs.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

from sharing.errors import SharingError
from sharing.generation_prompt import (
    LANGUAGES,
    GenerationPrompt,
    MalformedReply,
    Passage,
    PromptMessage,
    SeedTask,
    load_prompt,
    parse_pair,
)
from sharing.models import QASource, SharedQA
from sharing.pii import PIIScrubber
from sharing.service import content_hash
from sharing.store import SharingStore

GENERATOR_USER = "kbchat-generator"
MAX_COUNT = 500
MIN_PASSAGE_CHARS = 80
"""Shorter chunks (a heading, a page number) hold too little to ask about."""
MIN_GROUNDING = 0.5
"""The least share of an answer's content words (CJK bigrams, word stems) its passage must
hold: a paraphrase keeps most of them, an invented answer does not."""
ATTEMPTS_PER_PAIR = 2
"""Calls allowed per pair asked for, so that dropped replies are made up but a model that
never writes a usable pair stops."""

Complete = Callable[[list[PromptMessage]], str]
"""Sends the messages to the chat model and returns its whole reply."""
Tokens = Callable[[str], Collection[str]]
"""A text's distinct content tokens (the knowledge base's own tokenizer)."""


@dataclass(frozen=True)
class GenerationRequest:
    """What to generate: how many pairs from which collection, in which language."""

    collection: str
    count: int
    actor: str
    language: str = "zh-TW"
    persona_id: str = ""
    persona_version: int = 0
    persona_voice: str = ""
    """Who answers (a persona's name and description), for the prompt's persona line."""
    seed: int = 0

    def check(self) -> None:
        """Refuse a count or language that cannot be generated, saying which is allowed."""
        if not 1 <= self.count <= MAX_COUNT:
            raise SharingError(f"--count must be between 1 and {MAX_COUNT}, not {self.count}")
        if self.language not in LANGUAGES:
            raise SharingError(
                f"--language must be one of {', '.join(LANGUAGES)}, not {self.language!r}"
            )


@dataclass(frozen=True)
class Outcome:
    """One call to the model: the pair it stored, or why its reply was dropped."""

    attempt: int
    passage: Passage
    task: str
    qa: SharedQA | None = None
    dropped: str = ""


def spread_passages(passages: Sequence[Passage], limit: int, *, seed: int = 0) -> list[Passage]:
    """Up to ``limit`` passages long enough to ask about, spread over the documents (one from
    each in turn) and within each over its pages (a page again only after every page)."""
    rng = random.Random(seed)
    by_page: dict[str, dict[int, list[Passage]]] = {}
    for passage in passages:
        if len(passage.text.strip()) >= MIN_PASSAGE_CHARS:
            by_page.setdefault(passage.doc_id, {}).setdefault(passage.page, []).append(passage)
    documents = []
    for pages in by_page.values():
        groups = list(pages.values())
        for group in groups:
            rng.shuffle(group)
        rng.shuffle(groups)
        documents.append(_in_turn(groups))
    rng.shuffle(documents)
    return _in_turn(documents)[:limit]


def _in_turn(groups: Sequence[Sequence[Passage]]) -> list[Passage]:
    """The first of each group, then the second of each, and so on."""
    longest = max((len(group) for group in groups), default=0)
    return [group[i] for i in range(longest) for group in groups if i < len(group)]


def grounding(answer: str, passage: str, tokens: Tokens) -> float:
    """The share of the answer's content tokens that its passage holds (0 for none)."""
    said = set(tokens(answer))
    return len(said & set(tokens(passage))) / len(said) if said else 0.0


def unusable(question: str, answer: str, passage: str, tokens: Tokens) -> str:
    """Why a parsed pair cannot be kept (a heading or sentence copied as the question, an
    answer that repeats the question or does not rest on its passage), or "" if it can."""

    def squeezed(text: str) -> str:
        return "".join(text.split())

    if squeezed(question) in squeezed(passage):
        return "not a question: copied from its passage"
    if squeezed(question) == squeezed(answer):
        return "no answer: it repeats the question"
    share = grounding(answer, passage, tokens)
    if share < MIN_GROUNDING:
        return (
            f"ungrounded: the answer shares {share:.0%} of its words with its passage, "
            f"less than {MIN_GROUNDING:.0%}"
        )
    return ""


class QAGenerator:
    """Asks the chat model for pairs grounded on passages and queues the good ones."""

    def __init__(
        self,
        store: SharingStore,
        scrubber: PIIScrubber,
        complete: Complete,
        *,
        model: str,
        tokens: Tokens,
        prompt: GenerationPrompt | None = None,
    ) -> None:
        self.store, self.scrubber, self.complete = store, scrubber, complete
        self.model, self.tokens = model, tokens
        self.prompt = prompt or load_prompt()

    def generate(
        self, request: GenerationRequest, passages: Sequence[Passage]
    ) -> Iterator[Outcome]:
        """Call the model passage by passage until ``count`` pairs are stored or the attempts
        (``ATTEMPTS_PER_PAIR`` per pair) run out; yield each call's outcome as it ends.
        A request or passages that cannot give a pair are refused before any call; the
        completion's own errors (a model that cannot be reached) pass through."""
        request.check()
        attempts = request.count * ATTEMPTS_PER_PAIR
        order = spread_passages(passages, attempts, seed=request.seed)
        if not order:
            raise SharingError(
                f"collection {request.collection!r} has no passage of at least "
                f"{MIN_PASSAGE_CHARS} characters to write questions about"
            )
        return self._calls(request, order, attempts)

    def _calls(
        self, request: GenerationRequest, order: Sequence[Passage], attempts: int
    ) -> Iterator[Outcome]:
        tasks = self.prompt.tasks
        stored, seen = 0, set[str]()
        for index in range(attempts):
            if stored == request.count:
                return
            passage = order[index % len(order)]
            # A passage seen again gets the next task, not the one it had.
            task = tasks[(request.seed + index + index // len(order)) % len(tasks)]
            outcome = self._attempt(index + 1, request, passage, task, seen)
            stored += outcome.qa is not None
            yield outcome

    def _attempt(
        self, attempt: int, request: GenerationRequest, passage: Passage, task: SeedTask,
        seen: set[str],
    ) -> Outcome:  # fmt: skip
        def dropped(reason: str) -> Outcome:
            return Outcome(attempt, passage, task.id, dropped=reason)

        reply = self.complete(
            self.prompt.messages(passage, task, request.language, request.persona_voice)
        )
        try:
            question, answer = parse_pair(reply)
        except MalformedReply as error:
            return dropped(f"malformed reply: {error.reason}")
        problem = unusable(question, answer, passage.text, self.tokens)
        if problem:
            return dropped(problem)
        pair = self._pair(request, passage, task, question, answer)
        if pair.content_hash in seen:
            return dropped("duplicate: the same as a pair of this batch")
        seen.add(pair.content_hash)
        with self.store.transaction() as session:
            earlier = self.store.live_duplicate(session, pair.content_hash)
            if earlier is not None:
                return dropped(f"duplicate: the same as QA {earlier}")
            qa = self.store.add(session, pair)
            self.store.audit(
                session, request.actor, "generate", qa.id, model=self.model,
                collection=request.collection, task=task.id, file=passage.file,
                page=passage.page, language=request.language,
            )  # fmt: skip
        return Outcome(attempt, passage, task.id, qa=qa)

    def _pair(
        self, request: GenerationRequest, passage: Passage, task: SeedTask, question: str,
        answer: str,
    ) -> SharedQA:  # fmt: skip
        """The pending row of a pair: scrubbed like every share, citing its passage's page."""
        question, answer = self.scrubber.scrub(question).text, self.scrubber.scrub(answer).text
        tags = ["generated", f"collection:{request.collection}", f"task:{task.id}"]
        if request.persona_id:
            tags.append(f"persona:{request.persona_id}")
        cited = {"file": passage.file, "page": passage.page, "doc_id": passage.doc_id,
                 "text": passage.text}  # fmt: skip
        return SharedQA(
            question=question,
            answer=answer,
            persona_id=request.persona_id,
            persona_version=request.persona_version,
            citations_json=json.dumps([cited], ensure_ascii=False),
            model=self.model,
            source=QASource.GENERATED,
            user_id=GENERATOR_USER,
            tags_json=json.dumps(tags, ensure_ascii=False),
            content_hash=content_hash(question, answer),
        )
