"""The ``kbchat`` command line; it turns library errors into one-line messages and exit codes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from chat.answering.answers import QuestionRejected
from chat.answering.models import ModelUnavailable
from chat.cli.batch import BatchLineError, read_batch
from chat.cli.common import JsonFlag, app_context, emit, fail, read_settings
from chat.cli.finetune import finetune_app
from chat.cli.keys import keys_app
from chat.cli.models import models_app
from chat.cli.operations import register_ops
from chat.cli.personas import personas_app
from chat.cli.progress import ingest_progress
from chat.cli.share import share_app
from chat.cli.showing import (
    document_paths,
    parts,
    print_answer,
    print_documents,
    print_hits,
)
from chat.cli.users import users_app
from chat.context import AppContext
from chat.models.config import ModelsFileError
from chat.settings import Settings
from chat.shapes import document_json
from knowledge import READABLE, IngestError, KnowledgeBase, KnowledgeError, kind_of
from personas import Persona, PersonaError, PersonaNotFound
from serving import ServingError

app = typer.Typer(
    help="kbchat: talk to your organization's knowledge base.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
docs_app = typer.Typer(help="List and remove ingested documents.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")
app.add_typer(finetune_app, name="finetune")
app.add_typer(keys_app, name="keys")
app.add_typer(models_app, name="models")
app.add_typer(personas_app, name="personas")
app.add_typer(share_app, name="share")
app.add_typer(users_app, name="users")
register_ops(app)

CollectionOpt = Annotated[
    str | None, typer.Option("--collection", "-c", help="Knowledge-base collection.")
]


@app.callback()
def root(ctx: typer.Context) -> None:
    """Build the application context the commands share, unless one is given (tests)."""
    if ctx.obj is None:
        ctx.obj = AppContext(read_settings())


@contextmanager
def _knowledge_base(ctx: typer.Context) -> Iterator[tuple[KnowledgeBase, Settings]]:
    """Open the knowledge base; turn any knowledge error into a clean exit."""
    context = app_context(ctx)
    try:
        yield context.kb, context.settings
    except KnowledgeError as error:
        raise fail(str(error)) from None


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help=f"Files ({READABLE}), or folders to search for them.")
    ],
    collection: CollectionOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Add documents to the knowledge base (the same file twice is a no-op)."""
    files = document_paths(paths)
    if not files:
        raise fail(f"no {READABLE} files found in " + ", ".join(str(p) for p in paths))
    failed = 0
    results: list[dict[str, object]] = []
    with (
        _knowledge_base(ctx) as (kb, settings),
        ingest_progress(len(files), enabled=not as_json) as progress,
    ):
        target = collection or settings.default_collection
        for path in files:
            try:
                result = kb.ingest(path, collection=target, progress=progress.callback(path.name))
                results.append(result.to_json())
                counted = parts(result.pages, kind_of(path.name))
                progress.done(f"{result.status}: {path.name} ({counted}, {result.chunks} chunks)")
            except IngestError as error:
                failed += 1
                results.append({"file": path.name, "status": "error", "error": error.reason})
                progress.done(f"[red]failed[/red]: {error}", error=True)
        # Documents whose vectors an upload or a stopped ingest left to follow get them now.
        kb.embed_pending()
    if as_json:
        emit(results)
    if failed:
        raise fail(f"{failed} of {len(files)} file(s) could not be ingested")


@docs_app.command("list")
def docs_list(
    ctx: typer.Context, collection: CollectionOpt = None, as_json: JsonFlag = False
) -> None:
    """List the documents in the knowledge base."""
    with _knowledge_base(ctx) as (kb, _settings):
        documents = kb.documents(collection)
    if as_json:
        emit([document_json(d) for d in documents])
        return
    print_documents(documents)


