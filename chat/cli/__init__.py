"""The ``kbchat`` command line: one Typer app and its command groups."""

from chat.cli.main import main

__all__ = ["main"]
