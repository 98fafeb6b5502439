"""Waiting for an answer, in Chromium: a sign of life at once, a Stop button that stops the
answer for good (marked, in the persona's language), and a model free for the next one."""

from __future__ import annotations

from typing import Any

from tests.datasets import KNOWN_PDF, KNOWN_QUESTION
from tests.web.browsing import ANSWER, ask, login
from tests.web.conftest import WebApp, app_db_rows

LAST_SAYS = "([sel, word]) => { const all = document.querySelectorAll(sel); " \
    "return all.length && all[all.length - 1].innerText.includes(word); }"  # fmt: skip


def test_stop_ends_the_answer_and_frees_the_model_for_the_next(
    browser: Any, web_app: WebApp
) -> None:
    page = login(browser, web_app, "nurse.lin")
    ask(page, KNOWN_QUESTION, files=[str(KNOWN_PDF)])  # the document is in; the model warm
    before = page.locator(ANSWER).count()
    page.fill("#chat-input", KNOWN_QUESTION)
    page.click("#chat-submit")
    page.wait_for_function(LAST_SAYS, arg=[ANSWER, "正在搜尋知識庫"], timeout=15_000)
    assert page.locator(ANSWER).count() == before + 1  # the reply is there before any word
    page.click("#stop-button", timeout=30_000)
    page.wait_for_function(LAST_SAYS, arg=[ANSWER, "已停止"], timeout=30_000)
    stopped = page.locator(ANSWER).last.inner_text()
    page.wait_for_timeout(5000)
    assert page.locator(ANSWER).last.inner_text() == stopped  # nothing more was written
    assert "Task manually stopped" not in page.inner_text("body")
    assert page.locator("#stop-button").count() == 0
    answer = ask(page, KNOWN_QUESTION)  # the model is free: not queued behind the stopped one
    assert "排隊中" not in answer and ("來源" in answer or "知識庫未涵蓋" in answer)
    # The stopped answer is stored in its place: the reopened thread shows it after its
    # question, and the greeting keeps its buttons (Export among them).
    thread_id = page.url.rsplit("/thread/", 1)[1]
    unstamped = 'SELECT "id" FROM steps WHERE "threadId" = :t AND "createdAt" IS NULL'
    assert app_db_rows(web_app.data_dir, unstamped, t=thread_id) == []
    page.reload()
    page.get_by_role("button", name="匯出這段對話").wait_for(timeout=60_000)
    texts = page.locator(ANSWER).all_inner_texts()
    assert not any("已停止" in text for text in texts[:1])  # the greeting stays first