@docs_app.command("remove")
def docs_remove(
    ctx: typer.Context,
    doc_ids: Annotated[
        list[str], typer.Argument(help="Document ids, or unique prefixes of 6+ characters.")
    ],
) -> None:
    """Remove documents: their vectors, lexical entries, stored file and registry row."""
    with _knowledge_base(ctx) as (kb, _settings):
        for doc_id in doc_ids:
            removed = kb.remove(doc_id)
            typer.echo(f"removed {removed.filename} ({removed.doc_id[:12]})")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="What to look for.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many hits to return.")] = 5,
    collection: CollectionOpt = None,
    batch: Annotated[
        Path | None, typer.Option("--batch", help='JSON lines of {"id","query"}.')
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Find the pages or sections that best match a question (hybrid dense + lexical search)."""
    if (query is None) == (batch is None):
        raise fail("give either a QUERY or --batch FILE", code=2)
    collections = [collection] if collection else None
    if batch is not None:
        try:
            items = read_batch(batch, "query")
        except BatchLineError as error:
            raise fail(str(error), code=2) from None
        with _knowledge_base(ctx) as (kb, _settings):
            for item_id, text in items:
                emit(
                    {"id": item_id, "hits": [h.to_json() for h in kb.search(text, collections, k)]}
                )
        return
    assert query is not None
    with _knowledge_base(ctx) as (kb, _settings):
        hits = kb.search(query, collections, k)
    if as_json:
        emit([hit.to_json() for hit in hits])
        return
    print_hits(hits)


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str | None, typer.Argument(help="The question.")] = None,
    persona: Annotated[
        str | None, typer.Option("--persona", help="Persona id (`kbchat personas list`).")
    ] = None,
    collection: CollectionOpt = None,
    batch: Annotated[
        Path | None, typer.Option("--batch", help='JSON lines of {"id","question"}.')
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Answer a question from the knowledge base, citing document and page or section."""
    if (question is None) == (batch is None):
        raise fail("give either a QUESTION or --batch FILE", code=2)
    try:
        items = read_batch(batch, "question") if batch else [("", question or "")]
    except BatchLineError as error:
        raise fail(str(error), code=2) from None
    collections = [collection] if collection else None
    with _knowledge_base(ctx) as (kb, settings):
        chosen = _persona(app_context(ctx), persona)
        try:
            engine = app_context(ctx).engine
            for item_id, text in items:
                try:
                    answer = engine.answer(text, collections=collections, persona=chosen)
                except QuestionRejected as error:
                    if batch is None:
                        raise fail(str(error), code=2) from None
                    emit({"id": item_id, "error": str(error)})
                    continue
                if batch is not None:
                    emit({"id": item_id, **answer.to_json()})
                elif as_json:
                    emit(answer.to_json())
                else:
                    print_answer(answer)
        except (ServingError, ModelUnavailable) as error:
            raise fail(str(error)) from None


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
) -> None:
    """Run the web app (log in at http://HOST:PORT)."""
    from chat.web.serve import serve as run

    context = app_context(ctx)
    try:
        named = context.models.names  # a bad models file is refused here, before serving
        if named:
            typer.echo(f"named models: {', '.join(named)} (`kbchat models list` checks them)")
        run(context, host, port, typer.echo)
    except (KnowledgeError, ServingError, PersonaError, ModelsFileError) as error:
        raise fail(str(error)) from None


def _persona(context: AppContext, persona_id: str | None) -> Persona:
    """The chosen (or default) persona, if it exists and is enabled; else a clean exit."""
    persona_id = persona_id or context.settings.default_persona
    try:
        stored = context.personas.stored(persona_id)
    except PersonaNotFound:
        raise fail(
            f"unknown persona {persona_id!r}; `kbchat personas list` shows them", 2
        ) from None
    except PersonaError as error:
        raise fail(str(error)) from None
    if not stored.enabled:
        raise fail(f"the persona {persona_id!r} is disabled; `kbchat personas enable` it", 2)
    return stored.persona


def main() -> None:
    """Console entry point."""
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    try:
        app()
    except KnowledgeError as error:
        typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
        sys.exit(1)
