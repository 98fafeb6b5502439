"""``kbchat share ...``: curate shared QA, import experts' sheets, export fine-tuning data."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from chat.cli.common import JsonFlag, app_context, emit, fail
from chat.cli.share_generate import generate
from chat.factory import Sharing
from chat.shapes import shared_qa_detail, shared_qa_json
from knowledge import KnowledgeError
from sharing import (
    Compute,
    DatasetFormat,
    ExportFilters,
    ExportOptions,
    QASource,
    QAStatus,
    SharedQA,
    SharingError,
    SheetRejected,
    Training,
)

share_app = typer.Typer(
    help="Curate shared QA and export fine-tuning datasets.", no_args_is_help=True
)

QAId = Annotated[int, typer.Argument(help="Shared QA id (`kbchat share list`).")]
Actor = Annotated[str, typer.Option("--as", help="Who acts (recorded in the audit trail).")]


@contextmanager
def _sharing(ctx: typer.Context) -> Iterator[Sharing]:
    """Open the shared-QA services; turn their errors into clean exits."""
    try:
        yield app_context(ctx).sharing
    except SheetRejected as error:
        for problem in error.problems:
            typer.secho(f"error: {problem}", err=True, fg=typer.colors.RED)
        raise fail(str(error)) from None
    except (SharingError, KnowledgeError) as error:
        raise fail(str(error)) from None


def _actor(name: str) -> str:
    return name or getpass.getuser()


@share_app.command("list")
def list_shared(
    ctx: typer.Context,
    status: Annotated[QAStatus | None, typer.Option("--status", help="Only this status.")] = None,
    source: Annotated[
        QASource | None, typer.Option("--source", help="chat, sheet or generated.")
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only pairs with this tag.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List shared QA for curation, oldest first."""
    with _sharing(ctx) as sharing:
        pairs = sharing.store.list_qa(status=status, source=source, tag=tag)
    if as_json:
        emit([shared_qa_json(qa) for qa in pairs])
        return
    for qa in pairs:
        duplicate = f"  (duplicate of {qa.duplicate_of})" if qa.duplicate_of else ""
        question = qa.question.replace("\n", " ")[:60]
        typer.echo(f"{qa.id:>5}  {qa.status:<9} {qa.source:<9} {question}{_from(qa)}{duplicate}")


def _from(qa: SharedQA) -> str:
    """Where a generated pair came from: its source page and the model that wrote it."""
    if qa.source != QASource.GENERATED:
        return ""
    pages = ", ".join(f"{page['file']} p.{page['page']}" for page in qa.cited_pages)
    return f"  [from {pages or 'no page'}, by {qa.model or 'an unnamed model'}]"


@share_app.command()
def show(ctx: typer.Context, qa_id: QAId, as_json: JsonFlag = False) -> None:
    """Show one pair with its consent, edit history and audit trail."""
    with _sharing(ctx) as sharing:
        qa = sharing.store.get(qa_id)
        consents = sharing.store.consents(qa_id)
        edits = sharing.store.edits(qa_id)
        events = sharing.store.audit_trail(qa_id)
    detail = shared_qa_detail(qa, consents, edits, events)
    if as_json:
        emit(detail)
        return
    for key, value in detail.items():
        typer.echo(f"{key}: {value}")


@share_app.command()
def approve(ctx: typer.Context, qa_id: QAId, actor: Actor = "") -> None:
    """Accept a pair into the dataset."""
    with _sharing(ctx) as sharing:
        sharing.curator.approve(qa_id, curator=_actor(actor))
    typer.echo(f"approved {qa_id}")


@share_app.command()
def reject(
    ctx: typer.Context,
    qa_id: QAId,
    reason: Annotated[str, typer.Option("--reason", help="Why it stays out.")],
    actor: Actor = "",
) -> None:
    """Keep a pair out of the dataset."""
    with _sharing(ctx) as sharing:
        sharing.curator.reject(qa_id, curator=_actor(actor), reason=reason)
    typer.echo(f"rejected {qa_id}")


