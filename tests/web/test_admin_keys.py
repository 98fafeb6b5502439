"""The admin's API keys page in the browser: a key made there works at once through the
API, is shown only once, and stops working when revoked there; staff are refused the page."""

from __future__ import annotations

from typing import Any

import httpx

from tests.web.browsing import login
from tests.web.conftest import WebApp


def _me(web_app: WebApp, key: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.get(f"{web_app.url}/api/v1/me", headers=headers, timeout=60)


def test_an_admin_makes_a_key_uses_it_and_revokes_it(browser: Any, web_app: WebApp) -> None:
    page = login(browser, web_app, "boss")
    page.goto(f"{web_app.url}/kbchat/admin/keys")
    page.fill("input[name=name]", "portal")
    page.select_option("select[name=role]", "clinician")
    page.fill("input[name=collections]", "default")
    page.fill("input[name=expires]", "30d")
    page.get_by_role("button", name="新增 Add").click()
    key = page.locator("#new-key-value").inner_text().strip()
    assert key.startswith("kbc_")
    me = _me(web_app, key)
    assert me.status_code == 200
    assert (me.json()["name"], me.json()["role"], me.json()["collections"]) == (
        "portal", "clinician", ["default"],
    )  # fmt: skip
    page.goto(f"{web_app.url}/kbchat/admin/keys")  # the key is never shown again
    assert key not in page.content() and page.locator("#new-key").count() == 0
    row = page.locator("tr[data-key=portal]")
    assert "使用中 active" in row.inner_text() and "default" in row.inner_text()
    row.get_by_role("button", name="撤銷 Revoke").click()
    page.get_by_text("cannot be undone").wait_for()  # asked first
    assert _me(web_app, key).status_code == 200
    page.get_by_role("button", name="確定 Yes, revoke").click()
    page.get_by_text("已撤銷 Revoked: portal").wait_for()
    assert "已撤銷 revoked" in page.locator("tr[data-key=portal]").inner_text()
    refused = _me(web_app, key)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "key_revoked"
    page.context.close()


def test_a_bad_key_form_is_refused_by_name_and_nothing_is_made(
    browser: Any, web_app: WebApp
) -> None:
    page = login(browser, web_app, "boss")
    page.goto(f"{web_app.url}/kbchat/admin/keys")
    before = page.locator("#keys tr").count()
    page.fill("input[name=name]", "nightly")
    page.fill("input[name=expires]", "someday")
    page.get_by_role("button", name="新增 Add").click()
    page.get_by_text("unreadable expiry 'someday'").wait_for()
    assert page.locator("#new-key").count() == 0
    assert page.input_value("input[name=name]") == "nightly"  # what was typed stays
    page.goto(f"{web_app.url}/kbchat/admin/keys")
    assert page.locator("#keys tr").count() == before
    staff = login(browser, web_app, "clerk.wu")
    assert staff.request.get(f"{web_app.url}/kbchat/admin/keys").status == 403
    page.context.close()
    staff.context.close()
