"""Admin pages in the browser: the curation queue and export; staff are refused."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

from chat.factory import build_sharing
from chat.settings import Settings
from sharing.models import QAStatus
from sharing.service import QADraft
from tests.finetuned import STYLE, Finetuned
from tests.sharing.consenting import share_with_consent
from tests.web.browsing import login
from tests.web.conftest import WebApp


def test_staff_are_refused_the_admin_pages(browser: Any, web_app: WebApp) -> None:
    page = login(browser, web_app, "clerk.wu")
    for path in ("personas", "shared", "users", "documents", "shared/export", "finetune"):
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
    page.get_by_text(f"已核准 Approved: #{qa_id}").wait_for(timeout=90_000)
    assert sharing.store.get(qa_id).status == QAStatus.APPROVED
    page.select_option("select[name=format]", "llamafactory")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下載 Download (.zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert {"dataset_info.json", "manifest.json", "train_lora_sft.yaml"} <= set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert qa_id in [row["qa_id"] for row in manifest["rows"]]
    assert "nurse.lin" not in archive.read("kbchat_alpaca.json").decode("utf-8")


def test_an_admin_uploads_into_an_organization_collection_and_moves_it(
    browser: Any, web_app: WebApp
) -> None:
    import hashlib

    from tests.datasets import DRCD

    pdf = DRCD / "drcd-dev-002.pdf"
    page = login(browser, web_app, "boss")
    page.click("#chat-settings-open-modal")
    page.click("#upload_collection")  # a choice among the collections, not a free text
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    assert (
        options[0] == "我的文件（自己與管理員可見）"
        and "機構文件庫「default」（同仁都看得到）" in options
    )
    page.get_by_role("option", name="機構文件庫「default」（同仁都看得到）").click()
    page.get_by_role("button", name="確認").click()
    page.wait_for_timeout(1000)
    with page.expect_response(lambda r: "/project/file" in r.url):
        page.set_input_files("#upload-button-input", [str(pdf)])
    page.click("#chat-submit")
    said = page.get_by_text("drcd-dev-002.pdf：已匯入").last
    said.wait_for(timeout=300_000)
    assert "機構文件庫「default」" in said.inner_text()  # the reply says where it went
    (document,) = _documents_named(web_app, "drcd-dev-002.pdf")
    assert (document.collection, document.uploaded_by) == ("default", "boss")
    assert document.doc_id == hashlib.sha256(pdf.read_bytes()).hexdigest()
    staff = login(browser, web_app, "clerk.wu")  # organization documents are everyone's
    assert staff.request.get(f"{web_app.url}/kbchat/documents/{document.doc_id}").status == 200
    page.goto(f"{web_app.url}/kbchat/admin/documents")
    row = page.locator("tr", has_text="drcd-dev-002.pdf")
    row.locator("input[name=new_collection]").fill("guidelines")
    row.get_by_role("button", name="移動 Move").click()
    page.get_by_text("已移動 Moved: drcd-dev-002.pdf → guidelines").wait_for(timeout=300_000)
    (moved,) = _documents_named(web_app, "drcd-dev-002.pdf")
    assert (moved.collection, moved.uploaded_by) == ("guidelines", "boss")
    assert staff.request.get(f"{web_app.url}/kbchat/view/{moved.doc_id}/1").status == 200
    # Its id changed (the same bytes were in another collection), and the old links of past
    # answers' citations still open it.
    assert moved.doc_id != document.doc_id
    assert staff.request.get(f"{web_app.url}/kbchat/view/{document.doc_id}/1").status == 200
    assert staff.request.get(f"{web_app.url}/kbchat/documents/{document.doc_id}").status == 200


def _documents_named(web_app: WebApp, filename: str) -> list[Any]:
    """The registry's documents of that name (the registry only: a second Chroma client
    must not open the running app's store)."""
    from chat.database import open_database
    from knowledge.registry import Registry

    registry = Registry(open_database(Settings(data_dir=web_app.data_dir).resolved_database_url))
    found = [d for d in registry.documents() if d.filename == filename]
    registry.engine.dispose()
    return found


