"""kbchat's own pages as a browser shows them: the login page in kbchat's name and words, and
errors as pages that say what happened (not JSON), in Chromium."""

from __future__ import annotations

from typing import Any

from tests.web.browsing import add_user, ask, login
from tests.web.conftest import WebApp


def test_the_login_page_is_kbchat_s_and_asks_for_a_user_name(browser: Any, web_app: WebApp) -> None:
    page = browser.new_context(locale="zh-TW").new_page()
    page.goto(f"{web_app.url}/login")
    page.wait_for_selector("#email")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert page.locator("label[for=email]").inner_text().strip() == "帳號"
    assert page.get_attribute("#email", "placeholder") == "例如 nurse.chen"
    sources = page.evaluate("[...document.images].map(i => new URL(i.src).pathname)")
    assert "/logo" in sources and "/kbchat/static/login.svg" in sources
    logo = page.request.get(f"{web_app.url}/logo?theme=light")
    assert logo.headers["content-type"] == "image/svg+xml" and b"kbchat" in logo.body()
    assert "chainlit" not in page.inner_text("body").lower()
    english = browser.new_context(locale="en-US").new_page()
    english.goto(f"{web_app.url}/login")
    english.wait_for_selector("#email")
    assert english.evaluate("document.documentElement.lang") == "en"
    assert english.locator("label[for=email]").inner_text().strip() == "User name"


def test_errors_are_pages_that_say_what_happened(browser: Any, web_app: WebApp) -> None:
    staff = login(browser, web_app, "clerk.wu")
    refused = staff.goto(f"{web_app.url}/kbchat/admin/users")
    assert refused is not None and refused.status == 403
    assert "沒有權限" in staff.inner_text("main") and "admins only" in staff.inner_text("main")
    assert staff.get_by_role("link", name="← 回到聊天 Back to the chat").count() == 1
    missing = staff.goto(f"{web_app.url}/kbchat/view/{'0' * 64}/1")
    assert missing is not None and missing.status == 404 and "找不到" in staff.inner_text("main")
    assert staff.request.get(f"{web_app.url}/kbchat/admin/users").json() == {
        "detail": "admins only"
    }  # the API keeps its JSON
    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{web_app.url}/kbchat/admin/users")
    anonymous.wait_for_url("**/login", timeout=30_000)
    # Another user's chat address: a page saying so, not Chainlit's "cannot reach the server"
    owner = login(browser, web_app, "clerk.wu")
    ask(owner, "2030年世界盃足球賽冠軍是誰？")  # refused at once: a chat of clerk.wu's
    owner.wait_for_url("**/thread/**", timeout=30_000)
    theirs = owner.url
    other = login(browser, web_app, "nurse.lin")
    other.goto(theirs)
    other.wait_for_url("**/kbchat/threads/**", timeout=30_000)
    assert "不是您的" in other.inner_text("main")
    owner.goto(theirs.replace("/thread/", "/kbchat/threads/"))  # its owner's goes to it
    owner.wait_for_url(theirs, timeout=30_000)


def test_the_ui_language_is_the_one_the_user_chose_and_it_is_kept(
    browser: Any, web_app: WebApp
) -> None:
    from chat.accounts.users import Role

    add_user(web_app, "lang.user", "lang-user-passphrase-3", Role.STAFF)
    page = login(browser, web_app, "lang.user", password="lang-user-passphrase-3")  # zh-TW
    assert page.get_attribute("#chat-input", "placeholder") == "在此輸入您的訊息..."
    page.get_by_role("link", name="中文 / English").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("#chat-input", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('#chat-input')?.placeholder?.startsWith('Type')",
        timeout=30_000,
    )
    # kbchat's own words follow too (the greeting's buttons), the persona's greeting not
    page.get_by_role("button", name="Export this chat").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="匯出這段對話").count() == 0
    again = login(browser, web_app, "lang.user", password="lang-user-passphrase-3")
    again.wait_for_function(
        "() => document.querySelector('#chat-input')?.placeholder?.startsWith('Type')",
        timeout=30_000,
    )  # kept for the next login, whatever the browser's language
    refused = again.request.post(
        f"{web_app.url}/kbchat/account/language",
        form={"language": "fr-FR"},
        headers={"Origin": web_app.url},
    )
    assert refused.status == 403  # no form token: refused before anything is kept


def test_admins_find_the_admin_pages_in_the_header(browser: Any, web_app: WebApp) -> None:
    admin = login(browser, web_app, "boss")
    link = admin.get_by_role("link", name="管理 Admin")
    link.wait_for(timeout=30_000)
    link.click()
    admin.wait_for_url("**/kbchat/admin**", timeout=30_000)
    assert admin.locator("main").count() == 1 and "403" not in admin.title()
    staff = login(browser, web_app, "clerk.wu")
    staff.get_by_role("link", name="帳號 Account").wait_for(timeout=30_000)
    staff.wait_for_timeout(2000)  # the header has had time to be offered the link
    assert staff.get_by_role("link", name="管理 Admin").count() == 0
