"""The admin's curation queue in the browser marks generated pairs, shows their source page
and model, and filters by source."""

from __future__ import annotations

from typing import Any

from chat.factory import build_sharing
from chat.settings import Settings
from knowledge import content_tokens
from sharing import GenerationRequest, PIIScrubber, QADraft, QAGenerator
from tests.sharing.consenting import share_with_consent
from tests.sharing.generating import PAGE_3, FakeCompletion, pair_reply
from tests.web.browsing import login
from tests.web.conftest import WebApp


def test_generated_pairs_are_marked_with_their_page_and_filtered_by_source(
    browser: Any, web_app: WebApp
) -> None:
    sharing = build_sharing(Settings(data_dir=web_app.data_dir))
    answer = "磁振造影檢查前請移除所有金屬物品，裝有心律調節器者請先告知醫師。"
    fake = FakeCompletion().enqueue(pair_reply("做 MRI 前要注意什麼金屬物品？", answer))
    generator = QAGenerator(
        sharing.store, PIIScrubber(), fake, model="fake-model", tokens=content_tokens
    )
    request = GenerationRequest(collection="guide", count=1, actor="boss")
    (outcome,) = generator.generate(request, [PAGE_3])
    assert outcome.qa is not None
    draft = QADraft("加護病房幾點探病？", "上午十一點及晚上七點 [1]。", "kb-assistant", 1, "qwen")
    # Shared by an account no other test counts the shares of (the web app is the session's).
    share_with_consent(sharing.service, draft, user="clerk.wu")
    page = login(browser, web_app, "boss")
    page.goto(f"{web_app.url}/kbchat/admin/shared?source=generated&status=pending")
    row = page.locator("tr", has_text="做 MRI 前要注意什麼金屬物品")
    cell = row.locator("td.source-generated")
    assert "模型生成 generated" in cell.inner_text()
    assert "kbchat-hospital-guide.pdf p.3" in cell.inner_text()
    assert "fake-model" in cell.inner_text()
    link = cell.get_by_role("link", name="kbchat-hospital-guide.pdf p.3")
    assert link.get_attribute("href") == f"/kbchat/view/{PAGE_3.doc_id}/3"
    assert page.locator("tr", has_text="加護病房幾點探病").count() == 0
    page.get_by_role("link", name="對話 chat").click()
    page.locator("tr", has_text="加護病房幾點探病").wait_for(timeout=30_000)
    assert page.locator("tr", has_text="做 MRI 前要注意什麼金屬物品").count() == 0