def test_deleting_asks_first_and_an_admin_cannot_lock_themselves_out(
    browser: Any, web_app: WebApp
) -> None:
    from chat.factory import build_persona_store

    page = login(browser, web_app, "boss")
    page.goto(f"{web_app.url}/kbchat/admin/personas")
    page.click("form[action='/kbchat/admin/personas/kb-assistant/delete'] button")
    assert "無法復原" in page.locator("main").inner_text()  # asked, not done
    page.get_by_role("link", name="取消 Cancel").click()
    store = build_persona_store(Settings(data_dir=web_app.data_dir))
    assert any(s.persona.id == "kb-assistant" for s in store.list_personas())
    page.goto(f"{web_app.url}/kbchat/admin/users")
    page.click("form[action='/kbchat/admin/users/boss/disable'] button")
    assert "您不能停用自己" in page.locator(".error").inner_text()
    page.click("form[action='/kbchat/admin/users/boss/remove'] button")
    assert "您不能移除自己" in page.locator(".error").inner_text()
    from chat.factory import build_accounts

    accounts = build_accounts(Settings(data_dir=web_app.data_dir))
    boss = accounts.get("boss")
    accounts.engine.dispose()
    assert boss is not None and not boss.disabled


def test_an_admin_follows_fine_tuning_runs_and_their_evaluation(
    browser: Any, web_app: WebApp, finetuned: Finetuned, tmp_path: Path
) -> None:
    runs, run_id = web_app.data_dir / "finetune", str(finetuned.manifest["run_id"])
    shutil.copytree(finetuned.run, runs / run_id)  # trained on the training machine
    # A run in progress as `kbchat finetune run` records it; this test's process stands in
    # for the trainer's, so the page sees a live process.
    running = runs / ".running-dr-chen-20261206-090000"
    running.mkdir()
    progress = {"stage": "train", "step": 3, "total": 12, "loss": 2.5, "learning_rate": 1e-4,
                "epoch": 0.5, "remaining": "0:01:30"}  # fmt: skip
    status = {"pid": os.getpid(), "started_at": "2026-12-06T09:00:00+08:00", "progress": progress}
    (running / "status.json").write_text(json.dumps(status))
    page = login(browser, web_app, "boss")
    page.goto(f"{web_app.url}/kbchat/admin/finetune")
    evaluation = finetuned.manifest["evaluation"]
    row = page.locator("tr", has_text=run_id)
    assert f"{evaluation['base']:.1f} → {evaluation['adapter']:.1f}" in row.inner_text()
    assert "低於基礎模型" not in row.inner_text()
    live = page.locator("tr", has_text="dr-chen-20261206-090000")
    assert "3/12" in live.inner_text() and "2.5000" in live.inner_text()
    page.screenshot(path=str(tmp_path / "finetune.png"), full_page=True)
    live.get_by_role("button", name="停止 Cancel").click()
    page.get_by_text("已要求停止 Asked to stop: dr-chen-20261206-090000").wait_for()
    assert (running / "cancel").exists()
    page.get_by_role("link", name=run_id).click()
    table = page.locator("table", has_text="轉接器 Adapter").last
    held = finetuned.manifest["dataset"]["holdout_qa_ids"]
    assert table.locator("tr").count() == len(held) + 1
    assert all(f"{STYLE}" in cell for cell in table.locator("tr td:nth-child(5)").all_inner_texts())
    assert page.locator("svg polyline").count() == 1
    assert f"--lora-modules dr-wang-gi={runs / run_id / 'adapter'}" in page.content()
    for not_a_run in (".running-dr-chen-20261206-090000", "exports", "nope"):
        assert page.request.get(f"{web_app.url}/kbchat/admin/finetune/{not_a_run}").status == 404
