"""Take the README's screenshots from a running kbchat (Debian chromium, Playwright).

python -m scripts.screenshots --url http://127.0.0.1:8000 --user NAME --password PW --pdf FILE

The user should be an admin (the documents page is one of the shots). Shots, in docs/:
the login page in zh-TW and English, an answer, its cited page in the viewer, the Share
consent, an English answer, and the admin documents page.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.web.conftest import CHROMIUM, CHROMIUM_FLAGS

ANSWER = "[data-step-type=assistant_message] .message-content"


def _log_in(browser: Any, args: argparse.Namespace, locale: str, shot: Path) -> Any:
    page = browser.new_context(locale=locale, viewport={"width": 1400, "height": 900}).new_page()
    page.goto(f"{args.url}/login")
    page.wait_for_selector("#email")
    page.wait_for_timeout(500)
    page.screenshot(path=shot)
    page.fill("#email", args.user)
    page.fill("#password", args.password)
    page.click("button[type=submit]")
    page.wait_for_selector(ANSWER, timeout=60_000)
    return page


def _ask(page: Any, question: str, pdf: Path | None = None) -> None:
    before = page.locator(ANSWER).count()
    if pdf is not None:
        with page.expect_response(lambda r: "/project/file" in r.url):
            page.set_input_files("#upload-button-input", [str(pdf)])
    page.fill("#chat-input", question)
    page.click("#chat-submit")
    page.wait_for_function(
        """([sel, before]) => [...document.querySelectorAll(sel)].slice(before)
            .some(e => /來源|Sources|知識庫未涵蓋|Not in the knowledge base/.test(e.innerText))""",
        arg=[ANSWER, before],
        timeout=300_000,
    )
    page.wait_for_timeout(1500)


def _new_key(page: Any, args: argparse.Namespace) -> None:
    """The API keys page just after a key was made (a throwaway one, for the picture)."""
    page.goto(f"{args.url}/kbchat/admin/keys")
    page.fill("input[name=name]", "intranet-portal")
    page.select_option("select[name=role]", "clinician")
    page.fill("input[name=expires]", "2027-06-30")
    page.get_by_role("button", name="新增 Add").click()
    page.wait_for_selector("#new-key")
    page.screenshot(path=args.out / "admin-keys.png", full_page=True)


def main() -> None:
    """Log in, upload, ask, open the cited page and the share consent; save PNGs in docs/."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--pdf", type=Path, required=True)
    parser.add_argument("--question", default="加護病房的探病時間是什麼時候？")
    parser.add_argument("--question-en", default="When are intensive care visits?")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = _log_in(browser, args, "zh-TW", args.out / "login.png")
        _ask(page, args.question, args.pdf)
        page.screenshot(path=args.out / "answer.png")
        with page.context.expect_page() as opened:
            page.locator(f"{ANSWER} a[href*='/kbchat/view/']").first.click()
        viewer = opened.value
        viewer.set_viewport_size({"width": 1100, "height": 900})
        viewer.wait_for_load_state("networkidle")
        viewer.screenshot(path=args.out / "cited-page.png")
        page.get_by_role("button", name="分享這則問答").last.click()
        agree = page.get_by_role("button", name="同意並分享").last
        agree.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        agree.scroll_into_view_if_needed()  # the dialog's buttons above the input box
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(500)
        page.screenshot(path=args.out / "share-consent.png")
        page.goto(f"{args.url}/kbchat/admin/documents")
        page.screenshot(path=args.out / "admin-documents.png")
        _new_key(page, args)
        english = _log_in(browser, args, "en-US", args.out / "login-en.png")
        english.click("#chat-profiles")
        english.get_by_role("option", name="Knowledge base assistant").click()
        confirm = english.get_by_role("button", name="Confirm")
        english.wait_for_timeout(1500)
        if confirm.count():
            confirm.click()
        english.wait_for_timeout(2000)
        _ask(english, args.question_en)
        english.screenshot(path=args.out / "answer-en.png")
        browser.close()


if __name__ == "__main__":
    main()
