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


def test_an_admin_uploads_into_an_organization_collection(browser: Any, web_app: WebApp) -> None:
    import hashlib

    from tests.datasets import DRCD

    pdf = DRCD / "drcd-dev-002.pdf"
    page = login(browser, web_app, "boss")
    page.click("#chat-settings-open-modal")
    page.fill("#upload_collection", "guidelines")
    page.get_by_role("button", name="確認").click()
    page.wait_for_timeout(1000)
    with page.expect_response(lambda r: "/project/file" in r.url):
        page.set_input_files("#upload-button-input", [str(pdf)])
    page.fill("#chat-input", "請匯入")
    page.click("#chat-submit")
    page.get_by_text("drcd-dev-002.pdf：已匯入").last.wait_for()
    from knowledge.registry import Registry, make_engine

    # The registry only: a second Chroma client must not open the running app's store.
    registry = Registry(make_engine(Settings(data_dir=web_app.data_dir).resolved_database_url))
    (document,) = [d for d in registry.documents() if d.filename == "drcd-dev-002.pdf"]
    registry.engine.dispose()
    assert (document.collection, document.uploaded_by) == ("guidelines", "boss")
    assert document.doc_id == hashlib.sha256(pdf.read_bytes()).hexdigest()
    staff = login(browser, web_app, "clerk.wu")  # organization documents are everyone's
    assert staff.request.get(f"{web_app.url}/kbchat/documents/{document.doc_id}").status == 200
