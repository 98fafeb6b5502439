"""Pieces every ``kbchat`` command group shares: JSON output and one-line errors."""

from __future__ import annotations

import json
from typing import Annotated

import typer

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def emit(payload: object) -> None:
    """Print one JSON document on one line."""
    typer.echo(json.dumps(payload, ensure_ascii=False))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` to stderr; raise the returned Exit."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)
