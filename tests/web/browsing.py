"""Playwright steps shared by the browser tests: log in, ask, wait for the answer."""

from __future__ import annotations

import re
from typing import Any

from chat.accounts.users import Role
from chat.factory import build_accounts
from chat.settings import Settings
from tests.web.conftest import USERS, WebApp

ANSWER = "[data-step-type=assistant_message] .message-content"
# The last line of every finished answer: its sources, or the refusal banner.
FINISHED = (
    "來源",
    "其他搜尋過",
    "知識庫未涵蓋",
    "發生錯誤",
    "Sources",
    "Also searched",
    "Not in the knowledge base",
)


def add_user(app: WebApp, name: str, password: str, role: Role, **options: bool) -> None:
    """An account of the running app's, added as an admin would (options: see Accounts.add)."""
    accounts = build_accounts(Settings(data_dir=app.data_dir))
    accounts.add(name, password, role, **options)
    accounts.engine.dispose()


def login(
    browser: Any,
    app: WebApp,
    user: str,
    *,
    requests: list[str] | None = None,
    password: str | None = None,
) -> Any:
    """A new browser context logged in as ``user`` (a test user, or one with the password
    given); optionally records every request URL."""
    context = browser.new_context(locale="zh-TW")
    page = context.new_page()
    # Two cores run the model, the embedder and the browser at once: allow slow steps.
    page.set_default_timeout(90_000)
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{app.url}/login")
    page.fill("#email", user)
    page.fill("#password", password or USERS[user][0])
    page.click("button[type=submit]")
    page.wait_for_selector("#chat-input", timeout=60_000)
    # The persona's greeting arrives once the chat session is live (uploads need one).
    page.wait_for_selector(ANSWER, timeout=60_000)
    return page


def ask(page: Any, question: str, *, files: list[str] | None = None) -> str:
    """Send a question (with attachments) and return the text of its finished answer."""
    before = page.locator(ANSWER).count()
    for path in files or []:
        # Wait for the upload itself: a message sent earlier would go without the file.
        with page.expect_response(lambda r: "/project/file" in r.url, timeout=120_000) as sent:
            page.set_input_files("#upload-button-input", [path])
        assert sent.value.ok, f"upload of {path} failed: {sent.value.status}"
    page.fill("#chat-input", question)
    page.click("#chat-submit")
    script = """([selector, before, finished]) => {
        const all = [...document.querySelectorAll(selector)].slice(before);
        return all.some(el => finished.some(word => el.innerText.includes(word)));
    }"""
    page.wait_for_function(script, arg=[ANSWER, before, list(FINISHED)], timeout=300_000)
    # The run is over (not only its text): its actions are sent and a next step may begin.
    page.wait_for_selector("#stop-button", state="detached", timeout=120_000)
    texts = page.locator(ANSWER).all_inner_texts()[before:]
    return next(t for t in texts if any(word in t for word in FINISHED))


def click_action(page: Any, label: str) -> None:
    """Click the last action button whose label matches, once it is shown and enabled."""
    button = page.get_by_role("button", name=re.compile(re.escape(label))).last
    button.wait_for(state="visible", timeout=120_000)
    button.click()
