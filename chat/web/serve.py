"""``kbchat serve``: prepare Chainlit's app root in the data dir and run the web app.

The Chainlit configuration and translations are the repository's ``.chainlit/`` (Chainlit's own
place for them; a wheel carries the same folder inside ``chat/web/``). ``kbchat serve`` copies
them, with the settings applied, under ``<data dir>/web``, where Chainlit also writes its upload
temp files. The auth secret is generated on first run and kept there (unless
``KBCHAT_AUTH_SECRET`` gives one); with no users yet, an ``admin`` account is created with a
generated password, printed once and kept in an owner-only file.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from chat.factory import build_accounts, owner_only_secret
from chat.settings import Settings
from knowledge import cjk_font_found

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


def prepare(settings: Settings, say: Callable[[str], None]) -> Path:
    """Write the app root, set Chainlit's environment, create the first admin. Returns the root."""
    root = settings.data_dir / "web"
    translations = root / ".chainlit" / "translations"
    translations.mkdir(parents=True, exist_ok=True)
    (root / ".chainlit" / "config.toml").write_text(chainlit_config(settings), encoding="utf-8")
    shutil.copyfile(PACKAGE_DIR / "chainlit.md", root / "chainlit.md")
    for language in LANGUAGES:
        shipped = chainlit_dir() / "translations" / f"{language}.json"
        shutil.copyfile(shipped, translations / f"{language}.json")
    os.environ["CHAINLIT_APP_ROOT"] = str(root)
    given = settings.auth_secret.get_secret_value() if settings.auth_secret else None
    os.environ["CHAINLIT_AUTH_SECRET"] = (
        given
        or owner_only_secret(
            settings.data_dir / "auth-secret", lambda: secrets.token_urlsafe(48).encode()
        )
        .decode()
        .strip()
    )
    password_file = settings.data_dir / "admin-password.txt"
    password = build_accounts(settings).ensure_first_admin(password_file)
    if password:
        say(
            f"First run: created user 'admin' with password {password}\n"
            f"(also in {password_file}, readable only by you; you will be asked to change it)."
        )
    return root


def serve(settings: Settings, host: str, port: int, say: Callable[[str], None]) -> None:
    """Run the web app on host:port until interrupted."""
    prepare(settings, say)
    os.environ["CHAINLIT_HOST"], os.environ["CHAINLIT_PORT"] = host, str(port)
    from chainlit.cli import run_chainlit

    from chat.web.services import services

    services().kb.warm_up(services().kb.registry.collections())  # load models before serving
    if not cjk_font_found():
        say(
            "warning: no Chinese font is installed (apt-get install fonts-noto-cjk): cited "
            "pages of PDFs that do not embed their Chinese fonts will show no Chinese text"
        )
    say(f"kbchat is serving on http://{host}:{port}")
    run_chainlit(str(PACKAGE_DIR / "app.py"))
