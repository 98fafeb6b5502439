"""A chat that begins with an upload, the flow the README suggests, in Chromium: the thread
is listed at once under its file's name, then under its first question; the answer's thumbs
work, and the upload notice has none."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa

from tests.datasets import KNOWN_PDF, KNOWN_QUESTION
from tests.web.browsing import ANSWER, add_user, ask, login
from tests.web.conftest import WebApp

THUMBS_UP = "button.positive-feedback-off, button.positive-feedback-on"
THREADS = "a[href^='/thread/']"
LISTED = (
    "([sel, name]) => [...document.querySelectorAll(sel)].some(a => a.innerText.includes(name))"
)


def _threads(page: Any, thread_id: str) -> list[str]:
    """The names the thread list shows for one thread."""
    links = page.locator(f"a[href='/thread/{thread_id}']")
    return [" ".join(t.split()) for t in links.all_inner_texts()]


def test_a_chat_that_begins_with_an_upload_is_named_and_its_answers_can_be_rated(
    browser: Any, web_app: WebApp
) -> None:
    from chat.accounts.users import Role

    # An account of its own: another test's upload of the same PDF into clerk.wu's documents
    # would make this one "already there", not an import.
    add_user(web_app, "first.upload", "first-upload-passphrase-9", Role.STAFF)
    page = login(browser, web_app, "first.upload", password="first-upload-passphrase-9")
    before = page.locator(ANSWER).count()
    with page.expect_response(lambda r: "/project/file" in r.url, timeout=120_000):
        page.set_input_files("#upload-button-input", [str(KNOWN_PDF)])
    page.click("#chat-submit")  # the file alone, no question
    notice = page.locator(ANSWER).nth(before)
    notice.wait_for(timeout=300_000)
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel)[n].innerText.includes('匯入')",
        arg=[ANSWER, before],
        timeout=300_000,
    )
    page.wait_for_function(
        LISTED,
        arg=[THREADS, KNOWN_PDF.name],
        timeout=30_000,
    )  # listed at once, under the file's name, without a reload
    bubble = page.locator(".step[data-step-type=user_message]").last
    assert f"上傳：{KNOWN_PDF.name}" in bubble.inner_text()  # not an empty bubble
    # The file shows as its name, not as a PDF.js preview that draws no Chinese text.
    tile = bubble.locator(".inline-pdf")
    assert KNOWN_PDF.name in tile.inner_text()
    assert tile.locator("canvas").filter(visible=True).count() == 0
    assert tile.bounding_box()["height"] < 80  # a chip, not a page
    step = page.locator(".step[data-step-type=assistant_message]").nth(before)
    assert step.locator(THUMBS_UP).filter(visible=True).count() == 0  # not on a notice
    ask(page, KNOWN_QUESTION)
    page.wait_for_function(
        LISTED,
        arg=[THREADS, KNOWN_QUESTION[:10]],
        timeout=30_000,
    )  # renamed after the first question, again without a reload
    thread_id = page.url.rsplit("/thread/", 1)[1]
    assert any(KNOWN_QUESTION[:10] in name for name in _threads(page, thread_id))
    answer_step = page.locator(".step[data-step-type=assistant_message]").last
    thumbs = answer_step.locator(THUMBS_UP).filter(visible=True)
    assert thumbs.count() == 1 and thumbs.is_enabled()
    thumbs.click()
    page.click("#submit-feedback")  # the comment is optional
    engine = sa.create_engine(f"sqlite:///{web_app.data_dir / 'kbchat.db'}")
    deadline, rated = time.monotonic() + 30, []
    while not rated and time.monotonic() < deadline:
        with engine.connect() as connection:
            rated = connection.execute(
                sa.text('SELECT f."value" FROM feedbacks f WHERE f."threadId" = :thread'),
                {"thread": thread_id},
            ).all()
        time.sleep(0.5)
    engine.dispose()
    assert [row[0] for row in rated] == [1]
