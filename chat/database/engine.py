"""The app database's engine: one per database URL in a process, so every part of kbchat
shares one connection pool (built on first use by the factory, never at import time)."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, create_engine, event

from chat.database.migrate import upgrade_to_head

_engines: dict[str, Engine] = {}
_upgraded: set[str] = set()
_lock = threading.RLock()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def shared_engine(url: str) -> Engine:
    """The process's engine for this database URL, created on first use."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = create_engine(url)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            _engines[url] = engine
        return engine


def open_database(url: str) -> Engine:
    """The process's engine for the app database, brought to the newest schema the first
    time this process opens it (``DatabaseUnavailable`` says why it cannot be)."""
    with _lock:
        engine = shared_engine(url)
        if url not in _upgraded:
            upgrade_to_head(engine)
            _upgraded.add(url)
        return engine


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (a test's end, a forked child)."""
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
        _upgraded.clear()
    for engine in engines:
        engine.dispose()
