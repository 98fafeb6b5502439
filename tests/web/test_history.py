"""Past threads: they survive a restart with their citations, and stay private to their user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.datasets import KNOWN_PAGE, KNOWN_PDF, KNOWN_QUESTION
from tests.web.browsing import ANSWER, ask, click_action, login
from tests.web.conftest import app_db_rows, make_data_dir, serving


def test_a_thread_survives_a_restart_and_stays_private(
    browser: Any, bundled_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = make_data_dir(tmp_path_factory.mktemp("restart"), bundled_model)
    with serving(data_dir) as app:
        page = login(browser, app, "nurse.lin")
        answer = ask(page, KNOWN_QUESTION, files=[str(KNOWN_PDF)])
        page.wait_for_url("**/thread/*", timeout=90_000)
        thread_path = page.url.split(app.url, 1)[1]
    with serving(data_dir) as app:  # a new process on the same data
        page = login(browser, app, "nurse.lin")
        page.goto(f"{app.url}{thread_path}")
        cited = f"{KNOWN_PDF.name} 第 {KNOWN_PAGE} 頁"
        page.get_by_text(cited).first.wait_for(timeout=120_000)
        assert answer.split("\n")[0] in page.locator(ANSWER).all_inner_texts()[-1]
        viewer = page.evaluate("""() => [...document.querySelectorAll('a[href*="/kbchat/view/"]')]
            .map(a => a.getAttribute('href'))""")
        assert viewer, "the link to the cited page is gone"
        assert page.request.get(f"{app.url}{viewer[0]}").status == 200
        # What the chat offered stays: Share under the answer, the greeting's lists.
        for label in ("分享這則問答", "我的文件", "我分享的問答"):
            page.get_by_role("button", name=label).first.wait_for(timeout=60_000)
        click_action(page, "分享這則問答")
        page.get_by_text("分享這則問答：同意書").wait_for(timeout=60_000)
        snippet_url = f"{app.url}/kbchat/snippets/{_chunk_of(data_dir)}"
        snippet = page.request.get(snippet_url)
        assert snippet.status == 200 and snippet.text()
        intruder = login(browser, app, "clerk.wu")
        intruder.goto(f"{app.url}{thread_path}")
        intruder.wait_for_timeout(5000)
        assert cited not in intruder.content()
        assert (
            intruder.request.get(f"{app.url}/kbchat/snippets/{_chunk_of(data_dir)}").status == 404
        )
        assert intruder.request.get(f"{app.url}{viewer[0]}").status == 404


def _chunk_of(data_dir: Path) -> str:
    """The id of a chunk on the gold page, from the app's own database."""
    sql = "SELECT chunk_id FROM kb_chunk WHERE page = :page LIMIT 1"
    (row,) = app_db_rows(data_dir, sql, page=KNOWN_PAGE)
    return str(row[0])