@share_app.command()
def edit(
    ctx: typer.Context,
    qa_id: QAId,
    question: Annotated[str | None, typer.Option("--question", help="New question.")] = None,
    answer: Annotated[str | None, typer.Option("--answer", help="New answer.")] = None,
    actor: Actor = "",
) -> None:
    """Correct a pair's text; the previous text stays in its history."""
    if question is None and answer is None:
        raise fail("give --question and/or --answer", code=2)
    with _sharing(ctx) as sharing:
        sharing.curator.edit(qa_id, curator=_actor(actor), question=question, answer=answer)
    typer.echo(f"edited {qa_id}")


@share_app.command()
def tag(
    ctx: typer.Context,
    qa_id: QAId,
    tags: Annotated[list[str], typer.Argument(help="Tags, e.g. topic:掛號.")],
    remove: Annotated[bool, typer.Option("--remove", help="Remove these tags.")] = False,
    actor: Actor = "",
) -> None:
    """Add or remove curation tags."""
    with _sharing(ctx) as sharing:
        qa = sharing.curator.tag(qa_id, tags, curator=_actor(actor), remove=remove)
    typer.echo(f"{qa_id}: {', '.join(qa.tags) or '(no tags)'}")


@share_app.command()
def withdraw(
    ctx: typer.Context,
    qa_id: QAId,
    user: Annotated[str, typer.Option("--user", help="The sharer's user id.")],
) -> None:
    """Withdraw a pair on behalf of the user who shared it."""
    with _sharing(ctx) as sharing:
        sharing.service.withdraw(qa_id, user_id=user)
    typer.echo(f"withdrawn {qa_id}")


@share_app.command("import")
def import_sheet(
    ctx: typer.Context,
    sheet: Annotated[Path, typer.Argument(help="A .xlsx, .csv, .json or .jsonl QA sheet.")],
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the good rows, skip bad ones.")
    ] = False,
    actor: Actor = "",
) -> None:
    """Import an expert's sheet of instruction / input / output rows for curation."""
    with _sharing(ctx) as sharing:
        result = sharing.dataset.import_sheet(sheet, uploader=_actor(actor), skip_bad=skip_bad)
    for problem in result.skipped:
        typer.secho(f"skipped: {problem}", err=True, fg=typer.colors.YELLOW)
    typer.echo(f"imported {len(result.imported)} row(s) from {sheet.name}, pending review")


@share_app.command()
def export(
    ctx: typer.Context,
    export_format: Annotated[DatasetFormat, typer.Option("--format", help="Dataset format.")],
    out: Annotated[Path, typer.Option("--out", help="A new (or empty) directory.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing export.")] = False,
    with_context: Annotated[
        bool, typer.Option("--with-context", help="Put the cited pages' text into `input`.")
    ] = False,
    base_model: Annotated[
        str, typer.Option("--base-model", help="Model the LLaMA-Factory configs fine-tune.")
    ] = ExportOptions.base_model,
    template: Annotated[
        str, typer.Option("--template", help="LLaMA-Factory chat template of that model.")
    ] = ExportOptions.template,
    compute: Annotated[
        Compute,
        typer.Option(
            "--compute", help="The training machine: bf16 (A100, H100), fp16 (V100, T4) or cpu."
        ),
    ] = Training.compute,
    source: Annotated[
        QASource | None, typer.Option("--source", help="chat, sheet or generated.")
    ] = None,
    persona: Annotated[str | None, typer.Option("--persona", help="Only this persona.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only pairs with this tag.")] = None,
    actor: Actor = "",
) -> None:
    """Export approved, non-withdrawn pairs, with a manifest of their lineage."""
    options = ExportOptions(
        include_retrieved=with_context,
        base_model=base_model,
        template=template,
        training=Training(compute=compute),
    )
    filters = ExportFilters(source=source, persona_id=persona, tag=tag)
    with _sharing(ctx) as sharing:
        paths = sharing.dataset.export(
            export_format, out, actor=_actor(actor), options=options, filters=filters, force=force
        )
    for path in paths:
        typer.echo(str(path))


share_app.command()(generate)  # its own module: share_generate
