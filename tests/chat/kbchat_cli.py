"""``kbchat`` run in-process as the console runs it: each run gets an application context of
its own, built from the environment, but with models the test session has already loaded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from click.testing import Result
from typer import Typer
from typer.testing import CliRunner

from chat.context import AppContext
from chat.settings import Settings
from knowledge import Embedder
from serving import ChatBackend


class KbchatRunner(CliRunner):
    """A CliRunner that hands each run a context with the given embedder and backend."""

    def __init__(self, embedder: Embedder | None = None, backend: ChatBackend | None = None):
        super().__init__()
        self.embedder = embedder
        self.backend = backend

    def invoke(  # type: ignore[override]
        self, app: Typer, args: str | Sequence[str] | None = None, **kwargs: Any
    ) -> Result:
        """Run ``kbchat args`` as the console would."""
        context = AppContext(Settings(), embedder=self.embedder, backend=self.backend)
        return super().invoke(app, args, obj=context, **kwargs)
