"""``kbchat serve``: prepare Chainlit's app root in the data dir and run the web app.

The Chainlit configuration and translations are the repository's ``.chainlit/`` (Chainlit's own
place for them; a wheel carries the same folder inside ``chat/web/``). ``kbchat serve`` copies
them, with the settings applied, under ``<data dir>/web``, where Chainlit also writes its upload
temp files. The auth secret is generated on first run and kept in the data dir (unless
``KBCHAT_AUTH_SECRET`` gives one); with no users yet, an ``admin`` account is created with a
generated password, printed once and kept in an owner-only file.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from chat.context import AppContext
from chat.settings import Settings

PACKAGE_DIR = Path(__file__).parent
LANGUAGES = ("zh-TW", "en-US")


def chainlit_dir() -> Path:
    """The ``.chainlit/`` folder kbchat ships: the repository's, or its copy in a wheel."""
    for candidate in (PACKAGE_DIR.parents[1] / ".chainlit", PACKAGE_DIR / ".chainlit"):
        if (candidate / "config.toml").is_file():
            return candidate
    raise FileNotFoundError(f"kbchat's .chainlit/config.toml is missing beside {PACKAGE_DIR}")


def chainlit_config(settings: Settings) -> str:
    """The shipped config.toml with the login lifetime and upload size from the settings."""
    config = (chainlit_dir() / "config.toml").read_text(encoding="utf-8")
    lifetime = f"user_session_timeout = {round(settings.session_hours * 3600)}"
    config = re.sub(r"(?m)^user_session_timeout = \d+", lifetime, config)
    return re.sub(
        r"(?m)^(\s*)max_size_mb = \d+", rf"\g<1>max_size_mb = {settings.max_upload_mb}", config
    )


def prepare(context: AppContext, say: Callable[[str], None]) -> dict[str, str]:
    """Write the app root and create the first admin; return Chainlit's environment."""
    settings = context.settings
    root = settings.data_dir / "web"
    translations = root / ".chainlit" / "translations"
    translations.mkdir(parents=True, exist_ok=True)
    (root / ".chainlit" / "config.toml").write_text(chainlit_config(settings), encoding="utf-8")
    shutil.copyfile(PACKAGE_DIR / "chainlit.md", root / "chainlit.md")
    for language in LANGUAGES:
        shipped = chainlit_dir() / "translations" / f"{language}.json"
        shutil.copyfile(shipped, translations / f"{language}.json")
    password_file = settings.data_dir / "admin-password.txt"
    password = context.accounts.ensure_first_admin(password_file)
    if password:
        say(
            f"First run: created user 'admin' with password {password}\n"
            f"(also in {password_file}, readable only by you; you will be asked to change it)."
        )
    # Chainlit reads its configuration from its environment only.
    return {"CHAINLIT_APP_ROOT": str(root), "CHAINLIT_AUTH_SECRET": context.auth_secret}


def serve(context: AppContext, host: str, port: int, say: Callable[[str], None]) -> None:
    """Prepare, then become the web app's process (chat/web/run.py) on host:port, with
    Chainlit's environment given to it rather than written into this one's."""
    environment = {**os.environ, **prepare(context, say)}
    environment |= {"CHAINLIT_HOST": host, "CHAINLIT_PORT": str(port)}
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", "chat.web.run"], environment)
