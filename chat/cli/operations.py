"""``kbchat doctor``, ``kbchat backup`` and ``kbchat restore``: keep the data sound and safe."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, select

from chat.cli.common import JsonFlag, app_context, emit, fail
from chat.database import open_database
from chat.operations.backup import create_backup
from chat.operations.restore import restore_backup
from chat.settings import Settings
from knowledge import Diagnosis, KnowledgeBase, KnowledgeError, Problem, diagnose, repair
from sharing import AuditEvent, ExportLeftover, clean_export_leftover, find_export_leftovers

ExportsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--exports",
        help="A folder that exports are written into (repeatable); folders of earlier "
        "exports in the audit trail are always checked.",
    ),
]


def _export_parents(settings: Settings, extra: list[Path]) -> list[Path]:
    """The folders exports were written into, by the audit trail, plus those given."""
    with Session(open_database(settings.resolved_database_url)) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "export"))
        outs = [json.loads(event.detail_json).get("out") for event in events]
    parents = {Path(out).parent.resolve() for out in outs if out} | {p.resolve() for p in extra}
    return sorted(parents)


def _examine(
    settings: Settings, kb: KnowledgeBase, exports: list[Path]
) -> tuple[Diagnosis, list[ExportLeftover]]:
    found = diagnose(kb)
    leftovers = [
        leftover
        for parent in _export_parents(settings, exports)
        for leftover in find_export_leftovers(parent)
    ]
    found.problems.extend(
        Problem("export-leftover", str(item.path), item.describe()) for item in leftovers
    )
    return found, leftovers


def doctor(
    ctx: typer.Context,
    fix: Annotated[
        bool, typer.Option("--repair", help="Fix what is found, then check again.")
    ] = False,
    exports: ExportsOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Check that registry, vectors, stored PDFs, lexical index and exports agree."""
    settings = app_context(ctx).settings
    started = time.monotonic()
    done: list[str] = []
    try:
        kb = app_context(ctx).knowledge_base_as_found()
        found, leftovers = _examine(settings, kb, exports or [])
        if fix:
            done = repair(kb, found) + [clean_export_leftover(item) for item in leftovers]
            found, _ = _examine(settings, kb, exports or [])
    except (KnowledgeError, OSError) as error:
        raise fail(str(error)) from None
    if as_json:
        emit({**found.to_json(), "repaired": done, "seconds": round(time.monotonic() - started, 2)})
    else:
        for line in done:
            typer.echo(f"repaired: {line}")
        for problem in found.problems:
            typer.echo(f"{problem.kind:<17} {problem.subject}  {problem.detail}")
        checked = ", ".join(f"{n} {what}" for what, n in found.checked.items())
        verdict = "clean" if found.clean else f"{len(found.problems)} problem(s)"
        hint = "" if found.clean or fix else "; `kbchat doctor --repair` fixes them"
        typer.echo(f"checked {checked}: {verdict}{hint}")
    if not found.clean:
        raise typer.Exit(1)


def backup(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="A new (or empty) folder for the backup.")],
    as_json: JsonFlag = False,
) -> None:
    """Back up the database, stored originals, vectors, lexical index and fine-tuning runs
    while the app runs."""
    try:
        manifest = create_backup(app_context(ctx).settings, out)
    except (KnowledgeError, OSError) as error:
        raise fail(str(error)) from None
    summary = {key: value for key, value in manifest.items() if key != "files"}
    if as_json:
        emit(summary)
        return
    counts = manifest["counts"]
    typer.echo(
        f"backed up {counts['documents']} document(s), {sum(counts['rows'].values())} rows, "
        f"{counts['files']} files ({counts['bytes'] / 1e6:.1f} MB), "
        f"{len(manifest['finetune_runs'])} fine-tuning run(s) to {out}"
    )
    if manifest["vectors"] != "stored":
        typer.echo(f"vectors not stored: {manifest['vectors_reason']}; restore re-embeds them")


def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="A folder written by `kbchat backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace whatever the target already holds.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Restore a backup into the configured data dir and database (checked first)."""
    try:
        result = restore_backup(app_context(ctx).settings, source, force=force)
    except (KnowledgeError, OSError) as error:
        raise fail(str(error)) from None
    if as_json:
        emit(result.to_json())
        return
    typer.echo(
        f"restored {result.documents} document(s), {result.rows} rows and "
        f"{len(result.finetune_runs)} fine-tuning run(s) from {source}; vectors: {result.vectors}"
    )


def register_ops(app: typer.Typer) -> None:
    """Add doctor, backup and restore to the ``kbchat`` command."""
    app.command()(doctor)
    app.command()(backup)
    app.command()(restore)
