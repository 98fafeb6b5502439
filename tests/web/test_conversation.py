"""Working with answers as users of other chat apps do, in Chromium: answer again, and edit a
question and send it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.datasets import KNOWN_PDF, KNOWN_QUESTION
from tests.web.browsing import ANSWER, FINISHED, add_user, ask, click_action, login
from tests.web.conftest import WebApp, app_db_rows

USER = "[data-step-type=user_message]"
NEW_FINISHED = """([sel, before, finished]) => [...document.querySelectorAll(sel)].slice(before)
    .some(el => finished.some(word => el.innerText.includes(word)))"""

# The last question holds the text, and an answer below it has finished.
ANSWERED_AFTER_LAST = """([questions, answers, text, finished]) => {
    const last = [...document.querySelectorAll(questions)].pop();
    if (!last || !last.innerText.includes(text)) return false;
    return [...document.querySelectorAll(answers)]
        .filter(el => last.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
        .some(el => finished.some(word => el.innerText.includes(word)));
}"""


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
    # The pencil shows while the pointer is over the question, as a user brings it there:
    # clicking moves the pointer onto it (forced: Playwright's own check runs before that).
    question.locator(".message-content").hover()
    question.locator(".edit-message").click(force=True)
    page.fill("#edit-chat-input", edited)
    page.click(".confirm-edit")
    page.wait_for_function(ANSWERED_AFTER_LAST, arg=[USER, ANSWER, edited, list(FINISHED)],
                           timeout=300_000)  # fmt: skip
    page.wait_for_selector("#stop-button", state="detached", timeout=120_000)
    texts = page.locator(USER).all_inner_texts()
    assert not any(KNOWN_QUESTION in t for t in texts[-1:])  # the question was replaced
    answers = page.locator(ANSWER).all_inner_texts()
    assert any(word in answers[-1] for word in FINISHED)  # and answered anew


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


def test_a_user_chooses_the_collections_a_question_searches(
    browser: Any, web_app: WebApp, tmp_path: Path
) -> None:
    from chat.accounts.users import Role
    from tests.datasets import DRCD
    from tests.pdfs import text_pdf

    admin = login(browser, web_app, "boss")  # an organization collection to choose from
    admin.click("#chat-settings-open-modal")
    admin.click("#upload_collection")
    admin.get_by_role("option", name="機構文件庫「default」（同仁都看得到）").click()
    admin.get_by_role("button", name="確認").click()
    admin.wait_for_timeout(1000)
    with admin.expect_response(lambda r: "/project/file" in r.url, timeout=120_000):
        admin.set_input_files("#upload-button-input", [str(DRCD / "drcd-dev-005.pdf")])
    admin.click("#chat-submit")
    admin.get_by_text("drcd-dev-005.pdf：已").last.wait_for(timeout=300_000)
    # A document only this user has (its own account: other tests' uploads stay out).
    permit = text_pdf(tmp_path / "parking-permit.pdf", [PERMIT])
    add_user(web_app, "scope.user", "scope-user-passphrase-4", Role.STAFF)
    page = login(browser, web_app, "scope.user", password="scope-user-passphrase-4")
    ask(page, PERMIT_QUESTION, files=[str(permit)])
    private = _private_copy(web_app, "scope.user", permit.name)
    assert any(private in href for href in _cited(page))  # searched while ticked
    page.click("#chat-settings-open-modal")
    mine = page.get_by_text("我的文件（自己與管理員可見）", exact=True)
    # the organization's collections are offered beside it (other tests may have made more
    # than "default", and the list may show some of them as "+N")
    assert page.get_by_text("機構文件庫「").count() >= 1
    mine.locator("button").click()  # search the organization's documents only
    page.get_by_role("button", name="確認").click()
    page.wait_for_timeout(1000)
    ask(page, PERMIT_QUESTION)
    assert not any(private in href for href in _cited(page))  # not searched now


PERMIT = ["院內停車證申請", "職員停車證請向總務室第三窗口申請，代碼 QX7。"]
PERMIT_QUESTION = "職員停車證要向哪個窗口申請？"


def _cited(page: Any) -> list[str]:
    """The cited pages' links under the last answer."""
    links = page.locator(ANSWER).last.locator("a[href^='/kbchat/view/']")
    return [str(link.get_attribute("href")) for link in links.all()]


def _private_copy(app: WebApp, user: str, filename: str) -> str:
    """The id of a PDF in the user's own documents (read from the app's database)."""
    from chat.access import private_collection

    ((doc_id,),) = app_db_rows(
        app.data_dir,
        "SELECT doc_id FROM kb_document WHERE collection = :c AND filename = :f",
        c=private_collection(user),
        f=filename,
    )
    return str(doc_id)
