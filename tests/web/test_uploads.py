"""Uploading, in Chromium: each file's progress is shown as it is read and indexed, then
where it went."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.datasets import DRCD
from tests.web.browsing import ANSWER, ask, click_action, login
from tests.web.conftest import WebApp

# Every text an assistant message showed, as it changed (the progress comes and goes).
RECORD = """
window.__seen = [];
new MutationObserver(() => {
  const shown = '[data-step-type=assistant_message] .message-content';
  for (const el of document.querySelectorAll(shown)) {
    const t = el.innerText;
    if (t && window.__seen[window.__seen.length - 1] !== t) window.__seen.push(t);
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_each_upload_shows_its_progress_then_its_outcome(browser: Any, web_app: WebApp) -> None:
    page = login(browser, web_app, "clerk.wu")
    page.add_init_script(RECORD)
    page.reload()
    page.wait_for_selector(ANSWER, timeout=60_000)
    files = [DRCD / "drcd-dev-010.pdf", DRCD / "drcd-dev-011.pdf"]
    with page.expect_response(lambda r: "/project/file" in r.url, timeout=120_000):
        page.set_input_files("#upload-button-input", [str(f) for f in files])
    page.wait_for_timeout(1500)  # both files uploaded
    page.click("#chat-submit")
    for pdf in files:
        page.wait_for_function(
            "name => window.__seen.some(t => t.includes(name) && t.includes('已匯入'))",
            arg=pdf.name,
            timeout=300_000,
        )
    seen: list[str] = page.evaluate("window.__seen")
    for pdf in files:
        progress = [t for t in seen if pdf.name in t and "已讀取" in t]
        assert progress, f"no progress shown for {pdf.name}: {seen}"
        assert any("建立索引" in t for t in progress)
    # The thread keeps the outcomes, not a progress line stored after them.
    page.reload()
    for pdf in files:
        page.get_by_text(f"{pdf.name}：已匯入").first.wait_for(timeout=60_000)
    shown = " ".join(page.locator(ANSWER).all_inner_texts())
    assert "建立索引" not in shown and "已讀取" not in shown


def test_my_documents_lists_only_my_uploads_and_removes_one(browser: Any, web_app: WebApp) -> None:
    pdf = DRCD / "drcd-dev-012.pdf"
    page = login(browser, web_app, "nurse.lin")
    with page.expect_response(lambda r: "/project/file" in r.url, timeout=120_000):
        page.set_input_files("#upload-button-input", [str(pdf)])
    page.click("#chat-submit")
    said = page.get_by_text(f"{pdf.name}：已匯入").last
    said.wait_for(timeout=300_000)
    assert "我的文件（自己與管理員可見）" in said.inner_text()  # where it went
    click_action(page, "我的文件")
    listing = page.locator(ANSWER).filter(has_text="我的文件").last
    listing.get_by_text(pdf.name).first.wait_for(timeout=60_000)
    others = login(browser, web_app, "clerk.wu")
    shown = others.locator(ANSWER).count()
    click_action(others, "我的文件")
    theirs = others.locator(ANSWER).nth(shown)
    theirs.wait_for(timeout=60_000)
    assert pdf.name not in theirs.inner_text()  # each user's list is their own
    click_action(page, f"移除 {pdf.name}")
    page.get_by_text(f"已移除 {pdf.name}").wait_for(timeout=90_000)
    assert page.get_by_role("button", name=f"移除 {pdf.name}").count() == 0
    answer = ask(page, "這份文件提到哪些地方？")
    assert pdf.name not in answer  # its pages are no longer searched or cited


def test_an_empty_file_is_refused_with_its_reason(
    browser: Any, web_app: WebApp, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    page = login(browser, web_app, "clerk.wu")
    with page.expect_response(lambda r: "/project/file" in r.url, timeout=60_000) as sent:
        page.set_input_files("#upload-button-input", [str(empty)])
    assert sent.value.status == 400  # a refusal that says why, not a server error
    assert "empty" in sent.value.json()["detail"]


def test_a_file_kbchat_does_not_read_or_that_is_not_what_it_says_is_refused_by_name(
    browser: Any, web_app: WebApp, tmp_path: Path
) -> None:
    slides = tmp_path / "簡報.pptx"
    slides.write_bytes(b"PK\x03\x04" + bytes(100))
    picture = tmp_path / "圖片.docx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    page = login(browser, web_app, "clerk.wu")
    with page.expect_response(lambda r: "/project/file" in r.url, timeout=60_000):
        page.set_input_files("#upload-button-input", [str(slides), str(picture)])
    page.wait_for_timeout(1500)  # both files uploaded
    page.click("#chat-submit")
    unread = page.get_by_text("簡報.pptx：kbchat 讀不了這種檔案").first
    unread.wait_for(timeout=60_000)
    assert "Word（.docx）" in unread.inner_text()  # and what it does read
    page.get_by_text("圖片.docx：不是 Word 文件：這個檔案是 PNG 圖片").first.wait_for(
        timeout=60_000
    )
    # Chainlit writes a message to the thread in the background: once it is stored, a reload
    # shows the refusal, not the "importing" line it replaced.
    _stored(web_app, "圖片.docx：不是 Word 文件")
    page.reload()
    page.get_by_text("圖片.docx：不是 Word 文件").first.wait_for(timeout=60_000)
    assert "匯入 圖片.docx" not in " ".join(page.locator(ANSWER).all_inner_texts())


def _stored(app: WebApp, said: str, timeout_s: float = 60) -> None:
    """Wait until a message saying ``said`` is in the app's thread history."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{app.data_dir / 'kbchat.db'}")
    query = sa.text('SELECT COUNT(*) FROM steps WHERE "output" LIKE :said')
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.execute(query, {"said": f"%{said}%"}).scalar_one():
                    return
            time.sleep(0.2)
    finally:
        engine.dispose()
    raise AssertionError(f"no stored message says {said!r} after {timeout_s} s")
