"""``kbchat share generate``: the chat model writes QA pairs from a collection's passages into
the curation queue, a line of progress per call and a summary at the end."""

from __future__ import annotations

import getpass
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Annotated

import typer

from chat.cli.common import app_context, fail
from chat.context import AppContext
from chat.qa_generation import build_generator, collection_passages
from knowledge import KnowledgeError
from personas import PersonaError, PersonaNotFound
from serving import ServingError
from sharing import MAX_COUNT, GenerationRequest, Outcome, SharingError


def generate(
    ctx: typer.Context,
    collection: Annotated[
        str, typer.Option("--collection", "-c", help="The collection to write questions about.")
    ],
    count: Annotated[int, typer.Option("--count", help=f"Pairs to store (1-{MAX_COUNT}).")],
    persona: Annotated[
        str | None, typer.Option("--persona", help="Answer in this persona's voice; tag it.")
    ] = None,
    language: Annotated[str, typer.Option("--language", help="zh-TW or en.")] = "zh-TW",
    seed: Annotated[int, typer.Option("--seed", help="Which passages are picked.")] = 0,
    actor: Annotated[str, typer.Option("--as", help="Who acts (audit trail).")] = "",
) -> None:
    """Have the chat model write QA pairs from a collection's passages, pending review."""
    context = app_context(ctx)
    request = GenerationRequest(
        collection=collection,
        count=count,
        actor=actor or getpass.getuser(),
        language=language,
        seed=seed,
    )
    try:
        request.check()
    except SharingError as error:
        raise fail(str(error), code=2) from None
    try:
        passages = collection_passages(context.kb, collection)
        if persona:
            request = _with_persona(context, request, persona)
        generator = build_generator(context.sharing, context.backend)
        outcomes = generator.generate(request, passages)
    except (SharingError, KnowledgeError, ServingError, PersonaError) as error:
        raise fail(str(error)) from None
    typer.echo(
        f"writing {request.count} pair(s) from {len(passages)} passage(s) of "
        f"{request.collection!r} with {generator.model} ({request.language})"
    )
    _run(outcomes, request.count)


def _with_persona(
    context: AppContext, request: GenerationRequest, persona_id: str
) -> GenerationRequest:
    """The request with the persona's id, version and voice (its name and description)."""
    try:
        found = context.personas.stored(persona_id).persona
    except PersonaNotFound:
        raise fail(
            f"unknown persona {persona_id!r}; `kbchat personas list` shows them", 2
        ) from None
    voice = f"{found.name}: {found.description}"
    return replace(request, persona_id=found.id, persona_version=found.version, persona_voice=voice)


@dataclass
class _Tally:
    """What a batch has done so far: pairs stored, and replies dropped by reason."""

    stored: list[int] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)

    def record(self, outcome: Outcome) -> None:
        """Count one call and print its line."""
        where = f"{outcome.passage.file} p.{outcome.passage.page}, task {outcome.task}"
        if outcome.qa is not None and outcome.qa.id is not None:
            self.stored.append(outcome.qa.id)
            question = outcome.qa.question.replace("\n", " ")[:60]
            typer.echo(f"[{outcome.attempt}] stored QA {outcome.qa.id} ({where}): {question}")
            return
        self.dropped[outcome.dropped.split(":")[0]] += 1
        typer.echo(f"[{outcome.attempt}] dropped ({where}): {outcome.dropped}")

    def summary(self, asked: int) -> str:
        """One line: how many were stored (pending review) and how many dropped, and why."""
        reasons = ", ".join(f"{count} {reason}" for reason, count in self.dropped.most_common())
        dropped = f"; dropped {sum(self.dropped.values())} ({reasons})" if self.dropped else ""
        ids = f" (QA {', '.join(map(str, self.stored))})" if self.stored else ""
        return (
            f"stored {len(self.stored)} of {asked} pair(s) as generated, pending review{ids}"
            f"{dropped}"
        )


def _run(outcomes: Iterator[Outcome], asked: int) -> None:
    """A line per call; the summary at the end, also when the model fails or is stopped."""
    tally = _Tally()
    try:
        for outcome in outcomes:
            tally.record(outcome)
    except (ServingError, SharingError) as error:
        typer.echo(tally.summary(asked))
        raise fail(f"stopped: {error}") from None
    except KeyboardInterrupt:
        typer.echo(tally.summary(asked))
        raise fail("stopped by the user; the pairs above are stored whole", 130) from None
    typer.echo(tally.summary(asked))
    if not tally.stored:
        raise fail("the model wrote no usable pair; see the reasons above")
    if len(tally.stored) < asked:
        typer.secho(
            f"warning: only {len(tally.stored)} of {asked} pair(s); the attempts ran out "
            "(each pair may take two calls)",
            err=True,
            fg=typer.colors.YELLOW,
        )
