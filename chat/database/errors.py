"""The app database's one error."""

from __future__ import annotations

from sqlalchemy import Engine

from knowledge import StoreUnavailable


class DatabaseUnavailable(StoreUnavailable):
    """The app database cannot be opened or brought to kbchat's schema; the message names the
    database and says why. (A store of the app that is unavailable, like the vector store:
    the command line and the web app already turn those into one line.)"""


def describe(engine: Engine) -> str:
    """The database's URL as a message may show it (no password)."""
    return engine.url.render_as_string(hide_password=True)
