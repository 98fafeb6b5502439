"""Working with answers as users of other chat apps do, in Chromium: answer again, and edit a
question and send it again."""

from __future__ import annotations

from typing import Any

from tests.datasets import KNOWN_PDF, KNOWN_QUESTION
from tests.web.browsing import ANSWER, FINISHED, ask, click_action, login
from tests.web.conftest import WebApp

USER = "[data-step-type=user_message]"
NEW_FINISHED = """([sel, before, finished]) => [...document.querySelectorAll(sel)].slice(before)
    .some(el => finished.some(word => el.innerText.includes(word)))"""


def test_answer_again_and_edit_a_question(browser: Any, web_app: WebApp) -> None:
    page = login(browser, web_app, "clerk.wu")
    ask(page, KNOWN_QUESTION, files=[str(KNOWN_PDF)])
    asked = page.locator(USER).count()
    before = page.locator(ANSWER).count()
    click_action(page, "重新回答")
    page.wait_for_function(NEW_FINISHED, arg=[ANSWER, before, list(FINISHED)], timeout=300_000)
    page.wait_for_selector("#stop-button", state="detached", timeout=120_000)
    assert page.locator(USER).count() == asked  # the same question, a new answer under it
    assert page.locator(ANSWER).count() == before + 1
    edited = "請問這份文件的第一段在說什麼？"
    question = page.locator(USER).last
    question.hover()
    question.locator(".edit-message").click()
    page.fill("#edit-chat-input", edited)
    page.click(".confirm-edit")
    page.wait_for_function(
        "([sel, t]) => [...document.querySelectorAll(sel)].some(e => e.innerText.includes(t))",
        arg=[USER, edited],
        timeout=60_000,
    )
    page.wait_for_selector("#stop-button", state="attached", timeout=60_000)
    page.wait_for_selector("#stop-button", state="detached", timeout=300_000)
    texts = page.locator(USER).all_inner_texts()
    assert not any(KNOWN_QUESTION in t for t in texts[-1:])  # the question was replaced
    answers = page.locator(ANSWER).all_inner_texts()
    assert any(word in answers[-1] for word in FINISHED)  # and answered anew
