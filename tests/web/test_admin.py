"""Admin pages in the browser: the curation queue and export; staff are refused."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from chat.factory import build_sharing
from chat.settings import Settings
from sharing.models import QAStatus
from sharing.service import QADraft
from tests.sharing.consenting import share_with_consent
from tests.web.browsing import login
from tests.web.conftest import WebApp


def test_staff_are_refused_the_admin_pages(browser: Any, web_app: WebApp) -> None:
    page = login(browser, web_app, "clerk.wu")
    for path in ("personas", "shared", "users", "documents", "shared/export"):
        assert page.request.get(f"{web_app.url}/kbchat/admin/{path}").status == 403, path
    anonymous = browser.new_context().new_page()
    assert anonymous.request.get(f"{web_app.url}/kbchat/admin/users").status == 401


def test_an_admin_approves_a_shared_qa_and_exports_it(browser: Any, web_app: WebApp) -> None:
    sharing = build_sharing(Settings(data_dir=web_app.data_dir))
    draft = QADraft("急診檢傷分幾級？", "台灣急診檢傷分為五級 [1]。", "kb-assistant", 1, "qwen")
    qa_id = share_with_consent(sharing.service, draft, user="nurse.lin")
    page = login(browser, web_app, "boss")
    page.goto(f"{web_app.url}/kbchat/admin/shared")
    row = page.locator("tr", has_text="急診檢傷分幾級")
    row.get_by_role("button", name="核准 Approve").click()
    page.get_by_text(f"approve: #{qa_id}").wait_for(timeout=90_000)
    assert sharing.store.get(qa_id).status == QAStatus.APPROVED
    page.select_option("select[name=format]", "llamafactory")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下載 Download (.zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert {"dataset_info.json", "manifest.json", "train_lora_sft.yaml"} <= set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert qa_id in [row["qa_id"] for row in manifest["rows"]]
    assert "nurse.lin" not in archive.read("kbchat_alpaca.json").decode("utf-8")
