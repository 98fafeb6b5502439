"""The web app in a real browser: login, upload, cited answers, the cited page, sharing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sharing.models import QAStatus
from tests.datasets import KNOWN_PAGE, KNOWN_PDF, KNOWN_QUESTION
from tests.web.browsing import ANSWER, add_user, ask, click_action, login
from tests.web.conftest import WebApp


def test_a_wrong_password_is_refused(browser: Any, web_app: WebApp) -> None:
    page = browser.new_context().new_page()
    page.goto(f"{web_app.url}/login")
    page.fill("#email", "nurse.lin")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    page.wait_for_timeout(1500)
    assert "/login" in page.url and page.locator("#chat-input").count() == 0
    assert page.request.get(f"{web_app.url}/user").status == 401


def test_upload_ask_and_open_the_cited_page_only_when_allowed(
    browser: Any, web_app: WebApp
) -> None:
    requests: list[str] = []
    page = login(browser, web_app, "nurse.lin", requests=requests)
    answer = ask(page, KNOWN_QUESTION, files=[str(KNOWN_PDF)])
    assert f"{KNOWN_PDF.name} 第 {KNOWN_PAGE} 頁".lower() in answer.lower()
    doc_url = f"{web_app.url}/kbchat/documents/{hashlib.sha256(KNOWN_PDF.read_bytes()).hexdigest()}"
    mine = page.request.get(doc_url)
    assert mine.status == 200 and mine.headers["content-type"] == "application/pdf"
    assert mine.body()[:5] == b"%PDF-"
    other = login(browser, web_app, "clerk.wu")
    assert other.request.get(doc_url).status == 404  # another user's upload: not even its name
    anonymous = browser.new_context().new_page()
    assert anonymous.request.get(doc_url).status == 401
    outside = [url for url in requests if not url.startswith(web_app.url)]
    assert requests and outside == []


def test_share_with_consent_then_withdraw(browser: Any, web_app: WebApp) -> None:
    from chat.factory import build_sharing
    from chat.settings import Settings

    page = login(browser, web_app, "nurse.lin")
    ask(page, KNOWN_QUESTION, files=[str(KNOWN_PDF)])
    click_action(page, "分享這則問答")
    _wait_for_any(page, ["分享這則問答：同意書", "無法分享", "發生錯誤"])
    assert page.get_by_text("分享這則問答：同意書").count(), page.inner_text("body")[-800:]
    dialog = page.locator(ANSWER).last
    assert KNOWN_QUESTION[:12] in dialog.inner_text()  # it names the answer it is about
    assert dialog.locator("h1, h2").count() == 0  # not a page-sized heading
    click_action(page, "同意並分享")
    # Wait for the outcome, success or error, so a failure shows what the app said.
    _wait_for_any(page, ["已分享（編號", "無法分享", "發生錯誤"])
    said = page.locator(ANSWER).all_inner_texts()
    assert any("已分享（編號" in text for text in said), page.inner_text("body")[-800:]
    store = build_sharing(Settings(data_dir=web_app.data_dir)).store
    (shared,) = [qa for qa in store.list_qa(user_id="nurse.lin")
                 if qa.status == "pending" and qa.question == KNOWN_QUESTION]  # fmt: skip
    (consent,) = store.consents(shared.id or 0)
    assert consent.method == "web-button" and consent.locale == "zh-TW"
    # The dialog has been answered: neither of its buttons is left to contradict it.
    assert page.get_by_role("button", name="取消").count() == 0
    assert page.get_by_role("button", name="同意並分享").count() == 0
    click_action(page, "分享這則問答")  # Share again: it says the pair is shared, and which
    page.get_by_text(f"這則問答已分享（編號 {shared.id}）").wait_for(timeout=60_000)
    before = page.locator(ANSWER).count()
    click_action(page, "我分享的問答")
    page.locator(ANSWER).nth(before).wait_for(timeout=90_000)
    assert f"#{shared.id} (待審核)" in page.locator(ANSWER).nth(before).inner_text()
    click_action(page, f"撤回 #{shared.id}")
    page.get_by_text(f"已撤回 #{shared.id}").wait_for(timeout=90_000)
    assert store.get(shared.id or 0).status == QAStatus.WITHDRAWN
    page.wait_for_timeout(1000)
    # The button pressed is gone; the one under the "shared" notice says it is done already
    assert page.get_by_role("button", name=f"撤回 #{shared.id}").count() == 1
    click_action(page, f"撤回 #{shared.id}")
    page.get_by_text(f"#{shared.id} 先前已撤回").wait_for(timeout=90_000)
    page.wait_for_timeout(1000)
    assert page.get_by_role("button", name=f"撤回 #{shared.id}").count() == 0
    before = page.locator(ANSWER).count()
    click_action(page, "我分享的問答")
    page.locator(ANSWER).nth(before).wait_for(timeout=90_000)
    listing = page.locator(ANSWER).nth(before).inner_text()
    others = [qa for qa in store.list_qa(user_id="nurse.lin") if qa.status != "withdrawn"]
    assert f"#{shared.id} (" not in listing
    assert ("都已撤回" in listing) == (not others), listing
    assert page.locator(ANSWER).count() > 0
    events = [e.action for e in store.audit_trail(shared.id)]
    assert events == ["share", "withdraw"]
    assert json.loads(store.audit_trail(shared.id)[0].detail_json)["method"] == "web-button"


def _wait_for_any(page: Any, words: list[str]) -> None:
    """Wait until the page shows one of the words (an outcome, good or bad) or a reason the
    app refused to act; on a timeout, fail showing the last messages."""
    words = [*words, "已無法分享", "登入已失效", "請先設定新密碼"]
    script = "words => words.some(w => document.body.innerText.includes(w))"
    try:
        page.wait_for_function(script, arg=words, timeout=120_000)
    except Exception as error:  # Playwright's TimeoutError: show what the page said instead
        messages = page.locator("[data-step-type] .message-content").all_inner_texts()
        raise AssertionError(f"none of {words} appeared; last messages: {messages[-3:]}") from error


def _open_profiles(page: Any) -> list[str]:
    """Open the persona picker and return the names it offers (it stays open)."""
    page.click("#chat-profiles")
    page.get_by_role("option").first.wait_for(timeout=120_000)
    return [option.strip() for option in page.get_by_role("option").all_inner_texts()]


def test_personas_are_offered_by_role_and_picking_one_greets_in_its_words(
    browser: Any, web_app: WebApp
) -> None:
    from chat.accounts.users import Role

    clerk = _open_profiles(login(browser, web_app, "clerk.wu"))
    # A clinician of this test's own: the persona picked here is kept for their next chats.
    add_user(web_app, "ward.lin", "ward-lin-passphrase-5", Role.CLINICIAN)
    page = login(browser, web_app, "ward.lin", password="ward-lin-passphrase-5")
    nurse = _open_profiles(page)
    assert any("看診問題準備助理" in name for name in nurse)  # patient-facing: clinicians only
    assert not any("看診問題準備助理" in name for name in clerk)
    assert any("知識庫助理" in name for name in clerk)
    page.get_by_role("option", name="看診問題準備助理").click()
    # Switching persona may first ask to start a new chat: wait for that dialog or for the
    # new greeting, whichever comes, instead of looking once and moving on.
    greeted = "sel => [...document.querySelectorAll(sel)].some(e => e.innerText.includes('看診'))"
    confirm = page.get_by_role("button", name="確認")
    page.wait_for_function(
        f"sel => ({greeted})(sel) || [...document.querySelectorAll('button')]"
        ".some(b => b.innerText.trim() === '確認')",
        arg=ANSWER,
        timeout=60_000,
    )
    if confirm.count():
        confirm.click()
    page.wait_for_function(greeted, arg=ANSWER, timeout=60_000)


def test_the_last_persona_is_kept_and_switching_says_the_chat_stays_in_the_history(
    browser: Any, web_app: WebApp
) -> None:
    from chat.accounts.users import Role

    add_user(web_app, "ward.chen", "ward-chen-passphrase-7", Role.CLINICIAN)
    page = login(browser, web_app, "ward.chen", password="ward-chen-passphrase-7")
    ask(page, "加護病房的探病時間？")  # a chat under way: switching persona starts a new one
    dialog = page.get_by_role("dialog")
    for _ in range(2):  # a list redrawn under the pointer (the thread list refreshing) can
        _open_profiles(page)  # swallow the first pick: pick again, once
        page.get_by_role("option", name="看診問題準備助理").click()
        try:
            dialog.wait_for(timeout=20_000)
            break
        except Exception:  # Playwright's TimeoutError: close the list, try again
            page.keyboard.press("Escape")
    dialog.wait_for(timeout=10_000)
    assert "保留在左側的歷史紀錄" in dialog.inner_text() and "清除" not in dialog.inner_text()
    dialog.get_by_role("button", name="確認").click()
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].some(e => e.innerText.includes('看診'))",
        arg=ANSWER,
        timeout=60_000,
    )
    page.reload()
    page.wait_for_selector(ANSWER, timeout=60_000)
    assert "看診問題準備助理" in page.locator("#chat-profiles").inner_text()  # kept
    again = login(browser, web_app, "ward.chen", password="ward-chen-passphrase-7")
    assert "看診問題準備助理" in again.locator("#chat-profiles").inner_text()  # a new login too


def test_personas_are_grouped_their_starters_ask_and_small_model_answers_say_so(
    browser: Any, web_app: WebApp
) -> None:
    from tests.web.browsing import FINISHED

    page = login(browser, web_app, "nurse.lin")
    names = _open_profiles(page)
    groups = [name.split(" · ")[-1] for name in names]
    order = {"文件庫 Documents": 0, "臨床 Clinical": 1, "病人用 Patients": 2,
             "一般對話 General chat": 3}  # fmt: skip
    assert all(group in order for group in groups), names
    assert groups == sorted(groups, key=order.__getitem__)  # grouped
    # the document personas first; the plain-chat ones (a film critic) last, apart
    assert groups[0] == "文件庫 Documents" and groups[-1] == "一般對話 General chat"
    assert any(n.startswith("影評人") for n in names if n.endswith("一般對話 General chat"))
    page = login(browser, web_app, "clerk.wu")  # whose persona is the knowledge base one
    starter = "請假要怎麼申請？需要哪些表單？"
    before = page.locator(ANSWER).count()
    click_action(page, starter)
    page.locator("[data-step-type=user_message]", has_text=starter).wait_for(timeout=60_000)
    script = """([sel, before, finished]) => [...document.querySelectorAll(sel)].slice(before)
        .some(el => finished.some(word => el.innerText.includes(word)))"""
    page.wait_for_function(script, arg=[ANSWER, before, list(FINISHED)], timeout=300_000)
    answer = page.locator(ANSWER).last.inner_text()
    if "來源" in answer:  # an answer, not a refusal: the bundled model says what it is
        assert "本機的小型模型" in answer
    page.wait_for_function(
        "name => [...document.querySelectorAll(\"a[href^='/thread/']\")]"
        ".some(a => a.innerText.includes(name))",
        arg=starter[:8],
        timeout=30_000,
    )  # the thread is named after the starter's question
