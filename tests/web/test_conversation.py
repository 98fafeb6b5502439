"""Working with answers as users of other chat apps do, in Chromium: answer again, and export
a chat."""

from __future__ import annotations

from typing import Any

from tests.datasets import KNOWN_PDF, KNOWN_QUESTION
from tests.web.browsing import ANSWER, FINISHED, ask, click_action, login
from tests.web.conftest import WebApp

USER = "[data-step-type=user_message]"
NEW_FINISHED = """([sel, before, finished]) => [...document.querySelectorAll(sel)].slice(before)
    .some(el => finished.some(word => el.innerText.includes(word)))"""


def test_answer_again_gives_a_new_answer_under_the_same_question(
    browser: Any, web_app: WebApp
) -> None:
    page = login(browser, web_app, "clerk.wu")
    ask(page, KNOWN_QUESTION, files=[str(KNOWN_PDF)])
    asked = page.locator(USER).count()
    before = page.locator(ANSWER).count()
    click_action(page, "重新回答")
    page.wait_for_function(NEW_FINISHED, arg=[ANSWER, before, list(FINISHED)], timeout=300_000)
    page.wait_for_selector("#stop-button", state="detached", timeout=120_000)
    assert page.locator(USER).count() == asked  # the same question, a new answer under it
    assert page.locator(ANSWER).count() == before + 1


def test_a_chat_is_exported_as_markdown_for_its_owner_only(browser: Any, web_app: WebApp) -> None:
    page = login(browser, web_app, "nurse.lin")
    answer = ask(page, KNOWN_QUESTION, files=[str(KNOWN_PDF)])
    click_action(page, "匯出這段對話")
    link = page.locator(f"{ANSWER} a[href$='/export']").last
    link.wait_for(timeout=60_000)
    href = link.get_attribute("href")
    assert href and href.startswith("/kbchat/threads/")
    exported = page.request.get(f"{web_app.url}{href}")
    assert exported.status == 200 and exported.headers["content-type"].startswith("text/markdown")
    body = exported.text()
    assert f"> {KNOWN_QUESTION}" in body and "## 答 A" in body
    if "來源" in answer:  # an answer with sources (not a refusal)
        assert f"]({web_app.url}/kbchat/view/" in body  # links that work from the file
    stranger = login(browser, web_app, "clerk.wu")
    assert stranger.request.get(f"{web_app.url}{href}").status == 404
    assert browser.new_context().new_page().request.get(f"{web_app.url}{href}").status == 401
