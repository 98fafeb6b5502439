"""Take the README's screenshots from a running kbchat (Debian chromium, Playwright).

python scripts/screenshots.py --url http://127.0.0.1:8000 --user NAME --password PW --pdf FILE
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.web.conftest import CHROMIUM, CHROMIUM_FLAGS

ANSWER = "[data-step-type=assistant_message] .message-content"


def main() -> None:
    """Log in, upload, ask, open a citation and the share consent; save PNGs in docs/."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--pdf", type=Path, required=True)
    parser.add_argument("--question", default="一任新北市長最多只能當多久除非連任？")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_context(
            locale="zh-TW", viewport={"width": 1400, "height": 900}
        ).new_page()
        page.goto(f"{args.url}/login")
        page.wait_for_selector("#email")
        page.screenshot(path=args.out / "login.png")
        page.fill("#email", args.user)
        page.fill("#password", args.password)
        page.click("button[type=submit]")
        page.wait_for_selector(ANSWER, timeout=60_000)
        with page.expect_response(lambda r: "/project/file" in r.url):
            page.set_input_files("#upload-button-input", [str(args.pdf)])
        page.fill("#chat-input", args.question)
        page.click("#chat-submit")
        page.get_by_text("來源").last.wait_for(timeout=300_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=args.out / "answer.png")
        page.get_by_text("[1] ").last.click()
        page.wait_for_timeout(3000)
        page.screenshot(path=args.out / "cited-page.png")
        page.get_by_role("button", name="分享這則問答").last.click()
        page.get_by_role("button", name="同意並分享").last.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=args.out / "share-consent.png")
        browser.close()


if __name__ == "__main__":
    main()
