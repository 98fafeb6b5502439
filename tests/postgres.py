"""A throwaway PostgreSQL server on loopback, from the Debian packages `.ci/run` installs.

Tests that need PostgreSQL use the server named by ``KBCHAT_TEST_POSTGRES_URL`` when it is
set; otherwise they start their own cluster in a temp dir (as the ``postgres`` user when run
as root, since initdb refuses root) and remove it afterwards.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started here; the message says why."""


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise PostgresUnavailable(f"{name} is not installed (apt-get install postgresql)")
    return found


def _run(command: list[str], user: str | None) -> None:
    prefix = ["runuser", "-u", user, "--"] if user else []
    result = subprocess.run(prefix + command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise PostgresUnavailable(f"{Path(command[0]).name} failed: {result.stderr.strip()[:300]}")


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """Yield a SQLAlchemy URL of an empty PostgreSQL database, started on 127.0.0.1."""
    configured = os.environ.get("KBCHAT_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError as error:
            raise PostgresUnavailable("running as root and there is no postgres user") from error
        user = "postgres"
    home = Path(tempfile.mkdtemp(prefix="kbchat-pg-"))
    if user:
        shutil.chown(home, user)
    data, port = home / "data", free_port()
    try:
        _run([initdb, "-D", str(data), "-U", "kbchat", "--auth=trust", "-E", "UTF8"], user)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off"
        _run([pg_ctl, "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start"], user)
        try:
            yield f"postgresql+psycopg://kbchat@127.0.0.1:{port}/postgres"
        finally:
            _run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], user)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def load_dump(url: str, dump: Path) -> None:
    """Load a plain-SQL ``pg_dump`` into the (empty) database at the SQLAlchemy URL, with psql."""
    plain = "postgresql://" + url.split("://", 1)[1]
    _run([_binary("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", plain, "-f", str(dump)], None)
