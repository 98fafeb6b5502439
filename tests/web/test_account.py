"""The first login as a real user meets it, in Chromium: a password chosen by an admin must
be replaced before anything else, through the app's own form."""

from __future__ import annotations

from typing import Any

import pytest

from chat.accounts.users import Role
from chat.factory import build_accounts
from chat.settings import Settings
from tests.web.conftest import WebApp


@pytest.mark.slow
def test_a_new_user_replaces_the_admin_chosen_password_in_the_browser(
    browser: Any, web_app: WebApp
) -> None:
    accounts = build_accounts(Settings(data_dir=web_app.data_dir))
    accounts.add("new.nurse", "admin-chose-this-1", Role.CLINICIAN, must_change_password=True)
    accounts.engine.dispose()
    context = browser.new_context(locale="zh-TW")
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{web_app.url}/login")
    page.fill("#email", "new.nurse")
    page.fill("#password", "admin-chose-this-1")
    page.click("button[type=submit]")
    page.wait_for_selector("#chat-input", timeout=60_000)
    page.goto(f"{web_app.url}/kbchat/account/password")

    def submit(current: str, new: str) -> str:
        page.fill("input[name=current]", current)
        page.fill("input[name=password]", new)
        page.fill("input[name=again]", new)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return str(page.content())

    refused = submit("admin-chose-this-1", "aaaaaaaaaa")  # the browser's own form post...
    assert "cross-site" not in refused and "太容易猜中" in refused  # ...reaches the check
    done = submit("admin-chose-this-1", "quiet-maple-harbor-42")
    assert "密碼已更新" in done  # the change is confirmed, on the app's own page
    page.get_by_role("link", name="← 回到聊天 Back to the chat").click()
    page.wait_for_selector("#chat-input", timeout=60_000)  # back in the chat
    changed = build_accounts(Settings(data_dir=web_app.data_dir))
    account = changed.get("new.nurse")
    verified = changed.verify("new.nurse", "quiet-maple-harbor-42")
    changed.engine.dispose()
    assert account is not None and not account.must_change_password and verified is not None
    context.close()
