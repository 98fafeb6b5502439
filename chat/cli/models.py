"""``kbchat models list``: the configured models, whether each can answer now, and which
personas use them; a persona naming a model nobody configured is a problem (exit 1)."""

from __future__ import annotations

import typer

from chat.cli.common import JsonFlag, app_context, emit, fail
from chat.models.config import ModelsFileError
from chat.models.report import ModelsReport, ModelStatus, models_report
from knowledge import KnowledgeError
from personas import PersonaError

models_app = typer.Typer(
    help="The models personas answer with: the default one and the named ones (models file).",
    no_args_is_help=True,
)


@models_app.command("list")
def list_models(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List each model (the default first): its kind, where it is, its adapter, whether it
    can answer now, and the personas that use it. Exits 1 when a persona names a model that
    is not configured."""
    context = app_context(ctx)
    try:
        models = context.models
        personas = [s.persona for s in context.personas.list_personas(include_disabled=True)]
    except (ModelsFileError, PersonaError, KnowledgeError) as error:
        raise fail(str(error)) from None
    report = models_report(context.settings, models, personas)
    if as_json:
        emit(report.to_json())
    else:
        _print(report)
    if report.missing:
        raise typer.Exit(1)


def _print(report: ModelsReport) -> None:
    for model in report.models:
        typer.echo(_line(model))
    for missing in report.missing:
        typer.secho(
            f"problem: the persona {missing.persona!r} names the model {missing.model!r}, "
            f"which is {missing.reason}",
            err=True,
            fg=typer.colors.RED,
        )


def _line(model: ModelStatus) -> str:
    state = "reachable" if model.reachable else f"UNREACHABLE ({model.problem})"
    adapter = f"  adapter {model.adapter}" if model.adapter else ""
    users = ", ".join(model.personas) or "no persona"
    first = f"{model.name:<20} {model.kind:<9} {model.location}{adapter}"
    return f"{first}\n{'':<21}{state}; used by {users}"
