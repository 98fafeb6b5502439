"""The web app's process: ``kbchat serve`` prepares the data dir and Chainlit's environment,
then runs ``python -m chat.web.run`` in its place. Here the context is built from the same
settings, given to the web app with its routes, and the models are loaded before serving."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from fastapi import FastAPI

from chat.context import AppContext
from chat.models.config import ModelsFileError
from chat.settings import Settings
from chat.web.routes import install_routes
from chat.web.services import install_context
from chat.web.stop import install_stop
from chat.web.threads import install_thread_naming
from knowledge import KnowledgeError, cjk_font_found
from personas import PersonaError
from serving import ServingError

APP = Path(__file__).with_name("app.py")
"""The Chainlit handlers, loaded by Chainlit itself."""
ACTION_LABELS = {
    "my_documents": "我的文件 My documents",
    "my_shares": "我分享的問答 My shared QA",
    "export_chat": "匯出 Export",
    "starter": "…",  # renamed at once after the starter's question
}
"""What a thread that begins with one of these buttons is named until its first question."""


def install(app: FastAPI, context: AppContext) -> None:
    """Give the web app its context, kbchat's routes, and its changes to Chainlit's ways."""
    install_context(app, context)
    install_routes(app)
    install_thread_naming(ACTION_LABELS)
    install_stop()


def main() -> None:
    """Build the context, load the models, and serve until interrupted."""
    from chainlit.cli import run_chainlit
    from chainlit.server import app

    context = AppContext(Settings())
    try:
        install(app, context)
        context.ready_for_the_web()
    except (KnowledgeError, ServingError, PersonaError, ModelsFileError) as error:
        typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
        sys.exit(1)
    if not cjk_font_found():
        typer.echo(
            "warning: no Chinese font is installed (apt-get install fonts-noto-cjk): cited "
            "pages of PDFs that do not embed their Chinese fonts will show no Chinese text"
        )
    where = f"{os.environ.get('CHAINLIT_HOST')}:{os.environ.get('CHAINLIT_PORT')}"
    typer.echo(f"kbchat is serving on http://{where}")
    try:
        run_chainlit(str(APP))
    finally:
        context.embedding.stop()


if __name__ == "__main__":
    main()
