"""Pieces every ``kbchat`` command group shares: the application context, JSON output and
one-line errors."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from pydantic import ValidationError

from chat.context import AppContext
from chat.settings import Settings

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def emit(payload: object) -> None:
    """Print one JSON document on one line."""
    typer.echo(json.dumps(payload, ensure_ascii=False))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` to stderr; raise the returned Exit."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def app_context(ctx: typer.Context) -> AppContext:
    """The application context of this run of ``kbchat`` (the root command builds it)."""
    context = ctx.find_root().obj
    assert isinstance(context, AppContext), "kbchat's root command gives every command a context"
    return context


def read_settings() -> Settings:
    """The settings from the environment and ``.env``; a setting that is wrong is named,
    with why, in one line each (exit 2), never a traceback."""
    try:
        return Settings()
    except ValidationError as error:
        for problem in error.errors():
            name = "KBCHAT_" + "_".join(str(part) for part in problem["loc"]).upper()
            typer.secho(f"error: {name}: {problem['msg']}", err=True, fg=typer.colors.RED)
        raise typer.Exit(2) from None
