"""A hostile document and its answer in a real browser: nothing leaves the host, nothing runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.pdfs import EXFIL_EN, SCRIPT_EN, text_pdf
from tests.web.browsing import ANSWER, ask, login
from tests.web.conftest import WebApp

# Recorded from the first script on: CSP violations, and whether any injected script ran.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.mark.slow
def test_a_hostile_page_and_answer_load_nothing_and_run_nothing(
    browser: Any, web_app: WebApp, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "hostile-notice.pdf", [EXFIL_EN, SCRIPT_EN])
    requests: list[str] = []
    dialogs: list[str] = []
    page = login(browser, web_app, "nurse.lin", requests=requests)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    page.reload()
    page.wait_for_selector(ANSWER, timeout=60_000)
    answer = ask(page, "When are visiting hours?", files=[str(pdf)])
    assert "hostile-notice.pdf" in answer.lower()
    # Open every cited page in the viewer: the document's text is in its page too.
    viewer = page.evaluate(
        "[...document.querySelectorAll('a[href*=\"/kbchat/view/\"]')].map(a => a.href)"
    )
    assert viewer
    for url in viewer:
        shown_page = page.context.new_page()
        shown_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        shown_page.on("request", lambda request: requests.append(request.url))
        shown_page.add_init_script(WATCH)
        shown_page.goto(url)
        shown_page.wait_for_load_state("networkidle")
        assert shown_page.evaluate("typeof window.__pwned") == "undefined"
        assert shown_page.evaluate("window.__violations") == []
        assert shown_page.locator("script").count() == 0
        shown_page.close()
    page.wait_for_timeout(3000)
    outside = [url for url in requests if not url.startswith(web_app.url)]
    assert outside == []
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    images = page.evaluate("[...document.images].map(i => i.src)")
    assert not [src for src in images if "attacker" in src]
    assert page.evaluate("window.__violations") == []
    shown = page.locator(ANSWER).all_inner_texts()[-1]
    assert "attacker.example" not in page.evaluate(
        "[...document.querySelectorAll('a')].map(a => a.href).join(' ')"
    ), shown
