"""``kbchat personas ...``: list, show, validate, import, export and manage personas."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from chat.cli.common import JsonFlag, app_context, emit, fail
from chat.shapes import stored_persona_json
from knowledge import KnowledgeError
from personas import (
    PersonaError,
    PersonaFileError,
    PersonaFormat,
    PersonaStore,
    export_personas,
    import_files,
    load_files,
    load_persona_file,
    persona_to_yaml,
)

personas_app = typer.Typer(help="Manage the persona database.", no_args_is_help=True)

Files = Annotated[
    list[Path], typer.Argument(help="Persona YAML, tgw YAML or card JSON or PNG files.")
]
Author = Annotated[
    str, typer.Option("--author", help="Who made the change (recorded with the version).")
]


@contextmanager
def _store(ctx: typer.Context) -> Iterator[PersonaStore]:
    """Open the persona database; turn persona and database errors into clean exits."""
    try:
        yield app_context(ctx).personas
    except (PersonaError, KnowledgeError) as error:
        raise fail(str(error)) from None


@personas_app.command("list")
def list_personas(
    ctx: typer.Context,
    as_json: JsonFlag = False,
    enabled_only: Annotated[bool, typer.Option("--enabled", help="Only enabled ones.")] = False,
) -> None:
    """List the personas users can pick from (and disabled ones)."""
    with _store(ctx) as store:
        stored = store.list_personas(include_disabled=not enabled_only)
    if as_json:
        emit([stored_persona_json(s) for s in stored])
        return
    for s in stored:
        state = "" if s.enabled else "  (disabled)"
        searches = ", ".join(s.persona.collections) or "no documents"
        model = f"  (model {s.persona.model})" if s.persona.model else ""
        typer.echo(
            f"{s.persona.id:<28} v{s.persona.version:<3} {s.persona.locale:<6} "
            f"{s.persona.audience:<10} {searches:<14} {s.persona.name}{model}{state}"
        )


@personas_app.command()
def show(
    ctx: typer.Context,
    persona_id: Annotated[str, typer.Argument(help="Persona id.")],
    version: Annotated[int | None, typer.Option("--version", help="A past version.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Print a persona (its current version, or a past one) as YAML or JSON."""
    with _store(ctx) as store:
        persona = store.get(persona_id, version)
    if as_json:
        emit(persona.model_dump(mode="json"))
    else:
        typer.echo(persona_to_yaml(persona), nl=False)


@personas_app.command()
def history(
    ctx: typer.Context, persona_id: Annotated[str, typer.Argument(help="Persona id.")]
) -> None:
    """List a persona's versions: who saved each one, and when."""
    with _store(ctx) as store:
        for number, author, saved in store.history(persona_id):
            typer.echo(f"v{number:<4} {saved:%Y-%m-%d %H:%M} UTC  {author}")


@personas_app.command()
def validate(ctx: typer.Context, files: Files) -> None:
    """Check persona files without storing anything; every problem is reported."""
    problems = 0
    for path in files:
        try:
            persona = load_persona_file(path)
        except PersonaFileError as error:
            problems += 1
            typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
        else:
            typer.echo(f"{path}: ok ({persona.id})")
    try:
        load_files(files) if not problems else None
    except PersonaFileError as error:  # only duplicate ids remain to be found
        problems += 1
        typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
    if problems:
        raise typer.Exit(1)


@personas_app.command("import")
def import_command(
    ctx: typer.Context,
    files: Files,
    update: Annotated[
        bool, typer.Option("--update", help="Store files whose id exists as new versions.")
    ] = False,
    author: Author = "",
) -> None:
    """Validate the files, then store them all (or, on any error, none)."""
    with _store(ctx) as store:
        saved = import_files(store, files, author=author or getpass.getuser(), update=update)
    for persona in saved:
        typer.echo(f"imported {persona.id} v{persona.version}")


@personas_app.command()
def export(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="Persona ids.")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write to.")],
    export_format: Annotated[
        PersonaFormat, typer.Option("--format", help="yaml (kbchat), tgw, card-v2 or card-png.")
    ] = PersonaFormat.YAML,
) -> None:
    """Write personas as kbchat YAML, text-generation-webui YAML, Character Card V2 JSON or a
    PNG card (its picture with the card inside); what a format cannot hold is told on stderr."""
    with _store(ctx) as store:
        try:
            written = export_personas(store, ids, export_format, out)
        except OSError as error:
            raise fail(f"cannot write to {out}: {error.strerror}") from None
    for path, exported in written:
        typer.echo(str(path))
        if exported.left_out:
            typer.echo(
                f"{path}: {export_format} cannot hold, left out: " + ", ".join(exported.left_out),
                err=True,
            )


def _set_state(ctx: typer.Context, persona_id: str, **change: bool) -> None:
    with _store(ctx) as store:
        if "deleted" in change:
            store.delete(persona_id)
        else:
            store.set_enabled(persona_id, change["enabled"])


@personas_app.command()
def enable(
    ctx: typer.Context, persona_id: Annotated[str, typer.Argument(help="Persona id.")]
) -> None:
    """Offer a disabled persona to users again."""
    _set_state(ctx, persona_id, enabled=True)
    typer.echo(f"enabled {persona_id}")


@personas_app.command()
def disable(
    ctx: typer.Context, persona_id: Annotated[str, typer.Argument(help="Persona id.")]
) -> None:
    """Hide a persona from users; it stays stored and can be enabled again."""
    _set_state(ctx, persona_id, enabled=False)
    typer.echo(f"disabled {persona_id}")


@personas_app.command()
def delete(
    ctx: typer.Context, persona_id: Annotated[str, typer.Argument(help="Persona id.")]
) -> None:
    """Remove a persona from every list; its versions stay for the QA that recorded them."""
    _set_state(ctx, persona_id, deleted=True)
    typer.echo(f"deleted {persona_id}")
