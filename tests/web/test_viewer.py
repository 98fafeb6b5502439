"""The cited page as a nurse opens it, in Chromium: the Chinese text of a page whose CJK
font is not embedded is on screen, the page fits the window, the evidence is marked, and
nothing opens by itself beside the chat."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from PIL import Image

from tests.web.browsing import ANSWER, ask, login
from tests.web.conftest import WebApp

SAMPLE = Path(__file__).parents[2] / "samples" / "kbchat-hospital-guide.pdf"
ICU = "加護病房探病時間為上午十一點及晚上七點，每次三十分鐘。"


def test_a_cited_page_opens_in_the_viewer_with_its_evidence_and_nothing_opens_unasked(
    browser: Any, web_app: WebApp
) -> None:
    page = login(browser, web_app, "nurse.lin")
    answer = ask(page, "加護病房的探病時間是什麼時候？", files=[str(SAMPLE)])
    page.wait_for_timeout(1500)
    assert page.locator("#side-view-content, #side-view-title").count() == 0  # nothing unasked
    link = page.locator(f"{ANSWER} a[href*='/kbchat/view/']").first
    label = link.inner_text()
    number = re.search(r"第 (\d+) 頁", label)
    assert number and "kbchat-hospital-guide.pdf" in label, answer
    with page.context.expect_page() as opened:
        link.click()  # a new tab: the chat stays as it was
    viewer = opened.value
    viewer.wait_for_load_state("networkidle")
    assert f"kbchat-hospital-guide.pdf · 第 {number.group(1)} 頁" in viewer.title()
    assert viewer.evaluate("document.images[0].naturalWidth") > 0
    quoted = viewer.locator(".evidence blockquote").all_inner_texts()
    assert quoted and viewer.locator(".sheet .mark").count() >= 1
    layer = "".join(viewer.locator(".sheet .line").all_inner_texts())
    assert all("".join(q.split()) in "".join(layer.split()) for q in quoted)  # marked text
    assert page.locator("#side-view-content").count() == 0


def test_the_page_shows_its_chinese_text_at_the_width_of_the_window(
    browser: Any, web_app: WebApp
) -> None:
    owner = login(browser, web_app, "clerk.wu")
    ask(owner, "When are intensive care visits?", files=[str(SAMPLE)])
    href = owner.locator(f"{ANSWER} a[href*='/kbchat/view/']").first.get_attribute("href")
    doc_id = re.search(r"/kbchat/view/([0-9a-f]{64})/", href or "")
    assert doc_id, href  # the id of clerk.wu's copy (the same bytes elsewhere get another)
    page_two = f"{web_app.url}/kbchat/view/{doc_id.group(1)}/2"
    viewer = owner.context.new_page()
    viewer.set_viewport_size({"width": 900, "height": 900})
    viewer.goto(f"{page_two}?{urlencode({'mark': ICU})}#evidence")
    viewer.wait_for_load_state("networkidle")
    assert "加護病房" in viewer.locator(".sheet").inner_text()  # selectable, searchable text
    sheet_width = viewer.evaluate("document.querySelector('.sheet img').clientWidth")
    assert 700 <= sheet_width <= 900  # the page's width is the window's, nothing cut off
    mark = viewer.locator(".sheet .mark").first
    shot = Image.open(io.BytesIO(mark.screenshot())).convert("L")
    dark = sum(shot.histogram()[:150])  # glyphs; the yellow and its edge are lighter
    # MSung-Light is not embedded in the sample: a viewer without CJK fonts shows it blank.
    assert dark > 0.05 * shot.width * shot.height, "the marked Chinese line is blank"
    admin, other = login(browser, web_app, "boss"), login(browser, web_app, "nurse.lin")
    assert admin.request.get(page_two).status == 200
    assert other.request.get(page_two).status == 404  # clerk.wu's private upload
    assert other.request.get(page_two.replace("/view/", "/pages/")).status == 404
    assert admin.request.get(page_two.replace("/2", "/9")).status == 404  # no such page
    anonymous = browser.new_context().new_page()
    assert anonymous.request.get(page_two.replace("/view/", "/pages/")).status == 401


BUDGET_MD = """# 年度預算

本表列出各科室的年度設備預算。

## 設備

| 科室 | 項目 | 金額 |
|---|---|---|
| 放射科 | 超音波儀 | 3,200,000 元 |
| 檢驗科 | 離心機 | 450,000 元 |

## `<script>alert(1)</script>`

| 欄位 | 內容 |
|---|---|
| 測試 | `<img src=x onerror=alert(2)>` |
"""


def test_a_markdown_upload_is_cited_by_section_and_shown_in_context(
    browser: Any, web_app: WebApp, tmp_path: Path
) -> None:
    source = tmp_path / "預算.md"
    source.write_text(BUDGET_MD, encoding="utf-8")
    page = login(browser, web_app, "clerk.wu")
    dialogs: list[str] = []
    page.context.on(
        "page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    )
    answer = ask(page, "放射科的超音波儀預算是多少？", files=[str(source)])
    link = page.locator(f"{ANSWER} a[href*='/kbchat/view/']").filter(has_text="設備").first
    assert "預算.md 年度預算 › 設備 ¶1" in link.inner_text(), answer
    href = link.get_attribute("href") or ""
    found = re.search(r"/kbchat/view/([0-9a-f]{64})/2\b", href)
    assert found, href
    with page.context.expect_page() as opened:
        link.click()
    viewer = opened.value
    viewer.wait_for_load_state("networkidle")
    assert "預算.md · 年度預算 › 設備 ¶1" in viewer.title()
    assert viewer.locator("thead th").all_inner_texts() == ["科室", "項目", "金額"]
    assert "超音波儀" in " ".join(viewer.locator(".sheet mark").all_inner_texts())
    assert viewer.locator("a[rel=next]").get_attribute("href", timeout=5000) == (
        f"/kbchat/view/{found.group(1)}/3"
    )
    view = f"{web_app.url}/kbchat/view/{found.group(1)}"
    viewer.goto(f"{view}/3")  # the section whose heading and cell are HTML
    viewer.wait_for_load_state("networkidle")
    assert "<script>alert(1)</script>" in viewer.locator("h1").inner_text()
    assert "<img src=x onerror=alert(2)>" in viewer.locator("tbody").inner_text()
    assert viewer.locator(".sheet img, .sheet script").count() == 0 and dialogs == []
    request = page.request
    assert [request.get(f"{view}/{n}").status for n in (0, 4)] == [404, 404]
    assert request.get(f"{web_app.url}/kbchat/pages/{found.group(1)}/1").status == 404
    original = request.get(f"{web_app.url}/kbchat/documents/{found.group(1)}")
    assert original.status == 200 and original.body() == source.read_bytes()
    assert original.headers["content-disposition"].startswith("attachment;")
    assert original.headers["x-content-type-options"] == "nosniff"
    assert original.headers["content-type"] == "application/octet-stream"
    other = login(browser, web_app, "nurse.lin")
    assert other.request.get(f"{view}/2").status == 404  # clerk.wu's private upload
